package io.wayfinder.routing;

import io.wayfinder.profile.ProfileConfig;
import java.util.List;

/**
 * The one entry point of routing: picks the external endpoints that answer for a profile and a
 * client, following nested profiles through their own methods. Stateless.
 */
public final class Router {
    /** The chooser of a profile that routing never asks: it has no candidate, or its fallback answers. */
    static final Chooser NOT_REACHED = new Chooser() {
        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            throw new IllegalStateException("a profile without candidates or on its fallback has no method to run");
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            return "not chosen";
        }
    };

    private Router() {
    }

    /**
     * Routes a client, whose network is in {@code context}, through a profile.
     *
     * @return {@link RoutingOutcome#ANSWER} with the chosen external endpoints in the context, or
     *         why there are none; either way {@code context.scope()} says for which network it holds,
     *         and {@code context.nested(level)} which nested endpoints it followed to get there
     */
    public static RoutingOutcome route(RoutingTable table, Profile profile, RoutingContext context, Trace trace) {
        Profile current = profile;
        context.clearNested();
        context.clearEstimate();
        for (int depth = 0; depth <= ProfileConfig.MAX_NESTING_DEPTH; depth++) {
            trace.enterProfile(current, depth);
            Availability availability = current.availability();
            if (!current.enabled() || availability.candidateCount() == 0) {
                trace.nothingToServe(current);
                return RoutingOutcome.NXDOMAIN;
            }
            context.clearAnswers();
            if (availability.onFallback()) {
                Endpoint fallback = availability.endpoint(availability.candidate(0));
                trace.chosen(fallback, Reason.FALLBACK);
                context.answer(fallback);
            } else {
                RoutingOutcome outcome = current.chooser().choose(context, trace);
                if (outcome != RoutingOutcome.ANSWER) {
                    return outcome;
                }
            }
            Endpoint first = context.answer(0);
            if (context.answerCount() > 1 || !(first.target() instanceof Target.Nested nested)) {
                return RoutingOutcome.ANSWER;
            }
            context.followed(first);
            current = table.profile(nested.profileIndex());
        }
        // Validation rejects deeper nesting and cycles; reaching here means a bug, not bad input.
        throw new IllegalStateException("nesting deeper than " + ProfileConfig.MAX_NESTING_DEPTH + " at profile " + profile.name());
    }
}
