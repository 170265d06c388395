package io.wayfinder.control;

import io.wayfinder.profile.ConfigException;
import io.wayfinder.time.Scheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live configuration: when the file or a data file it names changes, loads it off the control
 * thread and hands the result to the {@link SnapshotPublisher}. A configuration that fails to load
 * is logged with every error, counted, and the running one stays.
 */
public final class ConfigReloads implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloads.class);

    private final Path file;
    private final SnapshotPublisher publisher;
    private final Clock clock;
    private final ConfigWatcher watcher;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param watcherThread  where the files are polled and loaded (not the control thread)
     * @param current        the configuration being served, whose files are watched
     * @param intervalMillis how often the files are polled; 0 or less for never (reload by hand)
     */
    public ConfigReloads(SnapshotPublisher publisher, Scheduler watcherThread, LoadedConfig current, long intervalMillis) {
        this.file = current.file();
        this.publisher = publisher;
        this.clock = watcherThread.clock();
        this.watcher = intervalMillis > 0
                ? new ConfigWatcher(watcherThread, watchedFiles(current), this::reload, intervalMillis) : null;
    }

    /**
     * Re-reads the configuration and its sources and, if they load, applies them and waits until
     * they are published. One reload at a time: a later file never loses to an earlier one.
     *
     * @return whether the configuration was replaced
     */
    public synchronized boolean reload() {
        LoadedConfig next;
        try {
            next = ConfigLoader.load(file, clock);
        } catch (ConfigException e) {
            rejected.incrementAndGet();
            LOG.error("configuration {} rejected; still serving the previous one:\n{}", file, e.getMessage());
            return false;
        } catch (IOException | RuntimeException e) {
            rejected.incrementAndGet();
            LOG.error("configuration {} could not be loaded; still serving the previous one: {}", file, e.toString());
            return false;
        }
        next.sources().log();
        try {
            publisher.configurationLoaded(next).join();
        } catch (CompletionException e) {
            rejected.incrementAndGet();
            LOG.error("configuration {} could not be applied; still serving the previous one", file, e.getCause());
            return false;
        }
        if (watcher != null) {
            watcher.watch(watchedFiles(next));
        }
        reloads.incrementAndGet();
        return true;
    }

    static List<Path> watchedFiles(LoadedConfig loaded) {
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
    public long rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
