package io.wayfinder.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the configuration file and the data files it names, and asks for a reload when any of
 * them changes (modification time or size). Polling is portable, sees edits made through symlink
 * swaps (as Kubernetes ConfigMaps do), and costs a few stat calls every interval.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "config-watcher");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Path> files;
    private volatile List<String> stamps;

    ConfigWatcher(List<Path> files, Runnable onChange, long intervalMillis) {
        this.files = List.copyOf(files);
        this.stamps = stamp(this.files);
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                List<String> now = stamp(this.files);
                if (!now.equals(stamps)) {
                    stamps = now;
                    onChange.run();
                }
            } catch (RuntimeException e) {
                LOG.error("configuration reload failed", e);
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Watch a new set of files (after a reload that changed which files are referenced). */
    void watch(List<Path> newFiles) {
        files = List.copyOf(newFiles);
        stamps = stamp(files);
    }

    private static List<String> stamp(List<Path> files) {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try {
                FileTime time = Files.getLastModifiedTime(f);
                out.add(f + "@" + time.toMillis() + "/" + Files.size(f));
            } catch (IOException e) {
                out.add(f + "@missing");
            }
        }
        return out;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
