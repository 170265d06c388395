package io.wayfinder.routing;

import io.wayfinder.profile.ConfigValidator;

/**
 * The one entry point of routing: picks the external endpoint that answers for a profile and a
 * client, following nested profiles through their own methods. Stateless.
 */
public final class Router {
    private Router() {
    }

    /**
     * @return the chosen external endpoint, or null when the profile (or a nested child it chose)
     *         has nothing to serve; {@code context.scope()} then says for which network it holds
     */
    public static Endpoint route(RoutingTable table, Profile profile, RoutingContext context, Trace trace) {
        Profile current = profile;
        for (int depth = 0; depth <= ConfigValidator.MAX_DEPTH; depth++) {
            trace.enterProfile(current, depth);
            int[] candidates = current.candidates();
            if (!current.enabled() || candidates.length == 0) {
                trace.nothingToServe(current);
                return null;
            }
            int chosen;
            if (current.onFallback()) {
                chosen = candidates[0];
                trace.chosen(current, current.endpoints()[chosen], Reason.FALLBACK);
            } else {
                chosen = current.method().choose(current, candidates, candidates.length, context, trace);
            }
            Endpoint endpoint = current.endpoints()[chosen];
            if (!(endpoint.target() instanceof Target.Nested nested)) {
                return endpoint;
            }
            current = table.profile(nested.profileIndex());
        }
        // Validation rejects deeper nesting and cycles; reaching here means a bug, not bad input.
        throw new IllegalStateException("nesting deeper than " + ConfigValidator.MAX_DEPTH + " at profile " + profile.name());
    }
}
