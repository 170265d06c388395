/**
 * Latency learning: round-trip measurements in, a {@link io.wayfinder.latency.LatencyTable} out at
 * every rebuild. Samples are kept per (client network, region) cell as a time-decayed winsorised
 * mean in primitive arrays; a rebuild folds new samples in (detecting real changes), learns from
 * held-out cells how far to trust each level of an additive borrowing model (distance per region,
 * blocks, the network's own offset), fits it, and writes full rows with a hysteresis dead band.
 * {@link io.wayfinder.latency.learn.LatencyLearning} is the contract the control path uses;
 * {@link io.wayfinder.latency.learn.LearnedLatency} the learner. It uses latency, geo and net only:
 * the HTTP side, the schedule and the checkpoint's place live in api and control.
 */
package io.wayfinder.latency.learn;
