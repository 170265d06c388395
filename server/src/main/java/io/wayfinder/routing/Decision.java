package io.wayfinder.routing;

import io.wayfinder.latency.Evidence;
import java.util.List;

/**
 * Why a query got its answer: the client network routing used, and for each profile on the way
 * (nested ones included) what the method found, the endpoints, their status, the latency estimates
 * and the choice.
 *
 * @param client         the client network (ECS subnet or resolver address)
 * @param clientSource   "ECS" or "resolver address"
 * @param clientLocation where geolocation places the client, whatever the methods on the way
 * @param outcome      an answer, NODATA or NXDOMAIN
 * @param answers      the endpoints that answer (several for MultiValue); empty unless there is an answer
 * @param scope        the ECS scope prefix length: the decision holds for the client's network at this length
 */
public record Decision(String profile, String client, String clientSource, ClientLocation clientLocation, List<Step> steps,
                       RoutingOutcome outcome, List<Answer> answers, int scope) {

    /**
     * Where the configured geolocation places the client (the distance model and Geographic routing
     * read it).
     *
     * @param known       whether any source places it; when not, only {@code network} is set
     * @param country     ISO 3166-1 code, null when the source does not say
     * @param subdivision ISO 3166-2 code (US-WA), null when the source does not say
     * @param network     the network the answer holds for: every network of the client's length in
     *                    it is placed the same
     * @param configured  whether the configuration has any geolocation source
     */
    public record ClientLocation(boolean known, Double latitude, Double longitude, String country, String subdivision,
                                 String network, boolean configured) {
    }

    /** An endpoint in the answer and what it answers with. */
    public record Answer(String endpoint, String target) {
    }

    /**
     * Routing inside one profile.
     *
     * @param findings what the method found out about the client (where it is, which subnet holds it)
     * @param chosen   the endpoints chosen here (a nested one leads to the next step)
     * @param reason   why they were chosen, or why nothing was
     */
    public record Step(String profile, String method, int depth, boolean failOpen, List<String> findings,
                       List<EndpointState> endpoints, List<RegionEstimate> estimates, List<String> chosen, String reason) {
    }

    /** An endpoint of a step's profile: its status, whether it could be chosen, and why it was or was not. */
    public record EndpointState(String name, String target, String region, String status, boolean candidate,
                                String verdict) {
    }

    /**
     * The estimated RTT from the client to a region with candidate endpoints, and its evidence.
     *
     * @param samples the measurements behind an aggregate; null where the table keeps no count
     * @param learned with latency learning on, what the learner holds behind the estimate; null otherwise
     */
    public record RegionEstimate(String region, Double rttMs, Evidence evidence, String network, Integer samples,
                                 Learned learned) {
        public RegionEstimate(String region, Double rttMs, Evidence evidence, String network, Integer samples) {
            this(region, rttMs, evidence, network, samples, null);
        }

        public RegionEstimate withLearned(Learned view) {
            return new RegionEstimate(region, rttMs, evidence, network, samples, view);
        }
    }

    /**
     * The learner's evidence behind an estimate (latency learning, {@code latency.learn}).
     *
     * @param estimateMs       the learned estimate
     * @param uncertaintyMs    its standard deviation
     * @param kind             what it rests on: {@code own} samples, {@code borrowed} (own offset plus
     *                         neighbours' or the model's differences between regions), {@code block},
     *                         {@code model} or {@code none}
     * @param network          the network the evidence is about
     * @param effectiveSamples the network's own samples, weighted by their age (0 if none)
     * @param ageMillis        the age of its newest sample at the last rebuild; null when it has none
     * @param borrowedFrom     where the differences between regions were borrowed from; null for own data
     * @param tableMs          the figure the learned table publishes (it moves only past a hysteresis
     *                         margin, so it may lag {@code estimateMs}); null when none
     */
    public record Learned(Double estimateMs, Double uncertaintyMs, String kind, String network, Double effectiveSamples,
                          Long ageMillis, String borrowedFrom, Double tableMs) {
    }

    /** The same decision with each estimate's learned view, as {@code view} gives it (null: none). */
    public Decision withLearned(java.util.function.Function<RegionEstimate, Learned> view) {
        List<Step> withViews = new java.util.ArrayList<>();
        for (Step s : steps) {
            List<RegionEstimate> estimates = new java.util.ArrayList<>();
            for (RegionEstimate e : s.estimates()) {
                estimates.add(e.withLearned(view.apply(e)));
            }
            withViews.add(new Step(s.profile(), s.method(), s.depth(), s.failOpen(), s.findings(), s.endpoints(),
                    List.copyOf(estimates), s.chosen(), s.reason()));
        }
        return new Decision(profile, client, clientSource, clientLocation, List.copyOf(withViews), outcome, answers, scope);
    }
}
