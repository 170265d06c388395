/**
 * JMH benchmarks of the hot structures (latency table lookup, routing decision, the query's wire
 * path) and experiments for proposed layouts, on generated data, plus plain-main tools for what JMH
 * does not measure (table footprint, failover time, CPU time on a loaded machine). A separate
 * module, so that the server never depends on it; it may use any server package.
 */
package io.wayfinder.bench;
