package io.wayfinder.api;

import io.wayfinder.net.ConnectionSlots;

/**
 * What clients may hold of the API: connections, all clients together and per IPv4 address or
 * IPv6 /64. A request runs on one of the {@value ApiServer#MAX_THREADS} threads, so these bound the
 * threads one client can hold as well. Constants, not configuration: tests shrink them.
 *
 * @param maxConnections           connections open at once; one more is closed as soon as it is accepted
 * @param maxConnectionsPerAddress connections open at once from one client; peers in
 *                                 {@code latency.rum.trustedProxies} (a reverse proxy speaking for
 *                                 many clients) count only against {@code maxConnections}
 */
public record ApiLimits(int maxConnections, int maxConnectionsPerAddress) {
    /**
     * 512 connections: an idle connection holds no thread and a few KiB, and browsers posting
     * beacons keep theirs open between posts. 8 from one address: the command line, a dashboard and
     * a scraper need one each, a browser opens at most 6 to a host; one client then holds at most 8
     * threads, never all.
     */
    public static final ApiLimits DEFAULT = new ApiLimits(512, 8);

    public ApiLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1: " + maxConnectionsPerAddress);
        }
    }

    ConnectionSlots connectionSlots() {
        return new ConnectionSlots(maxConnections, maxConnectionsPerAddress);
    }
}
