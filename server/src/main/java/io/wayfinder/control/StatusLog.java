package io.wayfinder.control;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.health.StatusChange;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.NestedRollUp;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every change of an endpoint's effective status between two routing tables, whatever caused
 * it, with the cause in words: the probe result for a probed endpoint, what the child profile has
 * left for a nested one, {@code configuration} for an edit. One line per endpoint; WARN when it
 * stops being served.
 */
final class StatusLog {
    private static final Logger LOG = LoggerFactory.getLogger(StatusLog.class);

    /** What made the table change. */
    enum Cause { PROBE, CONFIGURATION, LATENCY }

    private StatusLog() {
    }

    /**
     * @param probes the probe results behind this change (empty unless the cause is PROBE)
     * @return the lines logged
     */
    static List<String> compare(RoutingTable before, RoutingTable after, Cause cause, List<StatusChange> probes) {
        return compare(before, after, cause, probes, null, event -> { });
    }

    /**
     * @param at     when the change was published
     * @param events receives one {@link ControlEvent.Type#ENDPOINT_STATUS} event per line logged
     * @return the lines logged
     */
    static List<String> compare(RoutingTable before, RoutingTable after, Cause cause, List<StatusChange> probes,
                                Instant at, Consumer<ControlEvent> events) {
        List<String> lines = new ArrayList<>();
        if (before == null) {
            return lines; // the statuses a server starts with are not changes
        }
        for (Profile p : after.profiles()) {
            Profile old = before.profile(p.name());
            if (old == null) {
                continue; // a new profile: the reload's own lines say so
            }
            for (Endpoint e : p.endpoints()) {
                Endpoint was = old.endpoint(e.name());
                if (was == null) {
                    continue;
                }
                MonitorStatus from = old.status(was.index());
                MonitorStatus to = p.status(e.index());
                if (from == to) {
                    continue;
                }
                String why = why(e, from, to, after, cause, probeResult(probes, e));
                String line = "endpoint " + p.name() + "/" + e.name() + ": " + from + " -> " + to + " (" + why + ")";
                boolean worse = from.served() && !to.served();
                if (worse) {
                    LOG.warn(line);
                } else {
                    LOG.info(line);
                }
                lines.add(line);
                events.accept(new ControlEvent(at, ControlEvent.Type.ENDPOINT_STATUS, p.name(), e.name(), from.name(),
                        to.name(), why, List.of(), line));
            }
        }
        return lines;
    }

    /** The probe result that changed this endpoint, or null (its indices are the table's: the monitor has its configuration). */
    private static String probeResult(List<StatusChange> probes, Endpoint e) {
        for (StatusChange c : probes) {
            if (c.profileIndex() == e.profile() && c.endpointIndex() == e.index()) {
                return c.reason();
            }
        }
        return null;
    }

    private static String why(Endpoint e, MonitorStatus from, MonitorStatus to, RoutingTable table, Cause cause, String probe) {
        if (probe != null) {
            return probe;
        }
        if (cause == Cause.CONFIGURATION) {
            if (to == MonitorStatus.Inactive || to == MonitorStatus.Disabled) {
                return "configuration: " + (to == MonitorStatus.Inactive ? "profile" : "endpoint") + " disabled";
            }
            String edit = from == MonitorStatus.Inactive ? "configuration: profile enabled"
                    : from == MonitorStatus.Disabled ? "configuration: endpoint enabled" : "configuration";
            return e.target() instanceof Target.Nested n
                    ? edit + "; " + NestedRollUp.describe(e, table.profile(n.profileIndex())) : edit;
        }
        if (e.target() instanceof Target.Nested n) {
            return NestedRollUp.describe(e, table.profile(n.profileIndex()));
        }
        return cause.name().toLowerCase(Locale.ROOT);
    }
}
