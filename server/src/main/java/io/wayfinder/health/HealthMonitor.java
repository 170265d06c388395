package io.wayfinder.health;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.time.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * Probes every monitored endpoint on its profile's interval and keeps its {@link EndpointHealth}.
 *
 * <p>Confined to one {@link Scheduler}: it is configured there, its timers fire there and probe
 * results (which complete on the prober's event loop) are brought back there, so the state machines
 * need no locks, and the control path that owns the scheduler sees every change in order. A
 * profile's endpoints are probed at evenly spaced times within its interval instead of all together.
 * When a result changes a status, the listener is told at once, on the scheduler's thread.
 *
 * <p>Endpoints are keyed by their indices in the configuration ({@link HealthStatuses}), resolved in
 * {@link #configure}. Health survives nothing and needs nothing: after a restart every endpoint
 * starts as CheckingEndpoint (served). A reconfiguration keeps the state, the timer and any probe
 * in flight of endpoints (matched by profile and endpoint name) whose probe did not change, so that
 * frequent reloads never starve health.
 */
public final class HealthMonitor {

    /** Receives the changes that one probe result caused, on the scheduler's thread. */
    @FunctionalInterface
    public interface Listener {
        void healthChanged(List<StatusChange> changes);
    }

    private final Prober prober;
    private final Scheduler scheduler;
    private final Listener listener;
    /** By lower-case (profile, endpoint) names: how state is carried across a reconfiguration. */
    private final Map<NameKey, Monitored> monitored = new LinkedHashMap<>();
    private boolean running;
    private boolean closed;
    private int profileCount;
    private volatile HealthStatuses statuses = HealthStatuses.NONE;
    private volatile List<HealthReport> reports = List.of();
    private final LongAdder probeSuccesses = new LongAdder();
    private final LongAdder probeFailures = new LongAdder();

    /**
     * One probed endpoint. Touched only on the scheduler's thread. A reconfiguration that leaves
     * its probe as it was keeps the object (and a probe in flight), updating where it now sits
     * and its thresholds.
     */
    private final class Monitored {
        int profile;
        int endpoint;
        String profileName;
        String endpointName;
        ProbeTarget target;
        final String fingerprint;
        EndpointHealth health;
        /** When, within the interval, this endpoint is probed. */
        long offsetMillis;
        /** The interval and offset its timer runs at (0 before it is scheduled). */
        long scheduledInterval;
        long scheduledOffset;
        Scheduler.Cancellable task;
        boolean inFlight;
        /** A tick came while a probe was in flight: probe again once it is done. */
        boolean due;
        /** Dropped by a reconfiguration: results that arrive later are ignored. */
        boolean retired;

        Monitored(ProbeTarget target, String fingerprint) {
            this.target = target;
            this.fingerprint = fingerprint;
            MonitorConfig monitor = target.monitor();
            this.health = new EndpointHealth(monitor.toleratedNumberOfFailures(), monitor.requiredConsecutiveSuccesses(),
                    scheduler.clock().instant());
        }

        /** Where it sits in the configuration now, and under which settings it is probed. */
        void place(int profileIndex, int endpointIndex, String profile, String endpoint, ProbeTarget now) {
            this.profile = profileIndex;
            this.endpoint = endpointIndex;
            this.profileName = profile;
            this.endpointName = endpoint;
            if (!now.equals(target)) {
                MonitorConfig monitor = now.monitor();
                // Thresholds are not part of the probe: what the probes have shown carries over.
                health = health.withThresholds(monitor.toleratedNumberOfFailures(), monitor.requiredConsecutiveSuccesses());
                target = now;
            }
        }

        long intervalMillis() {
            return target.monitor().intervalInSeconds() * 1000L;
        }
    }

    public HealthMonitor(Prober prober, Scheduler scheduler, Listener listener) {
        this.prober = prober;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /**
     * Monitors the endpoints of a configuration: enabled external endpoints of enabled profiles
     * with a monitorConfig, except alwaysServe ones. Call on the scheduler's thread.
     */
    public void configure(WayfinderConfig config) {
        checkThread();
        Map<NameKey, Monitored> wanted = new LinkedHashMap<>();
        List<ProfileConfig> profiles = config.profiles();
        for (int p = 0; p < profiles.size(); p++) {
            ProfileConfig profile = profiles.get(p);
            if (profile.monitor() == null || !profile.enabled()) {
                continue;
            }
            List<Monitored> ofProfile = new ArrayList<>();
            for (int e = 0; e < profile.endpoints().size(); e++) {
                EndpointConfig endpoint = profile.endpoints().get(e);
                if (endpoint.type() != EndpointType.external || !endpoint.enabled() || endpoint.alwaysServe()) {
                    continue;
                }
                ProbeTarget target = new ProbeTarget(endpoint.target(), !IpPrefix.looksLikeAddress(endpoint.target()),
                        profile.monitor(), endpoint.headers(profile.monitor()));
                NameKey key = NameKey.of(profile.name(), endpoint.name());
                String fingerprint = whatIsProbed(target);
                Monitored existing = monitored.get(key);
                Monitored m = existing != null && existing.fingerprint.equals(fingerprint) ? existing
                        : new Monitored(target, fingerprint);
                m.place(p, e, profile.name(), endpoint.name(), target);
                wanted.put(key, m);
                ofProfile.add(m);
            }
            spread(profile.name(), profile.monitor().intervalInSeconds() * 1000L, ofProfile);
        }
        for (Map.Entry<NameKey, Monitored> old : monitored.entrySet()) {
            if (wanted.get(old.getKey()) != old.getValue()) {
                old.getValue().retired = true;
                cancel(old.getValue());
            }
        }
        monitored.clear();
        monitored.putAll(wanted);
        profileCount = profiles.size();
        if (running) {
            scheduleAll();
        }
        refreshViews();
    }

    /** Starts probing every endpoint on its interval (until {@link #close()}). Call on the scheduler's thread. */
    public void start() {
        checkThread();
        running = true;
        scheduleAll();
    }

    /** Starts each endpoint's timer, or restarts it where its interval or its place in it changed. */
    private void scheduleAll() {
        for (Monitored m : monitored.values()) {
            if (m.task != null && m.scheduledInterval == m.intervalMillis() && m.scheduledOffset == m.offsetMillis) {
                continue;
            }
            cancel(m);
            m.scheduledInterval = m.intervalMillis();
            m.scheduledOffset = m.offsetMillis;
            m.task = scheduler.every(m.offsetMillis, m.intervalMillis(), () -> probe(m));
        }
    }

    private static void cancel(Monitored m) {
        if (m.task != null) {
            m.task.cancel();
            m.task = null;
        }
    }

    /**
     * Probes every monitored endpoint once, now; the future completes when all results are
     * recorded. For tools that want the state without waiting for intervals (the {@code status}
     * command). Call on the scheduler's thread.
     */
    public CompletableFuture<Void> probeAll() {
        checkThread();
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (Monitored m : monitored.values()) {
            done.add(prober.probe(m.target).handleAsync((r, error) -> {
                record(m, r != null ? r : ProbeResult.failure("probe error: " + error, scheduler.clock().instant(), 0));
                return null;
            }, scheduler));
        }
        return CompletableFuture.allOf(done.toArray(new CompletableFuture[0]));
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
     * phase set by the profile's name, so that profiles do not all start together.
     * ({@link String#hashCode} is specified by the language, so the phase is the same on every node.)
     */
    private static void spread(String profile, long interval, List<Monitored> endpoints) {
        long phase = Math.floorMod(profile.toLowerCase(Locale.ROOT).hashCode() * 0x9E3779B97F4A7C15L, interval);
        for (int k = 0; k < endpoints.size(); k++) {
            endpoints.get(k).offsetMillis = (phase + k * interval / endpoints.size()) % interval;
        }
    }

    /**
     * Starts a probe. A tick that finds the previous probe still running (a slow endpoint, or a
     * pause of this process) is not dropped but run as soon as that result is in: dropping it would
     * delay a failover by a whole interval.
     */
    private void probe(Monitored m) {
        if (m.retired || closed) {
            return;
        }
        if (m.inFlight) {
            m.due = true;
            return;
        }
        m.inFlight = true;
        prober.probe(m.target).whenCompleteAsync((result, error) -> {
            m.inFlight = false;
            if (m.retired || closed) {
                return;
            }
            record(m, result != null ? result : ProbeResult.failure("probe error: " + error, scheduler.clock().instant(), 0));
            if (m.due) {
                m.due = false;
                probe(m);
            }
        }, scheduler);
    }

    private void record(Monitored m, ProbeResult result) {
        if (m.retired || closed) {
            return;
        }
        (result.success() ? probeSuccesses : probeFailures).increment();
        EndpointHealth.Transition transition = m.health.record(result);
        refreshViews();
        if (transition != null) {
            listener.healthChanged(List.of(new StatusChange(m.profile, m.endpoint, m.profileName, m.endpointName,
                    transition.from(), transition.to(), result.reason())));
        }
    }

    private void refreshViews() {
        MonitorStatus[][] byProfile = new MonitorStatus[profileCount][];
        List<HealthReport> r = new ArrayList<>();
        for (Monitored m : monitored.values()) {
            MonitorStatus[] row = byProfile[m.profile];
            if (row == null || row.length <= m.endpoint) {
                MonitorStatus[] grown = new MonitorStatus[m.endpoint + 1];
                if (row != null) {
                    System.arraycopy(row, 0, grown, 0, row.length);
                }
                byProfile[m.profile] = row = grown;
            }
            row[m.endpoint] = m.health.status();
            r.add(new HealthReport(m.profileName, m.endpointName, m.target.host(), m.health.status(), m.health.since(),
                    m.health.lastResult(), m.health.consecutiveFailures(), m.health.consecutiveSuccesses()));
        }
        statuses = HealthStatuses.of(byProfile);
        reports = List.copyOf(r);
    }

    /** The current statuses of monitored endpoints; safe to read from any thread. */
    public HealthStatuses statuses() {
        return statuses;
    }

    /** Every monitored endpoint's state, in configuration order; safe to read from any thread. */
    public List<HealthReport> reports() {
        return reports;
    }

    /** Probes completed since start, successful or not. */
    public long probes(boolean successful) {
        return (successful ? probeSuccesses : probeFailures).sum();
    }

    /** Stops every timer; results that arrive later are dropped. Call on the scheduler's thread. */
    public void close() {
        closed = true;
        monitored.values().forEach(HealthMonitor::cancel);
    }

    private void checkThread() {
        if (!scheduler.inThread()) {
            throw new IllegalStateException("the health monitor is confined to its scheduler's thread");
        }
    }

    /** Names compare without case, as in the configuration; a pair, since names may hold any character. */
    private record NameKey(String profile, String endpoint) {
        static NameKey of(String profile, String endpoint) {
            return new NameKey(profile.toLowerCase(Locale.ROOT), endpoint.toLowerCase(Locale.ROOT));
        }
    }
}
