package io.wayfinder.routing;

/** Priority routing: the available endpoint with the lowest priority number. Same for every client. */
public final class PriorityRouting implements RoutingMethod {
    @Override
    public int choose(Profile profile, int[] candidates, int count, RoutingContext context, Trace trace) {
        // Candidates of a Priority profile are sorted by priority when the snapshot is built.
        int chosen = candidates[0];
        trace.chosen(profile, profile.endpoints()[chosen], count == 1 ? Reason.ONLY_CANDIDATE : Reason.HIGHEST_PRIORITY);
        return chosen;
    }
}
