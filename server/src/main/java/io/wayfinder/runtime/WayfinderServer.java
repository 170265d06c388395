package io.wayfinder.runtime;

import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.dns.server.DnsServer;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.HealthView;
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
public final class WayfinderServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WayfinderServer.class);

    /** What the query path reads; replaced whole, never mutated. */
    private final AtomicReference<Snapshot> published;
    private final Path configFile;
    private final DnsServer dns;
    private final ConfigWatcher watcher;
    private volatile LoadedConfig loaded;
    private final java.util.concurrent.atomic.AtomicLong reloads = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rejectedReloads = new java.util.concurrent.atomic.AtomicLong();

    /** Options a command line may give over the configuration. */
    public record Options(List<ListenAddress> listenOverride, int threads, long watchIntervalMillis) {
        public static Options defaults() {
            return new Options(List.of(), Runtime.getRuntime().availableProcessors(), 2000);
        }
    }

    private WayfinderServer(Path configFile, LoadedConfig loaded, AtomicReference<Snapshot> published, DnsServer dns,
                            long watchMillis) {
        this.configFile = configFile;
        this.published = published;
        this.loaded = loaded;
        this.dns = dns;
        this.watcher = watchMillis > 0 ? new ConfigWatcher(watchedFiles(loaded), this::reload, watchMillis) : null;
    }

    public static WayfinderServer start(Path configFile, Options options)
            throws ConfigException, IOException, InterruptedException {
        LoadedConfig loaded = LoadedConfig.load(configFile);
        loaded.sources().log();
        Snapshot snapshot = loaded.snapshot(HealthView.UNMONITORED);
        logProfiles(loaded.config());
        AtomicReference<Snapshot> holder = new AtomicReference<>(snapshot);
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
            throw e;
        }
        return new WayfinderServer(configFile, loaded, holder, dns, options.watchIntervalMillis());
    }

    private static void logProfiles(WayfinderConfig config) {
        LOG.info("serving {} zone(s) {} and {} profile(s): {}", config.zones().size(),
                config.zones().stream().map(z -> z.name()).toList(), config.profiles().size(),
                config.profiles().stream().map(p -> p.name() + (p.fqdn() == null ? "" : " (" + p.fqdn() + ")")).toList());
    }

    /** Re-reads the configuration and its sources; on success publishes a new snapshot. */
    public synchronized boolean reload() {
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
        next.sources().log();
        Snapshot snapshot = next.snapshot(HealthView.UNMONITORED);
        published.set(snapshot);
        loaded = next;
        if (watcher != null) {
            watcher.watch(watchedFiles(next));
        }
        logProfiles(next.config());
        reloads.incrementAndGet();
        LOG.info("configuration {} reloaded", configFile);
        return true;
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
    public long reloads() {
        return reloads.get();
    }

    /** Reloads that were rejected, leaving the previous configuration in service. */
    public long rejectedReloads() {
        return rejectedReloads.get();
    }

    public Snapshot snapshot() {
        return published.get();
    }

    public List<InetSocketAddress> dnsAddresses() {
        return dns.addresses();
    }

    public DnsServer dns() {
        return dns;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
        dns.close();
    }
}
