package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.ProbeResult;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning service's schedule, on manual schedulers (nothing waits on the wall clock): a
 * rebuild at start and every {@code latency.rebuildInterval}, one on request, each published to
 * the control path and checkpointed; a reload keeps the learned table and rebuilds with the new
 * sources; a failing rebuild keeps the previous table.
 */
class LatencyLearningServiceTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final IpPrefix NET = IpPrefix.parse("81.2.69.0/24");

    private static String config(String csv, String interval) {
        return """
                api:
                  listen: "127.0.0.1:0"
                  tokens: [{name: ci, token: writer-token-0123456789abcdef, role: writer}]
                zones: [{name: app.test, nameservers: [ns1.app.test]}]
                latency:
                  sources: [%s]
                  learn: true
                  rebuildInterval: %s
                profiles:
                  - name: web
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: www}
                    endpoints:
                      - {name: eu, target: 192.0.2.1, endpointLocation: westeurope}
                      - {name: us, target: 192.0.2.2, endpointLocation: eastus}
                """.formatted(csv, interval);
    }

    @TempDir
    Path dir;
    ManualScheduler control;
    ManualScheduler learningThread;
    FakeLearning learner;
    LatencyLearningService service;
    SnapshotPublisher publisher;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("a.csv"), "prefix,region,rtt_ms\n81.2.69.0/24,westeurope,10\n81.2.69.0/24,eastus,80\n");
        Files.writeString(dir.resolve("b.csv"), "prefix,region,rtt_ms\n81.2.69.0/24,westeurope,90\n81.2.69.0/24,eastus,20\n");
        control = new ManualScheduler(START);
        learningThread = new ManualScheduler(START);
        learner = new FakeLearning();
        service = new LatencyLearningService(learner, learningThread, LatencyLearningService.checkpointFile(dir));
        publisher = new SnapshotPublisher(control, target -> CompletableFuture.completedFuture(ProbeResult.success("up", START, 1)),
                service);
        apply(load(config("a.csv", "60s")));
    }

    private LoadedConfig load(String text) throws Exception {
        Path file = dir.resolve("wayfinder.yaml");
        Files.writeString(file, text);
        return ConfigLoader.load(file, control.clock());
    }

    private void apply(LoadedConfig config) {
        publisher.configurationLoaded(config);
        control.runPending();
    }

    /** Runs what the learning thread has, then what it posted to the control thread. */
    private void runBoth() {
        learningThread.runPending();
        control.runPending();
    }

    private LatencyEstimator served() {
        return publisher.snapshot().routing().estimator();
    }

    private void measure(double westeurope, double eastus) {
        long t = learningThread.now().toEpochMilli();
        service.add(List.of(new Measurement(NET, "westeurope", westeurope, t, "api"),
                new Measurement(NET, "eastus", eastus, t, "api")));
    }

    @Test
    void aRebuildRunsAsBackgroundWorkThatGivesWayToQueries() {
        service.start(estimator -> CompletableFuture.completedFuture(null));
        runBoth();
        assertThat(learner.rebuiltInBackground).isTrue();
        assertThat(io.wayfinder.time.CpuYield.inBackgroundHere()).as("only for the rebuild").isFalse();
    }

    @Test
    void beforeTheFirstRebuildTheConfiguredSourcesAreServed() {
        assertThat(served().table().prefixCount()).isEqualTo(1);
        assertThat(learner.rebuilds).isZero();
        assertThat(service.lastRebuild()).isNull();
    }

    @Test
    void rebuildsAtStartThenEveryInterval() {
        service.start(publisher::latencyChanged);
        runBoth();
        assertThat(learner.rebuilds).as("the first rebuild runs at once").isEqualTo(1);

        learningThread.advance(Duration.ofSeconds(59));
        control.runPending();
        assertThat(learner.rebuilds).isEqualTo(1);
        learningThread.advance(Duration.ofSeconds(1));
        control.runPending();
        assertThat(learner.rebuilds).isEqualTo(2);
        learningThread.advance(Duration.ofMinutes(3));
        control.runPending();
        assertThat(learner.rebuilds).isEqualTo(5);
        assertThat(service.rebuilds()).isEqualTo(5);
        assertThat(service.lastRebuild().at()).isEqualTo(START.plus(Duration.ofMinutes(4)));
    }

    @Test
    void eachRebuildIsPublishedAndCheckpointed() throws Exception {
        service.start(publisher::latencyChanged);
        runBoth();
        measure(30, 12);
        learningThread.advance(Duration.ofSeconds(60));
        control.runPending();

        LatencyEstimator served = served();
        int column = served.table().column("eastus");
        assertThat(served.table().tenths(served.table().lookup(NET), column)).as("the learned figure is served").isEqualTo(120);
        assertThat(learner.checkpoints).isEqualTo(2);
        assertThat(FakeLearning.restore(LatencyLearningService.checkpointFile(dir)).samples()).hasSize(2);
    }

    @Test
    void aRebuildAskedForRunsAtOnceAndCompletesOncePublished() {
        service.start(publisher::latencyChanged);
        runBoth();
        measure(30, 12);
        CompletableFuture<LatencyLearningService.Rebuild> a = service.rebuildSoon();
        CompletableFuture<LatencyLearningService.Rebuild> b = service.rebuildSoon();
        learningThread.runPending();
        assertThat(a).as("not yet published").isNotDone();
        control.runPending();
        assertThat(a).isCompleted();
        assertThat(b.join()).as("requests waiting together share one rebuild").isSameAs(a.join());
        assertThat(learner.rebuilds).isEqualTo(2);
        assertThat(a.join().networks()).isEqualTo(1);
        assertThat(a.join().cells()).isEqualTo(2);
    }

    @Test
    void aReloadKeepsTheLearnedTableAndRebuildsSoonWithTheNewSources() throws Exception {
        service.start(publisher::latencyChanged);
        measure(30, 12);
        runBoth();
        LatencyEstimator learned = served();

        LoadedConfig reloaded = load(config("b.csv", "60s"));
        apply(reloaded);
        assertThat(served()).as("the reload is served with the learned table, not b.csv's").isSameAs(learned);

        runBoth();
        assertThat(learner.rebuilds).as("a rebuild soon after, not at the next interval").isEqualTo(2);
        assertThat(learner.staticTables.get(1)).as("with the new sources").isSameAs(reloaded.sources().estimator().table());
    }

    @Test
    void aProfileWriteKeepsTheSourcesAndRebuildsNothing() throws Exception {
        service.start(publisher::latencyChanged);
        runBoth();
        LoadedConfig served = load(config("a.csv", "60s"));
        apply(served);
        runBoth(); // new sources object: one rebuild
        int before = learner.rebuilds;
        LoadedConfig written = ConfigLoader.withProfiles(served, served.config().profiles(), 2, control.clock());
        apply(written);
        runBoth();
        assertThat(learner.rebuilds).isEqualTo(before);
    }

    @Test
    void aNewIntervalReschedules() throws Exception {
        service.start(publisher::latencyChanged);
        runBoth();
        apply(load(config("a.csv", "10s")));
        runBoth();
        int before = learner.rebuilds;
        learningThread.advance(Duration.ofSeconds(30));
        control.runPending();
        assertThat(learner.rebuilds - before).isEqualTo(3);
    }

    @Test
    void aFailingRebuildKeepsThePreviousTableAndStillCheckpoints() {
        service.start(publisher::latencyChanged);
        measure(30, 12);
        runBoth();
        LatencyEstimator learned = served();
        int checkpoints = learner.checkpoints;

        learner.failNextRebuild = new IllegalStateException("boom");
        CompletableFuture<LatencyLearningService.Rebuild> r = service.rebuildSoon();
        runBoth();
        assertThat(r).isCompletedExceptionally();
        assertThat(served()).isSameAs(learned);
        assertThat(service.failedRebuilds()).isEqualTo(1);
        assertThat(learner.checkpoints).isEqualTo(checkpoints + 1);

        learningThread.advance(Duration.ofSeconds(60));
        control.runPending();
        assertThat(service.rebuilds()).as("the schedule goes on").isEqualTo(2);
    }

    @Test
    void samplesTheLearnerDropsAreCounted() {
        FakeLearning small = new FakeLearning(3);
        LatencyLearningService s = new LatencyLearningService(small, learningThread, dir.resolve("x"));
        long t = START.toEpochMilli();
        List<Measurement> four = List.of(new Measurement(NET, "eastus", 1, t, "api"), new Measurement(NET, "eastus", 2, t, "api"),
                new Measurement(NET, "eastus", 3, t, "api"), new Measurement(NET, "eastus", 4, t, "api"));
        assertThat(s.add(four)).isEqualTo(3);
        assertThat(s.accepted()).isEqualTo(3);
        assertThat(s.dropped()).isEqualTo(1);
    }

    @Test
    void stoppingWritesALastCheckpoint() throws Exception {
        service.start(publisher::latencyChanged);
        runBoth();
        measure(30, 12);
        service.close();
        assertThat(FakeLearning.restore(LatencyLearningService.checkpointFile(dir)).samples()).hasSize(2);
        learningThread.advance(Duration.ofMinutes(5));
        assertThat(learner.rebuilds).as("no rebuild after stopping").isEqualTo(1);
    }

    @Test
    void samplesAreFoldedInBetweenRebuildsOnceAFoldIsDue() {
        io.wayfinder.latency.learn.LearningParameters d = io.wayfinder.latency.learn.LearningParameters.DEFAULTS;
        io.wayfinder.latency.learn.LearnedLatency learned = new io.wayfinder.latency.learn.LearnedLatency(
                new io.wayfinder.latency.learn.LearningParameters(d.halfLife(), d.ipv4Levels(), d.ipv6Levels(),
                        d.changeMinSamples(), d.changeSigmas(), d.changeMinMs(), d.holdBack(), d.hysteresisMs(),
                        d.hysteresisSigmas(), d.staticSamples(), 80)); // a fold is due at 10 new samples
        ManualScheduler thread = new ManualScheduler(START);
        LatencyLearningService folding = new LatencyLearningService(learned, thread, dir.resolve("other.checkpoint"));
        List<Measurement> nine = java.util.Collections.nCopies(9,
                new Measurement(NET, "westeurope", 20, START.toEpochMilli(), "test"));
        folding.add(nine);
        thread.runPending();
        assertThat(folding.folds()).isZero();
        assertThat(learned.pendingSamples()).isEqualTo(9);
        folding.add(nine);
        folding.add(nine); // one fold queued for both
        thread.runPending();
        assertThat(folding.folds()).isEqualTo(1);
        assertThat(learned.pendingSamples()).isZero();
        assertThat(folding.rebuilds()).isZero(); // folded, no table built
        assertThat(folding.accepted()).isEqualTo(27);
    }
}
