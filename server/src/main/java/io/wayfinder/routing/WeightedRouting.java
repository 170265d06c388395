package io.wayfinder.routing;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.List;

/**
 * Weighted routing: clients are shared among the available endpoints in proportion to their
 * weights (1-1000), each client network always going to the same endpoint (Azure picks at random per
 * query; a stable choice keeps caches and sessions warm and still splits traffic by weight).
 */
final class WeightedRouting implements RoutingMethod {

    @Override
    public String name() {
        return "Weighted";
    }

    @Override
    public boolean uses(MethodField field) {
        return false;
    }

    @Override
    public void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors) {
        // Weights are checked where they are read (1-1000); nothing relates them.
    }

    @Override
    public MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints) {
        return (availability, inputs) -> new ByWeight(Candidates.of(availability));
    }

    private record ByWeight(Endpoint[] candidates) implements Chooser {
        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            if (candidates.length == 1) {
                return Chooser.answer(candidates[0], Reason.ONLY_CANDIDATE, context, trace);
            }
            context.usedHash();
            Endpoint chosen = candidates[Rendezvous.pickWeighted(candidates, candidates.length, context.clientHash())];
            return Chooser.answer(chosen, Reason.WEIGHTED_HASH, context, trace);
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            return "weight " + loser.weight() + "; the weighted hash of the client network picked " + winners.get(0).name();
        }
    }
}
