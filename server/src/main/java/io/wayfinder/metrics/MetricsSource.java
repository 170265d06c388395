package io.wayfinder.metrics;

import io.wayfinder.answer.AnswerCounts;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.dns.server.AnswerDurations;
import io.wayfinder.dns.server.ServerStats;
import io.wayfinder.dns.server.TcpStats;
import io.wayfinder.traffic.TrafficView;

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

    // Answers per profile and how long answers take (issue 10):

    /** Every profile's answers by endpoint and result, counted by the event loops, read by name. */
    AnswerCounts answerCounts();

    /** Each transport's answer times, decode to written. */
    AnswerDurations answerDurations();

    // Latency learning (issue 11):

    /** Latency learning's counters, or null when it is off ({@code latency.learn}). */
    default LearningStats learning() {
        return null;
    }

    // Traffic View (issue 12):

    /** Traffic View, or null when there is none (without {@code api:}). */
    default TrafficView traffic() {
        return null;
    }

    // The real-user beacon (issue 12):

    /** The beacon's counters, or null when learning (which the beacon feeds) is off. */
    default BeaconStats beacon() {
        return null;
    }
}
