package io.wayfinder.api;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JettyConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson3;
import io.javalin.security.RouteRole;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wayfinder.beacon.BeaconCounters;
import io.wayfinder.control.BeaconKeys;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.control.ServedConfig;
import io.wayfinder.control.SnapshotPublisher;
import io.wayfinder.net.ConnectionSlots;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import io.wayfinder.profile.WayfinderConfig.RumSettings;
import io.wayfinder.store.ProfileStore;
import io.wayfinder.store.StoreException;
import io.wayfinder.traffic.TrafficView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The management API: JSON over HTTP on {@code api.listen}. Every route is declared here, in
 * {@link #routes}, with who may call it; the handlers are in {@link ProfileResources},
 * {@link ServerResources} and {@link EventStream}.
 *
 * <pre>
 *   request -> route? no: 404, or 405 with Allow when the path has other methods
 *           -> token (Authorization: Bearer)? not valid: 401; a reader writing: 403
 *           -> handler -> ApiException(status, errors) or a body
 * </pre>
 *
 * Every error is the same JSON: {@code {"status": 400, "error": "Bad Request", "message": "...",
 * "errors": [{"profile": "web", "path": "endpoints[0].target", "message": "..."}]}}. Writes go
 * through {@link ProfileWrites}, which makes them events of the control path; this package holds no
 * state of its own but the event stream's buffers.
 *
 * <p>Jetty runs on a pool of its own ({@value #MAX_THREADS} threads at most, named {@code api-*}),
 * never on the DNS event loops. A request holds one of them while it is handled (its body is read
 * blocking), an event-stream watcher while connected; so what clients may hold is bounded
 * ({@link ApiLimits}): connections, all clients together and per address
 * ({@link ApiConnectionLimit}), bodies, how slowly each may arrive and how many are read at once
 * ({@link BodyReadLimit}), and watchers ({@link EventStream}). A connection that moves no byte for
 * Jetty's idle timeout (30 s) is closed, a client that stopped reading its event stream included.
 * Every error answer and every refused connection is counted and logged, rate-limited
 * ({@link ApiErrors}).
 */
public final class ApiServer implements AutoCloseable {
    static final String TOKEN = "wayfinder.token";
    /** The message of an error answer, for {@link ApiErrors}' log line. */
    private static final String ERROR_MESSAGE = "wayfinder.error";
    /** Set on a request whose failure {@link FailedRequests} logged: its answer is counted, not logged again. */
    private static final String FAILURE_LOGGED = "wayfinder.failure-logged";
    static final int MAX_THREADS = 48;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    /** Who may call a route. */
    enum Access implements RouteRole {
        /** No token: liveness, readiness, metrics. */
        OPEN,
        /** A reader or a writer token. */
        READ,
        /** A writer token. */
        WRITE,
        /** A writer or a measurer token: posting measurements, and the agents' targets. */
        MEASURE
    }

    /** One route: method, path (Javalin's {@code {param}} syntax), who may call it, and its handler. */
    record Route(HandlerType method, String path, Access access, Handler handler) {
    }

    /**
     * What the API serves from: the running server's parts.
     *
     * @param learning       latency learning, or null when it is off ({@code latency.learn})
     * @param traffic        Traffic View
     * @param beaconKeys     the real-user beacon's application keys (in the store)
     * @param beaconCounters what the beacon's endpoint did, for the metrics
     */
    public record Parts(SnapshotPublisher publisher, ServedConfig served, ProfileWrites writes, ProfileStore store,
                        PrometheusRegistry metrics, BooleanSupplier ready, Clock clock, LatencyLearningService learning,
                        TrafficView traffic, BeaconKeys beaconKeys, BeaconCounters beaconCounters) {
    }

    private final Javalin app;
    private final EventStream events;
    private final HeaderDeadline headerDeadline;

    private ApiServer(Javalin app, EventStream events, HeaderDeadline headerDeadline) {
        this.app = app;
        this.events = events;
        this.headerDeadline = headerDeadline;
    }

    /** Starts serving on {@code address} (port 0 picks a free one) and subscribes to the publisher's events. */
    public static ApiServer start(InetSocketAddress address, Parts parts) {
        return start(address, parts, ApiLimits.DEFAULT);
    }

    /** The same with other limits (tests shrink them). */
    public static ApiServer start(InetSocketAddress address, Parts parts, ApiLimits limits) {
        EventStream events = new EventStream(parts.clock());
        parts.publisher().onEvent(events::publish);
        List<Route> routes = routes(parts, events);
        TokenAuth auth = new TokenAuth(() -> {
            var snapshot = parts.publisher().snapshot();
            WayfinderConfig config = snapshot == null ? null : snapshot.config();
            return config == null ? null : config.api();
        });
        ApiErrors errors = new ApiErrors(System::nanoTime);
        FailedRequests failures = new FailedRequests(System::nanoTime);
        ConnectionSlots slots = limits.connectionSlots();
        if (parts.metrics() != null) {
            ApiMetrics.register(parts.metrics(), errors, slots);
        }
        ApiConnectionLimit connectionLimit = new ApiConnectionLimit(slots, () -> trustedProxies(parts), errors,
                limits.headerTime().toMillis());
        HeaderDeadline headerDeadline = new HeaderDeadline(limits.headerTime(), System::nanoTime, errors);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            jetty(cfg.jetty, address, connectionLimit, headerDeadline, new BodyReadLimit(limits.bodyPace(), limits.maxBodyReads(),
                    System::nanoTime), errors);
            cfg.requestLogger.http((ctx, millis) -> {
                if (ctx.statusCode() < 400) {
                    return;
                }
                String route = routeOf(ctx.path(), routes);
                if (ctx.attribute(FAILURE_LOGGED) != null) {
                    errors.counted(ctx.statusCode(), route);
                } else {
                    errors.answered(ctx.statusCode(), route, requestLine(ctx), ctx.req().getRemoteAddr(),
                            ctx.attribute(ERROR_MESSAGE));
                }
            });
            cfg.http.maxRequestSize = RequestBodies.MAX_BYTES;
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jsonMapper(new JavalinJackson3(JSON, false));
            cfg.routes.beforeMatched(ctx -> authorize(ctx, auth));
            for (Route r : routes) {
                cfg.routes.addHttpHandler(r.method(), r.path(), r.handler(), r.access());
            }
            cfg.routes.exception(ApiException.class, (e, ctx) -> render(ctx, e));
            cfg.routes.exception(StoreException.class, (e, ctx) -> {
                failures.storeFailed(requestLine(ctx), e);
                ctx.attribute(FAILURE_LOGGED, true);
                render(ctx, new ApiException(503, "the store failed: " + e.getMessage()));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                failures.failed(requestLine(ctx), e);
                ctx.attribute(FAILURE_LOGGED, true);
                render(ctx, new ApiException(500, "internal error (logged): " + e.getClass().getSimpleName()));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.attribute("wayfinder.rendered") == null) {
                    render(ctx, notFoundOrWrongMethod(ctx, routes));
                }
            });
            cfg.routes.error(405, ctx -> {
                if (ctx.attribute("wayfinder.rendered") == null) {
                    render(ctx, notFoundOrWrongMethod(ctx, routes));
                }
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            events.close();
            headerDeadline.close();
            throw e;
        }
        return new ApiServer(app, events, headerDeadline);
    }

    /**
     * Jetty under Javalin: its own pool, one connector on {@code address} that refuses connections
     * over the limits, the body limits around Javalin's handler, and Jetty's own error pages (for
     * requests that reach no route) counted with the API's.
     */
    private static void jetty(JettyConfig jetty, InetSocketAddress address, ApiConnectionLimit connectionLimit,
                              HeaderDeadline headerDeadline, BodyReadLimit bodyLimit, ApiErrors errors) {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
        pool.setName("api");
        jetty.threadPool = pool;
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(address.getAddress().getHostAddress());
            connector.setPort(address.getPort());
            connector.addEventListener(connectionLimit);
            connector.addEventListener(headerDeadline);
            return connector;
        });
        jetty.modifyServer(server -> {
            server.setHandler(bodyLimit); // Javalin puts its own inside
            server.setErrorHandler(new UnroutedErrors(errors));
        });
    }

    /** Every route of the API, in one place. */
    private static List<Route> routes(Parts parts, EventStream events) {
        ProfileResources profiles = new ProfileResources(parts.store(), parts.writes(), parts.publisher()::snapshot);
        ServerResources server = new ServerResources(parts.publisher()::snapshot, parts.publisher().health(), parts.served(),
                parts.store(), parts.learning());
        LatencyResources latency = new LatencyResources(parts.learning(), parts.publisher()::snapshot, parts.clock());
        TrafficResources traffic = new TrafficResources(parts.traffic(), parts.publisher()::snapshot);
        BeaconResources beacon = new BeaconResources(parts.beaconKeys(), parts.beaconCounters(), parts.learning(),
                parts.publisher()::snapshot, parts.clock(), System::nanoTime);
        List<Route> r = new ArrayList<>();
        r.add(new Route(HandlerType.GET, "/healthz", Access.OPEN, ctx -> ctx.json(Map.of("status", "alive"))));
        r.add(new Route(HandlerType.GET, "/readyz", Access.OPEN, ctx -> ready(ctx, parts.ready())));
        if (parts.metrics() != null) {
            r.add(new Route(HandlerType.GET, "/metrics", Access.OPEN, ctx -> metrics(ctx, parts.metrics())));
        }
        String p = "/api/v1/profiles/{name}";
        String e = p + "/endpoints/{endpoint}";
        r.add(new Route(HandlerType.GET, "/api/v1/profiles", Access.READ, profiles::list));
        r.add(new Route(HandlerType.GET, p, Access.READ, profiles::get));
        r.add(new Route(HandlerType.PUT, p, Access.WRITE, profiles::put));
        r.add(new Route(HandlerType.PATCH, p, Access.WRITE, profiles::patch));
        r.add(new Route(HandlerType.DELETE, p, Access.WRITE, profiles::delete));
        r.add(new Route(HandlerType.GET, e, Access.READ, profiles::getEndpoint));
        r.add(new Route(HandlerType.PUT, e, Access.WRITE, profiles::putEndpoint));
        r.add(new Route(HandlerType.PATCH, e, Access.WRITE, profiles::patchEndpoint));
        r.add(new Route(HandlerType.DELETE, e, Access.WRITE, profiles::deleteEndpoint));
        r.add(new Route(HandlerType.GET, "/api/v1/status", Access.READ, server::status));
        r.add(new Route(HandlerType.GET, "/api/v1/explain", Access.READ, server::explain));
        r.add(new Route(HandlerType.GET, "/api/v1/audit", Access.READ, server::audit));
        r.add(new Route(HandlerType.GET, "/api/v1/events", Access.READ, events::serve));
        r.add(new Route(HandlerType.POST, "/api/v1/measurements", Access.MEASURE, latency::post));
        r.add(new Route(HandlerType.POST, "/api/v1/latency/rebuild", Access.WRITE, latency::rebuild));
        r.add(new Route(HandlerType.GET, "/api/v1/latency/coverage", Access.READ, latency::coverage));
        r.add(new Route(HandlerType.GET, "/api/v1/latency", Access.READ, latency::client));
        r.add(new Route(HandlerType.GET, "/api/v1/traffic", Access.READ, traffic::traffic));
        r.add(new Route(HandlerType.GET, "/api/v1/agent/targets", Access.MEASURE, traffic::targets));
        r.add(new Route(HandlerType.POST, "/api/v1/rum/keys", Access.WRITE, beacon::createKey));
        r.add(new Route(HandlerType.GET, "/api/v1/rum/keys", Access.READ, beacon::listKeys));
        r.add(new Route(HandlerType.GET, "/api/v1/rum/keys/{key}", Access.READ, beacon::getKey));
        r.add(new Route(HandlerType.DELETE, "/api/v1/rum/keys/{key}", Access.WRITE, beacon::revokeKey));
        // The real-user beacon's public side: browsers call these without a token (see BeaconResources).
        r.add(new Route(HandlerType.GET, "/rum.js", Access.OPEN, beacon::script));
        r.add(new Route(HandlerType.POST, "/rum", Access.OPEN, beacon::post));
        r.add(new Route(HandlerType.OPTIONS, "/rum", Access.OPEN, beacon::preflight));
        r.add(new Route(HandlerType.GET, "/rum/probe", Access.OPEN, beacon::probe));
        r.add(new Route(HandlerType.HEAD, "/rum/probe", Access.OPEN, beacon::probe));
        return List.copyOf(r);
    }

    /**
     * 401 without a valid token; 403 for a reader on a write route, and for a measurer anywhere but
     * the measurements; the token is kept for the audit log.
     */
    private static void authorize(Context ctx, TokenAuth auth) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.contains(Access.OPEN)) {
            return;
        }
        ApiToken token = auth.authenticate(ctx.header("Authorization"));
        if (token == null) {
            throw new ApiException(401, ctx.header("Authorization") == null
                    ? "a token is required: Authorization: Bearer TOKEN (one of api.tokens)"
                    : "the token is not valid (it is not one of api.tokens)",
                    List.of(), Map.of("WWW-Authenticate", "Bearer realm=\"wayfinder\""));
        }
        if (token.role() == ApiToken.Role.measurer && !roles.contains(Access.MEASURE)) {
            throw new ApiException(403, "token '" + token.name() + "' is a measurer: it may only post measurements"
                    + " (POST /api/v1/measurements) and read the agents' targets (GET /api/v1/agent/targets)");
        }
        if (roles.contains(Access.WRITE) && token.role() != ApiToken.Role.writer) {
            throw new ApiException(403, "token '" + token.name() + "' is a reader; changing profiles needs a writer token");
        }
        if (roles.contains(Access.MEASURE) && token.role() == ApiToken.Role.reader) {
            throw new ApiException(403, "token '" + token.name() + "' is a reader; " + ctx.method() + " " + ctx.path()
                    + " needs a writer or a measurer token");
        }
        ctx.attribute(TOKEN, token);
    }

    /** No route for this method: 405 with Allow when the path has routes for other methods, else 404. */
    private static ApiException notFoundOrWrongMethod(Context ctx, List<Route> routes) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route r : routes) {
            if (matches(r.path(), ctx.path())) {
                allowed.add(r.method().name());
            }
        }
        if (allowed.isEmpty()) {
            return ApiException.notFound("no such resource: " + ctx.path() + " (see API reference in the README)");
        }
        return new ApiException(405, ctx.method().name() + " is not allowed on " + ctx.path() + "; allowed: "
                + String.join(", ", allowed), List.of(), Map.of("Allow", String.join(", ", allowed)));
    }

    /** The path pattern of the first route {@code path} fits, whatever the method; {@link ApiErrors#NO_ROUTE} when none. */
    static String routeOf(String path, List<Route> routes) {
        for (Route r : routes) {
            if (matches(r.path(), path)) {
                return r.path();
            }
        }
        return ApiErrors.NO_ROUTE;
    }

    /** What was asked, as a log line says it: {@code PUT /api/v1/profiles/web}. */
    private static String requestLine(Context ctx) {
        return ctx.method().name() + " " + ctx.path();
    }

    /** {@code latency.rum.trustedProxies} of the configuration being served; empty when none. */
    private static List<IpPrefix> trustedProxies(Parts parts) {
        var snapshot = parts.publisher().snapshot();
        RumSettings rum = snapshot == null || snapshot.config() == null ? null : snapshot.config().latency().rum();
        return rum == null ? List.of() : rum.trustedProxies();
    }

    /** Whether a concrete path fits a route's path, {@code {param}} matching any one segment. */
    static boolean matches(String pattern, String path) {
        String[] want = pattern.split("/", -1);
        String[] got = (path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path).split("/", -1);
        if (want.length != got.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!(want[i].startsWith("{") && !got[i].isEmpty()) && !want[i].equals(got[i])) {
                return false;
            }
        }
        return true;
    }

    private static void render(Context ctx, ApiException e) {
        ctx.attribute("wayfinder.rendered", true);
        ctx.attribute(ERROR_MESSAGE, e.getMessage());
        ObjectNode body = NODES.objectNode();
        body.put("status", e.status());
        body.put("error", reason(e.status()));
        body.put("message", e.getMessage());
        ArrayNode errors = body.putArray("errors");
        for (ProfileWrites.FieldError f : e.errors()) {
            ObjectNode o = errors.addObject();
            if (f.profile() != null) {
                o.put("profile", f.profile());
            }
            o.put("path", f.path());
            o.put("message", f.message());
        }
        e.headers().forEach(ctx::header);
        ctx.status(e.status());
        ctx.contentType("application/json");
        ctx.result(JSON.writeValueAsString(body));
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }

    private static void ready(Context ctx, BooleanSupplier ready) {
        boolean ok = ready.getAsBoolean();
        ctx.status(ok ? 200 : 503);
        ctx.json(Map.of("status", ok ? "ready" : "not ready: data sources not loaded or DNS listeners not bound"));
    }

    private static void metrics(Context ctx, PrometheusRegistry registry) throws IOException {
        ExpositionFormatWriter writer = FORMATS.findWriter(ctx.header("Accept"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, registry.scrape());
        ctx.contentType(writer.getContentType());
        ctx.result(out.toByteArray());
    }

    public int port() {
        return app.port();
    }

    /** Event-stream watchers connected now. */
    public int eventClients() {
        return events.clients();
    }

    @Override
    public void close() {
        events.close(); // ends the streams, so that stopping does not wait for them
        app.stop();
        headerDeadline.close();
    }
}
