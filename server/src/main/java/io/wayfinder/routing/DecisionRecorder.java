package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/** A {@link Trace} that records what routing did and turns it into a {@link Decision}. Off the query path. */
public final class DecisionRecorder implements Trace {
    private final RoutingTable table;
    private final List<Decision.Step> steps = new ArrayList<>();
    private Profile profile;
    private int depth;
    private List<Decision.RegionEstimate> estimates;
    private String chosen;
    private String reason;

    public DecisionRecorder(RoutingTable table) {
        this.table = table;
    }

    /** Routes a client through a profile and explains the result. */
    public static Decision explain(RoutingTable table, Profile profile, IpPrefix client, boolean fromEcs) {
        DecisionRecorder recorder = new DecisionRecorder(table);
        RoutingContext context = new RoutingContext();
        context.reset(client);
        Endpoint endpoint = profile.enabled() ? Router.route(table, profile, context, recorder) : null;
        if (!profile.enabled()) {
            recorder.enterProfile(profile, 0);
            recorder.nothingToServe(profile);
        }
        recorder.flush();
        return new Decision(profile.name(), client.toString(), fromEcs ? "ECS" : "resolver address",
                List.copyOf(recorder.steps), endpoint == null ? null : endpoint.name(),
                endpoint == null ? null : endpoint.target().toString(), context.scope());
    }

    @Override
    public void enterProfile(Profile p, int d) {
        flush();
        profile = p;
        depth = d;
        estimates = new ArrayList<>();
        chosen = null;
        reason = null;
    }

    @Override
    public void regionEstimate(Profile p, RoutingTable.RegionRef region, LatencyEstimator.Lookup estimate) {
        double ms = estimate.rttMs();
        IpPrefix network = estimate.evidenceLength() > 0 || estimate.evidence() != io.wayfinder.latency.Evidence.NONE
                ? estimate.client().truncate(estimate.evidenceLength()) : null;
        estimates.add(new Decision.RegionEstimate(region.name(), Double.isInfinite(ms) ? null : Math.round(ms * 10) / 10.0,
                estimate.evidence(), network == null ? null : network.toString(),
                estimate.samples() > 0 ? Integer.valueOf(estimate.samples()) : null));
    }

    @Override
    public void chosen(Profile p, Endpoint endpoint, Reason why) {
        chosen = endpoint.name();
        reason = why.text();
    }

    @Override
    public void nothingToServe(Profile p) {
        reason = p.enabled() ? "no endpoint is enabled and eligible" : "the profile is disabled";
    }

    private void flush() {
        if (profile == null) {
            return;
        }
        List<Decision.EndpointState> endpoints = new ArrayList<>();
        Endpoint winner = chosen == null ? null : profile.endpoint(chosen);
        for (Endpoint e : profile.endpoints()) {
            boolean candidate = false;
            for (int c : profile.candidates()) {
                candidate |= c == e.index();
            }
            endpoints.add(new Decision.EndpointState(e.name(), e.target().toString(), regionName(e),
                    profile.statuses()[e.index()].name(), candidate, verdict(e, candidate, winner)));
        }
        steps.add(new Decision.Step(profile.name(), profile.methodName().name(), depth, profile.failOpen(), endpoints,
                List.copyOf(estimates), chosen, reason));
        profile = null;
    }

    private String regionName(Endpoint e) {
        return e.region() < 0 ? null : table.region(e.region()).name();
    }

    /** Why an endpoint won or lost, in words an operator can act on. */
    private String verdict(Endpoint e, boolean candidate, Endpoint winner) {
        if (!candidate) {
            return "not served: " + profile.statuses()[e.index()].name();
        }
        if (winner == null) {
            return "not chosen";
        }
        if (e == winner) {
            return "chosen: " + reason;
        }
        switch (profile.methodName()) {
            case Performance -> {
                if (e.region() == winner.region()) {
                    return "same region as " + winner.name() + "; the stable hash of the client network picked " + winner.name();
                }
                Decision.RegionEstimate mine = estimateOf(regionName(e));
                Decision.RegionEstimate best = estimateOf(regionName(winner));
                if (mine == null || best == null) {
                    return "not chosen";
                }
                if (java.util.Objects.equals(mine.rttMs(), best.rttMs())) {
                    return "region " + mine.region() + " ties with " + best.region()
                            + (best.rttMs() == null ? " (neither has an estimate)" : " at " + best.rttMs() + " ms")
                            + "; the stable hash of the client network picked " + best.region();
                }
                return "region " + mine.region() + " is slower: " + ms(mine) + " against " + ms(best) + " for " + best.region();
            }
            case Priority -> {
                return "priority " + e.priority() + "; " + winner.name() + " has priority " + winner.priority();
            }
            case Weighted -> {
                return "weight " + e.weight() + "; the weighted hash of the client network picked " + winner.name();
            }
            default -> {
                return "not chosen";
            }
        }
    }

    private static String ms(Decision.RegionEstimate e) {
        return e.rttMs() == null ? "no estimate" : e.rttMs() + " ms";
    }

    private Decision.RegionEstimate estimateOf(String region) {
        for (Decision.RegionEstimate r : estimates) {
            if (r.region().equals(region)) {
                return r;
            }
        }
        return null;
    }
}
