package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;

/**
 * Performance routing: the candidate endpoint in the region with the lowest estimated RTT from
 * the client's network. Regions that tie (to a tenth of a millisecond) are ranked by rendezvous
 * hashing of the client network, and so are several endpoints of the winning region: the same
 * client always lands on the same endpoint, and when one endpoint leaves only its clients move.
 */
public final class PerformanceRouting implements RoutingMethod {
    private final RoutingTable.RegionRef[] regions;
    private final LatencyEstimator estimator;

    PerformanceRouting(RoutingTable.RegionRef[] regions, LatencyEstimator estimator) {
        this.regions = regions;
        this.estimator = estimator;
    }

    @Override
    public int choose(Profile profile, int[] candidates, int count, RoutingContext context, Trace trace) {
        Profile.RegionGroups groups = profile.byRegion();
        if (count == 1) {
            // Nothing to compare: the answer is the same for every client (ECS scope 0).
            trace.chosen(profile, profile.endpoints()[candidates[0]], Reason.ONLY_CANDIDATE);
            return candidates[0];
        }
        LatencyEstimator.Lookup lookup = context.lookup();
        long clientHash = context.clientHash();
        int best = -1;
        long bestTenths = Long.MAX_VALUE;
        long bestScore = 0;
        boolean tied = false;
        for (int i = 0; i < groups.regions().length; i++) {
            RoutingTable.RegionRef region = regions[groups.regions()[i]];
            estimator.estimate(lookup, region.column(), region.latitude(), region.longitude());
            trace.regionEstimate(profile, region, lookup);
            double ms = lookup.rttMs();
            long tenths = Double.isInfinite(ms) ? Long.MAX_VALUE : Math.round(ms * 10);
            long score = StableHash.score(clientHash, region.seed());
            if (best < 0 || tenths < bestTenths) {
                best = i;
                bestTenths = tenths;
                bestScore = score;
                tied = false;
            } else if (tenths == bestTenths) {
                tied = true;
                if (Long.compareUnsigned(score, bestScore) > 0) {
                    best = i;
                    bestScore = score;
                }
            }
        }
        // The decision holds wherever every lookup it made finds the same thing.
        context.widenScope(lookup.holdingLength());
        int[] inRegion = groups.endpoints()[best];
        if (tied) {
            context.usedHash();
        }
        if (inRegion.length == 1) {
            Endpoint chosen = profile.endpoints()[inRegion[0]];
            trace.chosen(profile, chosen, tied ? Reason.LOWEST_LATENCY_TIE : Reason.LOWEST_LATENCY);
            return inRegion[0];
        }
        context.usedHash();
        int chosen = Rendezvous.pick(profile.endpoints(), inRegion, inRegion.length, clientHash);
        trace.chosen(profile, profile.endpoints()[chosen], Reason.SHARED_REGION);
        return chosen;
    }
}
