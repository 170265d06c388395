package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;
import java.util.List;
import java.util.Map;

/**
 * Everything routing reads for one state of configuration and health: compiled profiles, the
 * regions their endpoints are in, and the latency estimator. Immutable; a change builds a new one.
 */
public final class RoutingTable {
    private final Profile[] profiles;
    private final Map<String, Profile> byName;
    private final RegionRef[] regions;
    private final LatencyEstimator estimator;

    /** A region endpoints use, resolved once: its column in the latency table and its coordinates. */
    public record RegionRef(String name, int column, double latitude, double longitude, long seed) {
    }

    RoutingTable(Profile[] profiles, Map<String, Profile> byName, RegionRef[] regions, LatencyEstimator estimator) {
        this.profiles = profiles;
        this.byName = byName;
        this.regions = regions;
        this.estimator = estimator;
    }

    public Profile profile(int index) {
        return profiles[index];
    }

    /** Looks a profile up by name, case-insensitively; null when there is none. */
    public Profile profile(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public List<Profile> profiles() {
        return List.of(profiles);
    }

    public RegionRef region(int index) {
        return regions[index];
    }

    public List<RegionRef> regions() {
        return List.of(regions);
    }

    public LatencyEstimator estimator() {
        return estimator;
    }
}
