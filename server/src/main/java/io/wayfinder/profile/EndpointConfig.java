package io.wayfinder.profile;

import java.util.List;

/**
 * One endpoint of a profile, with defaults applied.
 *
 * @param target         an IPv4 or IPv6 address or a DNS name (external), or a profile name (nested)
 * @param location       the region (from the catalogue) for Performance routing, or null
 * @param priority       1-1000, unique in the profile; the endpoint's position when not set
 * @param weight         1-1000, default 1
 * @param geoMapping     geographic codes for Geographic routing (WORLD, GEO-EU, FR, US-CA, ...), upper case
 * @param subnets        client address ranges for Subnet routing and subnet overrides
 * @param customHeaders  probe headers; they override the profile's headers of the same name
 */
public record EndpointConfig(String name, EndpointType type, String target, boolean enabled, String location,
                             int priority, int weight, int minChildEndpoints, int minChildEndpointsIPv4,
                             int minChildEndpointsIPv6, List<String> geoMapping, List<SubnetConfig> subnets,
                             boolean alwaysServe, List<MonitorConfig.Header> customHeaders) {
    public EndpointConfig {
        geoMapping = List.copyOf(geoMapping);
        subnets = List.copyOf(subnets);
        customHeaders = List.copyOf(customHeaders);
    }

    /** The probe headers: the profile's, with this endpoint's replacing those of the same name. */
    public List<MonitorConfig.Header> headers(MonitorConfig monitor) {
        java.util.Map<String, MonitorConfig.Header> merged = new java.util.LinkedHashMap<>();
        for (MonitorConfig.Header h : monitor.customHeaders()) {
            merged.put(h.name().toLowerCase(java.util.Locale.ROOT), h);
        }
        for (MonitorConfig.Header h : customHeaders) {
            merged.put(h.name().toLowerCase(java.util.Locale.ROOT), h);
        }
        return List.copyOf(merged.values());
    }
}
