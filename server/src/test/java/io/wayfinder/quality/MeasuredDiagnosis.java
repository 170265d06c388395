package io.wayfinder.quality;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.ModelProbe;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the measured networks' misses come from (diagnostics, the truth used only to sort): the
 * learner fed a world's first round as {@link QuickQuality} does, then, per measured network, the
 * table's choice and the model's prediction alone (own cells apart), sorted by what the truth says
 * of the network: its block in its /16's usual metro or not, the network out of town, its block
 * geolocated wrongly; and by where the network is (in town or out, by how far) and whether the
 * source places it per /24 or per /20. For each miss, the errors of the two regions' figures against the structural
 * truth, split into the /20's part (the mean error of the /20's measured networks' predictions for
 * that region) and the network's own.
 *
 * <pre>
 *   java -cp ... io.wayfinder.quality.MeasuredDiagnosis [networks] [seed]
 * </pre>
 */
public final class MeasuredDiagnosis {
    public static void main(String[] args) throws Exception {
        InProcessLearning.FirstRound round = InProcessLearning.firstRound(args, "diag");
        GeneratedInternet world = round.world();
        LearnedLatency learner = round.learner();
        List<String> names = round.names();
        LatencyEstimator est = round.estimator();
        int[] fastest = world.fastest(null);
        int[] chosen = QuickQuality.choose(world, est, names);
        float[] table = QuickQuality.lastRtt;
        ModelProbe probe = new ModelProbe(learner);
        System.out.println("trust: " + probe.trust());
        int R = world.regionCount();
        int[] column = new int[R];
        for (int r = 0; r < R; r++) {
            column[r] = probe.regions().indexOf(names.get(r));
        }
        int N = world.networkCount();
        // Per network: the prediction's error against the structural truth, per region (NaN: unmeasured).
        double[] err = new double[N * R];
        java.util.Arrays.fill(err, Double.NaN);
        int[] predChoice = new int[N];
        for (int n = 0; n < N; n++) {
            if (!world.measured(n)) {
                continue;
            }
            double[] p = probe.prediction(world.prefix(n));
            if (p == null) {
                continue;
            }
            double[] row = new double[R];
            for (int r = 0; r < R; r++) {
                row[r] = p[column[r]];
                err[n * R + r] = row[r] - world.structuralRttMs(n, world.blockOf(n), r);
            }
            predChoice[n] = GeneratedInternet.argmin(row);
        }
        // Per /16: its lit blocks' majority metro.
        Map<Integer, Map<Integer, Integer>> metros = new HashMap<>();
        for (int b = 0; b < world.blockCount(); b++) {
            if (!world.darkBlock(b)) {
                metros.computeIfAbsent(world.blockBase(b) >>> 16, k -> new HashMap<>()).merge(world.blockMetro(b), 1, Integer::sum);
            }
        }
        TreeMap<String, double[]> groups = new TreeMap<>();
        for (int b = 0; b < world.blockCount(); b++) {
            if (world.darkBlock(b)) {
                continue;
            }
            int majority = metros.get(world.blockBase(b) >>> 16).entrySet().stream()
                    .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
            // The /20's mean prediction error per region over its measured networks.
            double[] mean = new double[R];
            int[] count = new int[R];
            for (int n = world.blockStart(b); n < world.blockEnd(b); n++) {
                for (int r = 0; r < R; r++) {
                    double e = err[n * R + r];
                    if (!Double.isNaN(e)) {
                        mean[r] += e;
                        count[r]++;
                    }
                }
            }
            for (int r = 0; r < R; r++) {
                mean[r] = count[r] > 0 ? mean[r] / count[r] : 0;
            }
            for (int n = world.blockStart(b); n < world.blockEnd(b); n++) {
                if (!world.measured(n)) {
                    continue;
                }
                String label = world.wrongGeo(b) ? "geo wrong" : world.blockMetro(b) != majority ? "metro not /16's"
                        : world.kmFromMetro(n) > 30 ? "in /16's metro, out of town" : "in /16's metro, in town";
                // Where the network is and how the source places it: a block placed by one row
                // puts its networks out of town at the metro's centre (CellPlaces places them).
                double km = world.kmFromMetro(n);
                String where = "where: " + (km > 100 ? "out 100+ km" : km > 30 ? "out 30-100 km" : "in town")
                        + (world.perNetworkGeo(b) ? ", placed per /24" : ", placed per /20");
                String cells = "; cells to the fastest/chosen: " + (world.measuredTo(n, fastest[n]) ? "y" : "n") + "/"
                        + (world.measuredTo(n, chosen[n]) ? "y" : "n");
                for (String key : new String[] {label, "all", where, where + cells}) {
                    double[] g = groups.computeIfAbsent(key, k -> new double[10]);
                    int f = fastest[n];
                    int c = chosen[n];
                    g[0]++;
                    g[1] += c == f ? 1 : 0;
                    g[2] += predChoice[n] == f ? 1 : 0;
                    g[3] += world.extraMs(n, c, f, null);
                    if (c != f) {
                        // The chosen region's figure less the fastest's, against the truth: how wrong the comparison was,
                        // in the table; in the prediction; the /20's part of the prediction's.
                        double truthGap = world.trueRttMs(n, c) - world.trueRttMs(n, f);
                        g[4]++;
                        g[5] += (table[n * R + c] - table[n * R + f]) - truthGap;
                        double pc = err[n * R + c];
                        double pf = err[n * R + f];
                        g[6] += pc - pf;
                        g[7] += mean[c] - mean[f];
                        g[8] += truthGap;
                        g[9] += world.measuredTo(n, f) ? 1 : 0;
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-56s %7s %8s %8s %8s | misses: %6s %9s %9s %9s %9s %8s%n", "measured networks", "count",
                "table", "pred", "extra", "count", "table gap", "pred gap", "/20 gap", "truth gap", "f own");
        groups.forEach((k, g) -> System.out.printf(Locale.ROOT, "%-56s %7d %7.2f%% %7.2f%% %7.3fms | %13d %+8.2f %+9.2f %+9.2f %9.2f %7.0f%%%n",
                k, (long) g[0], 100 * g[1] / g[0], 100 * g[2] / g[0], g[3] / g[0], (long) g[4], g[5] / g[4], g[6] / g[4],
                g[7] / g[4], g[8] / g[4], 100 * g[9] / g[4]));
    }
}
