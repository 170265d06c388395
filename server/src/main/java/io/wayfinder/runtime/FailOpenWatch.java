package io.wayfinder.runtime;

import io.wayfinder.routing.Profile;
import io.wayfinder.routing.RoutingTable;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes fail-open loud: when a profile starts or stops serving Degraded endpoints (or its
 * fallback) because nothing healthy is left, one WARN line on entry and one on exit, and a count
 * of entries for the metrics. Called by the control path with each new routing table.
 */
final class FailOpenWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FailOpenWatch.class);

    private Set<String> failingOpen = Set.of();
    private Set<String> onFallback = Set.of();
    private final AtomicLong entries = new AtomicLong();

    synchronized void observe(RoutingTable table) {
        Set<String> open = new HashSet<>();
        Set<String> fallback = new HashSet<>();
        for (Profile p : table.profiles()) {
            if (p.failOpen()) {
                open.add(p.name());
                if (!failingOpen.contains(p.name())) {
                    entries.incrementAndGet();
                    LOG.warn("profile {}: every eligible endpoint is Degraded; FAILING OPEN, answering with them anyway", p.name());
                }
            }
            if (p.onFallback()) {
                fallback.add(p.name());
                if (!onFallback.contains(p.name())) {
                    entries.incrementAndGet();
                    LOG.warn("profile {}: every eligible endpoint is Degraded; answering with its fallback endpoint", p.name());
                }
            }
        }
        for (String name : failingOpen) {
            if (!open.contains(name)) {
                LOG.warn("profile {}: healthy endpoints are back; no longer failing open", name);
            }
        }
        for (String name : onFallback) {
            if (!fallback.contains(name)) {
                LOG.warn("profile {}: healthy endpoints are back; fallback endpoint no longer used", name);
            }
        }
        failingOpen = Set.copyOf(open);
        onFallback = Set.copyOf(fallback);
    }

    /** How many times a profile started failing open or using its fallback. */
    long entries() {
        return entries.get();
    }
}
