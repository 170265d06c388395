package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.DnsNames;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.ZoneConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code profiles} section: each profile's name, method, DNS settings, monitor and endpoints. */
final class ProfilesReader {
    static final int DEFAULT_TTL = 30;
    /** What the API adds to a profile it returns: the live state, not configuration. */
    static final List<String> READ_ONLY = List.of("version", "profileMonitorStatus", "failOpen", "onFallback");

    /** The method names validation knows, by themselves: the reader returns the canonical spelling. */
    private final Map<String, String> methods = new LinkedHashMap<>();

    ProfilesReader(List<String> methodNames) {
        for (String name : methodNames) {
            methods.put(name, name);
        }
    }

    /** @param required whether at least one profile must be given (not with api:, where the store holds them) */
    List<ProfileConfig> profiles(ConfigObject top, List<ZoneConfig> zones, boolean required) {
        List<ProfileConfig> profiles = new ArrayList<>();
        ConfigErrors errors = top.errors();
        List<ConfigObject> items = top.objects("profiles");
        if (required && items.isEmpty() && !errors.hasErrorAt("profiles")) {
            errors.add("profiles", "is required: at least one profile");
        }
        for (ConfigObject p : items) {
            if (p != null) {
                ProfileConfig profile = profile(p, zones, false);
                if (profile != null) {
                    profiles.add(profile);
                }
            }
        }
        return profiles;
    }

    /**
     * One profile.
     *
     * @param apiFields whether to accept, and ignore, the read-only fields the API adds to what it
     *                  returns ({@link #READ_ONLY}), so that what a GET returns a PUT takes unchanged
     */
    ProfileConfig profile(ConfigObject p, List<ZoneConfig> zones, boolean apiFields) {
        ConfigErrors errors = p.errors();
        if (apiFields) {
            p.ignoreKeys(READ_ONLY);
        }
        String name = p.string("name", true);
        String zone = p.string("zone", false);
        if (zone != null) {
            zone = DnsNames.normalise(zone, p.pathOf("zone"), errors);
        } else if (zones.size() == 1) {
            zone = zones.get(0).name();
        } else if (zones.size() > 1) {
            errors.add(p.pathOf("zone"), "is required when more than one zone is served");
        }
        String method = p.choice("trafficRoutingMethod", methods, null);
        if (method == null && !p.has("trafficRoutingMethod")) {
            errors.add(p.pathOf("trafficRoutingMethod"), "is required: one of " + String.join(", ", methods.keySet()));
        }
        boolean enabled = p.enabled("profileStatus", true);
        String relativeName = null;
        int ttl = DEFAULT_TTL;
        ConfigObject dnsConfig = p.object("dnsConfig");
        if (dnsConfig != null) {
            String raw = dnsConfig.string("relativeName", false);
            if (raw != null) {
                relativeName = raw.toLowerCase(Locale.ROOT);
                String problem = DnsNames.problem(relativeName);
                if (problem != null) {
                    errors.add(dnsConfig.pathOf("relativeName"), "'" + raw + "' is not a valid DNS name: " + problem);
                    relativeName = null;
                }
            }
            ttl = dnsConfig.integer("ttl", 0, Integer.MAX_VALUE, DEFAULT_TTL);
            dnsConfig.rejectUnknownKeys();
        }
        // Azure's range (its FAQ gives 10 as the most); the default of 2 applies where the method reads it.
        Integer maxReturn = p.optionalInteger("maxReturn", 1, 10);
        MonitorConfig monitor = MonitorConfigReader.monitor(p.object("monitorConfig"));
        EndpointConfig fallback = null;
        ConfigObject fallbackObject = p.object("fallback");
        if (fallbackObject != null) {
            fallback = EndpointReader.endpoint(fallbackObject, 0, apiFields);
        }
        List<EndpointConfig> endpoints = new ArrayList<>();
        List<ConfigObject> endpointItems = p.objects("endpoints");
        for (int i = 0; i < endpointItems.size(); i++) {
            ConfigObject e = endpointItems.get(i);
            if (e != null) {
                EndpointConfig endpoint = EndpointReader.endpoint(e, i, apiFields);
                if (endpoint != null) {
                    endpoints.add(endpoint);
                }
            }
        }
        p.rejectUnknownKeys();
        if (name == null) {
            return null;
        }
        return new ProfileConfig(name, zone, method, enabled, relativeName, ttl, maxReturn, endpoints, monitor, fallback);
    }
}
