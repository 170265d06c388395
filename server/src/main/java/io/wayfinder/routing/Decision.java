package io.wayfinder.routing;

import io.wayfinder.latency.Evidence;
import java.util.List;

/**
 * Why a query got its answer: the client network routing used, and for each profile on the way
 * (nested ones included) the endpoints, their status, the latency estimates and the choice.
 *
 * @param client       the client network (ECS subnet or resolver address)
 * @param clientSource "ECS" or "resolver address"
 * @param chosen       the endpoint that answers, or null when none could
 * @param answer       the target it answers with, or null
 * @param scope        the ECS scope prefix length: the decision holds for the client's network at this length
 */
public record Decision(String profile, String client, String clientSource, List<Step> steps, String chosen,
                       String answer, int scope) {

    /** Routing inside one profile. */
    public record Step(String profile, String method, int depth, boolean failOpen, List<EndpointState> endpoints,
                       List<RegionEstimate> estimates, String chosen, String reason) {
    }

    /** An endpoint of a step's profile: its status, whether it could be chosen, and why it was or was not. */
    public record EndpointState(String name, String target, String region, String status, boolean candidate,
                                String verdict) {
    }

    /**
     * The estimated RTT from the client to a region with candidate endpoints, and its evidence.
     *
     * @param samples the measurements behind an aggregate; null where the table keeps no count
     */
    public record RegionEstimate(String region, Double rttMs, Evidence evidence, String network, Integer samples) {
    }
}
