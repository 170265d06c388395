package io.wayfinder.routing;

import io.wayfinder.geo.GeoCode;
import io.wayfinder.geo.GeoCodeCatalogue;
import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.health.MonitorStatus;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Geographic routing, as Azure's: each endpoint maps a set of codes of Azure's geographic hierarchy
 * ({@code WORLD}, groupings such as {@code GEO-EU}, countries, and the states and provinces of the
 * US, Canada and Australia), a code maps to one endpoint, and the most specific code that contains
 * the client's location wins (subdivision, then country, then grouping, then {@code WORLD}).
 *
 * <p>A mapping is kept whatever the endpoint's health: Azure returns a Degraded endpoint rather
 * than send its clients across a geographic boundary (failover belongs in a nested child profile).
 * A Disabled endpoint's codes are left out, so the search goes on up the hierarchy; a Stopped one
 * (a nested child with nothing to serve) answers NODATA and the search ends there. A client whose
 * location no code contains gets NODATA. The ECS scope is the network the geolocation answer holds
 * for. Subnet overrides come first and, as Azure's, hold whatever the endpoint's health.
 */
final class GeographicRouting implements RoutingMethod {
    private static final GeoCodeCatalogue CODES = GeoCodeCatalogue.builtIn();
    private static final int WORLD = CODES.indexOf("WORLD");

    @Override
    public String name() {
        return "Geographic";
    }

    @Override
    public boolean uses(MethodField field) {
        return field == MethodField.geoMapping || field == MethodField.subnets;
    }

    @Override
    public void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors) {
        Map<String, int[]> owner = new HashMap<>(); // code -> where it is mapped first: {endpoint, item}
        for (int j = 0; j < profile.endpoints().size(); j++) {
            EndpointConfig e = profile.endpoints().get(j);
            String ePath = path + ".endpoints[" + j + "].geoMapping";
            if (e.geoMapping().isEmpty()) {
                errors.add(ePath, "is required for Geographic routing: at least one code (WORLD, GEO-EU, FR, US-CA, ...;"
                        + " `wayfinder geo-codes` lists them)");
            }
            for (int k = 0; k < e.geoMapping().size(); k++) {
                String code = e.geoMapping().get(k);
                GeoCode known = CODES.find(code).orElse(null);
                if (known == null) {
                    errors.add(ePath + "[" + k + "]", "unknown geographic code '" + code + "'"
                            + CODES.suggest(code).map(s -> " (did you mean '" + s + "'?)").orElse("; `wayfinder geo-codes` lists them"));
                    continue;
                }
                int[] previous = owner.putIfAbsent(known.code(), new int[] {j, k});
                if (previous != null && previous[0] == j) {
                    errors.add(ePath + "[" + k + "]", known.code() + " is listed twice (also at [" + previous[1] + "])");
                } else if (previous != null) {
                    errors.add(ePath + "[" + k + "]", known.code() + " is already mapped by endpoint '"
                            + profile.endpoints().get(previous[0]).name() + "' (" + path + ".endpoints[" + previous[0]
                            + "].geoMapping[" + previous[1] + "]): a code maps to one endpoint");
                }
            }
        }
        if (profile.fallback() != null && !profile.fallback().geoMapping().isEmpty()) {
            errors.add(path + ".fallback.geoMapping", "a fallback answers only when every endpoint is Degraded; it takes no geoMapping");
        }
        SubnetRules.check(profile, path, errors);
    }

    @Override
    public MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints) {
        List<EndpointConfig> configs = config.endpointsWithFallback();
        Endpoint[] byCode = new Endpoint[CODES.size()];
        for (int j = 0; j < config.endpoints().size(); j++) {
            if (!configs.get(j).enabled()) {
                continue; // a disabled endpoint takes no part in matching (Azure)
            }
            for (String code : configs.get(j).geoMapping()) {
                byCode[CODES.indexOf(code)] = endpoints.get(j);
            }
        }
        SubnetMap overrides = SubnetMap.of(endpoints, configs);
        return (availability, inputs) -> new ByLocation(byCode, overrides, availability, inputs.estimator().geo());
    }

    private record ByLocation(Endpoint[] byCode, SubnetMap overrides, Availability availability, GeoLocator geo)
            implements Chooser {

        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            if (!overrides.isEmpty()) {
                Endpoint override = overrides.find(context, trace);
                if (override != null) {
                    return answer(override, Reason.SUBNET_OVERRIDE, context, trace);
                }
            }
            GeoLocation location = GeoLocator.locateOrUnknown(geo, context.client());
            context.widenScope(location.network().length());
            int mostSpecific = CODES.mostSpecific(location);
            for (int code = mostSpecific >= 0 ? mostSpecific : WORLD; code >= 0; code = CODES.parent(code)) {
                if (byCode[code] != null) {
                    trace.located(location, CODES.at(code).code());
                    return answer(byCode[code], Reason.GEO_MATCH, context, trace);
                }
            }
            trace.located(location, null);
            return Chooser.noData(Reason.NO_GEO_MATCH, trace);
        }

        private RoutingOutcome answer(Endpoint mapped, Reason reason, RoutingContext context, Trace trace) {
            if (availability.status(mapped.index()) == MonitorStatus.Stopped) {
                return Chooser.noData(Reason.GEO_ENDPOINT_STOPPED, trace);
            }
            return Chooser.answer(mapped, reason, context, trace);
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            StringBuilder codes = new StringBuilder();
            for (int c = 0; c < byCode.length; c++) {
                if (byCode[c] == loser) {
                    codes.append(codes.length() == 0 ? "" : ", ").append(CODES.at(c).code());
                }
            }
            return codes.length() == 0 ? "maps no code" : "maps " + codes + ", none of which is the most specific match";
        }
    }
}
