package io.wayfinder.routing;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigReader;
import io.wayfinder.profile.WayfinderConfig;
import java.util.HashMap;
import java.util.Map;

/** Routing tables from a YAML configuration and a health view written as {@code "profile/endpoint=Status ..."}. */
public final class TestRoutingTables {
    private TestRoutingTables() {
    }

    public static RoutingTableBuilder builder(String yaml) {
        try {
            WayfinderConfig config = ConfigReader.withBuiltInRegions().parse(yaml, null);
            LatencyEstimator estimator = new LatencyEstimator(new LatencyTableBuilder().build(), GeoLocator.NONE, DistanceModel.UNFITTED);
            return new RoutingTableBuilder(config, RegionCatalogue.builtIn(), estimator);
        } catch (ConfigException e) {
            throw new AssertionError("test configuration is invalid: " + e.errors(), e);
        }
    }

    /** Endpoints not named in {@code health} are unmonitored. */
    public static RoutingTable table(RoutingTableBuilder builder, String health) {
        Map<String, MonitorStatus> view = new HashMap<>();
        for (String entry : health.isBlank() ? new String[0] : health.trim().split("\\s+")) {
            String[] kv = entry.split("=");
            view.put(kv[0], MonitorStatus.valueOf(kv[1]));
        }
        return builder.build((profile, endpoint) -> view.get(profile + "/" + endpoint));
    }
}
