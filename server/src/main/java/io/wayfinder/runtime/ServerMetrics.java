package io.wayfinder.runtime;

import io.wayfinder.answer.AnswerCounts;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.beacon.BeaconCounters;
import io.wayfinder.control.ConfigReloads;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.SnapshotPublisher;
import io.wayfinder.dns.server.AnswerDurations;
import io.wayfinder.dns.server.DnsServer;
import io.wayfinder.dns.server.ServerStats;
import io.wayfinder.dns.server.TcpStats;
import io.wayfinder.metrics.BeaconStats;
import io.wayfinder.metrics.LearningStats;
import io.wayfinder.metrics.MetricsSource;
import io.wayfinder.traffic.TrafficView;

/** What the metrics endpoint reads at scrape time, from the parts of a running server. */
record ServerMetrics(SnapshotPublisher publisher, DnsServer dns, ConfigReloads configReloads, AnswerCounts answerCounts,
                     LatencyLearningService learningService, TrafficView trafficView, BeaconCounters beaconCounters)
        implements MetricsSource {
    @Override
    public TrafficView traffic() {
        return trafficView;
    }

    @Override
    public LearningStats learning() {
        return learningService == null ? null : new LearningMetrics(learningService);
    }

    @Override
    public BeaconStats beacon() {
        return learningService == null ? null : new BeaconMetrics(beaconCounters);
    }

    @Override
    public ServerStats dnsStats() {
        return dns.stats();
    }

    @Override
    public TcpStats tcpStats() {
        return dns.tcpStats();
    }

    @Override
    public Snapshot snapshot() {
        return publisher.snapshot();
    }

    @Override
    public long reloads() {
        return configReloads.reloads();
    }

    @Override
    public long rejectedReloads() {
        return configReloads.rejected();
    }

    @Override
    public long failOpenEntries() {
        return publisher.failOpenEntries();
    }

    @Override
    public long probes(boolean successful) {
        return publisher.health().probes(successful);
    }

    @Override
    public long rateLimited(boolean slipped) {
        return slipped ? dns.rateLimiter().slipped() : dns.rateLimiter().dropped();
    }

    @Override
    public long lastReloadAppliedMillis() {
        return configReloads.lastAppliedMillis();
    }

    @Override
    public long lastReloadRejectedMillis() {
        return configReloads.lastRejectedMillis();
    }

    @Override
    public long geolocationLookupFailures() {
        return configReloads.geoLookupFailures().count();
    }

    @Override
    public AnswerDurations answerDurations() {
        return dns.answerDurations();
    }
}
