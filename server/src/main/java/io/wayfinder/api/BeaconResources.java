package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.beacon.AddressRateLimiter;
import io.wayfinder.beacon.BeaconCounters;
import io.wayfinder.beacon.BeaconCounters.PostRejection;
import io.wayfinder.beacon.BeaconKey;
import io.wayfinder.beacon.BeaconScript;
import io.wayfinder.beacon.ClientAddress;
import io.wayfinder.control.BeaconKeys;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.MeasurementCheck;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import io.wayfinder.profile.WayfinderConfig.RumSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real-user beacon over HTTP: its application keys ({@code /api/v1/rum/keys}, with a token),
 * and the public side a browser talks to without one: the script ({@code GET /rum.js}), the posts
 * of what it measured ({@code POST /rum}, and the CORS preflight a browser may send first), and the
 * probe object ({@code GET /rum/probe}).
 *
 * <pre>
 *   POST /rum?key=K
 *     -> latency.rum set?              no: 404 (off)
 *     -> client address                the peer, or a trusted proxy's header (400 if unreadable)
 *     -> rate limit (client address)   over: 429 with Retry-After
 *     -> key known, not revoked?       no: 403
 *     -> Origin one of the key's?      no: 403, without CORS headers
 *     -> body (text/plain or JSON, at most 16 KiB, {"samples": [...]})    else 400 / 413 / 415
 *     -> each sample: the measurements API's rules, and a region of the targets
 *     -> the learner (source rum:K); 200 {accepted, rejected, rejections}
 * </pre>
 *
 * The script posts with {@code navigator.sendBeacon} (text/plain: a "simple" request, no preflight);
 * a client that posts JSON with {@code fetch} gets a preflight answered from the same key and
 * origins. The answer to an allowed origin carries {@code Access-Control-Allow-Origin} with that
 * origin (never {@code *}: the beacon's requests may carry credentials, which {@code *} forbids).
 */
final class BeaconResources {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonMapper STRICT = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    /** A post of 64 regions with long names is under 8 KiB. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /**
     * What is read and dropped of a body that is too large, so that its sender gets the 413 rather
     * than a reset: four times the limit, since a page's beacon is a few hundred bytes.
     */
    static final long DRAIN_BYTES = 4L * MAX_BODY_BYTES;
    /** Samples in one post: one a region, and {@code latency.rum.targets} has at most 64. */
    static final int MAX_SAMPLES = 64;
    /** How long a browser may reuse a preflight's answer (Chrome caps it at two hours). */
    static final String PREFLIGHT_MAX_AGE = "600";
    /** How long the script may be cached: an edit of the targets reaches pages within this. */
    static final String SCRIPT_MAX_AGE = "300";
    private static final Set<String> BODY_TYPES = Set.of("text/plain", RequestBodies.JSON);
    private static final List<String> SAMPLE_KEYS = List.of("region", "rttMs", "timing");

    private final BeaconKeys keys;
    private final BeaconCounters counters;
    private final LatencyLearningService learning;
    private final Supplier<Snapshot> snapshot;
    private final Clock clock;
    private final LongSupplier nanos;
    /** The rate limiter of the settings being served; replaced (and so emptied) when they change. */
    private volatile Limiter limiter;

    private record Limiter(int perMinute, int burst, int tracked, AddressRateLimiter buckets) {
    }

    /**
     * @param learning the learning service, or null when learning is off (then so is the beacon)
     * @param nanos    a monotonic clock for the rate limit (System::nanoTime)
     */
    BeaconResources(BeaconKeys keys, BeaconCounters counters, LatencyLearningService learning, Supplier<Snapshot> snapshot,
                    Clock clock, LongSupplier nanos) {
        this.keys = keys;
        this.counters = counters;
        this.learning = learning;
        this.snapshot = snapshot;
        this.clock = clock;
        this.nanos = nanos;
    }

    // --- the keys (management API) ----------------------------------------------------------------

    /** {@code POST /api/v1/rum/keys}: {"name", "origins"}; 201 with the key. */
    void createKey(Context ctx) {
        JsonNode body = RequestBodies.json(ctx, Set.of(RequestBodies.JSON));
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be an object {\"name\": \"shop\", \"origins\":"
                    + " [\"https://shop.example.com\"]}", List.of());
        }
        List<ProfileWrites.FieldError> errors = new ArrayList<>();
        for (String k : body.propertyNames()) {
            if (!k.equals("name") && !k.equals("origins")) {
                errors.add(new ProfileWrites.FieldError(null, k, "unknown key; a key has name and origins"));
            }
        }
        JsonNode name = body.get("name");
        if (name != null && !name.isString()) {
            errors.add(new ProfileWrites.FieldError(null, "name", "must be a string"));
        }
        List<String> origins = new ArrayList<>();
        JsonNode o = body.get("origins");
        if (o != null && o.isString()) {
            origins.add(o.asString());
        } else if (o != null && o.isArray()) {
            for (int i = 0; i < o.size(); i++) {
                if (!o.get(i).isString()) {
                    errors.add(new ProfileWrites.FieldError(null, "origins[" + i + "]", "must be a string"));
                } else {
                    origins.add(o.get(i).asString());
                }
            }
        } else if (o != null) {
            errors.add(new ProfileWrites.FieldError(null, "origins", "must be a list of origins"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("invalid key", errors);
        }
        ApiToken token = ctx.attribute(ApiServer.TOKEN);
        BeaconKey created;
        try {
            created = keys.create(name == null ? null : name.asString(), origins, token.name());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(": ");
            throw ApiException.badRequest("invalid key", List.of(new ProfileWrites.FieldError(null,
                    colon < 0 ? "" : message.substring(0, colon), colon < 0 ? message : message.substring(colon + 2))));
        }
        ctx.status(201);
        ctx.header("Location", "/api/v1/rum/keys/" + created.key());
        ctx.json(json(created));
    }

    /** {@code GET /api/v1/rum/keys}: every key, revoked ones included. */
    void listKeys(Context ctx) {
        ObjectNode out = NODES.objectNode();
        ArrayNode list = out.putArray("keys");
        for (BeaconKey k : keys.list()) {
            list.add(json(k));
        }
        ctx.json(out);
    }

    /** {@code GET /api/v1/rum/keys/{key}}. */
    void getKey(Context ctx) {
        BeaconKey k = keys.find(ctx.pathParam("key"));
        if (k == null) {
            throw ApiException.notFound("no beacon key " + ctx.pathParam("key") + " (GET /api/v1/rum/keys lists them)");
        }
        ctx.json(json(k));
    }

    /** {@code DELETE /api/v1/rum/keys/{key}}: revokes it (it stays listed, revoked); 200 with it. */
    void revokeKey(Context ctx) {
        ApiToken token = ctx.attribute(ApiServer.TOKEN);
        BeaconKey k = keys.revoke(ctx.pathParam("key"), token.name());
        if (k == null) {
            throw ApiException.notFound("no beacon key " + ctx.pathParam("key") + " (GET /api/v1/rum/keys lists them)");
        }
        ctx.json(json(k));
    }

    static ObjectNode json(BeaconKey k) {
        ObjectNode o = NODES.objectNode();
        o.put("key", k.key());
        o.put("name", k.name());
        ArrayNode origins = o.putArray("origins");
        k.origins().forEach(origins::add);
        o.put("created", Instant.ofEpochMilli(k.createdMillis()).toString());
        o.put("createdBy", k.createdBy());
        if (k.revoked()) {
            o.put("revoked", Instant.ofEpochMilli(k.revokedMillis()).toString());
            o.put("revokedBy", k.revokedBy());
        }
        o.put("script", "/rum.js?key=" + k.key());
        return o;
    }

    // --- what browsers talk to (no token) ---------------------------------------------------------

    /** {@code GET /rum.js?key=KEY}: the script with this key's settings. */
    void script(Context ctx) {
        RumSettings rum = settings();
        if (rum == null) {
            throw off();
        }
        BeaconKey k = keys.find(ctx.queryParam("key"));
        if (k == null || k.revoked()) {
            throw new ApiException(k == null ? 404 : 403, k == null ? "no such beacon key: give ?key= as"
                    + " POST /api/v1/rum/keys made it" : "this beacon key was revoked");
        }
        ctx.header("Cache-Control", "public, max-age=" + SCRIPT_MAX_AGE);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType("text/javascript; charset=utf-8");
        ctx.result(BeaconScript.render(k.key(), rum.targets(), rum.fetches(), rum.sampleRate()));
    }

    /**
     * {@code GET /rum/probe}: the object browsers time. Empty, never cached, its timing open to
     * every origin ({@code Timing-Allow-Origin: *}), readable by every origin. Served whether or not
     * this server collects samples itself: a region needs only a Wayfinder (or any web server
     * answering the same way).
     */
    void probe(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("Timing-Allow-Origin", "*");
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.contentType("text/plain");
        ctx.result("");
    }

    /** {@code OPTIONS /rum?key=KEY}: the preflight of a post that is not a "simple" request (JSON by fetch). */
    void preflight(Context ctx) {
        if (settings() == null) {
            throw off();
        }
        BeaconKey k = keys.find(ctx.queryParam("key"));
        String origin = ctx.header("Origin");
        if (k == null || k.revoked() || origin == null || !k.allows(origin)) {
            // No CORS headers: the browser does not send the post.
            throw new ApiException(403, k == null ? "no such beacon key" : k.revoked() ? "this beacon key was revoked"
                    : "origin " + origin + " is not one of this key's origins");
        }
        cors(ctx, origin);
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE);
        ctx.status(204);
    }

    /** {@code POST /rum?key=KEY}: one page view's samples. */
    void post(Context ctx) {
        RumSettings rum = settings();
        if (rum == null || learning == null || learning.check() == null) {
            counters.rejected(PostRejection.OFF);
            throw off();
        }
        byte[] client;
        try {
            client = ClientAddress.resolve(IpPrefix.parseAddress(ctx.req().getRemoteAddr()),
                    header(ctx, rum.clientAddressHeader()), rum.trustedProxies());
        } catch (ClientAddress.Unreadable e) {
            counters.rejected(PostRejection.CLIENT_ADDRESS);
            throw new ApiException(400, e.getMessage() + " (from a trusted proxy; latency.rum.clientAddressHeader)");
        }
        long wait = limiter(rum).acquire(client, nanos.getAsLong());
        if (wait > 0) {
            counters.rateLimited();
            throw new ApiException(429, "too many posts from this address; at most " + rum.postsPerMinute()
                    + " a minute (latency.rum.rateLimit)", List.of(), Map.of("Retry-After", Long.toString(wait)));
        }
        String keyText = ctx.queryParam("key");
        BeaconKey k = keys.find(keyText);
        if (k == null || k.revoked()) {
            counters.rejected(k == null ? PostRejection.UNKNOWN_KEY : PostRejection.REVOKED_KEY);
            throw new ApiException(403, k == null ? "no such beacon key" + (keyText == null ? ": give ?key=" : "")
                    : "this beacon key was revoked");
        }
        String origin = ctx.header("Origin");
        if (!k.allows(origin)) {
            counters.rejected(PostRejection.ORIGIN);
            throw new ApiException(403, origin == null ? "no Origin: this key takes posts from its sites' pages only"
                    : "origin " + origin + " is not one of this key's origins");
        }
        if (origin != null) {
            cors(ctx, origin);
        }
        JsonNode samples = samples(ctx);
        Result r = check(samples, rum, IpPrefix.fromBytes(client, client.length * 8).addressText(), "rum:" + k.key());
        int taken = learning.add(r.accepted);
        counters.accepted(r.byResource, r.byClock);
        if (taken < r.accepted.size()) {
            counters.samplesDropped(r.accepted.size() - taken);
        }
        ObjectNode out = NODES.objectNode();
        out.put("accepted", taken);
        out.put("rejected", r.rejections.size());
        if (taken < r.accepted.size()) {
            out.put("dropped", r.accepted.size() - taken);
        }
        ArrayNode rejections = out.putArray("rejections");
        r.rejections.forEach(rejections::add);
        ctx.json(out);
    }

    /** What a post's samples came to. */
    private static final class Result {
        final List<Measurement> accepted = new ArrayList<>();
        final List<ObjectNode> rejections = new ArrayList<>();
        int byResource;
        int byClock;
    }

    /** Each sample by the measurements API's rules, for this client; and a region the beacon was told to measure. */
    private Result check(JsonNode samples, RumSettings rum, String clientIp, String source) {
        MeasurementCheck check = learning.check();
        long now = clock.millis();
        Result r = new Result();
        Set<String> seen = new HashSet<>();
        MeasurementCheck.Sample s = new MeasurementCheck.Sample();
        for (int i = 0; i < samples.size(); i++) {
            JsonNode item = samples.get(i);
            String reason;
            String field;
            String message;
            try {
                boolean resource = read(item, s);
                s.clientIp = clientIp;
                Measurement m = check.measurement(s, now, source, true);
                if (!rum.targets().containsKey(m.region())) {
                    reason = "target";
                    field = "region";
                    message = "region " + m.region() + " is not one of latency.rum.targets";
                } else if (!seen.add(m.region())) {
                    reason = MeasurementCheck.Reason.FORMAT.label();
                    field = "region";
                    message = "region " + m.region() + " is given twice";
                } else {
                    r.accepted.add(m);
                    if (resource) {
                        r.byResource++;
                    } else {
                        r.byClock++;
                    }
                    continue;
                }
            } catch (MeasurementCheck.Rejected e) {
                reason = e.reason().label();
                field = e.field();
                message = e.getMessage();
            }
            counters.sampleRejected(reason);
            ObjectNode o = NODES.objectNode();
            o.put("index", i);
            o.put("reason", reason);
            if (field != null) {
                o.put("field", field);
            }
            o.put("message", message);
            r.rejections.add(o);
        }
        return r;
    }

    /**
     * One sample's fields into the holder: {@code region}, {@code rttMs}, and {@code timing}
     * ({@code resource} or {@code clock}, how the browser timed it; absent: clock).
     *
     * @return whether the browser timed it with Resource Timing
     */
    private static boolean read(JsonNode item, MeasurementCheck.Sample s) throws MeasurementCheck.Rejected {
        s.reset();
        if (!item.isObject()) {
            throw new MeasurementCheck.Rejected(MeasurementCheck.Reason.FORMAT, null,
                    "a sample is an object {\"region\", \"rttMs\", \"timing\"}, not " + item.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        for (String key : item.propertyNames()) {
            if (!SAMPLE_KEYS.contains(key)) {
                throw new MeasurementCheck.Rejected(MeasurementCheck.Reason.FORMAT, key, "unknown key '" + key
                        + "'; a sample has " + String.join(", ", SAMPLE_KEYS) + " (the address is the connection's)");
            }
        }
        JsonNode region = item.get("region");
        if (region != null && !region.isNull()) {
            if (!region.isString()) {
                throw new MeasurementCheck.Rejected(MeasurementCheck.Reason.REGION, "region", "must be a string");
            }
            s.region = region.asString();
        }
        JsonNode rtt = item.get("rttMs");
        if (rtt != null && !rtt.isNull()) {
            if (!rtt.isNumber()) {
                throw new MeasurementCheck.Rejected(MeasurementCheck.Reason.RTT, "rttMs", "must be a number of milliseconds");
            }
            s.rttMs = rtt.doubleValue();
        }
        JsonNode timing = item.get("timing");
        if (timing == null || timing.isNull()) {
            return false;
        }
        if (!timing.isString() || !(timing.asString().equals("resource") || timing.asString().equals("clock"))) {
            throw new MeasurementCheck.Rejected(MeasurementCheck.Reason.FORMAT, "timing", "must be resource or clock");
        }
        return timing.asString().equals("resource");
    }

    /** The body's {@code samples} array, after the checks on the body as a whole. */
    private JsonNode samples(Context ctx) {
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!BODY_TYPES.contains(media)) {
            counters.rejected(PostRejection.BODY);
            throw new ApiException(415, (type == null ? "no Content-Type" : "Content-Type " + type)
                    + "; send text/plain (as navigator.sendBeacon does with a string) or application/json");
        }
        String text = body(ctx);
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (JacksonException e) {
            counters.rejected(PostRejection.BODY);
            throw new ApiException(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        JsonNode samples = root == null || !root.isObject() ? null : root.get("samples");
        if (samples == null || !samples.isArray() || root.size() != 1) {
            counters.rejected(PostRejection.BODY);
            throw new ApiException(400, "the body must be {\"samples\": [{\"region\": \"westeurope\", \"rttMs\": 23.5,"
                    + " \"timing\": \"resource\"}, ...]}");
        }
        if (samples.size() > MAX_SAMPLES) {
            counters.rejected(PostRejection.BODY);
            throw new ApiException(413, samples.size() + " samples; at most " + MAX_SAMPLES + " (one a region)");
        }
        return samples;
    }

    /** The post's body, at most {@link #MAX_BODY_BYTES}; one refused (too large, unreadable) is counted. */
    private String body(Context ctx) {
        try {
            return RequestBodies.text(ctx, MAX_BODY_BYTES, DRAIN_BYTES, () -> new ApiException(413,
                    "the body is larger than " + MAX_BODY_BYTES + " bytes", List.of(), Map.of("Connection", "close")));
        } catch (ApiException refused) {
            counters.rejected(PostRejection.BODY);
            throw refused;
        }
    }

    private static void cors(Context ctx, String origin) {
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Vary", "Origin");
    }

    /** Every value of a header, joined with commas in the order received; null when absent. */
    private static String header(Context ctx, String name) {
        List<String> values = Collections.list(ctx.req().getHeaders(name));
        return values.isEmpty() ? null : String.join(",", values);
    }

    private AddressRateLimiter limiter(RumSettings rum) {
        Limiter l = limiter;
        if (l == null || l.perMinute() != rum.postsPerMinute() || l.burst() != rum.burst()
                || l.tracked() != rum.trackedAddresses()) {
            synchronized (this) {
                l = limiter;
                if (l == null || l.perMinute() != rum.postsPerMinute() || l.burst() != rum.burst()
                        || l.tracked() != rum.trackedAddresses()) {
                    l = new Limiter(rum.postsPerMinute(), rum.burst(), rum.trackedAddresses(),
                            new AddressRateLimiter(rum.postsPerMinute(), rum.burst(), rum.trackedAddresses()));
                    limiter = l;
                }
            }
        }
        return l.buckets();
    }

    private RumSettings settings() {
        Snapshot s = snapshot.get();
        return s == null || s.config() == null ? null : s.config().latency().rum();
    }

    private static ApiException off() {
        return ApiException.notFound("the real-user beacon is off: set latency.rum (with latency.learn: true)");
    }
}
