package io.wayfinder.api;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The API's own metrics, in the server's registry and read at scrape time: its error answers.
 * Registered here rather than with the others ({@code metrics.MetricsEndpoint}), which may not
 * know the API.
 */
final class ApiMetrics {
    private ApiMetrics() {
    }

    static void register(PrometheusRegistry registry, ApiErrors errors) {
        CounterWithCallback.builder().name("wayfinder_api_errors_total")
                .help("Error answers of the API (4xx, 5xx), by status and route (its path pattern; none: no route matched)")
                .labelNames("status", "route")
                .callback(cb -> errors.answers().forEach((series, n) ->
                        cb.call(n, Integer.toString(series.status()), series.route())))
                .register(registry);
    }
}
