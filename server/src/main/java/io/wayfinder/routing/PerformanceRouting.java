package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.SettledWinners;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Performance routing: the candidate endpoint in the region with the lowest estimated RTT from the
 * client's network. Regions that tie (to a tenth of a millisecond) are ranked by rendezvous hashing
 * of the client network, and so are several endpoints of the winning region: the same client always
 * lands on the same endpoint, and when one endpoint leaves only its clients move.
 *
 * <p>Subnet overrides, as Azure's: a client in one of an endpoint's {@code subnets} goes to that
 * endpoint while it is available; when it is not, latency decides as for everyone else.
 */
final class PerformanceRouting implements RoutingMethod {

    @Override
    public String name() {
        return "Performance";
    }

    @Override
    public boolean uses(MethodField field) {
        return field == MethodField.subnets;
    }

    @Override
    public void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors) {
        List<EndpointConfig> all = profile.endpointsWithFallback();
        for (int j = 0; j < profile.endpoints().size(); j++) {
            if (all.get(j).location() == null) {
                errors.add(path + ".endpoints[" + j + "].endpointLocation",
                        "is required for Performance routing: the region the endpoint runs in");
            }
        }
        SubnetRules.check(profile, path, errors);
    }

    @Override
    public MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints) {
        SubnetMap overrides = SubnetMap.of(endpoints, config.endpointsWithFallback());
        return (availability, inputs) -> new ByLatency(overrides, availability, inputs);
    }

    /** The candidates grouped by region, and what estimates their RTT. */
    private static final class ByLatency implements Chooser {
        private final SubnetMap overrides;
        private final Availability availability;
        private final LatencyEstimator estimator;
        /** {@code members[g]} are the candidates in region {@code regions[g]}. */
        private final RegionRef[] regions;
        private final Endpoint[][] members;
        /** {@code regions[g].column()} and {@code .seed()}, side by side for the query path's loop. */
        private final int[] columns;
        private final long[] seeds;
        /**
         * The winner of each settled /24 among the table columns of every region the profile has
         * an endpoint in (up or not, so that health changes keep it), or null; shared through the
         * table with every profile over the same regions.
         */
        private final SettledWinners winners;
        /** {@code winnerGroups[k]}: the group of the winner index's k-th column, or -1 when no candidate is in it now. */
        private final int[] winnerGroups;

        ByLatency(SubnetMap overrides, Availability availability, RoutingInputs inputs) {
            this.overrides = overrides;
            this.availability = availability;
            this.estimator = inputs.estimator();
            Map<Integer, List<Endpoint>> groups = new LinkedHashMap<>();
            for (int k = 0; k < availability.candidateCount(); k++) {
                Endpoint e = availability.endpoint(availability.candidate(k));
                groups.computeIfAbsent(e.region(), r -> new ArrayList<>()).add(e);
            }
            this.regions = new RegionRef[groups.size()];
            this.members = new Endpoint[groups.size()][];
            int g = 0;
            for (Map.Entry<Integer, List<Endpoint>> group : groups.entrySet()) {
                regions[g] = inputs.region(group.getKey());
                members[g] = group.getValue().toArray(new Endpoint[0]);
                g++;
            }
            this.columns = new int[regions.length];
            this.seeds = new long[regions.length];
            for (int k = 0; k < regions.length; k++) {
                columns[k] = regions[k].column();
                seeds[k] = regions[k].seed();
            }
            int[] profileColumns = profileColumns(availability, inputs);
            this.winners = profileColumns == null ? null : estimator.table().settledWinners(profileColumns);
            this.winnerGroups = new int[profileColumns == null ? 0 : profileColumns.length];
            for (int k = 0; k < winnerGroups.length; k++) {
                winnerGroups[k] = -1;
                for (int group = 0; group < columns.length; group++) {
                    if (columns[group] == profileColumns[k]) {
                        winnerGroups[k] = group;
                    }
                }
            }
        }

        /**
         * The table columns of the regions of all the profile's endpoints but a fallback (which
         * never competes on latency), ascending and distinct; null when one of those regions is not
         * in the table, since then no /24's row settles the comparison.
         */
        private static int[] profileColumns(Availability availability, RoutingInputs inputs) {
            java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
            for (Endpoint e : availability.endpoints()) {
                if (e.fallback()) {
                    continue;
                }
                int column = e.region() < 0 ? -1 : inputs.region(e.region()).column();
                if (column < 0) {
                    return null;
                }
                out.add(column);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public boolean readsLatency() {
            return !onlyCandidate();
        }

        /** Nothing to compare: the answer is the same for every client (ECS scope 0). */
        private boolean onlyCandidate() {
            return members.length == 1 && members[0].length == 1;
        }

        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            if (!overrides.isEmpty()) {
                Endpoint override = overrides.find(context, trace);
                if (override != null && availability.isCandidate(override.index())) {
                    return Chooser.answer(override, Reason.SUBNET_OVERRIDE, context, trace);
                }
            }
            if (onlyCandidate()) {
                return Chooser.answer(members[0][0], Reason.ONLY_CANDIDATE, context, trace);
            }
            if (trace == Trace.NONE && (chooseFromWinner(context) || chooseFromTableRow(context))) {
                return RoutingOutcome.ANSWER;
            }
            LatencyEstimator.Lookup lookup = context.lookup();
            long clientHash = context.clientHash();
            int best = -1;
            long bestTenths = Long.MAX_VALUE;
            long bestScore = 0;
            boolean tied = false;
            for (int g = 0; g < regions.length; g++) {
                RegionRef region = regions[g];
                estimator.estimate(lookup, region.column(), region.latitude(), region.longitude());
                trace.regionEstimate(region, lookup);
                double ms = lookup.rttMs();
                long tenths = Double.isInfinite(ms) ? Long.MAX_VALUE : Math.round(ms * 10);
                long score = StableHash.score(clientHash, region.seed());
                if (best < 0 || tenths < bestTenths) {
                    best = g;
                    bestTenths = tenths;
                    bestScore = score;
                    tied = false;
                } else if (tenths == bestTenths) {
                    tied = true;
                    if (Long.compareUnsigned(score, bestScore) > 0) {
                        best = g;
                        bestScore = score;
                    }
                }
            }
            return answer(best, bestTenths, tied, context, trace);
        }

        /**
         * The same decision as {@link #chooseFromTableRow}'s when the winner index names the
         * client's /24 and a candidate is in that region: no read of the row, whose figure is left
         * for whoever asks ({@link RoutingContext#estimateTenths}).
         *
         * @return false, having answered and looked up nothing, otherwise
         */
        private boolean chooseFromWinner(RoutingContext context) {
            IpPrefix client = context.client();
            if (winners == null || client.ipv6() || client.length() < 24) {
                return false;
            }
            int k = winners.winner(client.ipv4());
            if (k == SettledWinners.NONE || winnerGroups[k] < 0) {
                return false;
            }
            int g = winnerGroups[k];
            context.widenScope(24); // what a settled /24 row holds for, as the row's own decision says
            context.estimatedInSettledRow(estimator, columns[g]);
            answerIn(g, false, context, Trace.NONE);
            return true;
        }

        /**
         * The same decision as {@link #choose}'s loop when the client's table row settles every
         * region ({@link LatencyEstimator#rowTenths}): one longest-prefix match and one cell per
         * region, no evidence recorded (so only without a trace). Hashes are computed only on a tie:
         * {@code bestScore} is the rendezvous score of {@code best} once {@code scored}.
         *
         * @return false, having answered nothing, when some region needs other evidence; the
         *         lookup keeps the entry found, so the full loop does not look it up again
         */
        private boolean chooseFromTableRow(RoutingContext context) {
            LatencyEstimator.Lookup lookup = context.lookup();
            int best = -1;
            int bestTenths = Integer.MAX_VALUE;
            long bestScore = 0;
            boolean scored = false;
            boolean tied = false;
            for (int g = 0; g < columns.length; g++) {
                int tenths = estimator.rowTenths(lookup, columns[g]);
                if (tenths == LatencyEstimator.UNSETTLED) {
                    return false;
                }
                if (best < 0 || tenths < bestTenths) {
                    best = g;
                    bestTenths = tenths;
                    scored = false;
                    tied = false;
                } else if (tenths == bestTenths) {
                    tied = true;
                    if (!scored) {
                        bestScore = StableHash.score(context.clientHash(), seeds[best]);
                        scored = true;
                    }
                    long score = StableHash.score(context.clientHash(), seeds[g]);
                    if (Long.compareUnsigned(score, bestScore) > 0) {
                        best = g;
                        bestScore = score;
                    }
                }
            }
            answer(best, bestTenths, tied, context, Trace.NONE);
            return true;
        }

        /** Answers with region {@code best}'s endpoint, widening the scope to what the decision used. */
        private RoutingOutcome answer(int best, long bestTenths, boolean tied, RoutingContext context, Trace trace) {
            // The decision holds wherever every lookup it made finds the same thing.
            context.widenScope(context.lookup().holdingLength());
            if (bestTenths != Long.MAX_VALUE) {
                context.estimated(bestTenths);
            }
            return answerIn(best, tied, context, trace);
        }

        /** Answers with an endpoint of region group {@code best}: its only one, or the client hash's pick. */
        private RoutingOutcome answerIn(int best, boolean tied, RoutingContext context, Trace trace) {
            Endpoint[] inRegion = members[best];
            if (tied) {
                context.usedHash();
            }
            if (inRegion.length == 1) {
                return Chooser.answer(inRegion[0], tied ? Reason.LOWEST_LATENCY_TIE : Reason.LOWEST_LATENCY, context, trace);
            }
            context.usedHash();
            Endpoint chosen = inRegion[Rendezvous.pick(inRegion, inRegion.length, context.clientHash())];
            return Chooser.answer(chosen, Reason.SHARED_REGION, context, trace);
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            Endpoint winner = winners.get(0);
            if (estimates.isEmpty() && !overrides.isEmpty()) {
                return "the client is in a subnet override of " + winner.name();
            }
            if (loser.region() == winner.region()) {
                return "same region as " + winner.name() + "; the stable hash of the client network picked " + winner.name();
            }
            Decision.RegionEstimate mine = estimateOf(estimates, loser.region());
            Decision.RegionEstimate best = estimateOf(estimates, winner.region());
            if (mine == null || best == null) {
                return "not chosen";
            }
            if (Objects.equals(mine.rttMs(), best.rttMs())) {
                return "region " + mine.region() + " ties with " + best.region()
                        + (best.rttMs() == null ? " (neither has an estimate)" : " at " + best.rttMs() + " ms")
                        + "; the stable hash of the client network picked " + best.region();
            }
            return "region " + mine.region() + " is slower: " + ms(mine) + " against " + ms(best) + " for " + best.region();
        }

        private Decision.RegionEstimate estimateOf(List<Decision.RegionEstimate> estimates, int region) {
            for (int g = 0; g < regions.length; g++) {
                if (members[g][0].region() == region) {
                    for (Decision.RegionEstimate e : estimates) {
                        if (e.region().equals(regions[g].name())) {
                            return e;
                        }
                    }
                }
            }
            return null;
        }

        private static String ms(Decision.RegionEstimate e) {
            return e.rttMs() == null ? "no estimate" : e.rttMs() + " ms";
        }
    }
}
