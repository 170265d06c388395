package io.wayfinder.routing;

/**
 * An endpoint as the query path sees it: resolved to indices at build time.
 *
 * @param profile    index of the profile it belongs to
 * @param index      position in its profile's endpoint array
 * @param region     index of its region in {@link RoutingTable#regions()}, or -1
 * @param seed       a stable hash of the endpoint's name, for rendezvous hashing
 * @param minChild*  nested endpoints only: how many child endpoints must be available
 * @param fallback   the profile's fallback: answers only when every eligible endpoint is Degraded
 */
public record Endpoint(String name, int profile, int index, Target target, boolean enabled, int region, int priority, int weight,
                       int minChild, int minChildIpv4, int minChildIpv6, boolean alwaysServe, long seed, boolean fallback) {

    public boolean nested() {
        return target instanceof Target.Nested;
    }
}
