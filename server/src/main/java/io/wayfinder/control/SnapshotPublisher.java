package io.wayfinder.control;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.health.HealthMonitor;
import io.wayfinder.health.Prober;
import io.wayfinder.health.StatusChange;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.time.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the published {@link Snapshot}. Every change is an event applied on one thread
 * (the control {@link Scheduler}), in order, and each rebuilds only what it changes:
 *
 * <pre>
 *   configuration loaded  (off this thread: read, validated, compiled into plan and zones)
 *        -> health reconfigured, routing table built           -> snapshot with the new zones
 *   probe result changed a status (the monitor runs on this thread)
 *        -> routing table rebuilt, unchanged profiles kept     -> snapshot with the same zones
 *   latency table replaced
 *        -> routing table rebuilt with the same health         -> snapshot with the same zones
 * </pre>
 *
 * After each publication every endpoint whose effective status changed is logged with its cause,
 * and fail-open entries and exits are logged. Queries read {@link #snapshot()}: one volatile read,
 * no lock.
 */
public final class SnapshotPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);
    /** Lines of changes one configuration event carries at most. */
    static final int MAX_EVENT_CHANGES = 100;

    private final Scheduler control;
    private final HealthMonitor health;
    private final FailOpenWatch failOpen = new FailOpenWatch();
    private final List<Consumer<Snapshot>> listeners = new ArrayList<>();
    private final List<Consumer<ControlEvent>> eventListeners = new ArrayList<>();
    private final AtomicLong configurations = new AtomicLong();
    private final LatencySource latency;
    private volatile Snapshot published;
    // Touched only on the control thread:
    private LoadedConfig loaded;
    private LatencyEstimator estimator;

    /** @param prober probes endpoints; results come back to {@code control} */
    public SnapshotPublisher(Scheduler control, Prober prober) {
        this(control, prober, LatencySource.CONFIGURED);
    }

    /**
     * @param prober  probes endpoints; results come back to {@code control}
     * @param latency which estimator a configuration is served with: its own sources', or the learned one
     */
    public SnapshotPublisher(Scheduler control, Prober prober, LatencySource latency) {
        this.control = control;
        this.health = new HealthMonitor(prober, control, this::probed);
        this.latency = latency;
    }

    /** What queries read; null until the first configuration is applied. */
    public Snapshot snapshot() {
        return published;
    }

    /** The health monitor, whose reports and counters may be read from any thread. */
    public HealthMonitor health() {
        return health;
    }

    /** Calls {@code listener} on the control thread with every snapshot published from now on. */
    public void onPublish(Consumer<Snapshot> listener) {
        control.execute(() -> listeners.add(listener));
    }

    /**
     * Calls {@code listener} on the control thread with every event from now on (status changes,
     * fail-open entries and exits, configurations applied), after the snapshot they belong to is
     * published. A listener must not block: it holds up every later event.
     */
    public void onEvent(Consumer<ControlEvent> listener) {
        control.execute(() -> eventListeners.add(listener));
    }

    /** Applies a configuration loaded from its file; the future completes once its snapshot is published. */
    public CompletableFuture<Snapshot> configurationLoaded(LoadedConfig next) {
        return configurationLoaded(next, "configuration " + next.file());
    }

    /**
     * Applies a loaded configuration; the future completes once its snapshot is published.
     *
     * @param origin where it comes from, in words that begin each log line of its changes
     *               ({@code configuration /etc/wayfinder.yaml}, {@code API: PUT profiles/web by token 'ci'})
     */
    public CompletableFuture<Snapshot> configurationLoaded(LoadedConfig next, String origin) {
        return post(() -> applyConfiguration(next, origin));
    }

    /**
     * Replaces the latency estimator (a rebuilt table); the configuration and health stay. Served
     * until the next one, or until a configuration is applied and its {@link LatencySource} says otherwise.
     */
    public CompletableFuture<Snapshot> latencyChanged(LatencyEstimator next) {
        return post(() -> {
            if (loaded == null) {
                return;
            }
            estimator = next;
            RoutingTable before = published.routing();
            publish(published.withRouting(RoutingTable.build(loaded.plan(), health.statuses(), next, before), now()),
                    before, StatusLog.Cause.LATENCY, List.of());
        });
    }

    /** Starts probing on each profile's interval. */
    public CompletableFuture<Snapshot> startProbing() {
        return post(health::start);
    }

    /**
     * Probes every monitored endpoint once, now, for tools that want health without waiting for
     * intervals; completes once every result is applied.
     */
    public CompletableFuture<Snapshot> probeAll() {
        CompletableFuture<CompletableFuture<Void>> started = post(health::probeAll);
        return started.thenCompose(round -> round).thenApply(done -> published);
    }

    /** Configurations applied, the first included. */
    public long configurations() {
        return configurations.get();
    }

    /** How many times a profile started failing open or answering with its fallback. */
    public long failOpenEntries() {
        return failOpen.entries();
    }

    /** Stops probing; events posted later are still applied, none starts a probe. */
    public CompletableFuture<Snapshot> close() {
        return post(health::close);
    }

    private CompletableFuture<Snapshot> post(Runnable event) {
        return post(() -> {
            event.run();
            return published;
        });
    }

    /** Runs an event on the control thread; the future completes with what it returns, or its failure. */
    private <T> CompletableFuture<T> post(java.util.function.Supplier<T> event) {
        CompletableFuture<T> done = new CompletableFuture<>();
        control.execute(() -> {
            try {
                done.complete(event.get());
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
                throw e;
            }
        });
        return done;
    }

    private void applyConfiguration(LoadedConfig next, String origin) {
        LoadedConfig previous = loaded;
        List<String> changes = previous == null ? List.of() : logChanges(previous, next, origin);
        health.configure(next.config());
        loaded = next;
        estimator = latency.estimatorFor(next, estimator);
        RoutingTable before = published == null ? null : published.routing();
        RoutingTable table = RoutingTable.build(next.plan(), health.statuses(), estimator, null);
        configurations.incrementAndGet();
        Snapshot snapshot = new Snapshot(next.zones(), table, now());
        if (previous != null) {
            // Before the status lines it causes, so that a watcher reads cause, then effect.
            emit(new ControlEvent(snapshot.builtAt(), ControlEvent.Type.CONFIGURATION, null, null, null, null, origin,
                    capped(changes), origin + ": applied"));
        }
        publish(snapshot, before, StatusLog.Cause.CONFIGURATION, List.of());
        if (previous != null) {
            LOG.info("{}: applied", origin);
        }
    }

    /** A change of thousands of profiles is one event of a bounded size; the log has every line. */
    private static List<String> capped(List<String> changes) {
        if (changes.size() <= MAX_EVENT_CHANGES) {
            return changes;
        }
        List<String> out = new ArrayList<>(changes.subList(0, MAX_EVENT_CHANGES));
        out.add("... and " + (changes.size() - MAX_EVENT_CHANGES) + " more (see the log)");
        return out;
    }

    private void emit(ControlEvent event) {
        for (Consumer<ControlEvent> listener : eventListeners) {
            listener.accept(event);
        }
    }

    /** A probe result changed a status (on this thread, from the monitor). */
    private void probed(List<StatusChange> changes) {
        if (loaded == null) {
            return;
        }
        RoutingTable before = published.routing();
        RoutingTable table = RoutingTable.build(loaded.plan(), health.statuses(), estimator, before);
        publish(published.withRouting(table, now()), before, StatusLog.Cause.PROBE, changes);
    }

    private void publish(Snapshot next, RoutingTable before, StatusLog.Cause cause, List<StatusChange> probes) {
        published = next;
        StatusLog.compare(before, next.routing(), cause, probes, next.builtAt(), this::emit);
        failOpen.observe(next.routing(), next.builtAt(), this::emit);
        for (Consumer<Snapshot> listener : listeners) {
            listener.accept(next);
        }
    }

    private static List<String> logChanges(LoadedConfig previous, LoadedConfig next, String origin) {
        if (!next.config().dns().listen().equals(previous.config().dns().listen())) {
            LOG.warn("dns.listen changed; listeners change only on restart");
        }
        if (!next.config().dns().tcp().equals(previous.config().dns().tcp())) {
            LOG.warn("dns.tcp changed; TCP connection limits change only on restart");
        }
        if (!next.config().dns().udpTransport().equals(previous.config().dns().udpTransport())) {
            LOG.warn("dns.udpTransport changed; the UDP transport changes only on restart");
        }
        if (!java.util.Objects.equals(next.config().metricsListen(), previous.config().metricsListen())) {
            LOG.warn("metrics.listen changed; the metrics listener changes only on restart");
        }
        WayfinderConfig.ApiSettings api = next.config().api();
        WayfinderConfig.ApiSettings was = previous.config().api();
        if ((api == null) != (was == null)) {
            LOG.warn("api {}; where profiles come from (the file, or the store) changes only on restart",
                    api == null ? "removed" : "added");
        } else if (api != null && !api.listen().equals(was.listen())) {
            LOG.warn("api.listen changed; the API listener changes only on restart");
        }
        if (next.config().latency().learn() != previous.config().latency().learn()) {
            LOG.warn("latency.learn changed; latency learning starts or stops only on restart");
        }
        if (!java.util.Objects.equals(next.config().storage(), previous.config().storage())) {
            LOG.warn("storage changed; the store changes only on restart");
        }
        List<String> changes = ConfigDiff.between(previous.config(), next.config());
        if (changes.isEmpty()) {
            LOG.info("{}: no change to profiles or settings (a data file changed)", origin);
        }
        for (String change : changes) {
            LOG.info("{}: {}", origin, change);
        }
        return changes;
    }

    private java.time.Instant now() {
        return control.clock().instant();
    }
}
