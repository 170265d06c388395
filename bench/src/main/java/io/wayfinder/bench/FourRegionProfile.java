package io.wayfinder.bench;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.answer.ZoneData;
import io.wayfinder.control.ConfigLoader;
import io.wayfinder.health.HealthStatuses;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
import java.time.Instant;

/**
 * The configuration the routing and query-path benchmarks serve: one Performance profile,
 * {@value #NAME}, with one external endpoint in each of the four regions the synthetic table
 * measures, unmonitored, in the zone {@value #ZONE}.
 */
public final class FourRegionProfile {
    public static final String ZONE = "bench.example.test";
    public static final String NAME = "www." + ZONE;
    public static final String PROFILE = "app";

    static final String YAML = """
            zones:
              - name: bench.example.test
                nameservers:
                  - {name: ns1.bench.example.test, addresses: [127.0.0.1]}
                hostmaster: hostmaster.bench.example.test
            profiles:
              - name: app
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www, ttl: 30}
                endpoints:
                  - {name: weu, type: external, target: 192.0.2.10, endpointLocation: westeurope}
                  - {name: neu, type: external, target: 192.0.2.11, endpointLocation: northeurope}
                  - {name: eus, type: external, target: 192.0.2.12, endpointLocation: eastus}
                  - {name: sea, type: external, target: 192.0.2.13, endpointLocation: southeastasia}
            """;

    private FourRegionProfile() {
    }

    public static WayfinderConfig config() {
        try {
            return ConfigLoader.reader().parse(YAML, null);
        } catch (ConfigException e) {
            throw new IllegalStateException("benchmark configuration is invalid: " + e.getMessage(), e);
        }
    }

    public static RoutingTable routingTable(LatencyEstimator estimator) {
        return RoutingTable.build(RoutingPlan.compile(config()), HealthStatuses.NONE, estimator, null);
    }

    public static Snapshot snapshot(LatencyEstimator estimator) {
        RoutingPlan plan = RoutingPlan.compile(config());
        return new Snapshot(ZoneData.build(plan, 1), RoutingTable.build(plan, HealthStatuses.NONE, estimator, null),
                Instant.EPOCH);
    }
}
