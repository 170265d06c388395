package io.wayfinder.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Unit;
import io.wayfinder.dns.server.AnswerDurations;
import io.wayfinder.dns.server.TcpStats;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.net.ConnectionSlots;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.traffic.TrafficView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prometheus metrics on {@code http://HOST:PORT/metrics}. Every value is read from the running
 * server when scraped (callbacks), so the query path only bumps its own striped counters. The HTTP
 * side is {@link MetricsHttpServer}: GET and HEAD on /metrics only, and no idle connection can
 * block a scrape.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final int[] RCODES = {Rcode.NOERROR, Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NXDOMAIN, Rcode.NOTIMP,
        Rcode.REFUSED, Rcode.NOTAUTH, Rcode.BADVERS};

    private final MetricsHttpServer http;

    private MetricsEndpoint(MetricsHttpServer http) {
        this.http = http;
    }

    public static MetricsEndpoint start(InetSocketAddress address, MetricsSource source) throws IOException {
        return start(address, registry(source));
    }

    /** Serves an existing registry (the one the API's {@code /metrics} also serves). */
    public static MetricsEndpoint start(InetSocketAddress address, PrometheusRegistry registry) throws IOException {
        return new MetricsEndpoint(MetricsHttpServer.start(address, registry));
    }

    /** Every Wayfinder metric and the JVM's, read from {@code source} at scrape time: one registry per server. */
    public static PrometheusRegistry registry(MetricsSource source) {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, source);
        JvmMetrics.builder().register(registry);
        return registry;
    }

    static void register(PrometheusRegistry registry, MetricsSource source) {
        CounterWithCallback.builder().name("wayfinder_dns_responses_total")
                .help("DNS responses sent, by response code").labelNames("rcode")
                .callback(cb -> {
                    for (int rcode : RCODES) {
                        cb.call(source.dnsStats().responses(rcode), Rcode.name(rcode));
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_dns_dropped_total")
                .help("Packets dropped without an answer (shorter than a header, or responses)")
                .callback(cb -> cb.call(source.dnsStats().dropped())).register(registry);
        CounterWithCallback.builder().name("wayfinder_dns_internal_errors_total")
                .help("Queries that hit a bug while being answered (each got SERVFAIL)")
                .callback(cb -> cb.call(source.dnsStats().failures())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_endpoint_status")
                .help("1 for each endpoint's current monitor status").labelNames("profile", "endpoint", "status")
                .callback(cb -> {
                    for (Profile p : source.snapshot().routing().profiles()) {
                        for (Endpoint e : p.endpoints()) {
                            cb.call(1, p.name(), e.name(), p.status(e.index()).name());
                        }
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("wayfinder_profile_fail_open")
                .help("1 while a profile serves Degraded endpoints (or its fallback) because none is healthy")
                .labelNames("profile")
                .callback(cb -> {
                    for (Profile p : source.snapshot().routing().profiles()) {
                        cb.call(p.failOpen() || p.onFallback() ? 1 : 0, p.name());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_fail_open_entries_total")
                .help("Times a profile started failing open or answering with its fallback")
                .callback(cb -> cb.call(source.failOpenEntries())).register(registry);
        CounterWithCallback.builder().name("wayfinder_health_probes_total")
                .help("Health probes completed, by result").labelNames("result")
                .callback(cb -> {
                    cb.call(source.probes(true), "success");
                    cb.call(source.probes(false), "failure");
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_config_reloads_total")
                .help("Configuration reloads, by result").labelNames("result")
                .callback(cb -> {
                    cb.call(source.reloads(), "applied");
                    cb.call(source.rejectedReloads(), "rejected");
                }).register(registry);
        // --- response-rate limiting (dns.ratelimit)
        CounterWithCallback.builder().name("wayfinder_dns_rate_limited_total")
                .help("UDP responses over the response-rate limit, by action: an empty TC response sent"
                        + " instead (slipped) or nothing sent (dropped)").labelNames("action")
                .callback(cb -> {
                    cb.call(source.rateLimited(false), "dropped");
                    cb.call(source.rateLimited(true), "slipped");
                }).register(registry);
        GaugeWithCallback.builder().name("wayfinder_latency_table_prefixes")
                .help("Prefixes in the latency table")
                .callback(cb -> cb.call(source.snapshot().routing().estimator().table().prefixCount())).register(registry);
        registerReloadsAndDataFiles(registry, source);
        registerTcp(registry, source);
        registerAnswers(registry, source);
        if (source.learning() != null) {
            registerLearning(registry, source.learning());
        }
        if (source.traffic() != null) {
            registerTraffic(registry, source.traffic());
        }
        if (source.beacon() != null) {
            registerBeacon(registry, source.beacon());
        }
    }

    /** Traffic View: networks kept, evicted, merges, the event loops' sketch replacements, saves. */
    static void registerTraffic(PrometheusRegistry registry, TrafficView traffic) {
        GaugeWithCallback.builder().name("wayfinder_traffic_networks")
                .help("Client networks Traffic View keeps, over every profile (at most 5,000 a profile)")
                .callback(cb -> cb.call(traffic.networks())).register(registry);
        CounterWithCallback.builder().name("wayfinder_traffic_networks_evicted_total")
                .help("Networks dropped from a full Traffic View profile to make room for busier ones")
                .callback(cb -> cb.call(traffic.evicted())).register(registry);
        CounterWithCallback.builder().name("wayfinder_traffic_sketch_replacements_total")
                .help("Networks that took over a slot of an event loop's 10-second sketch (the slot's set was full)")
                .callback(cb -> cb.call(traffic.sketchReplacements())).register(registry);
        CounterWithCallback.builder().name("wayfinder_traffic_merges_total")
                .help("Merges of the event loops' counts into Traffic View")
                .callback(cb -> cb.call(traffic.merges())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_traffic_last_save_timestamp_seconds")
                .help("When Traffic View was last written to storage.dir, Unix time; 0 when never")
                .callback(cb -> cb.call(traffic.savedAtMillis() / 1000.0)).register(registry);
        CounterWithCallback.builder().name("wayfinder_traffic_save_failures_total")
                .help("Saves of Traffic View to storage.dir that failed (each logged)")
                .callback(cb -> cb.call(traffic.saveFailures())).register(registry);
    }

    /** The real-user beacon: posts accepted, rejected by reason and rate-limited; samples by timing and by rejection reason. */
    static void registerBeacon(PrometheusRegistry registry, BeaconStats beacon) {
        CounterWithCallback.builder().name("wayfinder_rum_posts_accepted_total")
                .help("Posts to /rum taken (key, origin and body good); their samples are counted apart")
                .callback(cb -> cb.call(beacon.postsAccepted())).register(registry);
        CounterWithCallback.builder().name("wayfinder_rum_posts_rejected_total")
                .help("Posts to /rum refused whole, by reason").labelNames("reason")
                .callback(cb -> {
                    for (String reason : beacon.postRejectionReasons()) {
                        cb.call(beacon.postsRejected(reason), reason);
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_rum_posts_rate_limited_total")
                .help("Posts to /rum refused by the per-address rate limit (latency.rum.rateLimit)")
                .callback(cb -> cb.call(beacon.postsRateLimited())).register(registry);
        CounterWithCallback.builder().name("wayfinder_rum_samples_accepted_total")
                .help("Beacon samples that passed the checks, by how the browser timed them (resource: Resource Timing,"
                        + " request to first byte; clock: around the fetch)").labelNames("timing")
                .callback(cb -> {
                    for (String timing : beacon.timings()) {
                        cb.call(beacon.samplesAccepted(timing), timing);
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_rum_samples_rejected_total")
                .help("Beacon samples rejected, by the rule they broke (target: a region not in latency.rum.targets)")
                .labelNames("reason")
                .callback(cb -> {
                    for (String reason : beacon.sampleRejectionReasons()) {
                        cb.call(beacon.samplesRejected(reason), reason);
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_rum_samples_dropped_total")
                .help("Valid beacon samples the learner dropped: too many new samples were waiting to be folded in")
                .callback(cb -> cb.call(beacon.samplesDropped())).register(registry);
    }

    /** Latency learning: samples in (accepted, dropped, rejected by reason), rebuilds, and the learned table's size. */
    static void registerLearning(PrometheusRegistry registry, LearningStats learning) {
        CounterWithCallback.builder().name("wayfinder_latency_samples_accepted_total")
                .help("Latency measurements that passed the checks and were taken by the learner")
                .callback(cb -> cb.call(learning.samplesAccepted())).register(registry);
        CounterWithCallback.builder().name("wayfinder_latency_samples_dropped_total")
                .help("Valid latency measurements the learner dropped: too many new samples were waiting to be folded in")
                .callback(cb -> cb.call(learning.samplesDropped())).register(registry);
        CounterWithCallback.builder().name("wayfinder_latency_samples_rejected_total")
                .help("Latency measurements rejected, by reason (address, region, rtt, time, format)").labelNames("reason")
                .callback(cb -> {
                    for (String reason : learning.rejectionReasons()) {
                        cb.call(learning.samplesRejected(reason), reason);
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_latency_rebuilds_total")
                .help("Rebuilds of the learned latency table, by result (published, failed)").labelNames("result")
                .callback(cb -> {
                    cb.call(learning.rebuilds(false), "published");
                    cb.call(learning.rebuilds(true), "failed");
                }).register(registry);
        GaugeWithCallback.builder().name("wayfinder_latency_rebuild_duration_seconds")
                .help("How long the last rebuild of the learned latency table took")
                .callback(cb -> cb.call(learning.lastRebuildSeconds())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_latency_last_rebuild_timestamp_seconds")
                .help("When the last rebuild of the learned latency table started, Unix time; 0 before the first")
                .callback(cb -> cb.call(learning.lastRebuildMillis() / 1000.0)).register(registry);
        GaugeWithCallback.builder().name("wayfinder_latency_learned_networks")
                .help("Client networks in the learned latency table (with own or borrowed data)")
                .callback(cb -> cb.call(learning.networks())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_latency_learned_cells")
                .help("Network-region cells of the learned latency table with samples of their own")
                .callback(cb -> cb.call(learning.cells())).register(registry);
        CounterWithCallback.builder().name("wayfinder_latency_checkpoint_failures_total")
                .help("Checkpoints of the learned latency state that could not be written (each logged)")
                .callback(cb -> cb.call(learning.failedCheckpoints())).register(registry);
    }

    /** Reloads and data files changed under the server: alert when the last failure is newer than the last success. */
    private static void registerReloadsAndDataFiles(PrometheusRegistry registry, MetricsSource source) {
        GaugeWithCallback.builder().name("wayfinder_config_last_reload_success_timestamp_seconds")
                .help("When the configuration being served was applied (the first load included), Unix time")
                .callback(cb -> cb.call(source.lastReloadAppliedMillis() / 1000.0)).register(registry);
        GaugeWithCallback.builder().name("wayfinder_config_last_reload_failure_timestamp_seconds")
                .help("When a changed configuration or data file was last rejected, Unix time; 0 when none has been")
                .callback(cb -> cb.call(source.lastReloadRejectedMillis() / 1000.0)).register(registry);
        CounterWithCallback.builder().name("wayfinder_geolocation_lookup_failures_total")
                .help("Geolocation lookups that failed (a damaged database), each answered as an unknown location")
                .callback(cb -> cb.call(source.geolocationLookupFailures())).register(registry);
    }

    /** The TCP listeners' connections (dns.tcp): what was refused or closed and why, and what is held now. */
    static void registerTcp(PrometheusRegistry registry, MetricsSource source) {
        CounterWithCallback.builder().name("wayfinder_dns_tcp_connections_accepted_total")
                .help("TCP connections accepted (not refused)")
                .callback(cb -> cb.call(source.tcpStats().accepted())).register(registry);
        CounterWithCallback.builder().name("wayfinder_dns_tcp_connections_rejected_total")
                .help("TCP connections closed as soon as accepted, by the limit that was reached"
                        + " (global: dns.tcp.maxConnections; per_address: dns.tcp.maxConnectionsPerAddress)")
                .labelNames("reason")
                .callback(cb -> {
                    for (ConnectionSlots.Refusal why : ConnectionSlots.Refusal.values()) {
                        cb.call(source.tcpStats().refused(why), why.label());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_dns_tcp_connections_closed_total")
                .help("TCP connections the server closed, by reason (closes by clients are not counted)")
                .labelNames("reason")
                .callback(cb -> {
                    for (TcpStats.CloseReason why : TcpStats.CloseReason.values()) {
                        cb.call(source.tcpStats().closed(why), why.label());
                    }
                }).register(registry);
        CounterWithCallback.builder().name("wayfinder_dns_tcp_reads_paused_total")
                .help("Times a TCP connection stopped being read because dns.tcp.maxPendingAnswers answers"
                        + " waited for its client")
                .callback(cb -> cb.call(source.tcpStats().readsPaused())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_dns_tcp_connections_open")
                .help("TCP connections open now")
                .callback(cb -> cb.call(source.tcpStats().open())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_dns_tcp_pending_answers")
                .help("Answers made for TCP clients and not yet taken by the kernel")
                .callback(cb -> cb.call(source.tcpStats().pendingAnswers())).register(registry);
        GaugeWithCallback.builder().name("wayfinder_dns_tcp_buffered_bytes")
                .help("Bytes held for TCP clients: answers not yet taken, and parts of queries not yet complete")
                .callback(cb -> cb.call(source.tcpStats().bufferedBytes())).register(registry);
        CounterWithCallback.builder().name("wayfinder_dns_listener_errors_total")
                .help("Exceptions and errors that reached a DNS listener, and failed recvmmsg/sendmmsg calls (logged; not the queries answered SERVFAIL)")
                .callback(cb -> cb.call(source.dnsStats().listenerErrors())).register(registry);
    }

    // --- answers per profile and answer times (issue 10) ---

    static final String ANSWER_DURATION = "wayfinder_dns_answer_duration_seconds";

    /**
     * Answers per profile (by endpoint and result) and the answer-time histogram. Both are kept by
     * the event loops in arrays of their own and summed here, at scrape time: the client's
     * {@code Histogram} has no callback form, so the histogram is a {@link Collector} that builds
     * its snapshot from {@link AnswerDurations}.
     */
    static void registerAnswers(PrometheusRegistry registry, MetricsSource source) {
        CounterWithCallback.builder().name("wayfinder_answers_total")
                .help("Answers each profile gave, by the endpoint it chose (\"\" for none) and the result (NOERROR,"
                        + " NODATA, NXDOMAIN); every profile a query passes through (nested, or by a CNAME) counts its part")
                .labelNames("profile", "endpoint", "rcode")
                .callback(cb -> source.answerCounts().forEach(source.snapshot().routing().plan(),
                        (profile, endpoint, rcode, value) -> cb.call(value, profile, endpoint, rcode)))
                .register(registry);
        double[] bounds = AnswerDurations.upperBoundsSeconds();
        double[] withInf = Arrays.copyOf(bounds, bounds.length + 1);
        withInf[bounds.length] = Double.POSITIVE_INFINITY;
        MetricMetadata metadata = new MetricMetadata(ANSWER_DURATION,
                "Time from the start of decoding a query to its answer written to the socket's queue, by transport",
                Unit.SECONDS);
        registry.register(new Collector() {
            @Override
            public HistogramSnapshot collect() {
                List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
                for (boolean tcp : new boolean[] {false, true}) {
                    long[] read = source.answerDurations().read(tcp); // buckets, +Inf, then the sum in ns
                    points.add(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                            .labels(Labels.of("transport", tcp ? "tcp" : "udp"))
                            .classicHistogramBuckets(ClassicHistogramBuckets.of(withInf, Arrays.copyOf(read, withInf.length)))
                            .sum(read[withInf.length] / 1e9)
                            .build());
                }
                return new HistogramSnapshot(metadata, points);
            }

            @Override
            public String getPrometheusName() {
                return ANSWER_DURATION;
            }

            @Override
            public MetricType getMetricType() {
                return MetricType.HISTOGRAM;
            }

            @Override
            public MetricMetadata getMetadata() {
                return metadata;
            }
        });
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }
}
