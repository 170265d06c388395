package io.wayfinder.profile.read;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.IpRange;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.SubnetConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** One endpoint of a profile (or its fallback), with its {@code subnets} and probe headers. */
final class EndpointReader {
    private static final Map<String, EndpointType> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("external", EndpointType.external);
        TYPES.put("nested", EndpointType.nested);
        // The spellings of Azure exports, so that they convert without editing.
        TYPES.put("externalEndpoints", EndpointType.external);
        TYPES.put("nestedEndpoints", EndpointType.nested);
        TYPES.put("Microsoft.Network/trafficManagerProfiles/externalEndpoints", EndpointType.external);
        TYPES.put("Microsoft.Network/trafficManagerProfiles/nestedEndpoints", EndpointType.nested);
    }

    private EndpointReader() {
    }

    /** What the API adds to an endpoint it returns: its live monitor status. */
    static final List<String> READ_ONLY = List.of("endpointMonitorStatus");

    /**
     * @param position  the endpoint's place in its list, the default priority
     * @param apiFields whether to accept, and ignore, the read-only fields of the API ({@link #READ_ONLY})
     */
    static EndpointConfig endpoint(ConfigObject e, int position, boolean apiFields) {
        if (apiFields) {
            e.ignoreKeys(READ_ONLY);
        }
        String name = e.string("name", true);
        EndpointType type = e.choice("type", TYPES, EndpointType.external);
        String target = e.string("target", true);
        boolean enabled = e.enabled("endpointStatus", true);
        String location = e.string("endpointLocation", false);
        int priority = e.integer("priority", 1, 1000, position + 1);
        int weight = e.integer("weight", 1, 1000, 1);
        int minChild = e.integer("minChildEndpoints", 1, 1000, 1);
        int minChildV4 = e.integer("minChildEndpointsIPv4", 0, 1000, 0);
        int minChildV6 = e.integer("minChildEndpointsIPv6", 0, 1000, 0);
        List<String> geoMapping = e.strings("geoMapping").stream().map(c -> c.toUpperCase(Locale.ROOT)).toList();
        List<SubnetConfig> subnets = subnets(e);
        boolean alwaysServe = e.enabled("alwaysServe", false);
        List<MonitorConfig.Header> headers = MonitorConfigReader.headers(e);
        e.rejectUnknownKeys();
        if (name == null || target == null) {
            return null;
        }
        return new EndpointConfig(name, type, target, enabled, location == null ? null : location.toLowerCase(Locale.ROOT),
                priority, weight, minChild, minChildV4, minChildV6, geoMapping, subnets, alwaysServe, headers);
    }

    /**
     * {@code subnets}: Azure's {@code {first, last}}, {@code {first, scope}} or {@code {first}}
     * mappings, or a network or address written as text ({@code 10.1.0.0/16}).
     */
    private static List<SubnetConfig> subnets(ConfigObject e) {
        ConfigErrors errors = e.errors();
        List<SubnetConfig> out = new ArrayList<>();
        List<JsonNode> items = e.items("subnets");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = e.pathOf("subnets") + "[" + i + "]";
            SubnetConfig subnet;
            if (item.isValueNode() && !item.isNull()) {
                subnet = fromText(item.asString().strip(), path, errors);
            } else if (item.isObject()) {
                subnet = fromMapping(new ConfigObject(item, path, errors));
            } else {
                errors.add(path, "must be a network (10.1.0.0/16) or a mapping with first and last or scope");
                subnet = null;
            }
            if (subnet != null) {
                out.add(subnet);
            }
        }
        return out;
    }

    private static SubnetConfig fromText(String text, String path, ConfigErrors errors) {
        try {
            IpPrefix prefix = IpPrefix.parse(text);
            boolean host = prefix.length() == prefix.maxLength() && !text.contains("/");
            return new SubnetConfig(IpRange.of(prefix), host ? null : prefix.length());
        } catch (IllegalArgumentException ex) {
            errors.add(path, "'" + text + "': " + ex.getMessage());
            return null;
        }
    }

    private static SubnetConfig fromMapping(ConfigObject s) {
        ConfigErrors errors = s.errors();
        IpPrefix first = address(s, "first", true);
        IpPrefix last = address(s, "last", false);
        Integer scope = s.optionalInteger("scope", 0, 128);
        s.rejectUnknownKeys();
        if (first == null) {
            return null;
        }
        if (scope != null) {
            if (scope > first.maxLength()) {
                errors.add(s.pathOf("scope"), "must be at most " + first.maxLength() + " for an IPv" + (first.ipv6() ? 6 : 4) + " address");
                return null;
            }
            IpPrefix network = first.truncate(scope);
            if (!IpRange.of(network).first().equals(first)) {
                errors.add(s.pathOf("first"), first.addressText() + " is not the first address of a /" + scope
                        + " (that is " + network.addressText() + ")");
                return null;
            }
            IpRange range = IpRange.of(network);
            if (last != null && !last.equals(range.last())) {
                errors.add(s.pathOf("last"), "does not match scope " + scope + " (the /" + scope + " ends at "
                        + range.last().addressText() + "); give last or scope");
                return null;
            }
            return new SubnetConfig(range, scope);
        }
        try {
            return new SubnetConfig(new IpRange(first, last == null ? first : last), null);
        } catch (IllegalArgumentException ex) {
            errors.add(s.pathOf("last"), ex.getMessage());
            return null;
        }
    }

    /** An address literal under {@code key} (a host prefix), or null, reported. */
    private static IpPrefix address(ConfigObject s, String key, boolean required) {
        String text = s.string(key, required);
        if (text == null) {
            return null;
        }
        try {
            byte[] bytes = IpPrefix.parseAddress(text);
            return IpPrefix.fromBytes(bytes, bytes.length * 8);
        } catch (IllegalArgumentException ex) {
            s.errors().add(s.pathOf(key), "'" + text + "': " + ex.getMessage());
            return null;
        }
    }
}
