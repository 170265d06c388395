package io.wayfinder.control;

import io.wayfinder.time.Scheduler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the configuration file and the data files it names, and reports when they have changed
 * and then stopped changing. Polling is portable, sees edits made through symlink swaps (as
 * Kubernetes ConfigMaps do), and costs a few stat calls every interval. Runs on its own scheduler,
 * off the control thread, since what it starts (loading a configuration) may take seconds.
 *
 * <pre>
 *   poll: stamps == baseline                      -> nothing to do
 *         every changed file replaced by a rename  -> settled at once: a renamed file is whole
 *         stamps differ from the last poll's       -> changing: (re)start the quiet period
 *         the same stamps for quietPeriod or more  -> settled: report it (the owner reloads)
 *   after a reload: baseline = the stamps taken before the files were read
 * </pre>
 *
 * The baseline is what the serving configuration was read from, stamped <em>before</em> reading:
 * a file edited while a (long) load runs differs from it, and is loaded next. A rejected version
 * becomes the baseline too, so it is not retried until a file changes again. Nothing thrown while
 * polling or reloading, not even an {@code Error}, stops the polling.
 */
final class ConfigWatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Clock clock;
    private final Runnable onSettled;
    private final Scheduler.Cancellable task;
    // Guarded by this:
    private List<Path> files;
    private Map<Path, FileStamp> baseline;
    private long quietMillis;
    /** The stamps of the last poll that saw a change, and since when they have not changed (clock millis). */
    private Map<Path, FileStamp> changing;
    private long changingSince;

    /**
     * @param baseline  the files to watch, stamped before they were read
     * @param onSettled called on the scheduler's thread when the files have changed and settled
     */
    ConfigWatcher(Scheduler scheduler, Map<Path, FileStamp> baseline, long quietMillis, Runnable onSettled,
                  long intervalMillis) {
        this.clock = scheduler.clock();
        this.onSettled = onSettled;
        watch(baseline, quietMillis);
        this.task = scheduler.every(intervalMillis, intervalMillis, this::poll);
    }

    private void poll() {
        try {
            if (settled()) {
                onSettled.run();
            }
        } catch (Throwable t) { // an Error too: a periodic task that throws is never run again
            LOG.error("configuration watcher: {}; still watching", t.toString(), t);
        }
    }

    private synchronized boolean settled() {
        Map<Path, FileStamp> now = FileStamp.of(files);
        if (now.equals(baseline)) {
            changing = null;
            return false;
        }
        if (replacedWhole(now)) {
            changing = null;
            return true; // a rename put a finished file in place: nothing to wait for
        }
        long millis = clock.millis();
        if (!now.equals(changing)) {
            changing = now;
            changingSince = millis;
        }
        return millis - changingSince >= quietMillis;
    }

    /**
     * Whether every file that differs from the baseline is another file now (another inode): it was
     * replaced by a rename, as editors that write a copy, atomic writers and Kubernetes' symlink swaps
     * do, so it is whole. A file written in place may be half written, and waits for the quiet period.
     */
    private boolean replacedWhole(Map<Path, FileStamp> now) {
        for (Map.Entry<Path, FileStamp> e : now.entrySet()) {
            FileStamp was = baseline.get(e.getKey());
            FileStamp is = e.getValue();
            if (is.equals(was)) {
                continue;
            }
            if (is.identity() == null || was == null || was.identity() == null || is.identity().equals(was.identity())) {
                return false;
            }
        }
        return true;
    }

    /** The watched files as they are now. */
    synchronized Map<Path, FileStamp> stampNow() {
        return FileStamp.of(files);
    }

    /**
     * Watches these files from now on, taking these stamps (made before they were read) as what
     * is applied; the quiet period starts over.
     */
    synchronized void watch(Map<Path, FileStamp> newBaseline, long newQuietMillis) {
        files = new ArrayList<>(newBaseline.keySet());
        baseline = Map.copyOf(newBaseline);
        quietMillis = newQuietMillis;
        changing = null;
    }

    void close() {
        task.cancel();
    }
}
