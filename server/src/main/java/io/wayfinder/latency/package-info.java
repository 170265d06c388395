/**
 * The internet latency table (RTT from client networks to regions, with aggregates over larger
 * blocks), its CSV reader and builder, the distance model, and the estimator routing asks per
 * region. It uses only geo, net and source, and knows nothing of configuration or routing, so that
 * the table can be built, measured and benchmarked on its own.
 */
package io.wayfinder.latency;
