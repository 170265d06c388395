package io.wayfinder.health;

import java.util.concurrent.CompletableFuture;

/** Probes an endpoint once. The future always completes (a failure is a result, not an exception). */
public interface Prober {
    CompletableFuture<ProbeResult> probe(ProbeTarget target);
}
