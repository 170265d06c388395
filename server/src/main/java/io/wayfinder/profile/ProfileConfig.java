package io.wayfinder.profile;

import java.util.List;

/**
 * A traffic-manager profile: a DNS name in a zone, a routing method and endpoints.
 *
 * @param relativeName the name inside the zone, or null for a profile reached only as a nested child
 * @param trafficRoutingMethod the routing method's name, spelt as Azure spells it (Performance, Priority, ...)
 * @param maxReturn    how many addresses a MultiValue profile returns; null when not set
 * @param monitor      how endpoints are probed, or null: then they are not probed (Unmonitored)
 * @param fallback     answers instead of failing open when every eligible endpoint is Degraded; or null
 */
public record ProfileConfig(String name, String zone, String trafficRoutingMethod, boolean enabled,
                            String relativeName, int ttl, Integer maxReturn, List<EndpointConfig> endpoints,
                            MonitorConfig monitor, EndpointConfig fallback) {
    /** How many levels of profiles may nest (the one queried counts), as in Azure Traffic Manager. */
    public static final int MAX_NESTING_DEPTH = 10;

    public ProfileConfig {
        endpoints = List.copyOf(endpoints);
    }

    /** The endpoints followed by the fallback, if any: everything the profile may answer with, by index. */
    public List<EndpointConfig> endpointsWithFallback() {
        if (fallback == null) {
            return endpoints;
        }
        List<EndpointConfig> all = new java.util.ArrayList<>(endpoints);
        all.add(fallback);
        return List.copyOf(all);
    }

    /** The fully qualified name the profile answers, or null when it has none. */
    public String fqdn() {
        return relativeName == null ? null : relativeName + "." + zone;
    }
}
