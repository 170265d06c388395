package io.wayfinder.control;

import io.wayfinder.routing.Profile;
import io.wayfinder.routing.RoutingTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
        return observe(table, null, event -> { });
    }

    /**
     * @param at     when the table was published
     * @param events receives an event for each line logged
     */
    List<String> observe(RoutingTable table, Instant at, Consumer<ControlEvent> events) {
        List<String> lines = new ArrayList<>();
        List<ControlEvent> out = new ArrayList<>();
        // Insertion-ordered, so that the lines come in the order of the profiles, every time.
        Set<String> open = new LinkedHashSet<>();
        Set<String> fallback = new LinkedHashSet<>();
        for (Profile p : table.profiles()) {
            if (p.failOpen()) {
                open.add(p.name());
                if (!failingOpen.contains(p.name())) {
                    entries.incrementAndGet();
                    String line = "profile " + p.name() + ": every eligible endpoint is Degraded; FAILING OPEN, answering with them anyway";
                    lines.add(line);
                    out.add(event(at, ControlEvent.Type.FAIL_OPEN_START, p.name(), "every eligible endpoint is Degraded", line));
                }
            }
            if (p.onFallback()) {
                fallback.add(p.name());
                if (!onFallback.contains(p.name())) {
                    entries.incrementAndGet();
                    String line = "profile " + p.name() + ": every eligible endpoint is Degraded; answering with its fallback endpoint";
                    lines.add(line);
                    out.add(event(at, ControlEvent.Type.FALLBACK_START, p.name(), "every eligible endpoint is Degraded", line));
                }
            }
        }
        for (String name : failingOpen) {
            if (!open.contains(name)) {
                String why = whyItEnded(table, name);
                String line = "profile " + name + ": " + why + "; no longer failing open";
                lines.add(line);
                out.add(event(at, ControlEvent.Type.FAIL_OPEN_END, name, why, line));
            }
        }
        for (String name : onFallback) {
            if (!fallback.contains(name)) {
                String why = whyItEnded(table, name);
                String line = "profile " + name + ": " + why + "; fallback endpoint no longer used";
                lines.add(line);
                out.add(event(at, ControlEvent.Type.FALLBACK_END, name, why, line));
            }
        }
        failingOpen = open;
        onFallback = fallback;
        lines.forEach(LOG::warn);
        out.forEach(events);
        return lines;
    }

    private static ControlEvent event(Instant at, ControlEvent.Type type, String profile, String why, String line) {
        return new ControlEvent(at, type, profile, null, null, null, why, List.of(), line);
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
