package io.wayfinder.answer;

import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.HealthView;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.RoutingTableBuilder;
import java.time.Instant;

/**
 * Everything the query path reads, immutable: the zones and names (from configuration) and the
 * routing table (configuration, health and latency). The control path builds a new snapshot for
 * every change and publishes it with one atomic swap; a query reads one snapshot from start to end.
 */
public final class Snapshot {
    private final WayfinderConfig config;
    private final ZoneData zones;
    private final RoutingTable routing;
    private final RoutingTableBuilder routingBuilder;
    private final Instant builtAt;

    private Snapshot(WayfinderConfig config, ZoneData zones, RoutingTable routing, RoutingTableBuilder routingBuilder,
                     Instant builtAt) {
        this.config = config;
        this.zones = zones;
        this.routing = routing;
        this.routingBuilder = routingBuilder;
        this.builtAt = builtAt;
    }

    /** A snapshot for a new configuration (the serial of zones that set none is the build time in seconds). */
    public static Snapshot build(WayfinderConfig config, RoutingTableBuilder routingBuilder, HealthView health) {
        Instant now = Instant.now();
        RoutingTable routing = routingBuilder.build(health);
        return new Snapshot(config, ZoneData.build(config, routing, now.getEpochSecond()), routing, routingBuilder, now);
    }

    /** The same configuration under a new state of health: only the routing table is rebuilt. */
    public Snapshot withHealth(HealthView health) {
        return new Snapshot(config, zones, routingBuilder.build(health), routingBuilder, Instant.now());
    }

    public WayfinderConfig config() {
        return config;
    }

    public RoutingTable routing() {
        return routing;
    }

    public Instant builtAt() {
        return builtAt;
    }

    ZoneData zones() {
        return zones;
    }
}
