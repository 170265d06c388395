package io.wayfinder.routing;

/**
 * One routing method: picks one endpoint of a profile for a client. One implementation per
 * {@code trafficRoutingMethod}; nested profiles are resolved by {@link Router}, not here.
 *
 * <p>Implementations are stateless and run on the query path: no locks, no allocation, and a
 * {@link Trace} call for every fact an explanation needs.
 */
public interface RoutingMethod {

    /**
     * Picks one of the candidate endpoints.
     *
     * @param candidates indices into {@code profile.endpoints()} of the endpoints that may be
     *                   chosen (served ones, or all eligible ones when the profile fails open),
     *                   in profile order; never empty
     * @param count      how many entries of {@code candidates} are valid
     * @return the index into {@code profile.endpoints()} of the chosen endpoint
     */
    int choose(Profile profile, int[] candidates, int count, RoutingContext context, Trace trace);
}
