package io.wayfinder.routing;

/** What a {@link RoutingMethod} precomputed from one profile's configuration. Immutable. */
public interface MethodPlan {

    /**
     * The chooser for one state of health and latency: everything a query needs, precomputed.
     * Cheap, and cannot fail.
     */
    Chooser chooser(Availability availability, RoutingInputs inputs);
}
