package io.wayfinder.routing;

/**
 * Weighted routing: clients are shared among the available endpoints in proportion to their
 * weights, each client network always going to the same endpoint (Azure picks at random per query;
 * a stable choice keeps caches and sessions warm and still splits traffic by weight).
 */
public final class WeightedRouting implements RoutingMethod {
    @Override
    public int choose(Profile profile, int[] candidates, int count, RoutingContext context, Trace trace) {
        if (count == 1) {
            trace.chosen(profile, profile.endpoints()[candidates[0]], Reason.ONLY_CANDIDATE);
            return candidates[0];
        }
        context.usedHash();
        int chosen = Rendezvous.pickWeighted(profile.endpoints(), candidates, count, context.clientHash());
        trace.chosen(profile, profile.endpoints()[chosen], Reason.WEIGHTED_HASH);
        return chosen;
    }
}
