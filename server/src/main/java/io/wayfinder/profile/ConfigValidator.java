package io.wayfinder.profile;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.text.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every check of a configuration that relates one value to another, in one place: names unique,
 * references resolvable (zones, regions, nested profiles), no nesting cycle and no nesting deeper
 * than {@link ProfileConfig#MAX_NESTING_DEPTH}, fields set only where their routing method reads them, and each
 * method's own rules (its {@link MethodRules}). What a single value must look like is checked
 * where it is read.
 */
public final class ConfigValidator {
    private final Map<String, MethodRules> methods = new LinkedHashMap<>();

    /** @param methods the routing methods a profile may name, each with its rules */
    public ConfigValidator(List<? extends MethodRules> methods) {
        for (MethodRules m : methods) {
            this.methods.put(m.name().toLowerCase(Locale.ROOT), m);
        }
    }

    /** The method names, as Azure spells them, in registry order. */
    public List<String> methodNames() {
        return methods.values().stream().map(MethodRules::name).toList();
    }

    /** Adds an error, with its field path, for everything wrong across the configuration. */
    public void validate(WayfinderConfig config, ConfigErrors errors) {
        RegionCatalogue catalogue = config.catalogue();
        Set<String> zoneNames = zones(config, errors);
        Map<String, Integer> profileIndex = new HashMap<>();
        Map<String, String> ownerOfName = new HashMap<>();
        for (ZoneConfig zone : config.zones()) {
            for (ZoneConfig.Nameserver ns : zone.nameservers()) {
                ownerOfName.putIfAbsent(ns.name(), "name server " + ns.name());
            }
        }
        List<ProfileConfig> profiles = config.profiles();
        for (int i = 0; i < profiles.size(); i++) {
            ProfileConfig p = profiles.get(i);
            String path = "profiles[" + i + "]";
            String key = p.name().toLowerCase(Locale.ROOT);
            Integer previous = profileIndex.putIfAbsent(key, i);
            if (previous != null) {
                errors.add(path + ".name", "profile name '" + p.name() + "' is already used by profiles[" + previous + "]");
            }
            if (p.zone() != null && !zoneNames.contains(p.zone())) {
                errors.add(path + ".zone", "zone '" + p.zone() + "' is not served (zones: " + String.join(", ", zoneNames) + ")"
                        + Suggestions.didYouMean(p.zone(), zoneNames));
            }
            // A profile without relativeName answers only as a nested endpoint. One that nothing nests
            // answers nothing, but is allowed: through the API a child must exist before the parent
            // that nests it is written (check-config points such profiles out).
            if (p.relativeName() != null && p.zone() != null) {
                String fqdn = p.fqdn();
                if (fqdn.length() > 253) {
                    errors.add(path + ".dnsConfig.relativeName", "the full name " + fqdn + " is longer than 253 characters");
                }
                String owner = ownerOfName.putIfAbsent(fqdn, "profile '" + p.name() + "'");
                if (owner != null) {
                    errors.add(path + ".dnsConfig.relativeName", "name " + fqdn + " is already used by " + owner);
                }
            }
            endpoints(p, path, catalogue, errors);
            fallback(p, path, catalogue, errors);
            MethodRules method = p.trafficRoutingMethod() == null ? null
                    : methods.get(p.trafficRoutingMethod().toLowerCase(Locale.ROOT));
            if (method != null) {
                methodFields(p, path, method, errors);
                method.check(p, path, config, errors);
            }
        }
        nesting(profiles, profileIndex, errors);
    }

    private static Set<String> zones(WayfinderConfig config, ConfigErrors errors) {
        Set<String> names = new java.util.LinkedHashSet<>();
        if (config.zones().isEmpty() && !errors.hasErrorAt("zones")) {
            errors.add("zones", "is required: at least one zone to serve");
        }
        for (int i = 0; i < config.zones().size(); i++) {
            ZoneConfig zone = config.zones().get(i);
            if (!names.add(zone.name())) {
                errors.add("zones[" + i + "].name", "zone " + zone.name() + " is listed twice");
            }
            for (String other : names) {
                if (!other.equals(zone.name()) && (DnsNames.isInZone(zone.name(), other) || DnsNames.isInZone(other, zone.name()))) {
                    errors.add("zones[" + i + "].name", "zone " + zone.name() + " overlaps zone " + other
                            + " (delegating a child zone is not supported)");
                }
            }
            if (zone.minimum() > zone.ttl() && zone.ttl() > 0) {
                // Not an error; negative answers use the SOA minimum as RFC 2308 says.
                continue;
            }
        }
        return names;
    }

    private void endpoints(ProfileConfig p, String path, RegionCatalogue catalogue, ConfigErrors errors) {
        if (p.endpoints().isEmpty()) {
            return; // a profile without endpoints answers NXDOMAIN, like Azure's
        }
        Map<String, Integer> names = new HashMap<>();
        for (int j = 0; j < p.endpoints().size(); j++) {
            EndpointConfig e = p.endpoints().get(j);
            String ePath = path + ".endpoints[" + j + "]";
            Integer previous = names.putIfAbsent(e.name().toLowerCase(Locale.ROOT), j);
            if (previous != null) {
                errors.add(ePath + ".name", "endpoint name '" + e.name() + "' is already used by endpoints[" + previous + "]");
            }
            if (e.type() == EndpointType.external) {
                externalTarget(e, ePath, errors);
                if (e.minChildEndpoints() != 1) {
                    errors.add(ePath + ".minChildEndpoints", "applies only to nested endpoints");
                }
                if (e.minChildEndpointsIPv4() != 0) {
                    errors.add(ePath + ".minChildEndpointsIPv4", "applies only to nested endpoints");
                }
                if (e.minChildEndpointsIPv6() != 0) {
                    errors.add(ePath + ".minChildEndpointsIPv6", "applies only to nested endpoints");
                }
            } else if (e.minChildEndpoints() < e.minChildEndpointsIPv4() + e.minChildEndpointsIPv6()) {
                errors.add(ePath + ".minChildEndpoints", "is " + e.minChildEndpoints() + " but must be at least"
                        + " minChildEndpointsIPv4 + minChildEndpointsIPv6 = " + (e.minChildEndpointsIPv4() + e.minChildEndpointsIPv6()));
            }
            location(e, ePath, catalogue, errors);
            probeHeaders(p, e, ePath, errors);
        }
    }

    /** A method-specific field set on a profile whose method does not read it would be ignored: say so. */
    private void methodFields(ProfileConfig p, String path, MethodRules method, ConfigErrors errors) {
        if (p.maxReturn() != null && !method.uses(MethodRules.MethodField.maxReturn)) {
            errors.add(path + ".maxReturn", notRead(MethodRules.MethodField.maxReturn, method));
        }
        List<EndpointConfig> all = p.endpointsWithFallback();
        for (int j = 0; j < all.size(); j++) {
            EndpointConfig e = all.get(j);
            String ePath = j < p.endpoints().size() ? path + ".endpoints[" + j + "]" : path + ".fallback";
            if (!e.geoMapping().isEmpty() && !method.uses(MethodRules.MethodField.geoMapping)) {
                errors.add(ePath + ".geoMapping", notRead(MethodRules.MethodField.geoMapping, method));
            }
            if (!e.subnets().isEmpty() && !method.uses(MethodRules.MethodField.subnets)) {
                errors.add(ePath + ".subnets", notRead(MethodRules.MethodField.subnets, method));
            }
        }
    }

    private String notRead(MethodRules.MethodField field, MethodRules method) {
        List<String> readers = methods.values().stream().filter(m -> m.uses(field)).map(MethodRules::name).toList();
        return method.name() + " routing does not use it (it applies to " + String.join(", ", readers) + " routing)";
    }

    /** An endpoint's probe headers need an HTTP(S) monitor to be sent with; anywhere else they would be ignored. */
    private static void probeHeaders(ProfileConfig p, EndpointConfig e, String ePath, ConfigErrors errors) {
        if (e.customHeaders().isEmpty()) {
            return;
        }
        if (p.monitor() == null) {
            errors.add(ePath + ".customHeaders", "are sent with HTTP(S) probes, but the profile has no monitorConfig");
        } else if (p.monitor().protocol() == MonitorConfig.Protocol.TCP) {
            errors.add(ePath + ".customHeaders", "apply only to HTTP and HTTPS probes; the profile's monitorConfig uses TCP");
        }
    }

    private static void location(EndpointConfig e, String ePath, RegionCatalogue catalogue, ConfigErrors errors) {
        if (e.location() != null && !catalogue.contains(e.location())) {
            errors.add(ePath + ".endpointLocation", "unknown region '" + e.location() + "'"
                    + catalogue.suggest(e.location()).map(s -> " (did you mean '" + s + "'?)")
                            .orElse("; to use a site of your own, add it under regions: with name, latitude and longitude"));
        }
    }

    private static void fallback(ProfileConfig p, String path, RegionCatalogue catalogue, ConfigErrors errors) {
        EndpointConfig f = p.fallback();
        if (f == null) {
            return;
        }
        location(f, path + ".fallback", catalogue, errors);
        if (f.type() == EndpointType.external) {
            externalTarget(f, path + ".fallback", errors);
        }
        for (EndpointConfig e : p.endpoints()) {
            if (e.name().equalsIgnoreCase(f.name())) {
                errors.add(path + ".fallback.name", "'" + f.name() + "' is already the name of an endpoint");
            }
        }
    }

    private static void externalTarget(EndpointConfig e, String path, ConfigErrors errors) {
        String target = e.target();
        if (IpPrefix.looksLikeAddress(target)) {
            try {
                IpPrefix.parseAddress(target);
            } catch (IllegalArgumentException ex) {
                errors.add(path + ".target", ex.getMessage());
            }
            return;
        }
        DnsNames.normalise(target, path + ".target", errors);
    }

    /** Nested targets must name another profile; no cycles; at most {@link ProfileConfig#MAX_NESTING_DEPTH} levels. */
    private static void nesting(List<ProfileConfig> profiles, Map<String, Integer> index, ConfigErrors errors) {
        List<List<Edge>> children = new ArrayList<>();
        for (int i = 0; i < profiles.size(); i++) {
            List<Edge> mine = new ArrayList<>();
            ProfileConfig p = profiles.get(i);
            List<EndpointConfig> all = p.endpointsWithFallback();
            for (int j = 0; j < all.size(); j++) {
                EndpointConfig e = all.get(j);
                if (e.type() != EndpointType.nested) {
                    continue;
                }
                String path = j < p.endpoints().size() ? "profiles[" + i + "].endpoints[" + j + "].target"
                        : "profiles[" + i + "].fallback.target";
                Integer child = index.get(e.target().toLowerCase(Locale.ROOT));
                if (child == null) {
                    errors.add(path, "no profile is named '" + e.target() + "'"
                            + Suggestions.didYouMean(e.target(), profiles.stream().map(ProfileConfig::name).toList()));
                } else if (child == i) {
                    errors.add(path, "a profile cannot nest itself");
                } else {
                    mine.add(new Edge(child, path));
                }
            }
            children.add(mine);
        }
        int[] state = new int[profiles.size()]; // 0 unseen, 1 on the current path, 2 done
        int[] height = new int[profiles.size()];
        for (int i = 0; i < profiles.size(); i++) {
            if (state[i] == 0) {
                depthFirst(i, children, state, height, new ArrayList<>(), profiles, errors);
            }
        }
        for (int i = 0; i < profiles.size(); i++) {
            if (height[i] > ProfileConfig.MAX_NESTING_DEPTH) {
                errors.add("profiles[" + i + "]", "profile '" + profiles.get(i).name() + "' nests " + height[i]
                        + " levels deep; at most " + ProfileConfig.MAX_NESTING_DEPTH + " are allowed");
            }
        }
    }

    /** A nested endpoint: the profile it points to and the field path of its target. */
    private record Edge(int child, String targetPath) {
    }

    /** Height = levels of profiles from this one down to its deepest leaf, this one included. */
    private static void depthFirst(int node, List<List<Edge>> children, int[] state, int[] height, List<Integer> path,
                                   List<ProfileConfig> profiles, ConfigErrors errors) {
        state[node] = 1;
        path.add(node);
        int h = 1;
        for (Edge edge : children.get(node)) {
            int child = edge.child();
            if (state[child] == 1) {
                List<Integer> cycle = path.subList(path.indexOf(child), path.size());
                StringBuilder names = new StringBuilder();
                for (int k : cycle) {
                    names.append(profiles.get(k).name()).append(" -> ");
                }
                names.append(profiles.get(child).name());
                errors.add(edge.targetPath(), "nested profiles form a cycle: " + names);
                continue;
            }
            if (state[child] == 0) {
                depthFirst(child, children, state, height, path, profiles, errors);
            }
            h = Math.max(h, height[child] + 1);
        }
        height[node] = h;
        path.remove(path.size() - 1);
        state[node] = 2;
    }
}
