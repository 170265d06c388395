/**
 * The control path, which owns change: loading and validating configuration files off the control
 * thread, watching them for reloads, and the {@link io.wayfinder.control.SnapshotPublisher}, which
 * applies configuration, health and latency events in order on one thread and publishes each new
 * snapshot with one swap. It builds from answer, routing, health, latency, geo, profile (with its
 * reader), source and time; only runtime and cli may use it, so that nothing it builds can call it back.
 */
package io.wayfinder.control;
