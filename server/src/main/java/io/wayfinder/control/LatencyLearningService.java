package io.wayfinder.control;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.learn.LatencyLearning;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.time.CpuYield;
import io.wayfinder.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link LatencyLearning} and serves what it learns: measurements go in from the API's
 * threads; on its own thread (a {@link Scheduler}) the service rebuilds the learned estimator every
 * {@code latency.rebuildInterval} and when asked (after an import), hands it to the control path,
 * and checkpoints the learner into the data directory.
 *
 * <pre>
 *   API threads:     add(batch) ---------------------------------> learner (thread-safe, bounded)
 *                      when learner.foldDue(): a fold queued on the learning thread
 *   learning thread: learner.fold(now): pending samples into the long-term state, no table
 *                    every rebuildInterval, or rebuildSoon():
 *                      learner.rebuild(now, configured table, geolocation, catalogue)
 *                        -> publish (SnapshotPublisher.latencyChanged: routing reads it)
 *                        -> learner.checkpoint(storage.dir/latency-learning.checkpoint)
 *   control thread:  a configuration is applied -> estimatorFor: the learned estimator stays;
 *                      new sources (a reload) -> a rebuild soon, with their table
 * </pre>
 *
 * <p>What a crash loses: the learner is checkpointed after every rebuild (and when the server
 * stops), so a {@code kill -9} loses the samples received since the last rebuild, at most one
 * interval of them; the learner restores the checkpoint when the server starts, and the first
 * rebuild runs at once.
 *
 * <p>Until the first rebuild after a start, routing reads the configured sources, as without
 * learning. The views ({@link #explain}, {@link #coverage}) read what the last rebuild published,
 * from any thread, without waiting for a rebuild under way.
 */
public final class LatencyLearningService implements LatencySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LatencyLearningService.class);
    /** The checkpoint's name in the data directory ({@code storage.dir}), beside the store. */
    public static final String CHECKPOINT_FILE = "latency-learning.checkpoint";

    /** Makes the learner: restored from its checkpoint when there is one, else empty. */
    @FunctionalInterface
    public interface Learners {
        /** @throws IOException naming the checkpoint when it cannot be read (damaged, another version) */
        LatencyLearning open(Path checkpoint, LearningParameters parameters) throws IOException;

        /** Wayfinder's learner ({@link LearnedLatency}). */
        Learners LEARNED = (checkpoint, parameters) -> Files.exists(checkpoint)
                ? LearnedLatency.restore(checkpoint, parameters) : new LearnedLatency(parameters);
    }

    /**
     * The learner's parameters from the configuration, field by field: {@code latency.halfLife} and
     * {@code latency.learning}, and the aggregation levels as the blocks networks borrow from (those
     * shorter than a client network, the four most specific).
     */
    public static LearningParameters parameters(WayfinderConfig.LatencySettings latency) {
        WayfinderConfig.LearningSettings s = latency.learning();
        return new LearningParameters(s.halfLife(), levels(latency.ipv4Levels(), MeasurementCheck.IPV4_NETWORK),
                levels(latency.ipv6Levels(), MeasurementCheck.IPV6_NETWORK), s.changeMinSamples(), s.changeSigmas(),
                s.changeMinMs(), s.holdBack(), s.hysteresisMs(), s.hysteresisSigmas(), s.staticSamples(),
                s.maxPendingSamples());
    }

    private static List<Integer> levels(List<Integer> configured, int networkLength) {
        return configured.stream().filter(l -> l < networkLength).sorted(java.util.Comparator.reverseOrder()).limit(4)
                .toList();
    }

    /** One rebuild: when it started, how long it took, and the size of what it built. */
    public record Rebuild(Instant at, Duration took, long networks, long cells) {
    }

    private final LatencyLearning learner;
    private final Scheduler thread;
    private final Path checkpoint;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLongArray rejected = new AtomicLongArray(MeasurementCheck.Reason.values().length);
    private final AtomicLong rebuilds = new AtomicLong();
    private final AtomicLong folds = new AtomicLong();
    /** A {@link #fold} is queued on the learning thread and has not started. */
    private final AtomicBoolean foldQueued = new AtomicBoolean();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong checkpointFailures = new AtomicLong();
    /** The configuration served, newest first: set on the control thread, read by rebuilds. */
    private volatile LoadedConfig config;
    /** What the last rebuild built; null until the first. Served with every configuration. */
    private volatile LatencyEstimator learned;
    private volatile Rebuild last;
    private volatile MeasurementCheck check;
    private volatile boolean closed;

    // Touched only on the learning thread:
    private Function<LatencyEstimator, CompletableFuture<?>> publish;
    private Scheduler.Cancellable timer;
    private Duration interval;
    private List<CompletableFuture<Rebuild>> waiting = new ArrayList<>();
    private boolean queued;

    /**
     * @param learner    the learner, restored from {@link #checkpointFile} by whoever made it
     * @param thread     the learning thread: never the control thread, never an event loop
     * @param checkpoint where the learner is checkpointed ({@link #checkpointFile} of {@code storage.dir})
     */
    public LatencyLearningService(LatencyLearning learner, Scheduler thread, Path checkpoint) {
        this.learner = learner;
        this.thread = thread;
        this.checkpoint = checkpoint;
    }

    /** The checkpoint file in a data directory. */
    public static Path checkpointFile(Path storageDir) {
        return storageDir.resolve(CHECKPOINT_FILE);
    }

    /**
     * Starts the schedule: a rebuild now (the restored state served within seconds of a start),
     * then one every {@code latency.rebuildInterval} of the configuration served.
     *
     * @param publish hands a rebuilt estimator to the control path ({@code SnapshotPublisher::latencyChanged})
     */
    public void start(Function<LatencyEstimator, CompletableFuture<?>> publish) {
        thread.execute(() -> {
            this.publish = publish;
            schedule(config);
            requestRebuild(null);
        });
    }

    // --- the control path's side ------------------------------------------------------------------

    /**
     * The learned estimator (once there is one) whatever the configuration; a configuration with
     * other sources or another interval is taken up on the learning thread: rescheduled, rebuilt
     * soon with the new table. API writes of profiles keep the sources: nothing is rebuilt for them.
     */
    @Override
    public LatencyEstimator estimatorFor(LoadedConfig next, LatencyEstimator serving) {
        LoadedConfig previous = config;
        config = next;
        if (check == null || check.catalogue() != next.config().catalogue()) {
            check = new MeasurementCheck(next.config().catalogue());
        }
        if (previous != null && previous.sources() != next.sources()) {
            thread.execute(() -> {
                schedule(next);
                requestRebuild(null);
            });
        }
        LatencyEstimator l = learned;
        return l != null ? l : next.sources().estimator();
    }

    // --- ingestion ----------------------------------------------------------------------------------

    /** The rules samples are checked with, for the configuration served (its catalogue); null before the first. */
    public MeasurementCheck check() {
        return check;
    }

    /**
     * Hands checked measurements to the learner (any thread).
     *
     * @return how many it took: the others were dropped, because too many samples wait to be folded
     *         in (the learner's {@code maxPendingSamples}; a fold soon, or the next rebuild, takes them)
     */
    public int add(List<Measurement> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int taken = learner.add(batch);
        accepted.addAndGet(taken);
        dropped.addAndGet(batch.size() - taken);
        if (learner.foldDue() && foldQueued.compareAndSet(false, true)) {
            thread.execute(this::fold);
        }
        return taken;
    }

    /**
     * Folds the waiting samples in between rebuilds (learning thread), so that the pending cap
     * bounds memory, not the rate samples are taken at: a rebuild's fold alone, once an interval,
     * fell behind two cores parsing 500,000 samples a second.
     */
    private void fold() {
        foldQueued.set(false);
        if (closed) {
            return;
        }
        try {
            learner.fold(thread.clock().instant());
            folds.incrementAndGet();
        } catch (RuntimeException | Error e) { // the thread must outlive a failing fold; the next rebuild retries
            LOG.error("latency learning: a fold between rebuilds failed", e);
        }
    }

    /** Counts samples rejected for a reason (any thread). */
    public void rejected(MeasurementCheck.Reason reason, long count) {
        rejected.addAndGet(reason.ordinal(), count);
    }

    // --- rebuilds -----------------------------------------------------------------------------------

    /**
     * Asks for a rebuild (after an import, or by hand); requests that come while one waits to start
     * share it.
     *
     * @return completes once a rebuild that started after this request is published, or fails with
     *         what the learner threw
     */
    public CompletableFuture<Rebuild> rebuildSoon() {
        CompletableFuture<Rebuild> done = new CompletableFuture<>();
        thread.execute(() -> requestRebuild(done));
        return done;
    }

    private void requestRebuild(CompletableFuture<Rebuild> done) {
        if (done != null) {
            waiting.add(done);
        }
        if (!queued) {
            queued = true;
            thread.execute(this::rebuild);
        }
    }

    /** (Re)starts the timer when the interval changed; on the learning thread. */
    private void schedule(LoadedConfig served) {
        if (publish == null || served == null || closed) {
            return; // not started: start() schedules with the configuration of that moment
        }
        Duration every = served.config().latency().rebuildInterval();
        if (every.equals(interval)) {
            return;
        }
        if (timer != null) {
            timer.cancel();
            LOG.info("latency learning: rebuilding every {} s (was {} s)", every.toSeconds(), interval.toSeconds());
        }
        interval = every;
        timer = thread.every(every.toMillis(), every.toMillis(), () -> requestRebuild(null));
    }

    private void rebuild() {
        queued = false;
        List<CompletableFuture<Rebuild>> done = waiting;
        waiting = new ArrayList<>();
        LoadedConfig served = config;
        if (closed || served == null || publish == null) {
            done.forEach(f -> f.completeExceptionally(new IllegalStateException("latency learning is not running")));
            return;
        }
        Instant at = thread.clock().instant();
        long started = System.nanoTime();
        try {
            // Background work: its loops give way to the query threads (CpuYield; the lanes carry it on).
            LatencyEstimator next = CpuYield.inBackground(() -> learner.rebuild(at, served.sources().estimator().table(),
                    served.sources().estimator().geo(), served.config().catalogue()));
            learned = next; // before it is posted: a configuration applied from now on is served with it
            CompletableFuture<?> published = publish.apply(next);
            LatencyLearning.Coverage c = learner.coverage();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Rebuild r = new Rebuild(at, took, c.networksWithOwnData() + c.networksWithBorrowedData(), cells(c));
            last = r;
            rebuilds.incrementAndGet();
            LOG.info("latency learning: rebuilt in {} ms: {} networks with own data, {} borrowed, {} model only",
                    took.toMillis(), c.networksWithOwnData(), c.networksWithBorrowedData(), c.networksModelOnly());
            published.whenComplete((ok, failed) -> done.forEach(f -> {
                if (failed == null) {
                    f.complete(r);
                } else {
                    f.completeExceptionally(failed);
                }
            }));
        } catch (RuntimeException | Error e) { // the thread and the schedule must outlive a failing rebuild
            failures.incrementAndGet();
            LOG.error("latency learning: the rebuild failed; still serving the previous table", e);
            done.forEach(f -> f.completeExceptionally(e));
        } finally {
            // Whatever the rebuild did, the samples received are saved: the checkpoint bounds what a crash loses.
            writeCheckpoint();
        }
    }

    private static long cells(LatencyLearning.Coverage c) {
        long cells = 0;
        for (LatencyLearning.RegionCoverage r : c.regions()) {
            cells += r.networks();
        }
        return cells;
    }

    private void writeCheckpoint() {
        try {
            learner.checkpoint(checkpoint);
        } catch (IOException | RuntimeException e) {
            checkpointFailures.incrementAndGet();
            LOG.error("latency learning: the checkpoint {} could not be written ({}); a restart would lose the samples"
                    + " since the last one that was", checkpoint, e.toString());
        }
    }

    // --- views ----------------------------------------------------------------------------------------

    /** What the learner holds for a client network, region by region (as of the last rebuild; any thread). */
    public List<LatencyLearning.Evidence> explain(IpPrefix network, List<String> regions) {
        List<LatencyLearning.Evidence> evidence = new ArrayList<>();
        for (String region : regions) {
            LatencyLearning.Evidence e = learner.explain(network, region);
            if (e != null) {
                evidence.add(e);
            }
        }
        return evidence;
    }

    /** What the learner holds (as of the last rebuild, with the samples pending since); any thread. */
    public LatencyLearning.Coverage coverage() {
        return learner.coverage();
    }

    /** The last rebuild that succeeded; null before the first. */
    public Rebuild lastRebuild() {
        return last;
    }

    // --- counters, for the metrics -----------------------------------------------------------------

    public long accepted() {
        return accepted.get();
    }

    /** Samples that passed the checks but that the learner dropped: too many were waiting to be folded in. */
    public long dropped() {
        return dropped.get();
    }

    public long rejected(MeasurementCheck.Reason reason) {
        return rejected.get(reason.ordinal());
    }

    /** Rebuilds that were published. */
    public long rebuilds() {
        return rebuilds.get();
    }

    /** Folds between rebuilds ({@link LatencyLearning#foldDue}). */
    public long folds() {
        return folds.get();
    }

    /** Rebuilds in which the learner failed (logged; the previous table kept serving). */
    public long failedRebuilds() {
        return failures.get();
    }

    public long failedCheckpoints() {
        return checkpointFailures.get();
    }

    /**
     * Stops the schedule and writes a last checkpoint, so that stopping loses nothing; waits for it
     * at most {@code waitMillis}. The thread itself belongs to the caller.
     */
    @Override
    public void close() {
        close(10_000);
    }

    public void close(long waitMillis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable stop = () -> {
            try {
                if (timer != null) {
                    timer.cancel();
                }
                if (!closed && publish != null) {
                    writeCheckpoint();
                }
                closed = true;
            } finally {
                done.complete(null);
            }
        };
        if (thread.inThread()) {
            stop.run();
            return;
        }
        thread.execute(stop);
        try {
            done.get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("latency learning: the last checkpoint was not written within {} ms of stopping", waitMillis);
        }
    }
}
