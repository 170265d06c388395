package io.wayfinder.routing;

import java.util.List;

/**
 * A profile's routing method, prepared for one state of health and latency: picks the answer for a
 * client. Immutable and shared by every query thread; per-query state lives in the
 * {@link RoutingContext}.
 *
 * <p>Runs on the query path: no locks, no allocation, and a {@link Trace} call for every fact an
 * explanation needs (the trace builds no strings unless it records).
 */
public interface Chooser {

    /**
     * Chooses for the client in {@code context}: adds the answering endpoints with
     * {@link RoutingContext#answer} (one, or several for MultiValue) and widens the ECS scope to
     * what the choice depended on.
     *
     * @return {@link RoutingOutcome#ANSWER} when endpoints were added, else why there is none
     */
    RoutingOutcome choose(RoutingContext context, Trace trace);

    /**
     * Why {@code loser}, which could have answered, did not, in words an operator can act on.
     * Off the query path (explanations only).
     *
     * @param winners   the endpoints that answered
     * @param estimates the latency estimates routing looked at for this profile (Performance)
     */
    String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context, List<Decision.RegionEstimate> estimates);

    /**
     * Whether {@link #choose} may read the client's latency-table row: then a batch's pass ahead of
     * the answers touches that row ({@link RoutingTable#readsRow}). False for every method but
     * Performance, and for a Performance choice that has nothing to compare.
     */
    default boolean readsLatency() {
        return false;
    }

    /** Answers with one endpoint, saying why. */
    static RoutingOutcome answer(Endpoint endpoint, Reason reason, RoutingContext context, Trace trace) {
        trace.chosen(endpoint, reason);
        context.answer(endpoint);
        return RoutingOutcome.ANSWER;
    }

    /** Answers no record to this client, saying why. */
    static RoutingOutcome noData(Reason reason, Trace trace) {
        trace.noAnswer(reason);
        return RoutingOutcome.NODATA;
    }
}
