package io.wayfinder.profile;

import java.util.List;

/**
 * One endpoint of a profile. Optional numbers are null when not set; defaults are applied where
 * they are used, so that an exported configuration shows what the operator wrote.
 *
 * @param target         an IPv4 or IPv6 address or a DNS name (external), or a profile name (nested)
 * @param location       the region (from the catalogue) for Performance routing, or null
 * @param priority       1-1000, unique in the profile; the endpoint's position when not set
 * @param weight         1-1000, default 1
 * @param geoMapping     region codes for Geographic routing
 * @param subnets        client networks for Subnet routing
 */
public record EndpointConfig(String name, EndpointType type, String target, boolean enabled, String location,
                             int priority, int weight, int minChildEndpoints, int minChildEndpointsIPv4,
                             int minChildEndpointsIPv6, List<String> geoMapping, List<String> subnets,
                             boolean alwaysServe) {
    public EndpointConfig {
        geoMapping = List.copyOf(geoMapping);
        subnets = List.copyOf(subnets);
    }
}
