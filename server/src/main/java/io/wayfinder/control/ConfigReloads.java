package io.wayfinder.control;

import io.wayfinder.geo.GeoLookupFailures;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.time.CpuYield;
import io.wayfinder.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live configuration: when the file or a data file it names has changed and then stayed unchanged
 * for the configuration's {@code reload.quietPeriod} ({@link ConfigWatcher}), loads it off the
 * control thread and hands the result to the {@link SnapshotPublisher}. A configuration that fails
 * to load, for whatever reason (errors in it, a damaged data file, even an {@code Error} such as
 * running out of memory) is logged, counted, timed for the metrics, and the running one stays; the
 * next change is loaded as usual.
 */
public final class ConfigReloads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloads.class);

    private final Path file;
    private final ServedConfig served;
    private final ProfileSource profiles;
    private final Clock clock;
    private final GeoLookupFailures geoFailures;
    private final ConfigWatcher watcher;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Clock millis of the last configuration applied (the first included), and of the last rejected (0: none yet). */
    private volatile long lastApplied;
    private volatile long lastRejected;
    /** The quiet period of the configuration being served (the watcher's, after each reload). */
    private long quietMillis;

    /**
     * @param watcherThread  where the files are polled and loaded (not the control thread)
     * @param current        the configuration being served, whose files are watched
     * @param intervalMillis how often the files are polled; 0 or less for never (reload by hand)
     */
    public ConfigReloads(SnapshotPublisher publisher, Scheduler watcherThread, LoadedConfig current, long intervalMillis) {
        this(publisher, watcherThread, current, intervalMillis, new GeoLookupFailures(watcherThread.clock()));
    }

    /** @param geoFailures where lookups in the geolocation databases of later loads count their failures */
    public ConfigReloads(SnapshotPublisher publisher, Scheduler watcherThread, LoadedConfig current, long intervalMillis,
                         GeoLookupFailures geoFailures) {
        this(new ServedConfig(publisher, ProfileSource.FILE, watcherThread.clock(), current), watcherThread, current,
                intervalMillis, geoFailures);
    }

    /**
     * @param served   the configuration served (whose profiles come from the file or the store), which
     *                 reloads replace through it, one change at a time with API writes
     * @param current  the configuration being served, whose files are watched
     */
    public ConfigReloads(ServedConfig served, Scheduler watcherThread, LoadedConfig current, long intervalMillis,
                         GeoLookupFailures geoFailures) {
        this.file = current.file();
        this.served = served;
        this.profiles = served.profiles();
        this.clock = watcherThread.clock();
        this.geoFailures = geoFailures;
        this.lastApplied = clock.millis();
        this.quietMillis = quietMillis(current);
        this.watcher = intervalMillis > 0
                ? new ConfigWatcher(watcherThread, current.stamps(), quietMillis, this::reload, intervalMillis) : null;
    }

    private static long quietMillis(LoadedConfig loaded) {
        return loaded.config().reload().quietPeriod().toMillis();
    }

    /**
     * Re-reads the configuration and its sources and, if they load, applies them and waits until
     * they are published. One reload at a time: a later file never loses to an earlier one.
     *
     * @return whether the configuration was replaced
     */
    public synchronized boolean reload() {
        Map<Path, FileStamp> before = watcher == null ? Map.of() : watcher.stampNow();
        long started = System.nanoTime();
        // Beside the query threads: the build gives way to them (on a small machine, a quarter of a
        // core while queries come: a reload has no deadline, and the query p99 pays for its share).
        LoadedConfig next = CpuYield.inBackground(CpuYield.Share.QUARTER, this::load);
        long loaded = System.nanoTime();
        boolean applied = next != null && apply(next);
        if (applied) {
            // The time first: whoever sees the count grow sees the time of that reload too.
            lastApplied = clock.millis();
            reloads.incrementAndGet();
            quietMillis = quietMillis(next);
            // How long a reload takes is what an operator of a large latency table wants to know (issue 13).
            LOG.info("configuration {}: reloaded in {} ms (loading its files {} ms, off the event loops)", file,
                    (System.nanoTime() - started) / 1_000_000, (loaded - started) / 1_000_000);
        } else {
            rejected.incrementAndGet();
            lastRejected = clock.millis();
        }
        if (watcher != null) {
            // Stamped before reading: what changed since (during the load included) is loaded next.
            watcher.watch(applied ? next.stamps() : before, quietMillis);
        }
        return applied;
    }

    /** The configuration loaded, or null (logged) when it cannot be. */
    private LoadedConfig load() {
        try {
            return ConfigLoader.reload(file, clock, geoFailures, profiles, served.current().plan());
        } catch (ConfigException e) {
            LOG.error("configuration {} rejected; still serving the previous one:\n{}", file, e.getMessage());
        } catch (Throwable e) { // IOException, a bug, or an Error: the watcher must outlive any file
            LOG.error("configuration {} could not be loaded; still serving the previous one: {}", file, e.toString());
        }
        return null;
    }

    private boolean apply(LoadedConfig next) {
        next.sources().log();
        try {
            served.applyReload(next);
            return true;
        } catch (ConfigException e) {
            LOG.error("configuration {} rejected with the store's latest profiles; still serving the previous one:\n{}",
                    file, e.getMessage());
        } catch (CompletionException e) {
            LOG.error("configuration {} could not be applied; still serving the previous one", file, e.getCause());
        } catch (Throwable e) {
            LOG.error("configuration {} could not be applied; still serving the previous one", file, e);
        }
        return false;
    }

    /** Reloads that replaced the configuration. */
    public long reloads() {
        return reloads.get();
    }

    /** Reloads that were rejected, leaving the previous configuration in service. */
    public long rejected() {
        return rejected.get();
    }

    /** When the configuration being served was applied (the first load included), in clock millis. */
    public long lastAppliedMillis() {
        return lastApplied;
    }

    /** When a reload was last rejected, in clock millis; 0 when none has been. */
    public long lastRejectedMillis() {
        return lastRejected;
    }

    /** Where failed geolocation lookups are counted, across reloads. */
    public GeoLookupFailures geoLookupFailures() {
        return geoFailures;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
