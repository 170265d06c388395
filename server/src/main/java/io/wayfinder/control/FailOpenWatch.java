package io.wayfinder.control;

import io.wayfinder.routing.Profile;
import io.wayfinder.routing.RoutingTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes fail-open loud: when a profile starts or stops serving Degraded endpoints (or its
 * fallback) because nothing healthy is left, one WARN line on entry and one on exit, and a count
 * of entries for the metrics. Called on the control thread with each new routing table.
 */
final class FailOpenWatch {
    private static final Logger LOG = LoggerFactory.getLogger(FailOpenWatch.class);

    private Set<String> failingOpen = Set.of();
    private Set<String> onFallback = Set.of();
    private final AtomicLong entries = new AtomicLong();

    /** @return the lines logged, one per profile that started or stopped failing open or using its fallback */
    List<String> observe(RoutingTable table) {
        List<String> lines = new ArrayList<>();
        // Insertion-ordered, so that the lines come in the order of the profiles, every time.
        Set<String> open = new LinkedHashSet<>();
        Set<String> fallback = new LinkedHashSet<>();
        for (Profile p : table.profiles()) {
            if (p.failOpen()) {
                open.add(p.name());
                if (!failingOpen.contains(p.name())) {
                    entries.incrementAndGet();
                    lines.add("profile " + p.name() + ": every eligible endpoint is Degraded; FAILING OPEN, answering with them anyway");
                }
            }
            if (p.onFallback()) {
                fallback.add(p.name());
                if (!onFallback.contains(p.name())) {
                    entries.incrementAndGet();
                    lines.add("profile " + p.name() + ": every eligible endpoint is Degraded; answering with its fallback endpoint");
                }
            }
        }
        for (String name : failingOpen) {
            if (!open.contains(name)) {
                lines.add("profile " + name + ": " + whyItEnded(table, name) + "; no longer failing open");
            }
        }
        for (String name : onFallback) {
            if (!fallback.contains(name)) {
                lines.add("profile " + name + ": " + whyItEnded(table, name) + "; fallback endpoint no longer used");
            }
        }
        failingOpen = open;
        onFallback = fallback;
        lines.forEach(LOG::warn);
        return lines;
    }

    private static String whyItEnded(RoutingTable table, String name) {
        Profile p = table.profile(name);
        if (p == null) {
            return "removed from the configuration";
        }
        if (!p.enabled()) {
            return "profile disabled";
        }
        if (p.onFallback()) {
            return "its fallback endpoint answers instead"; // it could not before
        }
        if (p.failOpen()) {
            return "its fallback endpoint cannot answer";
        }
        if (p.availability().candidateCount() == 0) {
            return "no endpoint is eligible any more (disabled or stopped)";
        }
        return "healthy endpoints are back";
    }

    /** How many times a profile started failing open or using its fallback. */
    long entries() {
        return entries.get();
    }
}
