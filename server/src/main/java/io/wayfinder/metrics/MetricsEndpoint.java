package io.wayfinder.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Prometheus metrics on {@code http://HOST:PORT/metrics}. Every value is read from the running
 * server when scraped (callbacks), so the query path only bumps its own striped counters.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final int[] RCODES = {Rcode.NOERROR, Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NXDOMAIN, Rcode.NOTIMP,
        Rcode.REFUSED, Rcode.NOTAUTH, Rcode.BADVERS};

    private final HTTPServer http;

    private MetricsEndpoint(HTTPServer http) {
        this.http = http;
    }

    public static MetricsEndpoint start(InetSocketAddress address, MetricsSource source) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, source);
        JvmMetrics.builder().register(registry);
        HTTPServer http = HTTPServer.builder()
                .inetAddress(address.getAddress())
                .port(address.getPort())
                .registry(registry)
                .buildAndStart();
        return new MetricsEndpoint(http);
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
        GaugeWithCallback.builder().name("wayfinder_latency_table_prefixes")
                .help("Prefixes in the latency table")
                .callback(cb -> cb.call(source.snapshot().routing().estimator().table().prefixCount())).register(registry);
    }

    public int port() {
        return http.getPort();
    }

    @Override
    public void close() {
        http.close();
    }
}
