package io.wayfinder.control;

import io.wayfinder.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls the configuration file and the data files it names, and reports when any of them changes
 * (modification time or size). Polling is portable, sees edits made through symlink swaps (as
 * Kubernetes ConfigMaps do), and costs a few stat calls every interval. Runs on its own scheduler,
 * off the control thread, since what it starts (loading a configuration) may take seconds.
 */
final class ConfigWatcher {
    private final Runnable onChange;
    private final Scheduler.Cancellable task;
    private List<Path> files;
    private List<String> stamps;

    ConfigWatcher(Scheduler scheduler, List<Path> files, Runnable onChange, long intervalMillis) {
        this.onChange = onChange;
        this.files = List.copyOf(files);
        this.stamps = stamp(this.files);
        this.task = scheduler.every(intervalMillis, intervalMillis, this::poll);
    }

    private void poll() {
        if (changed()) {
            onChange.run();
        }
    }

    private synchronized boolean changed() {
        List<String> now = stamp(files);
        if (now.equals(stamps)) {
            return false;
        }
        stamps = now;
        return true;
    }

    /** Watch a new set of files (after a reload that changed which files are referenced). */
    synchronized void watch(List<Path> newFiles) {
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

    void close() {
        task.cancel();
    }
}
