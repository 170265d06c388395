package io.wayfinder.routing;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.health.HealthStatuses;
import io.wayfinder.health.MonitorStatus;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.WayfinderConfig;
import java.util.List;

/** Routing tables from a YAML configuration and a health view written as {@code "profile/endpoint=Status ..."}. */
public final class TestRoutingTables {
    private static final LatencyEstimator NO_LATENCY =
            new LatencyEstimator(new LatencyTableBuilder().build(), GeoLocator.NONE, DistanceModel.UNFITTED);

    private TestRoutingTables() {
    }

    public static WayfinderConfig config(String yaml) {
        try {
            return ConfigLoader.reader().parse(yaml, null);
        } catch (ConfigException e) {
            throw new AssertionError("test configuration is invalid: " + e.errors(), e);
        }
    }

    public static RoutingPlan plan(String yaml) {
        return RoutingPlan.compile(config(yaml));
    }

    /** Endpoints not named in {@code health} are unmonitored. */
    public static RoutingTable table(RoutingPlan plan, String health) {
        return RoutingTable.build(plan, statuses(plan, health), NO_LATENCY, null);
    }

    /** Probe statuses written as {@code "profile/endpoint=Status ..."}, resolved to the plan's indices. */
    public static HealthStatuses statuses(RoutingPlan plan, String health) {
        MonitorStatus[][] byProfile = new MonitorStatus[plan.profileCount()][];
        for (String entry : health.isBlank() ? new String[0] : health.trim().split("\\s+")) {
            String[] kv = entry.split("=");
            String[] names = kv[0].split("/");
            int p = plan.profileIndex(names[0]);
            List<Endpoint> endpoints = plan.endpoints(p);
            if (byProfile[p] == null) {
                byProfile[p] = new MonitorStatus[endpoints.size()];
            }
            Endpoint e = endpoints.stream().filter(x -> x.name().equalsIgnoreCase(names[1])).findFirst()
                    .orElseThrow(() -> new AssertionError("no endpoint " + kv[0]));
            byProfile[p][e.index()] = MonitorStatus.valueOf(kv[1]);
        }
        return HealthStatuses.of(byProfile);
    }
}
