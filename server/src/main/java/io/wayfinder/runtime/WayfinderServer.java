package io.wayfinder.runtime;

import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.dns.server.DnsServer;
import io.wayfinder.health.HealthMonitor;
import io.wayfinder.health.NettyProber;
import io.wayfinder.health.StatusChange;
import io.wayfinder.metrics.MetricsEndpoint;
import io.wayfinder.metrics.MetricsSource;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.HealthView;
import io.wayfinder.routing.RoutingTable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Wayfinder: the DNS listeners answering from the current snapshot, and the control
 * path that replaces the snapshot when the configuration or its data files change. A
 * configuration that fails to load is logged with every error and the running one stays.
 */
public final class WayfinderServer implements AutoCloseable, MetricsSource {
    private static final Logger LOG = LoggerFactory.getLogger(WayfinderServer.class);

    /** What the query path reads; replaced whole, never mutated. */
    private final AtomicReference<Snapshot> published;
    private final Path configFile;
    private final DnsServer dns;
    private final ConfigWatcher watcher;
    private final NettyProber prober;
    private final HealthMonitor health;
    private final FailOpenWatch failOpen = new FailOpenWatch();
    private final NestedStatusWatch nestedStatuses = new NestedStatusWatch();
    private volatile MetricsEndpoint metrics;
    private volatile LoadedConfig loaded;
    /** True from the moment a reload starts reconfiguring health until its snapshot is swapped in. */
    private volatile boolean reconfiguring;
    private final java.util.concurrent.atomic.AtomicLong reloads = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rejectedReloads = new java.util.concurrent.atomic.AtomicLong();

    /** Options a command line may give over the configuration. */
    public record Options(List<ListenAddress> listenOverride, int threads, long watchIntervalMillis) {
        public static Options defaults() {
            return new Options(List.of(), Runtime.getRuntime().availableProcessors(), 1000);
        }
    }

    private WayfinderServer(Path configFile, LoadedConfig loaded, AtomicReference<Snapshot> published, DnsServer dns,
                            NettyProber prober, HealthMonitor health, long watchMillis) {
        this.configFile = configFile;
        this.published = published;
        this.loaded = loaded;
        this.dns = dns;
        this.prober = prober;
        this.health = health;
        this.watcher = watchMillis > 0 ? new ConfigWatcher(watchedFiles(loaded), this::reload, watchMillis) : null;
    }

    public static WayfinderServer start(Path configFile, Options options)
            throws ConfigException, IOException, InterruptedException {
        LoadedConfig loaded = LoadedConfig.load(configFile);
        loaded.sources().log();
        logProfiles(loaded.config());
        AtomicReference<Snapshot> holder = new AtomicReference<>();
        // Health changes arrive on the monitor's thread; the server (created below) publishes them.
        AtomicReference<WayfinderServer> self = new AtomicReference<>();
        NettyProber prober = new NettyProber(java.time.Clock.systemUTC());
        HealthMonitor health = new HealthMonitor(prober, java.time.Clock.systemUTC(), (view, changes) -> {
            WayfinderServer server = self.get();
            if (server != null) {
                server.publishHealth(view, changes);
            }
        });
        health.configure(loaded.config());
        holder.set(loaded.snapshot(health.view()));
        DnsServer dns = new DnsServer(() -> new QueryAnswerer(holder::get), Math.max(1, options.threads()));
        List<ListenAddress> listen = options.listenOverride().isEmpty() ? loaded.config().dns().listen()
                : options.listenOverride();
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (ListenAddress a : listen) {
            addresses.add(a.toSocketAddress());
        }
        try {
            dns.start(addresses);
        } catch (IOException | InterruptedException | RuntimeException e) {
            dns.close();
            health.close();
            prober.close();
            throw e;
        }
        WayfinderServer server = new WayfinderServer(configFile, loaded, holder, dns, prober, health,
                options.watchIntervalMillis());
        server.observe(holder.get().routing());
        self.set(server);
        health.start();
        if (loaded.config().metricsListen() != null) {
            try {
                server.metrics = MetricsEndpoint.start(loaded.config().metricsListen().toSocketAddress(), server);
                LOG.info("metrics on http://{}/metrics", new ListenAddress(loaded.config().metricsListen().host(),
                        server.metrics.port()));
            } catch (IOException e) {
                server.close();
                throw new java.net.BindException("cannot serve metrics on " + loaded.config().metricsListen() + ": " + e.getMessage());
            }
        }
        // A change that arrived before `self` was set is in health.view(): publish it now.
        server.publishHealth(health.view(), List.of());
        return server;
    }

