package io.wayfinder.answer;

import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.RoutingTable;
import java.time.Instant;

/**
 * Everything the query path reads, immutable: the zones and names (from configuration) and the
 * routing table (configuration, health and latency). The control path builds a new snapshot for
 * every change, rebuilding only the part the change touches, and publishes it with one atomic swap;
 * a query reads one snapshot from start to end.
 */
public final class Snapshot {
    private final ZoneData zones;
    private final RoutingTable routing;
    private final Instant builtAt;

    public Snapshot(ZoneData zones, RoutingTable routing, Instant builtAt) {
        if (zones.plan() != routing.plan()) {
            throw new IllegalArgumentException("zone data and routing table come from different configurations");
        }
        this.zones = zones;
        this.routing = routing;
        this.builtAt = builtAt;
    }

    /** The same zones with another routing table of the same configuration (health or latency changed). */
    public Snapshot withRouting(RoutingTable next, Instant at) {
        return new Snapshot(zones, next, at);
    }

    public WayfinderConfig config() {
        return routing.plan().config();
    }

    public ZoneData zones() {
        return zones;
    }

    public RoutingTable routing() {
        return routing;
    }

    public Instant builtAt() {
        return builtAt;
    }
}
