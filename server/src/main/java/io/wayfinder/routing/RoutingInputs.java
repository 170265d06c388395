package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;

/** What choosers read besides health: the latency estimator and the regions, resolved to its columns. */
public final class RoutingInputs {
    private final LatencyEstimator estimator;
    private final RegionRef[] regions;

    RoutingInputs(LatencyEstimator estimator, RegionRef[] regions) {
        this.estimator = estimator;
        this.regions = regions;
    }

    public LatencyEstimator estimator() {
        return estimator;
    }

    /** A region by the index endpoints refer to it with ({@link Endpoint#region()}). */
    public RegionRef region(int index) {
        return regions[index];
    }
}