    /**
     * Rebuilds the routing table for the current state of health and swaps it in. The view is read
     * under the lock, so a late caller can never publish an older state over a newer one.
     */
    private synchronized void publishHealth(HealthView ignored, List<StatusChange> changes) {
        if (reconfiguring) {
            return; // the health view already follows the next configuration; swapIn publishes both together
        }
        Snapshot next = published.get().withHealth(health.view());
        published.set(next);
        observe(next.routing());
    }

    /** What each new routing table is checked for: fail-open, and nested endpoints whose status rolled up differently. */
    private void observe(RoutingTable table) {
        failOpen.observe(table);
        nestedStatuses.observe(table);
    }

    private static void logProfiles(WayfinderConfig config) {
        LOG.info("serving {} zone(s) {} and {} profile(s): {}", config.zones().size(),
                config.zones().stream().map(z -> z.name()).toList(), config.profiles().size(),
                config.profiles().stream().map(p -> p.name() + (p.fqdn() == null ? "" : " (" + p.fqdn() + ")")).toList());
    }

    /**
     * Re-reads the configuration and its sources; on success publishes a new snapshot. Loading
     * happens outside the lock (it may take seconds for a large table), so health changes keep
     * flowing meanwhile; only the swap is serialised with them. Called by one thread at a time.
     */
    public boolean reload() {
        LoadedConfig next;
        try {
            next = LoadedConfig.load(configFile);
        } catch (ConfigException e) {
            rejectedReloads.incrementAndGet();
            LOG.error("configuration {} rejected; still serving the previous one:\n{}", configFile, e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            rejectedReloads.incrementAndGet();
            LOG.error("configuration {} could not be loaded; still serving the previous one: {}", configFile, e.getMessage());
            return false;
        }
        if (!next.config().dns().equals(loaded.config().dns())) {
            LOG.warn("dns.listen changed; listeners change only on restart");
        }
        if (!java.util.Objects.equals(next.config().metricsListen(), loaded.config().metricsListen())) {
            LOG.warn("metrics.listen changed; the metrics listener changes only on restart");
        }
        next.sources().log();
        // Outside the lock: the monitor's thread takes the lock to publish, and configure() waits for
        // that thread. Until swapIn, health changes are not published: the view would be the next
        // configuration's and the snapshot the previous one's.
        reconfiguring = true;
        try {
            health.configure(next.config());
        } catch (RuntimeException e) {
            reconfiguring = false; // a monitor that is closing: keep publishing what it reports
            throw e;
        }
        swapIn(next);
        if (watcher != null) {
            watcher.watch(watchedFiles(next));
        }
        logProfiles(next.config());
        reloads.incrementAndGet();
        LOG.info("configuration {} reloaded", configFile);
        return true;
    }

    private synchronized void swapIn(LoadedConfig next) {
        Snapshot snapshot;
        try {
            snapshot = next.snapshot(health.view()); // built once already by load(): it does not fail
        } finally {
            reconfiguring = false;
        }
        published.set(snapshot);
        observe(snapshot.routing());
        loaded = next;
    }

    private static List<Path> watchedFiles(LoadedConfig loaded) {
        List<Path> files = new ArrayList<>();
        files.add(loaded.file());
        files.addAll(loaded.config().latency().sources());
        files.addAll(loaded.config().geolocation().csv());
        files.addAll(loaded.config().geolocation().mmdb());
        return files;
    }

    /** Reloads that replaced the configuration. */
    @Override
    public long reloads() {
        return reloads.get();
    }

    /** Reloads that were rejected, leaving the previous configuration in service. */
    @Override
    public long rejectedReloads() {
        return rejectedReloads.get();
    }

    @Override
    public Snapshot snapshot() {
        return published.get();
    }

    public List<InetSocketAddress> dnsAddresses() {
        return dns.addresses();
    }

    public DnsServer dns() {
        return dns;
    }

    public HealthMonitor health() {
        return health;
    }

    /** The port metrics are served on, or -1 when they are not. */
    public int metricsPort() {
        MetricsEndpoint m = metrics;
        return m == null ? -1 : m.port();
    }

    @Override
    public io.wayfinder.dns.server.ServerStats dnsStats() {
        return dns.stats();
    }

    @Override
    public long probes(boolean successful) {
        return health.probes(successful);
    }

    /** How many times a profile started failing open or answering with its fallback. */
    @Override
    public long failOpenEntries() {
        return failOpen.entries();
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        health.close();
        prober.close();
        dns.close();
    }
}
