package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.health.HealthReport;
import io.wayfinder.health.MonitorStatus;
import io.wayfinder.health.ProbeResult;
import io.wayfinder.health.Prober;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.time.ManualScheduler;
import io.wayfinder.time.ThreadScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control path's one owner: each kind of event rebuilds only what it changes, and whatever the
 * interleaving of reloads and probe results, every published snapshot agrees with both.
 */
class SnapshotPublisherTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    /** web: flappy (127.0.3.1) and steady (127.0.3.2), probed every second, no failure tolerated. */
    private static final String A = """
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                monitorConfig: {protocol: TCP, port: 80, intervalInSeconds: 1, toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: flappy, target: 127.0.3.1}
                  - {name: steady, target: 127.0.3.2}
              - name: fixed
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: fixed}
                endpoints:
                  - {name: f, target: 192.0.2.1}
            """;

    /** The same endpoints at other indices: another profile first, web's endpoints the other way round. */
    private static final String B = """
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: other
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: other}
                monitorConfig: {protocol: TCP, port: 80, intervalInSeconds: 1, toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: o, target: 127.0.3.3}
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                monitorConfig: {protocol: TCP, port: 80, intervalInSeconds: 1, toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: steady, target: 127.0.3.2}
                  - {name: flappy, target: 127.0.3.1}
            """;

    @TempDir
    Path dir;

    private LoadedConfig load(String name, String yaml, Clock clock) throws Exception {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, clock);
    }

    /** Answers each probe at once: 127.0.3.1 fails when {@code flappyDown} says so, every other host succeeds. */
    private static final class FlagProber implements Prober {
        volatile boolean flappyDown;

        @Override
        public CompletableFuture<ProbeResult> probe(io.wayfinder.health.ProbeTarget target) {
            boolean down = flappyDown && target.host().equals("127.0.3.1");
            return CompletableFuture.completedFuture(down ? ProbeResult.failure("connection refused", START, 1)
                    : ProbeResult.success("TCP connect", START, 1));
        }
    }

    @Test
    void aHealthChangeRebuildsRoutingButNotZoneDataAndKeepsTheProfilesItDidNotTouch() throws Exception {
        ManualScheduler control = new ManualScheduler(START);
        FlagProber prober = new FlagProber();
        SnapshotPublisher publisher = new SnapshotPublisher(control, prober);
        publisher.configurationLoaded(load("a", A, control.clock()));
        publisher.startProbing();
        control.advance(Duration.ofSeconds(1));
        Snapshot healthy = publisher.snapshot();
        assertThat(status(healthy, "web", "flappy")).isEqualTo(MonitorStatus.Online);

        prober.flappyDown = true;
        control.advance(Duration.ofSeconds(1));
        Snapshot degraded = publisher.snapshot();

        assertThat(status(degraded, "web", "flappy")).isEqualTo(MonitorStatus.Degraded);
        assertThat(degraded.zones()).as("zone data is the configuration's: health does not touch it").isSameAs(healthy.zones());
        assertThat(degraded.routing()).isNotSameAs(healthy.routing());
        assertThat(degraded.routing().profile("fixed")).as("a profile health did not change is kept as it was")
                .isSameAs(healthy.routing().profile("fixed"));
        assertThat(degraded.routing().profile("web")).isNotSameAs(healthy.routing().profile("web"));
    }

    @Test
    void aLatencyTableSwapKeepsZonesAndHealthAndTheConfiguration() throws Exception {
        ManualScheduler control = new ManualScheduler(START);
        SnapshotPublisher publisher = new SnapshotPublisher(control, new FlagProber());
        publisher.configurationLoaded(load("a", A, control.clock()));
        control.runPending();
        Snapshot before = publisher.snapshot();
        LatencyEstimator next = new LatencyEstimator(new LatencyTableBuilder().build(), GeoLocator.NONE, DistanceModel.UNFITTED);

        publisher.latencyChanged(next);
        control.runPending();
        Snapshot after = publisher.snapshot();

        assertThat(after.routing().estimator()).isSameAs(next);
        assertThat(after.zones()).isSameAs(before.zones());
        assertThat(after.routing().health()).isSameAs(before.routing().health());
        assertThat(after.routing().plan()).isSameAs(before.routing().plan());
    }

    @Test
    void aReloadBuildsNewZonesAndCarriesHealthByNameToTheNewIndices() throws Exception {
        ManualScheduler control = new ManualScheduler(START);
        FlagProber prober = new FlagProber();
        prober.flappyDown = true;
        SnapshotPublisher publisher = new SnapshotPublisher(control, prober);
        publisher.configurationLoaded(load("a", A, control.clock()));
        publisher.startProbing();
        control.advance(Duration.ofSeconds(1));
        Snapshot first = publisher.snapshot();

        publisher.configurationLoaded(load("b", B, control.clock()));
        control.runPending();
        Snapshot second = publisher.snapshot();

        assertThat(second.zones()).isNotSameAs(first.zones());
        assertThat(status(second, "web", "flappy")).isEqualTo(MonitorStatus.Degraded);
        assertThat(status(second, "web", "steady")).isEqualTo(MonitorStatus.Online);
        assertThat(status(second, "other", "o")).isEqualTo(MonitorStatus.CheckingEndpoint);
        assertThat(publisher.configurations()).isEqualTo(2);
    }

    /**
     * Reloads alternate between two configurations that put the same endpoints at different indices,
     * while probe results flip one endpoint back and forth, all from other threads. Every snapshot
     * published must show, for every probed endpoint, the status the monitor holds for it by name:
     * a health view of one configuration applied to the other's indices would show up at once.
     */
    @Test
    void concurrentReloadsAndProbeResultsAlwaysPublishSnapshotsConsistentWithBoth() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        ExecutorService probeThreads = Executors.newFixedThreadPool(2);
        Prober flipping = target -> CompletableFuture.supplyAsync(() -> {
            boolean up = !target.host().equals("127.0.3.1") || probes.incrementAndGet() % 2 == 0;
            return up ? ProbeResult.success("TCP connect", Instant.now(), 1)
                    : ProbeResult.failure("connection refused", Instant.now(), 1);
        }, probeThreads);
        List<String> inconsistencies = new CopyOnWriteArrayList<>();
        AtomicInteger published = new AtomicInteger();
        Set<String> flappyStatuses = ConcurrentHashMap.newKeySet();
        try (ThreadScheduler control = new ThreadScheduler("control-test", Clock.systemUTC())) {
            SnapshotPublisher publisher = new SnapshotPublisher(control, flipping);
            LoadedConfig a = load("a", A, Clock.systemUTC());
            LoadedConfig b = load("b", B, Clock.systemUTC());
            publisher.onPublish(snapshot -> {
                published.incrementAndGet();
                for (HealthReport r : publisher.health().reports()) {
                    MonitorStatus shown = status(snapshot, r.profile(), r.endpoint());
                    if (shown != r.status()) {
                        inconsistencies.add(r.profile() + "/" + r.endpoint() + " shows " + shown + ", probes say " + r.status());
                    }
                    if (r.endpoint().equals("flappy")) {
                        flappyStatuses.add(r.status().name());
                    }
                }
            });
            publisher.configurationLoaded(a).join();
            Thread reloader = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    publisher.configurationLoaded(i % 2 == 0 ? b : a);
                }
            });
            Thread prober = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    publisher.probeAll();
                }
            });
            reloader.start();
            prober.start();
            reloader.join();
            prober.join();
            Snapshot last = publisher.configurationLoaded(a).join();
            publisher.probeAll().join();
            publisher.close().join();
            assertThat(last.config()).isSameAs(a.config());
        } finally {
            probeThreads.shutdownNow();
            probeThreads.awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(inconsistencies).as("published snapshots that disagree with health").isEmpty();
        assertThat(published.get()).as("snapshots published").isGreaterThan(200);
        assertThat(flappyStatuses).as("the flipping endpoint went both ways").contains("Online", "Degraded");
    }

    private static MonitorStatus status(Snapshot snapshot, String profile, String endpoint) {
        Profile p = snapshot.routing().profile(profile);
        if (p == null) {
            return null;
        }
        Endpoint e = p.endpoint(endpoint);
        return e == null ? null : p.status(e.index());
    }
}
