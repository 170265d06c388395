package io.wayfinder.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The monitor with a scripted prober and a manual scheduler: which endpoints it probes, what it
 * does with the results, what survives a reload and how probes are spread over the interval.
 * Probing starts only where a test calls {@code start()} and time moves only when a test advances
 * it; elsewhere {@code probeAllNow()} drives it. Nothing waits on the wall clock.
 */
class HealthMonitorTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final ManualScheduler scheduler = new ManualScheduler(NOW);

    /** Two monitored endpoints, a (127.0.2.1) and b (127.0.2.2); no failure is tolerated. */
    private static final String BASE = """
            zones:
              - name: app.test
                nameservers: [ns1.app.test]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                monitorConfig: {protocol: HTTP, port: 80, path: /health, timeoutInSeconds: 1, toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: a, target: 127.0.2.1, weight: 1}
                  - {name: b, target: 127.0.2.2, weight: 1}
            """;

    private final ScriptedProber prober = new ScriptedProber(scheduler);
    private final List<Notification> notifications = new CopyOnWriteArrayList<>();
    private final HealthMonitor monitor = new HealthMonitor(prober, scheduler,
            changes -> notifications.add(new Notification(this.statusesOfWeb(), changes)));
    /** The configuration the monitor was last given, to find endpoints' indices by name. */
    private WayfinderConfig current;

    /** What the listener got: the statuses of web's endpoints by name at that moment, and the changes. */
    record Notification(Map<String, MonitorStatus> view, List<StatusChange> changes) {
    }

    @AfterEach
    void close() {
        monitor.close();
    }

    /** Answers each probe from a per-host script, then with the host's steady answer (success unless set). */
    static final class ScriptedProber implements Prober {
        final ManualScheduler scheduler;
        final Map<String, Deque<Object>> scripts = new ConcurrentHashMap<>();
        final Map<String, Object> steady = new ConcurrentHashMap<>();
        final Map<String, List<Instant>> probedAt = new ConcurrentHashMap<>();
        final List<String> probed = new CopyOnWriteArrayList<>();

        ScriptedProber(ManualScheduler scheduler) {
            this.scheduler = scheduler;
        }

        /** {@code true} succeeds, {@code false} fails, a Throwable completes the future exceptionally. */
        void answer(String host, Object outcome) {
            steady.put(host, outcome);
        }

        /** Probes of this host wait until the test completes them (from {@link #held}). */
        final Map<String, CompletableFuture<ProbeResult>> held = new ConcurrentHashMap<>();

        void hold(String host) {
            held.put(host, new CompletableFuture<>());
        }

        void script(String host, Object... outcomes) {
            scripts.put(host, new ArrayDeque<>(List.of(outcomes)));
        }

        int probes(String host) {
            return probedAt.getOrDefault(host, List.of()).size();
        }

        @Override
        public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
            probedAt.computeIfAbsent(target.host(), h -> new CopyOnWriteArrayList<>()).add(scheduler.now());
            probed.add(target.host());
            if (held.containsKey(target.host())) {
                return held.get(target.host());
            }
            Deque<Object> script = scripts.get(target.host());
            Object outcome = script != null && !script.isEmpty() ? script.poll() : steady.getOrDefault(target.host(), true);
            if (outcome instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            return CompletableFuture.completedFuture((Boolean) outcome
                    ? ProbeResult.success("HTTP 200", scheduler.now(), 1)
                    : ProbeResult.failure("HTTP 503", scheduler.now(), 1));
        }
    }

    /** The monitor's statuses of profile web's endpoints, by name. */
    private Map<String, MonitorStatus> statusesOfWeb() {
        Map<String, MonitorStatus> out = new HashMap<>();
        for (EndpointConfig e : current.profiles().get(0).endpoints()) {
            MonitorStatus s = statusOf("web", e.name());
            if (s != null) {
                out.put(e.name(), s);
            }
        }
        return out;
    }

    /** A status by names, through the indices of the configuration the monitor was given. */
    private MonitorStatus statusOf(String profile, String endpoint) {
        List<ProfileConfig> profiles = current.profiles();
        for (int p = 0; p < profiles.size(); p++) {
            List<EndpointConfig> endpoints = profiles.get(p).endpoints();
            for (int e = 0; e < endpoints.size() && profiles.get(p).name().equals(profile); e++) {
                if (endpoints.get(e).name().equals(endpoint)) {
                    return monitor.statuses().status(p, e);
                }
            }
        }
        return null;
    }

    private static WayfinderConfig parse(String yaml) {
        try {
            return ConfigLoader.reader().parse(yaml, null);
        } catch (ConfigException e) {
            throw new AssertionError("test configuration is invalid: " + e.errors(), e);
        }
    }

    /** The configuration with every monitor's interval set to {@code seconds}, whatever its timeout (the clock is the test's). */
    private static WayfinderConfig withInterval(WayfinderConfig c, int seconds) {
        List<ProfileConfig> profiles = new ArrayList<>();
        for (ProfileConfig p : c.profiles()) {
            MonitorConfig m = p.monitor();
            MonitorConfig fast = m == null ? null : new MonitorConfig(m.protocol(), m.port(), m.path(), seconds,
                    m.timeoutMillis(), m.toleratedNumberOfFailures(), m.customHeaders(), m.expectedStatusCodeRanges(),
                    m.requiredConsecutiveSuccesses(), m.verifyCertificate());
            profiles.add(new ProfileConfig(p.name(), p.zone(), p.trafficRoutingMethod(), p.enabled(), p.relativeName(), p.ttl(),
                    p.maxReturn(), p.endpoints(), fast, p.fallback()));
        }
        return new WayfinderConfig(c.dns(), c.metricsListen(), c.zones(), c.regions(), c.catalogue(), c.geolocation(),
                c.latency(), profiles, c.reload(), c.api(), c.storage());
    }

    private void configure(String yaml) {
        configure(withInterval(parse(yaml), 1));
    }

    private void configure(WayfinderConfig config) {
        current = config;
        monitor.configure(config);
    }

    private MonitorStatus status(String endpoint) {
        return statusOf("web", endpoint);
    }

    /** Probes every endpoint once and applies the results (which come back through the scheduler). */
    private void probeAllNow() {
        CompletableFuture<Void> round = monitor.probeAll();
        scheduler.runPending();
        assertThat(round).isDone();
    }

    private HealthReport report(String endpoint) {
        return monitor.reports().stream().filter(r -> r.endpoint().equals(endpoint)).findFirst().orElseThrow();
    }

    @Test
    void beforeAnyResultEveryMonitoredEndpointIsCheckingEndpoint() {
        configure(BASE);
        assertThat(status("a")).isEqualTo(MonitorStatus.CheckingEndpoint);
        assertThat(status("b")).isEqualTo(MonitorStatus.CheckingEndpoint);
        assertThat(monitor.reports()).extracting(HealthReport::endpoint).containsExactly("a", "b");
        assertThat(report("a").since()).isEqualTo(NOW);
        assertThat(report("a").lastResult()).isNull();
        assertThat(prober.probed).isEmpty();
        assertThat(notifications).isEmpty();
    }

    @Test
    void probeAllNowProbesEachEndpointOnceAndRecordsTheResults() {
        configure(BASE);
        prober.answer("127.0.2.2", false);
        probeAllNow();
        assertThat(prober.probed).containsExactlyInAnyOrder("127.0.2.1", "127.0.2.2");
        assertThat(status("a")).isEqualTo(MonitorStatus.Online);
        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
        assertThat(report("b").lastResult().reason()).isEqualTo("HTTP 503");
        assertThat(report("b").consecutiveFailures()).isEqualTo(1);
        assertThat(monitor.probes(true)).isEqualTo(1);
        assertThat(monitor.probes(false)).isEqualTo(1);
    }

    @Test
    void theListenerGetsEachChangeWithAViewThatAlreadyShowsIt() {
        configure(BASE);
        prober.answer("127.0.2.2", false);
        probeAllNow();
        assertThat(notifications).flatExtracting(Notification::changes).containsExactlyInAnyOrder(
                new StatusChange(0, 0, "web", "a", MonitorStatus.CheckingEndpoint, MonitorStatus.Online, "HTTP 200"),
                new StatusChange(0, 1, "web", "b", MonitorStatus.CheckingEndpoint, MonitorStatus.Degraded, "HTTP 503"));
        for (Notification n : notifications) {
            StatusChange change = n.changes().get(0);
            assertThat(n.view()).containsEntry(change.endpoint(), change.to());
        }
    }

    @Test
    void endpointsWhoseNamesJoinAlikeAreMonitoredApart() {
        configure(parse("""
                zones: [{name: app.test, nameservers: [ns1.app.test]}]
                profiles:
                  - name: a
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: one}
                    monitorConfig: {protocol: TCP, port: 80, toleratedNumberOfFailures: 0}
                    endpoints: [{name: b/x, target: 127.0.2.1}]
                  - name: a/b
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: two}
                    monitorConfig: {protocol: TCP, port: 80, toleratedNumberOfFailures: 0}
                    endpoints: [{name: x, target: 127.0.2.2}]
                """));
        prober.answer("127.0.2.1", false);
        probeAllNow();

        assertThat(prober.probed).containsExactlyInAnyOrder("127.0.2.1", "127.0.2.2");
        assertThat(monitor.statuses().status(0, 0)).isEqualTo(MonitorStatus.Degraded);
        assertThat(monitor.statuses().status(1, 0)).isEqualTo(MonitorStatus.Online);
    }

    @Test
    void theListenerIsNotCalledWhenNoStatusChanges() {
        configure(BASE);
        probeAllNow();
        probeAllNow();
        probeAllNow();
        assertThat(notifications).hasSize(2); // a and b: CheckingEndpoint -> Online, once each
        assertThat(report("a").consecutiveSuccesses()).isEqualTo(3);
    }

    @Test
    void startedProbingFollowsTheEndpointAsItGoesDownAndComesBack() {
        configure(BASE);
        monitor.start();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(status("b")).isEqualTo(MonitorStatus.Online);
        prober.answer("127.0.2.2", false);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
        prober.answer("127.0.2.2", true);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(status("b")).isEqualTo(MonitorStatus.Online);
        assertThat(notifications).flatExtracting(Notification::changes)
                .filteredOn(c -> c.endpoint().equals("b")).extracting(StatusChange::to)
                .containsExactly(MonitorStatus.Online, MonitorStatus.Degraded, MonitorStatus.Online);
        assertThat(status("a")).isEqualTo(MonitorStatus.Online);
    }

    @Test
    void startedProbingRepeatsOnTheInterval() {
        configure(BASE);
        monitor.start();
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(prober.probes("127.0.2.1")).isEqualTo(3); // once a second
        assertThat(prober.probedAt.get("127.0.2.1")).satisfies(times -> {
            assertThat(Duration.between(times.get(0), times.get(1))).isEqualTo(Duration.ofSeconds(1));
            assertThat(Duration.between(times.get(1), times.get(2))).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @Test
    void aProbeThatCompletesExceptionallyIsAFailure() {
        configure(BASE);
        prober.answer("127.0.2.2", new IllegalStateException("prober bug"));
        monitor.start();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
        assertThat(report("b").lastResult().reason()).startsWith("probe error").contains("prober bug");
    }

    @Test
    void probeAllNowRecordsAProbeThatCompletesExceptionallyAsAFailure() {
        configure(BASE);
        prober.answer("127.0.2.2", new IllegalStateException("prober bug"));
        probeAllNow();
        assertThat(status("a")).isEqualTo(MonitorStatus.Online);
        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
        assertThat(report("b").lastResult().reason()).startsWith("probe error");
    }

    @ParameterizedTest(name = "{0}: a {3}, b {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "nothing changes                  | -                                | -                                                        | Degraded         | Online",
            "b's target changes               | 'target: 127.0.2.2'              | 'target: 127.0.2.22'                                     | Degraded         | CheckingEndpoint",
            "b gets a probe header            | '{name: b, target: 127.0.2.2,'   | '{name: b, customHeaders: [{name: X-Key, value: v}], target: 127.0.2.2,' | Degraded | CheckingEndpoint",
            "only b's weight changes          | '{name: b, target: 127.0.2.2, weight: 1}' | '{name: b, target: 127.0.2.2, weight: 7}'       | Degraded         | Online",
            "the profile's path changes       | 'path: /health'                  | 'path: /healthz'                                         | CheckingEndpoint | CheckingEndpoint",
            // Thresholds are not part of the probe: an edit keeps what the probes have shown (a stays Degraded).
            "the tolerated failures change    | 'toleratedNumberOfFailures: 0'   | 'toleratedNumberOfFailures: 2'                           | Degraded         | Online",
            "b is removed                     | '      - {name: b, target: 127.0.2.2, weight: 1}' | ''                                      | Degraded         | -",
            "b is disabled                    | '{name: b, target: 127.0.2.2,'   | '{name: b, endpointStatus: Disabled, target: 127.0.2.2,' | Degraded         | -",
            "b becomes alwaysServe            | '{name: b, target: 127.0.2.2,'   | '{name: b, alwaysServe: Enabled, target: 127.0.2.2,'     | Degraded         | -",
            "the profile loses monitorConfig  | '    monitorConfig: {protocol: HTTP, port: 80, path: /health, timeoutInSeconds: 1, toleratedNumberOfFailures: 0}' | '' | - | -",
    })
    void aReloadKeepsTheStateOfUnchangedEndpointsAndResetsChangedOnes(String change, String from, String to,
                                                                     MonitorStatus a, MonitorStatus b) {
        configure(BASE);
        prober.answer("127.0.2.1", false);
        probeAllNow();
        assertThat(status("a")).isEqualTo(MonitorStatus.Degraded);
        assertThat(status("b")).isEqualTo(MonitorStatus.Online);

        configure(from == null ? BASE : replaceOnce(BASE, from, to));
        assertThat(status("a")).as("a").isEqualTo(a);
        assertThat(status("b")).as("b").isEqualTo(b);
        if (a == MonitorStatus.Degraded) {
            assertThat(report("a").consecutiveFailures()).as("a's failure count survives").isEqualTo(1);
        }
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }

    @Test
    void aProbeInFlightDuringAReloadThatLeavesItsEndpointAloneStillCounts() {
        configure(BASE);
        prober.hold("127.0.2.2");
        monitor.start();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(prober.probes("127.0.2.2")).isEqualTo(1);

        configure(BASE.replace("{name: a, target: 127.0.2.1, weight: 1}", "{name: a, target: 127.0.2.1, weight: 5}"));
        prober.held.get("127.0.2.2").complete(ProbeResult.failure("HTTP 503", NOW, 1));
        scheduler.runPending();

        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
        assertThat(report("b").lastResult().reason()).isEqualTo("HTTP 503");
    }

    @Test
    void frequentReloadsDoNotStarveProbing() {
        configure(BASE);
        monitor.start();
        prober.answer("127.0.2.2", false);
        for (int i = 0; i < 60; i++) {
            scheduler.advance(Duration.ofMillis(100)); // a reload ten times a second, each touching only weights
            configure(BASE.replace("weight: 1}", "weight: " + (i + 2) + "}"));
        }
        // 6 s at one probe a second each, whatever their place in the interval.
        assertThat(prober.probes("127.0.2.1")).isBetween(5, 7);
        assertThat(prober.probes("127.0.2.2")).isBetween(5, 7);
        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
    }

    @Test
    void anEndpointChangedWhileRunningIsProbedUnderItsNewSettings() {
        configure(BASE);
        monitor.start();
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(status("b")).isEqualTo(MonitorStatus.Online);
        prober.answer("127.0.2.22", false);
        configure(BASE.replace("target: 127.0.2.2,", "target: 127.0.2.22,"));
        assertThat(status("b")).isEqualTo(MonitorStatus.CheckingEndpoint);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(status("b")).isEqualTo(MonitorStatus.Degraded);
        assertThat(report("b").target()).isEqualTo("127.0.2.22");
    }

    @ParameterizedTest(name = "{0}/{1} ({2}) monitored={3}")
    @CsvSource({
            "web,      a,          127.0.2.1,  true",
            "web,      off,        127.0.2.3,  false",
            "web,      always,     127.0.2.4,  false",
            "web,      via-child,  child,      false",
            "web,      sorry,      127.0.2.99, false",
            "child,    c1,         127.0.2.50, true",
            "disabled, d1,         127.0.2.60, false",
            "plain,    p1,         127.0.2.70, false",
    })
    void onlyEnabledExternalEndpointsOfEnabledMonitoredProfilesAreProbedAndNeverAFallback(String profile, String endpoint,
                                                                                 String target, boolean monitored) {
        configure("""
                zones:
                  - name: app.test
                    nameservers: [ns1.app.test]
                profiles:
                  - name: web
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: www}
                    monitorConfig: {protocol: HTTP, port: 80, path: /health, intervalInSeconds: 2, timeoutInSeconds: 1}
                    endpoints:
                      - {name: a, target: 127.0.2.1}
                      - {name: off, target: 127.0.2.3, endpointStatus: Disabled}
                      - {name: always, target: 127.0.2.4, alwaysServe: Enabled}
                      - {name: via-child, type: nested, target: child}
                    fallback: {name: sorry, target: 127.0.2.99}
                  - name: child
                    trafficRoutingMethod: Priority
                    monitorConfig: {protocol: TCP, port: 443, intervalInSeconds: 2, timeoutInSeconds: 1}
                    endpoints:
                      - {name: c1, target: 127.0.2.50}
                  - name: disabled
                    trafficRoutingMethod: Priority
                    profileStatus: Disabled
                    dnsConfig: {relativeName: disabled}
                    monitorConfig: {protocol: HTTP, port: 80, path: /health, intervalInSeconds: 2, timeoutInSeconds: 1}
                    endpoints:
                      - {name: d1, target: 127.0.2.60}
                  - name: plain
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: plain}
                    endpoints:
                      - {name: p1, target: 127.0.2.70}
                """);
        probeAllNow();
        if (monitored) {
            assertThat(prober.probed).containsOnlyOnce(target);
            assertThat(statusOf(profile, endpoint)).isEqualTo(MonitorStatus.Online);
        } else {
            assertThat(prober.probed).doesNotContain(target);
            assertThat(statusOf(profile, endpoint)).isNull();
        }
    }

    @Test
    void aProfilesProbesStartAtDifferentOffsetsWithinTheInterval() {
        StringBuilder yaml = new StringBuilder(BASE.substring(0, BASE.indexOf("      - {name: a")));
        for (int i = 0; i < 10; i++) {
            yaml.append("      - {name: e").append(i).append(", target: 127.0.2.").append(100 + i).append("}\n");
        }
        configure(yaml.toString());
        monitor.start();
        scheduler.advance(Duration.ofMillis(999));
        assertThat(prober.probedAt).hasSize(10);
        List<Long> firstProbeMillis = new ArrayList<>();
        for (List<Instant> times : prober.probedAt.values()) {
            assertThat(times).as("each endpoint once in its first interval").hasSize(1);
            firstProbeMillis.add(Duration.between(NOW, times.get(0)).toMillis());
        }
        // Endpoint k of 10 at k/10 of the 1 s interval, from a phase set by the profile's name.
        assertThat(firstProbeMillis.stream().map(ms -> ms / 100).distinct().count())
                .as("distinct 100 ms slots of %s", firstProbeMillis).isEqualTo(10);
    }
}
