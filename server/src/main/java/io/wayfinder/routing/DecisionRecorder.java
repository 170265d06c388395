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
                estimate.evidence(), network == null ? null : network.toString(), estimate.samples()));
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
        for (Endpoint e : profile.endpoints()) {
            boolean candidate = false;
            for (int c : profile.candidates()) {
                candidate |= c == e.index();
            }
            endpoints.add(new Decision.EndpointState(e.name(), e.target().toString(),
                    e.region() < 0 ? null : table.region(e.region()).name(), profile.statuses()[e.index()].name(), candidate));
        }
        steps.add(new Decision.Step(profile.name(), profile.methodName().name(), depth, profile.failOpen(), endpoints,
                List.copyOf(estimates), chosen, reason));
        profile = null;
    }
}
