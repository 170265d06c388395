package io.wayfinder.api;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wayfinder.net.ConnectionSlots;
import io.wayfinder.net.ConnectionSlots.Refusal;

/**
 * The API's own metrics, in the server's registry and read at scrape time: its error answers and
 * its connections. Registered here rather than with the others ({@code metrics.MetricsEndpoint}),
 * which may not know the API.
 */
final class ApiMetrics {
    private ApiMetrics() {
    }

    static void register(PrometheusRegistry registry, ApiErrors errors, ConnectionSlots connections) {
        CounterWithCallback.builder().name("wayfinder_api_errors_total")
                .help("Error answers of the API (4xx, 5xx), by status and route (its path pattern; none: no route matched)")
                .labelNames("status", "route")
                .callback(cb -> errors.answers().forEach((series, n) ->
                        cb.call(n, Integer.toString(series.status()), series.route())))
                .register(registry);
        CounterWithCallback.builder().name("wayfinder_api_connections_rejected_total")
                .help("API connections closed as soon as accepted, by the limit that was reached"
                        + " (global: all clients together; per_address: one IPv4 address or IPv6 /64)")
                .labelNames("reason")
                .callback(cb -> {
                    for (Refusal why : Refusal.values()) {
                        cb.call(errors.refused(why), why.label());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("wayfinder_api_connections_open")
                .help("API connections open now")
                .callback(cb -> cb.call(connections.open())).register(registry);
    }
}
