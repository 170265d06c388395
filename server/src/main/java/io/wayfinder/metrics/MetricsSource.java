package io.wayfinder.metrics;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.dns.server.ServerStats;
import io.wayfinder.dns.server.TcpStats;

/** What the metrics read at scrape time; the running server implements it. */
public interface MetricsSource {
    ServerStats dnsStats();

    /** The TCP listeners' connections: accepted, refused, closed, open, and what they buffer. */
    TcpStats tcpStats();

    Snapshot snapshot();

    long reloads();

    long rejectedReloads();

    long failOpenEntries();

    long probes(boolean successful);

    // --- response-rate limiting (dns.ratelimit) ---

    /** UDP responses the rate limit answered with an empty TC response ({@code slipped}) or dropped. */
    long rateLimited(boolean slipped);

    // Reloads and data files changed under the server (issue 9):

    /** When the configuration being served was applied (the first load included), in Unix epoch milliseconds. */
    long lastReloadAppliedMillis();

    /** When a reload was last rejected, in Unix epoch milliseconds; 0 when none has been since start. */
    long lastReloadRejectedMillis();

    /** Geolocation lookups that failed (a damaged database) and were answered as an unknown location. */
    long geolocationLookupFailures();
}
