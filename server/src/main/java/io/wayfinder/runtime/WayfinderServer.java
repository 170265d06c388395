package io.wayfinder.runtime;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.wayfinder.answer.AnswerCounts;
import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.api.ApiLimits;
import io.wayfinder.api.ApiServer;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.ConfigLoader;
import io.wayfinder.control.ConfigReloads;
import io.wayfinder.beacon.BeaconCounters;
import io.wayfinder.control.BeaconKeys;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.LatencySource;
import io.wayfinder.control.LoadedConfig;
import io.wayfinder.control.ProfileSource;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.control.ServedConfig;
import io.wayfinder.control.SnapshotPublisher;
import io.wayfinder.control.StoreProfiles;
import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.ratelimit.ResponseRateSettings;
import io.wayfinder.dns.server.BindFailure;
import io.wayfinder.dns.server.DnsServer;
import io.wayfinder.dns.server.ServerStats;
import io.wayfinder.dns.server.TcpLimits;
import io.wayfinder.dns.server.UdpTransport;
import io.wayfinder.geo.GeoLookupFailures;
import io.wayfinder.health.HealthMonitor;
import io.wayfinder.health.NettyProber;
import io.wayfinder.latency.learn.LatencyLearning;
import io.wayfinder.metrics.MetricsEndpoint;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.RateLimitSettings;
import io.wayfinder.profile.TcpSettings;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.store.ProfileStore;
import io.wayfinder.store.SqliteProfileStore;
import io.wayfinder.time.CpuYield;
import io.wayfinder.time.ThreadScheduler;
import io.wayfinder.traffic.TrafficView;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Wayfinder, wired: the DNS listeners answering from the published snapshot, the control
 * path that publishes it ({@link SnapshotPublisher} on its own thread, with health monitoring),
 * live configuration reloads on a watcher thread, the metrics endpoint and, with {@code api:}, the
 * management API and Traffic View (its own thread merging what the event loops count, kept in
 * {@code storage.dir}). Objects are made here
 * with constructors, in dependency order; nothing refers back to this class.
 */
