package io.wayfinder.routing;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.List;

/**
 * Subnet routing, as Azure's: each endpoint lists the client address ranges it serves
 * ({@code subnets}); the endpoint whose ranges hold the client answers, and the one endpoint without
 * ranges, if any, takes every other client. A disabled endpoint is as if it and its ranges did not
 * exist. A mapping does not fail over: when the mapped endpoint is Degraded or Stopped, the client
 * gets no record (unless the whole profile fails open), and a client no range holds, with no
 * catch-all, gets none either. Azure's FAQ answers NXDOMAIN in those cases and its routing page
 * NODATA; Wayfinder answers NODATA, since the name exists and an NXDOMAIN would be cached by the
 * resolver for every record type and, under RFC 8020, for every name below it.
 */
final class SubnetRouting implements RoutingMethod {

    @Override
    public String name() {
        return "Subnet";
    }

    @Override
    public boolean uses(MethodField field) {
        return field == MethodField.subnets;
    }

    @Override
    public void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors) {
        SubnetRules.check(profile, path, errors);
        int catchAll = -1;
        for (int j = 0; j < profile.endpoints().size(); j++) {
            EndpointConfig e = profile.endpoints().get(j);
            if (!e.subnets().isEmpty()) {
                continue;
            }
            if (catchAll >= 0) {
                errors.add(path + ".endpoints[" + j + "].subnets", "is required: only one endpoint may go without subnets"
                        + " (the catch-all), and '" + profile.endpoints().get(catchAll).name() + "' (endpoints[" + catchAll
                        + "]) already does");
            } else {
                catchAll = j;
            }
        }
    }

    @Override
    public MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints) {
        List<EndpointConfig> configs = config.endpointsWithFallback();
        SubnetMap map = SubnetMap.of(endpoints, configs);
        Endpoint catchAll = null;
        for (int j = 0; j < config.endpoints().size(); j++) {
            if (configs.get(j).enabled() && configs.get(j).subnets().isEmpty()) {
                catchAll = endpoints.get(j);
            }
        }
        Endpoint orElse = catchAll;
        return (availability, inputs) -> new BySubnet(map, orElse, availability);
    }

    private record BySubnet(SubnetMap map, Endpoint catchAll, Availability availability) implements Chooser {
        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            Endpoint mapped = map.find(context, trace);
            Reason reason = Reason.SUBNET_MATCH;
            if (mapped == null) {
                if (catchAll == null) {
                    return Chooser.noData(Reason.NO_SUBNET_MATCH, trace);
                }
                mapped = catchAll;
                reason = Reason.SUBNET_CATCH_ALL;
            }
            if (!availability.isCandidate(mapped.index())) {
                return Chooser.noData(Reason.SUBNET_ENDPOINT_DOWN, trace);
            }
            return Chooser.answer(mapped, reason, context, trace);
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            return loser == catchAll ? "the catch-all; the client is in another endpoint's subnets"
                    : "its subnets do not hold the client";
        }
    }
}
