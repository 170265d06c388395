package io.wayfinder.bench;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.latency.learn.Measurement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learner at scale, timed plainly (a rebuild takes seconds, not nanoseconds): for N client /24s
 * learned to 20 regions ({@link LearnedLatencyData}), how fast {@code add} takes samples, how long a
 * fold, the first full rebuild, a steady rebuild (with a million new samples) and a checkpoint
 * take, and what the table and the learner keep on the heap.
 *
 * <pre>java -Xmx14g -cp bench/target/benchmarks.jar io.wayfinder.bench.LearnedScale 1000000 10000000</pre>
 */
public final class LearnedScale {
    private LearnedScale() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            args = new String[] {"1000000", "10000000"};
        }
        System.out.printf(Locale.ROOT, "JVM %s, max heap %d MB, %d cores%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        for (String arg : args) {
            measure(Integer.parseInt(arg.replace("_", "")));
        }
    }

    private static void measure(int n) throws Exception {
        long base = TableFootprint.usedAfterGc();
        LearnedLatencyData data = new LearnedLatencyData(SyntheticLatencyData.generate(n, SyntheticLatencyData.SEED));
        var geo = data.synthetic().geoLocator();
        long withData = TableFootprint.usedAfterGc();

        // add(): time spent inside add() only (making the Measurement objects is the HTTP layer's).
        LearnedLatency learner = new LearnedLatency(LearningParameters.DEFAULTS);
        long[] addNanos = {0};
        long[] foldNanos = {0};
        long[] added = {0};
        long[] sinceFold = {0};
        data.samples(10_000, SyntheticLatencyData.SEED + 7, batch -> {
            long t = System.nanoTime();
            learner.add(batch);
            addNanos[0] += System.nanoTime() - t;
            added[0] += batch.size();
            sinceFold[0] += batch.size();
            if (sinceFold[0] >= 4_000_000) {
                long f = System.nanoTime();
                learner.fold(LearnedLatencyData.NOW);
                foldNanos[0] += System.nanoTime() - f;
                sinceFold[0] = 0;
            }
        });
        long t0 = System.nanoTime();
        LatencyEstimator first = learner.rebuild(LearnedLatencyData.NOW, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        long t1 = System.nanoTime();

        // A steady rebuild: a million new samples since the last one.
        List<List<Measurement>> fresh = new ArrayList<>();
        long[] count = {0};
        new LearnedLatencyData(data.synthetic()).samples(10_000, SyntheticLatencyData.SEED + 8, batch -> {
            if (count[0] < 1_000_000) {
                fresh.add(batch);
                count[0] += batch.size();
            }
        });
        for (List<Measurement> batch : fresh) {
            learner.add(batch);
        }
        fresh.clear();
        long t2 = System.nanoTime();
        LatencyEstimator second = learner.rebuild(LearnedLatencyData.NOW.plus(Duration.ofMinutes(1)), LatencyTable.empty(), geo,
                RegionCatalogue.builtIn());
        long t3 = System.nanoTime();
        Path file = Files.createTempFile("wayfinder-learned-", ".bin");
        long t4 = System.nanoTime();
        learner.checkpoint(file);
        long t5 = System.nanoTime();
        long bytes = Files.size(file);
        long t6 = System.nanoTime();
        LearnedLatency back = LearnedLatency.restore(file, LearningParameters.DEFAULTS);
        long t7 = System.nanoTime();
        Files.delete(file);
        back = null;

        first = null;
        long withLearner = TableFootprint.usedAfterGc();
        LatencyTable table = second.table();
        Map<String, Long> parts = new LinkedHashMap<>();
        long tableBytes = TableFootprint.deepSize(table, "", 0, new IdentityHashMap<>(), parts);

        System.out.printf(Locale.ROOT, "%n== %,d client /24s x %d regions: %,d samples; table %,d rows (with /20 and /16 rows)%n",
                n, LearnedLatencyData.REGIONS.length, added[0], table.prefixCount());
        System.out.printf(Locale.ROOT, "add: %.0f samples/s inside add() (%,d samples in %.2f s)%n",
                added[0] / (addNanos[0] / 1e9), added[0], addNanos[0] / 1e9);
        System.out.printf(Locale.ROOT, "folds while adding: %.2f s (%.0f samples/s)%n", foldNanos[0] / 1e9,
                added[0] / (foldNanos[0] / 1e9));
        System.out.printf(Locale.ROOT, "first full rebuild: %.2f s; steady rebuild (1M new samples): %.2f s%n", (t1 - t0) / 1e9,
                (t3 - t2) / 1e9);
        System.out.printf(Locale.ROOT, "checkpoint: %.2f s, %.0f MB; restore %.2f s%n", (t5 - t4) / 1e9, bytes / 1048576.0,
                (t7 - t6) / 1e9);
        System.out.printf(Locale.ROOT, "heap: the routing table %.0f MB (%.1f B/row); the learner with its published state "
                        + "and the table %.0f MB; the generator's data %.0f MB%n", tableBytes / 1048576.0,
                (double) tableBytes / table.prefixCount(), (withLearner - withData) / 1048576.0,
                (withData - base) / 1048576.0);
        parts.forEach((path, b) -> {
            if (b >= tableBytes / 50) {
                System.out.printf(Locale.ROOT, "  %-36s %8.1f MB%n", path, b / 1048576.0);
            }
        });
        System.out.println("[setup] " + SyntheticLatencyData.evidenceMix(second,
                data.synthetic().clients(100_000, SyntheticLatencyData.SEED + 1), 100_000));
        if (learner.pendingSamples() < 0 || second.table() == null) {
            System.out.println(learner); // keeps both reachable until here
        }
    }
}
