package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.MeasurementCheck;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.learn.LatencyLearning;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Decision;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Latency learning through the API: measurements in ({@code POST /api/v1/measurements}), a rebuild
 * on request, and what the learned table holds (coverage, one client's network). Every route
 * answers 404 with a message when learning is off ({@code latency.learn}).
 */
final class LatencyResources {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String NDJSON = "application/x-ndjson";
    /** What {@code ?source=} may say: where the measurements come from, kept with each. */
    private static final java.util.regex.Pattern SOURCE = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    /**
     * Batches read at once. Each holds up to 100,000 measurements until it is read whole (about
     * 10 MB); the others wait their turn, so memory stays bounded whatever the number of senders,
     * and two cores are kept busy.
     */
    static final int CONCURRENT_BATCHES = 4;
    /** How long a batch waits for its turn before the sender is told to come back (503). */
    static final long BATCH_WAIT_SECONDS = 30;
    /** A rebuild asked for through the API is waited for this long (a 10 M-network table takes tens of seconds). */
    static final long REBUILD_WAIT_SECONDS = 600;

    private final LatencyLearningService learning;
    private final Supplier<Snapshot> snapshot;
    private final Clock clock;
    private final Semaphore batches = new Semaphore(CONCURRENT_BATCHES, true);

    /** @param learning the service, or null when learning is off */
    LatencyResources(LatencyLearningService learning, Supplier<Snapshot> snapshot, Clock clock) {
        this.learning = learning;
        this.snapshot = snapshot;
        this.clock = clock;
    }

    private LatencyLearningService learning() {
        if (learning == null) {
            throw ApiException.notFound("latency learning is off: set latency.learn: true in the configuration"
                    + " (read at start; it needs api:)");
        }
        return learning;
    }

    /**
     * {@code POST /api/v1/measurements[?source=NAME]}: a JSON array or JSON lines of samples;
     * answers what was accepted and rejected.
     */
    void post(Context ctx) throws InterruptedException {
        LatencyLearningService service = learning();
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals(RequestBodies.JSON) && !media.equals(NDJSON)) {
            throw new ApiException(415, (type == null ? "no Content-Type" : "Content-Type " + type) + "; send "
                    + RequestBodies.JSON + " (an array) or " + NDJSON + " (JSON lines)");
        }
        String source = ctx.queryParam("source") == null ? "api" : ctx.queryParam("source").strip();
        if (!SOURCE.matcher(source).matches()) {
            throw ApiException.badRequest("invalid query", List.of(new ProfileWrites.FieldError(null, "source",
                    "must be 1-64 letters, digits and . _ : - (where the measurements come from: import, rum, agent:westeurope)")));
        }
        MeasurementCheck check = service.check();
        if (ctx.req().getContentLengthLong() > MeasurementStream.MAX_BYTES) {
            try (InputStream in = ctx.req().getInputStream()) {
                throw MeasurementStream.tooLarge(new MeasurementStream.LimitedInput(in, MeasurementStream.MAX_BYTES));
            } catch (IOException e) {
                throw RequestBodies.unreadable(e);
            }
        }
        if (!batches.tryAcquire(BATCH_WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new ApiException(503, "too many batches are being read; send this one again shortly", List.of(),
                    Map.of("Retry-After", "1"));
        }
        MeasurementStream.Batch batch;
        int taken;
        try (InputStream in = ctx.req().getInputStream()) {
            batch = MeasurementStream.read(in, media.equals(NDJSON), check, clock.millis(), source);
            taken = service.add(batch.accepted());
        } catch (IOException e) {
            throw RequestBodies.unreadable(e);
        } finally {
            batches.release();
        }
        ObjectNode out = NODES.objectNode();
        out.put("accepted", taken);
        out.put("rejected", batch.rejected());
        if (taken < batch.accepted().size()) {
            // Valid, but the learner has too many new samples waiting to be folded in: send them again later.
            out.put("dropped", batch.accepted().size() - taken);
        }
        ObjectNode byReason = out.putObject("rejectedByReason");
        for (MeasurementCheck.Reason r : MeasurementCheck.Reason.values()) {
            long n = batch.rejectedByReason()[r.ordinal()];
            if (n > 0) {
                byReason.put(r.label(), n);
                service.rejected(r, n);
            }
        }
        ArrayNode rejections = out.putArray("rejections");
        for (MeasurementStream.Rejection r : batch.rejections()) {
            ObjectNode o = rejections.addObject();
            o.put("index", r.index());
            if (r.line() != null) {
                o.put("line", r.line());
            }
            o.put("reason", r.reason());
            if (r.field() != null) {
                o.put("field", r.field());
            }
            o.put("message", r.message());
        }
        ctx.json(out);
    }

    /** {@code POST /api/v1/latency/rebuild}: rebuilds now and answers once the new table is served. */
    void rebuild(Context ctx) throws InterruptedException {
        LatencyLearningService.Rebuild r = await(learning().rebuildSoon(), REBUILD_WAIT_SECONDS, "the rebuild");
        ObjectNode out = NODES.objectNode();
        out.put("rebuiltAt", r.at().toString());
        out.put("tookMillis", r.took().toMillis());
        out.put("networks", r.networks());
        out.put("cells", r.cells());
        ctx.json(out);
    }

    /** {@code GET /api/v1/latency/coverage}: networks with own data, borrowed data or only the model; per region samples and ages. */
    void coverage(Context ctx) {
        LatencyLearningService service = learning();
        LatencyLearning.Coverage c = service.coverage();
        LatencyLearningService.Rebuild last = service.lastRebuild();
        if (c == null || last == null) {
            throw new ApiException(503, "the first rebuild since the start has not finished yet", List.of(),
                    Map.of("Retry-After", "1"));
        }
        ObjectNode out = NODES.objectNode();
        out.put("rebuiltAt", last.at().toString());
        ObjectNode networks = out.putObject("networks");
        networks.put("ownData", c.networksWithOwnData());
        networks.put("borrowedData", c.networksWithBorrowedData());
        networks.put("modelOnly", c.networksModelOnly());
        out.put("pendingSamples", c.pendingSamples());
        out.put("droppedSamples", c.droppedSamples());
        ArrayNode regions = out.putArray("regions");
        for (LatencyLearning.RegionCoverage r : c.regions()) {
            ObjectNode o = regions.addObject();
            o.put("region", r.region());
            o.put("samples", r.samples());
            o.put("networks", r.networks());
            ObjectNode age = o.putObject("ageMillis");
            age.put("p50", r.ageP50Millis());
            age.put("p90", r.ageP90Millis());
        }
        ArrayNode trust = out.putArray("trust");
        for (LatencyLearning.LevelTrust t : c.trust()) {
            ObjectNode o = trust.addObject();
            o.put("level", t.level());
            o.put("sdMs", round(t.sdMs()));
            o.put("pseudoSamples", round(t.pseudoSamples()));
            o.put("heldOutRmseMs", round(t.heldOutRmseMs()));
            o.put("heldOutCells", t.heldOutCells());
        }
        ctx.json(out);
    }

    /**
     * {@code GET /api/v1/latency?client=IP[&region=a,b]}: for the client's network (/24, /48; or
     * the prefix given), per region, what routing reads now and the learner's evidence behind it.
     */
    void client(Context ctx) {
        LatencyLearningService service = learning();
        String client = ctx.queryParam("client");
        if (client == null || client.isBlank()) {
            throw ApiException.badRequest("invalid query", List.of(new ProfileWrites.FieldError(null, "client",
                    "is required: an address (its /24 or /48 is shown) or a network")));
        }
        IpPrefix network;
        try {
            network = client.contains("/") ? IpPrefix.parse(client) : networkOf(client);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid query", List.of(new ProfileWrites.FieldError(null, "client", e.getMessage())));
        }
        Snapshot now = snapshot.get();
        RegionCatalogue catalogue = now.config().catalogue();
        List<String> regions = regions(ctx.queryParam("region"), now, service, catalogue);
        List<LatencyLearning.Evidence> evidence = service.explain(network, regions);
        LatencyEstimator estimator = now.routing().estimator();
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        lookup.reset(network);
        ObjectNode out = NODES.objectNode();
        out.put("client", client);
        out.put("network", network.toString());
        ArrayNode rows = out.putArray("regions");
        for (String region : regions) {
            Region r = catalogue.find(region).orElseThrow();
            estimator.estimate(lookup, estimator.table().column(r.name()), r.latitude(), r.longitude());
            ObjectNode o = rows.addObject();
            o.put("region", r.name());
            ObjectNode served = o.putObject("served");
            if (Double.isInfinite(lookup.rttMs())) {
                served.putNull("rttMs");
            } else {
                served.put("rttMs", Math.round(lookup.rttMs() * 10) / 10.0);
            }
            served.put("evidence", lookup.evidence().label());
            if (lookup.evidenceLength() > 0) {
                served.put("network", network.truncate(Math.min(lookup.evidenceLength(), network.length())).toString());
            }
            for (LatencyLearning.Evidence e : evidence) {
                if (e.region().equals(r.name())) {
                    o.set("learned", learned(e));
                }
            }
        }
        ctx.json(out);
    }

    /** The learner's evidence as the API writes it: the fields of explain's {@code learned}. */
    static ObjectNode learned(LatencyLearning.Evidence e) {
        return DecisionJson.MAPPER.valueToTree(view(e));
    }

    /** The learner's evidence in the decision's terms (NaN and "none" as absent fields). */
    static Decision.Learned view(LatencyLearning.Evidence e) {
        return new Decision.Learned(orNull(e.estimateMs()), orNull(e.uncertaintyMs()), e.kind(),
                e.network() == null ? null : e.network().toString(), Math.round(e.effectiveSamples() * 10) / 10.0,
                e.ageMillis() < 0 ? null : e.ageMillis(), e.borrowedFrom() == null || e.borrowedFrom().isEmpty()
                        ? null : e.borrowedFrom(), orNull(e.tableMs()));
    }

    private static Double orNull(double ms) {
        return Double.isFinite(ms) ? round(ms) : null;
    }

    private static double round(double ms) {
        return Double.isFinite(ms) ? Math.round(ms * 10) / 10.0 : ms;
    }

    /** A client address's network: where the learner aggregates (/24, /48). */
    static IpPrefix networkOf(String address) {
        byte[] bytes = IpPrefix.parseAddress(address);
        return IpPrefix.fromBytes(bytes, bytes.length == 4 ? MeasurementCheck.IPV4_NETWORK : MeasurementCheck.IPV6_NETWORK);
    }

    /** The regions asked for, or those the served table and the learner know. */
    private static List<String> regions(String asked, Snapshot now, LatencyLearningService service, RegionCatalogue catalogue) {
        Set<String> out = new LinkedHashSet<>();
        if (asked != null && !asked.isBlank()) {
            List<ProfileWrites.FieldError> errors = new ArrayList<>();
            for (String name : asked.split(",")) {
                Region r = catalogue.find(name.strip()).orElse(null);
                if (r == null) {
                    errors.add(new ProfileWrites.FieldError(null, "region", "unknown region '" + name.strip() + "'"
                            + catalogue.suggest(name.strip()).map(s -> " (did you mean '" + s + "'?)").orElse("")));
                } else {
                    out.add(r.name());
                }
            }
            if (!errors.isEmpty()) {
                throw ApiException.badRequest("invalid query", errors);
            }
            return List.copyOf(out);
        }
        for (String region : now.routing().estimator().table().regions()) {
            catalogue.find(region).ifPresent(r -> out.add(r.name()));
        }
        LatencyLearning.Coverage c = service.coverage();
        if (c != null) {
            for (LatencyLearning.RegionCoverage r : c.regions()) {
                catalogue.find(r.region()).ifPresent(found -> out.add(found.name()));
            }
        }
        return List.copyOf(out);
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future, long seconds, String what) throws InterruptedException {
        try {
            return future.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, what + " did not answer within " + seconds + " s", List.of(), Map.of("Retry-After", "5"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ApiException(500, what + " failed (logged): " + cause, List.of(), Map.of());
        }
    }
}
