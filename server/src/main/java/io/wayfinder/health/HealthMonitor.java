package io.wayfinder.health;

import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.HealthView;
import io.wayfinder.routing.MonitorStatus;
import io.wayfinder.routing.StableHash;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every monitored endpoint on its profile's interval and keeps its {@link EndpointHealth}.
 *
 * <p>One scheduler thread owns all state: it starts probes (which run on the prober's event loop)
 * and receives their results, so the state machines need no locks. A profile's endpoints are
 * probed at evenly spaced times within its interval instead of all together. When a result changes a status, the listener gets an
 * immutable {@link HealthView} at once, on this thread, to publish a new snapshot.
 *
 * <p>Health survives nothing and needs nothing: after a restart every endpoint starts as
 * CheckingEndpoint (served). A configuration reload keeps the state of endpoints whose probe
 * settings did not change.
 */
public final class HealthMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

    /** Receives every change, on the monitor's thread. */
    @FunctionalInterface
    public interface Listener {
        void healthChanged(HealthView view, List<StatusChange> changes);
    }

    private final Prober prober;
    private final Clock clock;
    private final Listener listener;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health-monitor");
        t.setDaemon(true);
        return t;
    });
    private final Map<EndpointKey, Monitored> monitored = new LinkedHashMap<>();
    private boolean running;
    private volatile Map<EndpointKey, MonitorStatus> statuses = Map.of();
    private volatile List<HealthReport> reports = List.of();
    private final java.util.concurrent.atomic.LongAdder probeSuccesses = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder probeFailures = new java.util.concurrent.atomic.LongAdder();

    private final class Monitored {
        final String profile;
        final String endpoint;
        final ProbeTarget target;
        final String fingerprint;
        final EndpointHealth health;
        /** When, within the interval, this endpoint is probed. */
        long offsetMillis;
        ScheduledFuture<?> task;
        boolean inFlight;
        /** A tick came while a probe was in flight: probe again once it is done. */
        boolean due;

        Monitored(String profile, String endpoint, ProbeTarget target, String fingerprint, EndpointHealth carried) {
            this.profile = profile;
            this.endpoint = endpoint;
            this.target = target;
            this.fingerprint = fingerprint;
            MonitorConfig monitor = target.monitor();
            this.health = carried != null
                    ? carried.withThresholds(monitor.toleratedNumberOfFailures(), monitor.requiredConsecutiveSuccesses())
                    : new EndpointHealth(monitor.toleratedNumberOfFailures(), monitor.requiredConsecutiveSuccesses(), clock.instant());
        }
    }

    public HealthMonitor(Prober prober, Clock clock, Listener listener) {
        this.prober = prober;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Monitors the endpoints of a configuration: enabled external endpoints of enabled profiles
     * with a monitorConfig, except alwaysServe ones. Returns once the change is in place.
     */
    public void configure(WayfinderConfig config) {
        runOnScheduler(() -> {
            Map<EndpointKey, Monitored> wanted = new LinkedHashMap<>();
            for (ProfileConfig p : config.profiles()) {
                if (p.monitor() == null || !p.enabled()) {
                    continue;
                }
                List<Monitored> ofProfile = new ArrayList<>();
                for (EndpointConfig e : p.endpoints()) {
                    if (e.type() != EndpointType.external || !e.enabled() || e.alwaysServe()) {
                        continue;
                    }
                    ProbeTarget target = new ProbeTarget(e.target(), isName(e.target()), p.monitor(), e.headers(p.monitor()));
                    EndpointKey key = key(p.name(), e.name());
                    String fingerprint = whatIsProbed(target);
                    Monitored existing = monitored.get(key);
                    Monitored m;
                    if (existing != null && existing.target.equals(target)) {
                        m = existing;
                    } else if (existing != null && existing.fingerprint.equals(fingerprint)) {
                        // Same probe, new thresholds or interval: keep what the probes have shown.
                        m = new Monitored(p.name(), e.name(), target, fingerprint, existing.health);
                    } else {
                        m = new Monitored(p.name(), e.name(), target, fingerprint, null);
                    }
                    wanted.put(key, m);
                    ofProfile.add(m);
                }
                spread(p.name(), p.monitor().intervalInSeconds() * 1000L, ofProfile);
            }
            for (Map.Entry<EndpointKey, Monitored> old : monitored.entrySet()) {
                if (wanted.get(old.getKey()) != old.getValue() && old.getValue().task != null) {
                    old.getValue().task.cancel(false);
                }
            }
            monitored.clear();
            monitored.putAll(wanted);
            if (running) {
                scheduleAll();
            }
            refreshViews();
        });
    }

    /** Starts probing every endpoint on its interval (until {@link #close()}). */
    public void start() {
        runOnScheduler(() -> {
            running = true;
            scheduleAll();
        });
    }

    private void scheduleAll() {
        for (Monitored m : monitored.values()) {
            if (m.task == null) {
                schedule(m);
            }
        }
    }

    /**
     * Probes every monitored endpoint once, now, and returns when all results are recorded: for
     * tools that want the state without waiting for intervals (the {@code status} command).
     */
    public void probeAllNow() {
        List<java.util.concurrent.CompletableFuture<?>> done = new ArrayList<>();
        runOnScheduler(() -> {
            for (Monitored m : monitored.values()) {
                done.add(prober.probe(m.target).handleAsync((r, error) -> {
                    record(m, r != null ? r : ProbeResult.failure("probe error: " + error, clock.instant(), 0));
                    return null;
                }, scheduler));
            }
        });
        java.util.concurrent.CompletableFuture.allOf(done.toArray(new java.util.concurrent.CompletableFuture[0])).join();
    }

    /** What defines the probe itself; thresholds and the interval are left out (see configure). */
    private static String whatIsProbed(ProbeTarget t) {
        MonitorConfig m = t.monitor();
        return String.join("|", t.host(), m.protocol().name(), String.valueOf(m.port()), String.valueOf(m.path()),
                t.headers().toString(), m.expectedStatusCodeRanges().toString(), String.valueOf(m.verifyCertificate()),
                String.valueOf(m.timeoutMillis()));
    }

    /**
     * Spaces a profile's endpoints evenly over its interval (endpoint k of n at k/n of it), from a
     * phase that a stable hash of the profile's name sets, so profiles do not all start together.
     * Endpoints already scheduled keep their time; the offset applies to newly scheduled ones.
     */
    private static void spread(String profile, long interval, List<Monitored> endpoints) {
        long phase = Math.floorMod(StableHash.ofName(profile), interval);
        for (int k = 0; k < endpoints.size(); k++) {
            endpoints.get(k).offsetMillis = (phase + k * interval / endpoints.size()) % interval;
        }
    }

    private void schedule(Monitored m) {
        long interval = m.target.monitor().intervalInSeconds() * 1000L;
        m.task = scheduler.scheduleAtFixedRate(() -> probe(m), m.offsetMillis, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a probe. A tick that finds the previous probe still running (a slow endpoint, or a
     * pause of this process) is not dropped but run as soon as that result is in: dropping it would
     * delay a failover by a whole interval.
     */
    private void probe(Monitored m) {
        if (monitored.get(key(m.profile, m.endpoint)) != m) {
            return;
        }
        if (m.inFlight) {
            m.due = true;
            return;
        }
        m.inFlight = true;
        prober.probe(m.target).whenCompleteAsync((result, error) -> {
            m.inFlight = false;
            if (monitored.get(key(m.profile, m.endpoint)) != m) {
                return; // reconfigured meanwhile
            }
            ProbeResult r = result != null ? result
                    : ProbeResult.failure("probe error: " + error, clock.instant(), 0);
            record(m, r);
            if (m.due) {
                m.due = false;
                probe(m);
            }
        }, scheduler);
    }

    private void record(Monitored m, ProbeResult result) {
        (result.success() ? probeSuccesses : probeFailures).increment();
        EndpointHealth.Transition transition = m.health.record(result);
        refreshViews();
        if (transition == null) {
            return;
        }
        StatusChange change = new StatusChange(m.profile, m.endpoint, transition.from(), transition.to(), result.reason());
        listener.healthChanged(view(), List.of(change)); // answers first, then words
        if (transition.to() == MonitorStatus.Degraded) {
            LOG.warn("{}", change);
        } else {
            LOG.info("{}", change);
        }
    }

    private void refreshViews() {
        Map<EndpointKey, MonitorStatus> s = new HashMap<>();
        List<HealthReport> r = new ArrayList<>();
        for (Map.Entry<EndpointKey, Monitored> e : monitored.entrySet()) {
            Monitored m = e.getValue();
            s.put(e.getKey(), m.health.status());
            r.add(new HealthReport(m.profile, m.endpoint, m.target.host(), m.health.status(), m.health.since(),
                    m.health.lastResult(), m.health.consecutiveFailures(), m.health.consecutiveSuccesses()));
        }
        statuses = Map.copyOf(s);
        reports = List.copyOf(r);
    }

    /** The current statuses of monitored endpoints (null for endpoints that are not monitored). */
    public HealthView view() {
        Map<EndpointKey, MonitorStatus> current = statuses;
        return (profile, endpoint) -> current.get(key(profile, endpoint));
    }

    /** Every monitored endpoint's state, in configuration order. */
    public List<HealthReport> reports() {
        return reports;
    }

    /** Probes completed since start, successful or not. */
    public long probes(boolean successful) {
        return (successful ? probeSuccesses : probeFailures).sum();
    }

    /** Names compare without case, as in the configuration; a pair, since names may hold any character. */
    private record EndpointKey(String profile, String endpoint) {
    }

    private static EndpointKey key(String profile, String endpoint) {
        return new EndpointKey(profile.toLowerCase(Locale.ROOT), endpoint.toLowerCase(Locale.ROOT));
    }

    private static boolean isName(String target) {
        return !io.wayfinder.net.IpPrefix.looksLikeAddress(target);
    }

    private void runOnScheduler(Runnable task) {
        try {
            scheduler.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("health monitor reconfiguration failed", e.getCause());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
