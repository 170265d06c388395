package io.wayfinder.metrics;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.dns.server.ServerStats;

/** What the metrics read at scrape time; the running server implements it. */
public interface MetricsSource {
    ServerStats dnsStats();

    Snapshot snapshot();

    long reloads();

    long rejectedReloads();

    long failOpenEntries();

    long probes(boolean successful);

    // --- response-rate limiting (dns.ratelimit) ---

    /** UDP responses the rate limit answered with an empty TC response ({@code slipped}) or dropped. */
    long rateLimited(boolean slipped);
}
