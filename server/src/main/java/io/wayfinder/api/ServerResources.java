package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.LoadedConfig;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.control.ServedConfig;
import io.wayfinder.health.HealthMonitor;
import io.wayfinder.latency.learn.LatencyLearning;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.read.ProfileTreeReader;
import io.wayfinder.routing.Decision;
import io.wayfinder.routing.DecisionRecorder;
import io.wayfinder.routing.Profile;
import io.wayfinder.store.ProfileStore;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The read-only views of the running server: status, explain, the audit log. */
final class ServerResources {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int DEFAULT_AUDIT_LIMIT = 100;
    static final int MAX_AUDIT_LIMIT = 1000;

    private final Supplier<Snapshot> snapshot;
    private final HealthMonitor health;
    private final ServedConfig served;
    private final ProfileStore store;
    private final LatencyLearningService learning;

    /** @param learning latency learning, whose evidence explain adds to each estimate; null when it is off */
    ServerResources(Supplier<Snapshot> snapshot, HealthMonitor health, ServedConfig served, ProfileStore store,
                    LatencyLearningService learning) {
        this.snapshot = snapshot;
        this.health = health;
        this.served = served;
        this.store = store;
        this.learning = learning;
    }

    /** {@code GET /api/v1/status}: what {@code wayfinder status} prints, from the running server. */
    void status(Context ctx) {
        LoadedConfig config = served.current();
        ctx.json(StatusView.of(snapshot.get(), health.reports(),
                new StatusView.Source(config.file().toString(), "store", config.profileRevision()), Instant.now()));
    }

    /** {@code GET /api/v1/explain?profile=&client=&type=}: the decision {@code explain --json} prints, with live health. */
    void explain(Context ctx) {
        List<ProfileWrites.FieldError> errors = new java.util.ArrayList<>();
        String profile = ctx.queryParam("profile");
        String client = ctx.queryParam("client");
        String type = ctx.queryParam("type") == null ? "A" : ctx.queryParam("type");
        if (profile == null || profile.isBlank()) {
            errors.add(new ProfileWrites.FieldError(null, "profile", "is required: the profile to route through"));
        }
        IpPrefix network = null;
        boolean subnet = client != null && client.contains("/");
        if (client == null || client.isBlank()) {
            errors.add(new ProfileWrites.FieldError(null, "client", "is required: an address (a resolver's) or a prefix (an ECS subnet)"));
        } else {
            try {
                network = subnet ? IpPrefix.parse(client) : IpPrefix.parse(client + (client.contains(":") ? "/128" : "/32"));
            } catch (IllegalArgumentException e) {
                errors.add(new ProfileWrites.FieldError(null, "client", e.getMessage()));
            }
        }
        if (!type.equalsIgnoreCase("A") && !type.equalsIgnoreCase("AAAA")) {
            errors.add(new ProfileWrites.FieldError(null, "type", "must be A or AAAA, not " + type));
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("invalid query", errors);
        }
        Snapshot now = snapshot.get();
        Profile p = now.routing().profile(profile);
        if (p == null) {
            throw ApiException.notFound("no profile named '" + profile + "' is served");
        }
        Decision decision = DecisionRecorder.explain(now.routing(), p, network, subnet, type.equalsIgnoreCase("AAAA"));
        if (learning != null) {
            decision = withLearned(decision, subnet ? network : LatencyResources.networkOf(client));
        }
        ctx.contentType("application/json");
        ctx.result(DecisionJson.MAPPER.writeValueAsString(decision));
    }

    /** Each estimate with the learner's evidence for the client's network and the estimate's region. */
    private Decision withLearned(Decision decision, IpPrefix network) {
        Set<String> regions = new LinkedHashSet<>();
        for (Decision.Step step : decision.steps()) {
            for (Decision.RegionEstimate e : step.estimates()) {
                regions.add(e.region());
            }
        }
        Map<String, Decision.Learned> views = new HashMap<>();
        for (LatencyLearning.Evidence e : learning.explain(network, List.copyOf(regions))) {
            views.put(e.region(), LatencyResources.view(e));
        }
        return decision.withLearned(estimate -> views.get(estimate.region()));
    }

    /** {@code GET /api/v1/audit?limit=&since=&profile=}: accepted writes, newest first. */
    void audit(Context ctx) {
        int limit = DEFAULT_AUDIT_LIMIT;
        Instant since = null;
        List<ProfileWrites.FieldError> errors = new java.util.ArrayList<>();
        String limitText = ctx.queryParam("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText.strip());
                if (limit < 1 || limit > MAX_AUDIT_LIMIT) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                errors.add(new ProfileWrites.FieldError(null, "limit", "must be a whole number from 1 to " + MAX_AUDIT_LIMIT
                        + ", not " + limitText));
            }
        }
        String sinceText = ctx.queryParam("since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText.strip());
            } catch (DateTimeParseException e) {
                errors.add(new ProfileWrites.FieldError(null, "since", "must be a UTC time as 2030-01-31T12:00:00Z, not " + sinceText));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("invalid query", errors);
        }
        ObjectNode out = NODES.objectNode();
        ArrayNode entries = out.putArray("entries");
        for (ProfileStore.AuditEntry e : store.audit(since, ctx.queryParam("profile"), limit)) {
            ObjectNode o = entries.addObject();
            o.put("id", e.id());
            o.put("time", e.time().toString());
            o.put("revision", e.revision());
            o.put("actor", e.actor());
            o.put("action", e.action());
            o.put("resource", e.resource());
            ArrayNode changes = o.putArray("changes");
            e.changes().forEach(changes::add);
            o.set("before", e.before() == null ? NODES.nullNode() : parse(e.before()));
            o.set("after", e.after() == null ? NODES.nullNode() : parse(e.after()));
        }
        ctx.json(out);
    }

    private static tools.jackson.databind.JsonNode parse(String json) {
        try {
            return ProfileTreeReader.parseJson(json);
        } catch (ConfigException e) {
            return NODES.stringNode(json);
        }
    }
}
