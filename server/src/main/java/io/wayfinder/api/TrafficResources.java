package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.Region;
import io.wayfinder.routing.Profile;
import io.wayfinder.traffic.TrafficReport;
import io.wayfinder.traffic.TrafficView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Traffic View through the API: each profile's client networks and places ({@code GET
 * /api/v1/traffic}), and the networks a region agent should measure ({@code GET
 * /api/v1/agent/targets}).
 */
final class TrafficResources {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_TARGETS = 1000;
    static final int MAX_TARGETS = 10_000;

    private final TrafficView traffic;
    private final Supplier<Snapshot> snapshot;

    TrafficResources(TrafficView traffic, Supplier<Snapshot> snapshot) {
        this.traffic = traffic;
        this.snapshot = snapshot;
    }

    /**
     * {@code GET /api/v1/traffic[?profile=NAME][&limit=N][&by=queries|latency]}: for the profile (or
     * every profile served), its networks and places with the most queries, or the worst latency.
     */
    void traffic(Context ctx) {
        List<ProfileWrites.FieldError> errors = new ArrayList<>();
        int limit = limit(ctx, "limit", DEFAULT_LIMIT, MAX_LIMIT, errors);
        TrafficReport.Order by = TrafficReport.Order.queries;
        String byText = ctx.queryParam("by");
        if (byText != null) {
            try {
                by = TrafficReport.Order.valueOf(byText.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new ProfileWrites.FieldError(null, "by", "must be queries or latency, not " + byText));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("invalid query", errors);
        }
        Snapshot now = snapshot.get();
        String profile = ctx.queryParam("profile");
        Set<String> names = new LinkedHashSet<>();
        if (profile != null && !profile.isBlank()) {
            Profile served = now.routing().profile(profile.strip());
            if (served == null && traffic.profile(profile.strip()) == null) {
                throw ApiException.notFound("no profile named '" + profile.strip() + "' is served or has traffic");
            }
            names.add(served != null ? served.name() : profile.strip());
        } else {
            for (Profile p : now.routing().profiles()) {
                if (p.fqdn() != null) { // a profile only nested is never queried itself
                    names.add(p.name());
                }
            }
        }
        GeoLocator geo = now.routing().estimator().geo();
        ObjectNode out = NODES.objectNode();
        out.put("by", by.name());
        out.put("halfLifeHours", traffic.settings().halfLife().toMinutes() / 60.0);
        long merged = traffic.mergedAtMillis();
        if (merged > 0) {
            out.put("updated", Instant.ofEpochMilli(merged).toString());
        }
        ArrayNode list = out.putArray("profiles");
        for (String name : names) {
            TrafficView.ProfileTraffic t = traffic.profile(name);
            if (t == null) {
                t = new TrafficView.ProfileTraffic(name, 0, List.of());
            }
            list.add(profile(t, by, limit, geo));
        }
        ctx.json(out);
    }

    private static ObjectNode profile(TrafficView.ProfileTraffic t, TrafficReport.Order by, int limit, GeoLocator geo) {
        ObjectNode o = NODES.objectNode();
        o.put("profile", t.profile());
        o.put("queries", tenth(t.queries()));
        o.put("networksKept", t.networks().size());
        ArrayNode networks = o.putArray("networks");
        for (TrafficReport.Located l : TrafficReport.networks(t, by, limit, geo)) {
            TrafficView.NetworkTraffic n = l.traffic();
            ObjectNode row = networks.addObject();
            row.put("network", n.network().toString());
            row.put("queries", tenth(n.queries()));
            row.put("error", tenth(n.error()));
            row.put("share", t.queries() > 0 ? Math.round(n.queries() / t.queries() * 10_000) / 10_000.0 : 0);
            if (n.endpoint() != null) {
                row.put("endpoint", n.endpoint());
            }
            if (n.region() != null) {
                row.put("region", n.region());
            }
            if (!Double.isNaN(n.rttMs())) {
                row.put("rttMs", tenth(n.rttMs()));
            }
            row.put("lastSeen", Instant.ofEpochMilli(n.lastSeenMillis()).toString());
            GeoLocation at = l.location();
            if (at.known() || !at.countryCode().isEmpty()) {
                ObjectNode loc = row.putObject("location");
                if (!at.countryCode().isEmpty()) {
                    loc.put("country", at.countryCode());
                }
                if (!at.subdivision().isEmpty()) {
                    loc.put("subdivision", at.subdivision());
                }
                if (at.known()) {
                    loc.put("latitude", TrafficReport.round(at.latitude()));
                    loc.put("longitude", TrafficReport.round(at.longitude()));
                }
            }
        }
        ArrayNode places = o.putArray("places");
        for (TrafficReport.Place p : TrafficReport.places(t, by, limit, geo)) {
            ObjectNode row = places.addObject();
            row.put("place", p.name());
            if (!p.country().isEmpty()) {
                row.put("country", p.country());
            }
            if (!p.subdivision().isEmpty()) {
                row.put("subdivision", p.subdivision());
            }
            if (!Double.isNaN(p.latitude())) {
                row.put("latitude", p.latitude());
                row.put("longitude", p.longitude());
            }
            row.put("queries", tenth(p.queries()));
            row.put("networks", p.networks());
            if (!Double.isNaN(p.rttMs())) {
                row.put("rttMs", tenth(p.rttMs()));
            }
        }
        return o;
    }

    /**
     * {@code GET /api/v1/agent/targets?region=REGION[&limit=N]}: the networks that send the most
     * queries, over every profile, each with an address to measure it by.
     */
    void targets(Context ctx) {
        List<ProfileWrites.FieldError> errors = new ArrayList<>();
        int limit = limit(ctx, "limit", DEFAULT_TARGETS, MAX_TARGETS, errors);
        String regionText = ctx.queryParam("region");
        Region region = null;
        if (regionText == null || regionText.isBlank()) {
            errors.add(new ProfileWrites.FieldError(null, "region", "is required: the region the agent measures from"));
        } else {
            region = snapshot.get().config().catalogue().find(regionText.strip()).orElse(null);
            if (region == null) {
                errors.add(new ProfileWrites.FieldError(null, "region", "unknown region '" + regionText.strip()
                        + "'; the regions are listed by wayfinder regions"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("invalid query", errors);
        }
        ObjectNode out = NODES.objectNode();
        out.put("region", region.name());
        ArrayNode list = out.putArray("targets");
        for (TrafficView.Target t : traffic.targets(limit)) {
            ObjectNode o = list.addObject();
            o.put("network", t.network().toString());
            o.put("address", t.address().addressText());
            o.put("addressFrom", t.fromResolver() ? "resolver" : "ecs-network");
            o.put("queries", tenth(t.queries()));
        }
        ctx.json(out);
    }

    private static int limit(Context ctx, String name, int otherwise, int max, List<ProfileWrites.FieldError> errors) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new ProfileWrites.FieldError(null, name, "must be a whole number from 1 to " + max + ", not " + text));
        return otherwise;
    }

    private static double tenth(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
