package io.wayfinder.routing;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.latency.Evidence;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/** A {@link Trace} that records what routing did and turns it into a {@link Decision}. Off the query path. */
public final class DecisionRecorder implements Trace {
    private final RoutingTable table;
    private final RoutingContext context;
    private final List<Decision.Step> steps = new ArrayList<>();
    private Profile profile;
    private int depth;
    private List<Decision.RegionEstimate> estimates;
    private List<String> findings;
    private List<Endpoint> chosen;
    private String reason;

    private DecisionRecorder(RoutingTable table, RoutingContext context) {
        this.table = table;
        this.context = context;
    }

    /**
     * Routes a client through a profile and explains the result.
     *
     * @param wantsIpv6 the query asks for AAAA (MultiValue answers by family)
     */
    public static Decision explain(RoutingTable table, Profile profile, IpPrefix client, boolean fromEcs, boolean wantsIpv6) {
        RoutingContext context = new RoutingContext();
        context.reset(client);
        context.wantsIpv6(wantsIpv6);
        DecisionRecorder recorder = new DecisionRecorder(table, context);
        RoutingOutcome outcome;
        if (profile.enabled()) {
            outcome = Router.route(table, profile, context, recorder);
        } else {
            recorder.enterProfile(profile, 0);
            recorder.nothingToServe(profile);
            outcome = RoutingOutcome.NXDOMAIN;
        }
        recorder.flush();
        List<Decision.Answer> answers = new ArrayList<>();
        if (outcome == RoutingOutcome.ANSWER) {
            for (int k = 0; k < context.answerCount(); k++) {
                answers.add(new Decision.Answer(context.answer(k).name(), context.answer(k).target().toString()));
            }
        }
        return new Decision(profile.name(), client.toString(), fromEcs ? "ECS" : "resolver address", located(table, client),
                List.copyOf(recorder.steps), outcome, List.copyOf(answers), context.scope());
    }

    /** Where geolocation places the client: the same lookup the distance model and Geographic routing make. */
    private static Decision.ClientLocation located(RoutingTable table, IpPrefix client) {
        GeoLocator geo = table.estimator().geo();
        GeoLocation where = GeoLocator.locateOrUnknown(geo, client);
        boolean configured = geo != GeoLocator.NONE;
        if (!where.known()) {
            return new Decision.ClientLocation(false, null, null, null, null, where.network().toString(), configured);
        }
        return new Decision.ClientLocation(true, where.latitude(), where.longitude(),
                where.countryCode().isEmpty() ? null : where.countryCode(),
                where.subdivision().isEmpty() ? null : where.subdivision(), where.network().toString(), configured);
    }

    @Override
    public void enterProfile(Profile p, int d) {
        flush();
        profile = p;
        depth = d;
        estimates = new ArrayList<>();
        findings = new ArrayList<>();
        chosen = new ArrayList<>();
        reason = null;
    }

    @Override
    public void regionEstimate(RegionRef region, LatencyEstimator.Lookup estimate) {
        double ms = estimate.rttMs();
        IpPrefix network = estimate.evidenceLength() > 0 || estimate.evidence() != Evidence.NONE
                ? estimate.client().truncate(estimate.evidenceLength()) : null;
        estimates.add(new Decision.RegionEstimate(region.name(), Double.isInfinite(ms) ? null : Math.round(ms * 10) / 10.0,
                estimate.evidence(), network == null ? null : network.toString(),
                estimate.samples() > 0 ? Integer.valueOf(estimate.samples()) : null));
    }

    @Override
    public void located(GeoLocation location, String matchedCode) {
        String where = !location.known() ? "the client's location is unknown"
                : "the client is in " + (location.subdivision().isEmpty() ? "" : location.subdivision() + ", ")
                        + (location.countryCode().isEmpty() ? "an unknown country" : location.countryCode())
                        + " (geolocation holds for " + location.network() + ")";
        findings.add(where + (matchedCode == null ? "; no geoMapping contains it" : "; the most specific mapping is " + matchedCode));
    }

    @Override
    public void inSubnet(Endpoint endpoint, IpPrefix network) {
        findings.add("the client is in " + network + ", one of " + endpoint.name() + "'s subnets");
    }

    @Override
    public void chosen(Endpoint endpoint, Reason why) {
        chosen.add(endpoint);
        reason = why.text();
    }

    @Override
    public void nothingToServe(Profile p) {
        reason = p.enabled() ? "no endpoint is enabled and eligible" : "the profile is disabled";
    }

    @Override
    public void noAnswer(Reason why) {
        reason = why.text();
    }

    private void flush() {
        if (profile == null) {
            return;
        }
        Availability availability = profile.availability();
        List<Decision.EndpointState> endpoints = new ArrayList<>();
        for (Endpoint e : profile.endpoints()) {
            boolean candidate = availability.isCandidate(e.index());
            endpoints.add(new Decision.EndpointState(e.name(), e.target().toString(), regionName(e),
                    profile.status(e.index()).name(), candidate, verdict(e, candidate)));
        }
        steps.add(new Decision.Step(profile.name(), profile.method().name(), depth, profile.failOpen(), List.copyOf(findings),
                endpoints, List.copyOf(estimates), chosen.stream().map(Endpoint::name).toList(), reason));
        profile = null;
    }

    private String regionName(Endpoint e) {
        return e.region() < 0 ? null : table.region(e.region()).name();
    }

    /** Why an endpoint won or lost, in words an operator can act on. */
    private String verdict(Endpoint e, boolean candidate) {
        if (chosen.contains(e)) {
            return "chosen: " + reason;
        }
        if (!candidate) {
            return "not served: " + profile.status(e.index()).name();
        }
        if (chosen.isEmpty()) {
            return "not chosen";
        }
        return profile.chooser().whyNot(e, List.copyOf(chosen), context, List.copyOf(estimates));
    }
}
