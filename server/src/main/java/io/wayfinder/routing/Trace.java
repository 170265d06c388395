package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;

/**
 * What routing reports while it decides, for explanations. The query path passes {@link #NONE},
 * whose empty methods the JIT removes; {@link DecisionRecorder} turns the calls into a {@link Decision}.
 */
public interface Trace {
    Trace NONE = new Trace() {
    };

    /** Routing enters a profile (depth 0 is the profile queried). */
    default void enterProfile(Profile profile, int depth) {
    }

    /** The estimate for one region with candidate endpoints, as the lookup holds it now. */
    default void regionEstimate(Profile profile, RoutingTable.RegionRef region, LatencyEstimator.Lookup estimate) {
    }

    /** The method chose an endpoint. */
    default void chosen(Profile profile, Endpoint endpoint, Reason reason) {
    }

    /** The profile had nothing to serve: no endpoint enabled and eligible. */
    default void nothingToServe(Profile profile) {
    }
}
