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
}