public final class WayfinderServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WayfinderServer.class);

    private final ThreadScheduler control;
    private final ThreadScheduler watcherThread;
    /** With latency.learn: the learning service and its thread; null without. */
    private final LatencyLearningService learning;
    private final ThreadScheduler learningThread;
    /** With api: Traffic View and the thread that merges and saves it; null without. */
    private final TrafficView traffic;
    private final ThreadScheduler trafficThread;
    private final NettyProber prober;
    private final SnapshotPublisher publisher;
    private final DnsServer dns;
    /** Its answers, watched by the builds beside the query path ({@link CpuYield#giveWayTo}). */
    private final CpuYield.Registration queriesFirst;
    private final ConfigReloads reloads;
    private final MetricsEndpoint metrics;
    /** With api: the store holding the profiles and the API server; null without. */
    private final ProfileStore store;
    private final ApiServer api;

    /**
     * How often the configuration and its data files are polled: a few stat calls, so often enough
     * that an edit applies a fraction of a second after its quiet period ({@code reload.quietPeriod}).
     */
    public static final long DEFAULT_WATCH_INTERVAL_MILLIS = 250;

    /**
     * Options a command line may give over the configuration.
     *
     * @param metricsListenOverride where metrics are served instead of {@code metrics.listen} (also
     *                              when the file has none), or null
     * @param apiLimits             what clients may hold of the API (tests shrink them)
     */
    public record Options(List<ListenAddress> listenOverride, int threads, long watchIntervalMillis,
                          ListenAddress metricsListenOverride, LatencyLearningService.Learners learners,
                          ApiLimits apiLimits) {
        public Options(List<ListenAddress> listenOverride, int threads, long watchIntervalMillis) {
            this(listenOverride, threads, watchIntervalMillis, null);
        }

        public Options(List<ListenAddress> listenOverride, int threads, long watchIntervalMillis,
                       ListenAddress metricsListenOverride) {
            this(listenOverride, threads, watchIntervalMillis, metricsListenOverride, LatencyLearningService.Learners.LEARNED,
                    ApiLimits.DEFAULT);
        }

        /** The same options with another learner (tests give a small one). */
        public Options withLearners(LatencyLearningService.Learners other) {
            return new Options(listenOverride, threads, watchIntervalMillis, metricsListenOverride, other, apiLimits);
        }

        /** The same options with other API limits (tests shrink them). */
        public Options withApiLimits(ApiLimits other) {
            return new Options(listenOverride, threads, watchIntervalMillis, metricsListenOverride, learners, other);
        }

        public static Options defaults() {
            return new Options(List.of(), Runtime.getRuntime().availableProcessors(), DEFAULT_WATCH_INTERVAL_MILLIS);
        }
    }

    /** A listener could not bind its address; says which listener, which address, and whether it is in use. */
    public static final class ListenFailure extends BindException {
        /** What was to listen there. */
        public enum Listener { DNS, METRICS, API }

        private final Listener listener;
        private final ListenAddress address;
        private final boolean inUse;

        ListenFailure(Listener listener, ListenAddress address, boolean inUse, Throwable cause) {
            super(cause.getMessage());
            initCause(cause);
            this.listener = listener;
            this.address = address;
            this.inUse = inUse;
        }

        public Listener listener() {
            return listener;
        }

        public ListenAddress address() {
            return address;
        }

        /** Whether another socket holds the address: choosing another port fixes it. */
        public boolean inUse() {
            return inUse;
        }
    }

    private WayfinderServer(ThreadScheduler control, ThreadScheduler watcherThread, LatencyLearningService learning,
                            ThreadScheduler learningThread, TrafficView traffic, ThreadScheduler trafficThread,
                            NettyProber prober, SnapshotPublisher publisher, DnsServer dns,
                            CpuYield.Registration queriesFirst, ConfigReloads reloads, MetricsEndpoint metrics, ProfileStore store, ApiServer api) {
        this.control = control;
        this.watcherThread = watcherThread;
        this.learning = learning;
        this.learningThread = learningThread;
        this.traffic = traffic;
        this.trafficThread = trafficThread;
        this.prober = prober;
        this.publisher = publisher;
        this.dns = dns;
        this.queriesFirst = queriesFirst;
        this.reloads = reloads;
        this.metrics = metrics;
        this.store = store;
        this.api = api;
    }

    public static WayfinderServer start(Path configFile, Options options)
            throws ConfigException, IOException, InterruptedException {
        CpuYield.primeTheCompiler(); // before the table's first load compiles the build's loops
        ClassHierarchyWarmup.loadClasses(); // before the query path is compiled
        Clock clock = Clock.systemUTC();
        GeoLookupFailures geoFailures = new GeoLookupFailures(clock);
        ConfigLoader.FileRead read = ConfigLoader.read(configFile);
        // Without api: the file holds the profiles; with it, the store (seeded from the file once), which
        // also holds the beacon's keys.
        SqliteProfileStore store = null;
        ProfileSource profiles = ProfileSource.FILE;
        LoadedConfig loaded;
        try {
            if (read.config().api() != null) {
                store = SqliteProfileStore.open(read.config().storage().dir(), clock);
                profiles = new StoreProfiles(store, ConfigLoader.reader());
                LOG.info("profiles come from the store {} (api: is set); the file holds the other settings", store.describe());
            }
            loaded = ConfigLoader.complete(read, profiles, clock, geoFailures);
        } catch (ConfigException | IOException | RuntimeException e) {
            if (store != null) {
                store.close();
            }
            throw e;
        }
        loaded.sources().log();
        logProfiles(loaded.config());
        // With latency.learn (which needs api:): the learner, restored from its checkpoint in storage.dir.
        LatencyLearningService learning = null;
        ThreadScheduler learningThread = null;
        if (loaded.config().latency().learn()) {
            Path checkpoint = LatencyLearningService.checkpointFile(loaded.config().storage().dir());
            LatencyLearning learner;
            try {
                learner = options.learners().open(checkpoint, LatencyLearningService.parameters(loaded.config().latency()));
            } catch (IOException | RuntimeException e) {
                store.close();
                throw new IOException("the learned latency state " + checkpoint + " cannot be read (" + e.getMessage()
                        + "); move it aside to start with nothing learned, or restore it from a backup", e);
            }
            learningThread = new ThreadScheduler("latency-learning", clock);
            learning = new LatencyLearningService(learner, learningThread, checkpoint);
            LOG.info("latency learning: on, rebuilt every {} s; learned state in {}",
                    loaded.config().latency().rebuildInterval().toSeconds(), checkpoint);
        }
        ThreadScheduler control = new ThreadScheduler("control", clock);
        ThreadScheduler watcherThread = new ThreadScheduler("config-watcher", clock);
        NettyProber prober = new NettyProber(clock);
        SnapshotPublisher publisher = new SnapshotPublisher(control, prober,
                learning == null ? LatencySource.CONFIGURED : learning);
        ResponseRateLimiter rateLimiter = new ResponseRateLimiter(rateLimit(loaded.config()));
        LOG.info("response-rate limit (UDP): {}", ResponseRateLimiter.describe(rateLimiter.settings()));
        // Live: every published snapshot carries the configuration; update() ignores an unchanged one.
        publisher.onPublish(snapshot -> rateLimiter.update(rateLimit(snapshot.config())));
        AnswerCounts answerCounts = new AnswerCounts();
        // With api: Traffic View (the API is what reads it), restored from storage.dir.
        ThreadScheduler trafficThread = store == null ? null : new ThreadScheduler("traffic", clock);
        TrafficView traffic = store == null ? null : new TrafficView(trafficThread,
                loaded.config().storage().dir().resolve(TrafficView.FILE), TrafficView.Settings.DEFAULT);
        DnsServer dns;
        try {
            dns = new DnsServer(loop -> new QueryAnswerer(publisher::snapshot, answerCounts,
                    traffic == null ? null : traffic.recorder(loop)), Math.max(1, options.threads()),
                    rateLimiter, tcpLimits(loaded.config().dns().tcp()), UdpTransport.parse(loaded.config().dns().udpTransport()));
        } catch (IllegalStateException e) { // dns.udpTransport: ffm where it cannot run; the message says why
            closeAll(null, null, null, learning, learningThread, traffic, trafficThread, publisher, null, prober,
                    watcherThread, control, store);
            throw new IOException(e.getMessage(), e);
        }
        ConfigReloads reloads = null;
        MetricsEndpoint metrics = null;
        ApiServer api = null;
        CpuYield.Registration queriesFirst = null;
        try {
            publisher.configurationLoaded(loaded).join(); // the first snapshot, before any query can come
            if (learning != null) {
                learning.start(publisher::latencyChanged); // the first rebuild at once, from the restored state
            }
            if (traffic != null) {
                traffic.start();
            }
            try {
                dns.start(addresses(options, loaded.config()));
            } catch (BindFailure e) {
                throw new ListenFailure(ListenFailure.Listener.DNS, listenAddress(e.address()), e.inUse(), e);
            }
            // While queries are answered, the builds beside them (reloads, the learner's rebuilds) give way.
            queriesFirst = CpuYield.giveWayTo(dns.stats()::responses);
            ServedConfig served = new ServedConfig(publisher, profiles, clock, loaded);
            reloads = new ConfigReloads(served, watcherThread, loaded, options.watchIntervalMillis(), geoFailures);
            BeaconCounters beaconCounters = new BeaconCounters();
            PrometheusRegistry registry = MetricsEndpoint.registry(new ServerMetrics(publisher, dns, reloads, answerCounts,
                    learning, traffic, beaconCounters));
            metrics = startMetrics(options.metricsListenOverride() != null ? options.metricsListenOverride()
                    : loaded.config().metricsListen(), registry);
            if (store != null) {
                api = startApi(loaded.config(), options.apiLimits(), new ApiServer.Parts(publisher, served, new ProfileWrites(served, store), store,
                        registry, () -> publisher.snapshot() != null && !dns.addresses().isEmpty(), clock, learning,
                        traffic, new BeaconKeys(store, clock), beaconCounters));
            }
            publisher.startProbing().join();
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (queriesFirst != null) {
                queriesFirst.close();
            }
            closeAll(reloads, metrics, api, learning, learningThread, traffic, trafficThread, publisher, dns, prober,
                    watcherThread, control, store);
            throw e;
        }
        return new WayfinderServer(control, watcherThread, learning, learningThread, traffic, trafficThread, prober, publisher,
                dns, queriesFirst, reloads, metrics, store, api);
    }

    private static ApiServer startApi(WayfinderConfig config, ApiLimits limits, ApiServer.Parts parts) throws IOException {
        ListenAddress listen = config.api().listen();
        try {
            ApiServer api = ApiServer.start(listen.toSocketAddress(), parts, limits);
            LOG.info("API on http://{}/api/v1 ({} token(s): {}); metrics also on http://{}/metrics",
                    new ListenAddress(listen.host(), api.port()), config.api().tokens().size(),
                    config.api().tokens().stream().map(t -> t.name() + " (" + t.role() + ")").toList(),
                    new ListenAddress(listen.host(), api.port()));
            return api;
        } catch (RuntimeException e) {
            throw new ListenFailure(ListenFailure.Listener.API, listen, BindFailure.isAddressInUse(e),
                    new BindException("cannot serve the API on " + listen + ": " + e.getMessage()));
        }
    }

    /** {@code dns.rateLimit} as the limiter takes it. */
    static ResponseRateSettings rateLimit(WayfinderConfig config) {
        RateLimitSettings s = config.dns().rateLimit();
        return new ResponseRateSettings(s.responsesPerSecond(), s.slip(), s.ipv4PrefixLength(), s.ipv6PrefixLength());
    }

    /** dns.tcp in the listeners' terms; read once, at start (like dns.listen). */
    static TcpLimits tcpLimits(TcpSettings tcp) {
        return TcpLimits.of(tcp.idleTimeout(), tcp.messageTimeout(), tcp.writeTimeout(), tcp.maxConnections(),
                tcp.maxConnectionsPerAddress(), tcp.maxPendingAnswers());
    }

    private static ListenAddress listenAddress(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return ListenAddress.parse((host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
    }

    private static List<InetSocketAddress> addresses(Options options, WayfinderConfig config) {
        List<ListenAddress> listen = options.listenOverride().isEmpty() ? config.dns().listen() : options.listenOverride();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (ListenAddress a : listen) {
            addresses.add(a.toSocketAddress());
        }
        return addresses;
    }

    private static MetricsEndpoint startMetrics(ListenAddress listen, PrometheusRegistry registry) throws IOException {
        if (listen == null) {
            return null;
        }
        try {
            MetricsEndpoint endpoint = MetricsEndpoint.start(listen.toSocketAddress(), registry);
            LOG.info("metrics on http://{}/metrics", new ListenAddress(listen.host(), endpoint.port()));
            return endpoint;
        } catch (IOException e) {
            throw new ListenFailure(ListenFailure.Listener.METRICS, listen, BindFailure.isAddressInUse(e),
                    new BindException("cannot serve metrics on " + listen + ": " + e.getMessage()));
        }
    }

    private static void logProfiles(WayfinderConfig config) {
        LOG.info("serving {} zone(s) {} and {} profile(s): {}", config.zones().size(),
                config.zones().stream().map(z -> z.name()).toList(), config.profiles().size(),
                config.profiles().stream().map(p -> p.name() + (p.fqdn() == null ? "" : " (" + p.fqdn() + ")")).toList());
    }

    /** Re-reads the configuration now (as the file watcher does); returns whether it replaced the running one. */
    public boolean reload() {
        return reloads.reload();
    }

    public long reloads() {
        return reloads.reloads();
    }

    public long rejectedReloads() {
        return reloads.rejected();
    }

    public Snapshot snapshot() {
        return publisher.snapshot();
    }

    public SnapshotPublisher publisher() {
        return publisher;
    }

    public List<InetSocketAddress> dnsAddresses() {
        return dns.addresses();
    }

    public DnsServer dns() {
        return dns;
    }

    public HealthMonitor health() {
        return publisher.health();
    }

    /** The port the API is served on, or -1 without api:. */
    public int apiPort() {
        return api == null ? -1 : api.port();
    }

    /** Clients of the API's event stream connected now (0 without api:). */
    public int apiEventClients() {
        return api == null ? 0 : api.eventClients();
    }

    /** The port metrics are served on, or -1 when they are not. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    public ServerStats dnsStats() {
        return dns.stats();
    }

    public long probes(boolean successful) {
        return publisher.health().probes(successful);
    }

    public long failOpenEntries() {
        return publisher.failOpenEntries();
    }

    /** Latency learning, or null without {@code latency.learn}. */
    public LatencyLearningService learning() {
        return learning;
    }

    /** Traffic View, or null without {@code api:}. */
    public TrafficView trafficView() {
        return traffic;
    }

    @Override
    public void close() {
        queriesFirst.close();
        closeAll(reloads, metrics, api, learning, learningThread, traffic, trafficThread, publisher, dns, prober,
                watcherThread, control, store);
    }

    /** Stops what was started, in reverse order; null for parts not started. */
    private static void closeAll(ConfigReloads reloads, MetricsEndpoint metrics, ApiServer api, LatencyLearningService learning,
                                 ThreadScheduler learningThread, TrafficView traffic, ThreadScheduler trafficThread,
                                 SnapshotPublisher publisher, DnsServer dns, NettyProber prober,
                                 ThreadScheduler watcherThread, ThreadScheduler control, ProfileStore store) {
        if (api != null) {
            api.close(); // no write can start after this
        }
        if (learning != null) {
            learning.close(); // a last checkpoint: stopping loses no sample
        }
        if (learningThread != null) {
            learningThread.close();
        }
        if (reloads != null) {
            reloads.close();
        }
        watcherThread.close();
        if (metrics != null) {
            metrics.close();
        }
        try {
            publisher.close().get(1, TimeUnit.SECONDS); // timers cancelled on the control thread, then it stops
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("the control thread did not stop its health checks in time; stopping it anyway");
        }
        control.close();
        prober.close();
        if (dns != null) {
            dns.close();
        }
        if (traffic != null) {
            traffic.close(); // after the event loops stopped: their last counts are merged and saved
        }
        if (trafficThread != null) {
            trafficThread.close();
        }
        if (store != null) {
            store.close();
        }
    }
}
