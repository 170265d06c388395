package io.wayfinder.routing;

import io.wayfinder.profile.RoutingMethodName;

/**
 * A profile compiled for the query path, for one state of health: the endpoints that may be
 * chosen are worked out when the snapshot is built, so a query only picks among them.
 *
 * @param candidates  indices of the endpoints to choose from: the served ones, or, when none is
 *                    served, every eligible one (fail-open); ordered by priority for Priority
 * @param failOpen    whether {@code candidates} are eligible-but-Degraded endpoints served anyway
 * @param onFallback  whether every eligible endpoint is Degraded and the profile's fallback (the
 *                    last endpoint, the only candidate) answers instead of failing open
 * @param statuses    every endpoint's monitor status, by endpoint index
 * @param byRegion    for Performance: the candidates grouped by region (null for other methods)
 */
public record Profile(String name, int index, String fqdn, RoutingMethodName methodName, RoutingMethod method,
                      boolean enabled, int ttl, Endpoint[] endpoints, MonitorStatus[] statuses, int[] candidates,
                      boolean failOpen, boolean onFallback, RegionGroups byRegion) {

    /** Candidate endpoints grouped by region: {@code endpoints[i]} are the candidates in {@code regions[i]}. */
    public record RegionGroups(int[] regions, int[][] endpoints) {
    }

    public Endpoint endpoint(String endpointName) {
        for (Endpoint e : endpoints) {
            if (e.name().equalsIgnoreCase(endpointName)) {
                return e;
            }
        }
        return null;
    }
}
