/**
 * Prometheus metrics over HTTP, read at scrape time through {@link io.wayfinder.metrics.MetricsSource},
 * which the running server implements, so that the query path only bumps its own counters. It reads
 * the answer snapshot, routing profiles and the listeners' counters; it must not know runtime,
 * control or cli, and nothing but runtime and cli should need it.
 */
package io.wayfinder.metrics;
