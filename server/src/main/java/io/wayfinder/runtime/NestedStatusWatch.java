package io.wayfinder.runtime;

import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.MonitorStatus;
import io.wayfinder.routing.NestedRollUp;
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
                            + " (" + reason(now, e, table.profile(child.profileIndex())) + ")";
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

    /** Why: the parent's own doing when it disabled the profile or the endpoint, else what the child has. */
    private static String reason(MonitorStatus now, Endpoint nested, Profile child) {
        return switch (now) {
            case Inactive -> "profile disabled";
            case Disabled -> "endpoint disabled";
            default -> NestedRollUp.describe(nested, child);
        };
    }
}
