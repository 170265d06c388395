package io.wayfinder.api;

import io.wayfinder.net.ConnectionSlots;
import java.time.Duration;

/**
 * What clients may hold of the API: connections (all clients together, and per IPv4 address or
 * IPv6 /64; how long a request's line and headers may take), and request bodies (how slowly each
 * may arrive, how many are read at once). A request
 * runs on one of the {@value ApiServer#MAX_THREADS} threads and its body is read blocking, so these
 * bound the threads slow clients hold as well. Constants, not configuration: tests shrink them.
 *
 * <p>The threads, under the worst a client can do: Jetty's acceptor and selectors take 2 to 4, at
 * most {@value EventStream#MAX_CLIENTS} event-stream watchers one each, at most
 * {@code maxBodyReads} bodies being read one each; the rest, 12 or more, answer everything else
 * (health, metrics, reads), which takes milliseconds.
 *
 * @param maxConnections           connections open at once; one more is closed as soon as it is accepted
 * @param maxConnectionsPerAddress connections open at once from one client; peers in
 *                                 {@code latency.rum.trustedProxies} (a reverse proxy speaking for
 *                                 many clients) count only against {@code maxConnections}
 * @param maxBodyReads             request bodies being read at once; one more is answered 503
 * @param bodyPace                 how slowly a request body may arrive; slower is answered 408
 * @param headerTime               how long a request's line and headers may take from their first
 *                                 byte; longer is answered 408 and the connection closed. Also how
 *                                 long a connection accepted while more than half of
 *                                 {@code maxConnections} are open may idle ({@link ApiConnectionLimit})
 */
public record ApiLimits(int maxConnections, int maxConnectionsPerAddress, int maxBodyReads, BodyPace bodyPace,
                        Duration headerTime) {
    /**
     * 512 connections: an idle connection holds no thread and a few KiB, and browsers posting
     * beacons keep theirs open between posts. 8 from one address: the command line, a dashboard and
     * a scraper need one each, a browser opens at most 6 to a host; one client then holds at most 8
     * threads, never all. 16 bodies at once: a body normally takes milliseconds to read, so 16 at
     * once means slow clients, and a third of the threads is what they may have. 10 s for a request's
     * line and headers, a few hundred bytes that any client sends at once: what a connection may
     * hold its slot for before it has asked anything.
     */
    public static final ApiLimits DEFAULT = new ApiLimits(512, 8, 16, BodyPace.DEFAULT, Duration.ofSeconds(10));

    public ApiLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must be at least 1: " + maxConnectionsPerAddress);
        }
        if (maxBodyReads < 1) {
            throw new IllegalArgumentException("maxBodyReads must be at least 1: " + maxBodyReads);
        }
        if (headerTime.isNegative() || headerTime.isZero()) {
            throw new IllegalArgumentException("headerTime must be positive: " + headerTime);
        }
    }

    ConnectionSlots connectionSlots() {
        return new ConnectionSlots(maxConnections, maxConnectionsPerAddress);
    }
}
