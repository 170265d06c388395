package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.control.FakeLearning;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.profile.WayfinderConfig;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a server that learns loses at most one rebuild interval of samples: a child
 * JVM ({@link LearningChild}) adds samples and is killed with SIGKILL; the checkpoint it leaves must
 * be whole, hold whole batches from the first on, and miss only batches added within about one
 * interval (1 s, plus slack for a loaded machine) of the last one acknowledged. The next round
 * starts a server on the same directory, which must restore exactly that checkpoint.
 */
class LearningDurabilityTest {
    /** The child's rebuild interval, and what a loaded 2-core machine may add to it (a rebuild and checkpoint late). */
    private static final long INTERVAL_MILLIS = 1000;
    private static final long SLACK_MILLIS = 3000;

    @TempDir
    Path dir;

    @Test
    void aKilledServerLosesAtMostOneIntervalOfSamplesAndRestoresTheRest() throws Exception {
        long expected = 0; // samples the checkpoint held after the previous round
        for (int round = 1; round <= 2; round++) {
            Path acks = dir.resolve("acks-" + round);
            Files.createFile(acks);
            runAndKill(round, acks, "fake");

            List<String> lines = Files.readAllLines(acks, StandardCharsets.US_ASCII);
            assertThat(lines).as("child log: %s", Files.readString(dir.resolve("child-" + round + ".log"))).isNotEmpty();
            assertThat(lines.get(0)).as("round %d restored the previous checkpoint", round).isEqualTo("restored " + expected);
            Map<Long, Long> added = added(acks);
            assertThat(added.size()).as("the child added batches").isGreaterThan(50);

            List<Measurement> restored = FakeLearning.restore(LatencyLearningService.checkpointFile(dir)).samples();
            Map<Long, Integer> batches = new TreeMap<>();
            for (Measurement m : restored) {
                if (m.timeMillis() >= LearningChild.time(round, 0)) {
                    batches.merge(m.timeMillis() - LearningChild.time(round, 0), 1, Integer::sum);
                }
            }
            long kept = batches.size();
            assertThat(new ArrayList<>(batches.keySet())).as("whole batches, from the first on")
                    .isEqualTo(java.util.stream.LongStream.range(0, kept).boxed().toList());
            assertThat(batches.values()).allMatch(n -> n == LearningChild.BATCH);
            long last = added.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            if (kept <= last) {
                long lostFrom = added.get(kept);
                assertThat(added.get(last) - lostFrom).as("lost batches %d-%d: added within one interval of the kill",
                        kept, last).isLessThanOrEqualTo(INTERVAL_MILLIS + SLACK_MILLIS);
            }
            assertThat(kept).as("round %d: most of what was added was kept", round).isGreaterThan(0);
            expected = restored.size();
        }
    }

    @Test
    void withWayfinderslearnerTheCheckpointHoldsEveryNetworkMeasuredBeforeTheLastInterval() throws Exception {
        Path acks = dir.resolve("acks");
        Files.createFile(acks);
        runAndKill(1, acks, "real");
        Map<Long, Long> added = added(acks);
        assertThat(added.size()).as("the child added batches").isGreaterThan(50);

        WayfinderConfig.LatencySettings settings = ConfigLoader.reader().parseValues(LearningChild.CONFIG, dir).latency();
        LearnedLatency restored = LearnedLatency.restore(LatencyLearningService.checkpointFile(dir),
                LatencyLearningService.parameters(settings));
        restored.rebuild(Instant.now(), LatencyTable.empty(), GeoLocator.NONE, RegionCatalogue.builtIn());
        List<Long> kept = new ArrayList<>();
        for (long i : added.keySet()) {
            if (restored.explain(LearningChild.network((int) i), "westeurope").effectiveSamples() > 0) {
                kept.add(i);
            }
        }
        assertThat(kept).as("networks from the first on").isEqualTo(java.util.stream.LongStream.range(0, kept.size()).boxed().toList());
        long last = added.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        if (kept.size() <= last) {
            assertThat(added.get(last) - added.get((long) kept.size())).as("lost networks %d-%d: added within one interval"
                    + " of the kill", kept.size(), last).isLessThanOrEqualTo(INTERVAL_MILLIS + SLACK_MILLIS);
        }
        assertThat(kept).isNotEmpty();
    }

    /** Starts a child, lets it add samples for a few intervals, and kills it with SIGKILL. */
    private void runAndKill(int round, Path acks, String learner) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                LearningChild.class.getName(), dir.toString(), Integer.toString(round), acks.toString(), learner)
                .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + round + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (added(acks).size() < 50 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(50);
        }
        Thread.sleep(2500 + (long) (Math.random() * 1000));
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    /** Batch number to the child's clock when it was acknowledged. */
    private static Map<Long, Long> added(Path acks) throws java.io.IOException {
        Map<Long, Long> out = new TreeMap<>();
        for (String line : Files.readAllLines(acks, StandardCharsets.US_ASCII)) {
            String[] f = line.split(" ");
            if (f[0].equals("added") && f.length == 3) {
                out.put(Long.parseLong(f[1]), Long.parseLong(f[2]));
            }
        }
        return out;
    }
}
