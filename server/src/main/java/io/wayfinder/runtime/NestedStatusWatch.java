package io.wayfinder.runtime;

import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.MonitorStatus;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the status changes of nested endpoints, which nothing probes: their status is rolled up
 * from the child profile whenever a routing table is built, so the change is found by comparing
 * each new table with the previous one. The line names the child and what it has left, as a
 * probed endpoint's line names its probe result.
 */
final class NestedStatusWatch {
    private static final Logger LOG = LoggerFactory.getLogger(NestedStatusWatch.class);

    private record Key(String profile, String endpoint) {
    }

    /** Null until the first table: the statuses a server starts with are not changes. */
    private Map<Key, MonitorStatus> previous;

    /** @return the lines logged: one per nested endpoint whose status changed since the previous table */
    synchronized List<String> observe(RoutingTable table) {
        List<String> logged = new ArrayList<>();
        Map<Key, MonitorStatus> current = new HashMap<>();
        for (Profile p : table.profiles()) {
            for (Endpoint e : p.endpoints()) {
                if (!(e.target() instanceof Target.Nested child)) {
                    continue;
                }
                Key key = new Key(p.name(), e.name());
                MonitorStatus now = p.statuses()[e.index()];
                current.put(key, now);
                MonitorStatus before = previous == null ? null : previous.get(key);
                if (before != null && before != now) {
                    String line = "endpoint " + p.name() + "/" + e.name() + ": " + before + " -> " + now
                            + " (" + reason(table.profile(child.profileIndex()), e) + ")";
                    if (now == MonitorStatus.Degraded || now == MonitorStatus.Stopped) {
                        LOG.warn(line);
                    } else {
                        LOG.info(line);
                    }
                    logged.add(line);
                }
            }
        }
        previous = current;
        return logged;
    }

    /** What the child profile has, against what the nested endpoint needs. */
    private static String reason(Profile child, Endpoint nested) {
        if (!child.enabled()) {
            return "child profile " + child.name() + " is disabled";
        }
        int enabled = 0;
        int online = 0;
        int checking = 0;
        for (Endpoint c : child.endpoints()) {
            if (c.fallback()) {
                continue;
            }
            MonitorStatus s = child.statuses()[c.index()];
            if (!List.of(MonitorStatus.Disabled, MonitorStatus.Stopped, MonitorStatus.Inactive).contains(s)) {
                enabled++;
            }
            if (s == MonitorStatus.Online || s == MonitorStatus.Unmonitored) {
                online++;
            } else if (s == MonitorStatus.CheckingEndpoint) {
                checking++;
            }
        }
        if (enabled == 0) {
            return "child profile " + child.name() + " has no enabled endpoint";
        }
        StringBuilder needs = new StringBuilder("minChildEndpoints " + nested.minChild());
        if (nested.minChildIpv4() > 0) {
            needs.append(", IPv4 ").append(nested.minChildIpv4());
        }
        if (nested.minChildIpv6() > 0) {
            needs.append(", IPv6 ").append(nested.minChildIpv6());
        }
        return "child profile " + child.name() + ": " + online + " of " + enabled + " endpoints available"
                + (checking > 0 ? ", " + checking + " being checked" : "") + "; needs " + needs;
    }
}
