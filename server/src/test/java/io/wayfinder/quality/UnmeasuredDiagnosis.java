package io.wayfinder.quality;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.latency.LatencyEstimator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the never-measured networks (of lit /20s and of dark ones) miss, against the yardstick of
 * a perfect /20 row ({@link QualityCeiling}): per network, whether its /20's true row (its networks'
 * mean structural RTT less their last mile) picks its fastest region, and whether the learned
 * table does. A miss where the true row hits is the row's error (what a better row could win back);
 * a miss where the true row misses too is the network's own deviation from its block (out of town,
 * the per-network term). Uses the truth only to sort, never to route.
 *
 * <pre>
 *   java -cp ... io.wayfinder.quality.UnmeasuredDiagnosis [networks] [seed]
 * </pre>
 */
public final class UnmeasuredDiagnosis {
    private UnmeasuredDiagnosis() {
    }

    public static void main(String[] args) throws Exception {
        InProcessLearning.FirstRound round = InProcessLearning.firstRound(args, "unmeasured");
        GeneratedInternet world = round.world();
        CsvGeoTable geo = round.geo();
        List<String> names = round.names();
        LatencyEstimator est = round.estimator();
        int regions = world.regionCount();
        int[] fastest = world.fastest(null);
        int[] chosen = QuickQuality.choose(world, est, names);

        // Per /16: its lit blocks' majority metro.
        Map<Integer, Map<Integer, Integer>> litMetros = new HashMap<>();
        int[] measuredIn = new int[world.blockCount()];
        for (int b = 0; b < world.blockCount(); b++) {
            for (int n = world.blockStart(b); n < world.blockEnd(b); n++) {
                measuredIn[b] += world.measured(n) ? 1 : 0;
            }
            if (measuredIn[b] > 0) {
                litMetros.computeIfAbsent(world.blockBase(b) >>> 16, k -> new HashMap<>()).merge(world.blockMetro(b), 1, Integer::sum);
            }
        }
        // Where the source places each block (its /20 row, else the median of its /24 rows), and per
        // block the distance to the nearest lit /20 of its /16 so placed (router-visible).
        double[][] where = new double[world.blockCount()][];
        Map<Integer, List<Integer>> litOf16 = new HashMap<>();
        for (int b = 0; b < world.blockCount(); b++) {
            io.wayfinder.geo.GeoLocation at = geo.locate(io.wayfinder.net.IpPrefix.ofIpv4(world.blockBase(b), 20));
            if (at.known() && at.sourceLength() <= 20) {
                where[b] = new double[] {at.latitude(), at.longitude()};
            } else {
                double[] m = medians(geo, world.blockBase(b));
                where[b] = Double.isNaN(m[2]) ? null : new double[] {m[2], m[3]};
            }
            if (measuredIn[b] > 0 && where[b] != null) {
                litOf16.computeIfAbsent(world.blockBase(b) >>> 16, k -> new ArrayList<>()).add(b);
            }
        }
        String[] nearestBand = new String[world.blockCount()];
        for (int b = 0; b < world.blockCount(); b++) {
            double km = Double.MAX_VALUE;
            for (int o : litOf16.getOrDefault(world.blockBase(b) >>> 16, List.of())) {
                if (o != b && where[b] != null) {
                    km = Math.min(km, io.wayfinder.geo.GreatCircle.kilometres(where[b][0], where[b][1], where[o][0], where[o][1]));
                }
            }
            nearestBand[b] = km == Double.MAX_VALUE ? "none" : km < 100 ? "<100 km" : km < 500 ? "100-500 km" : "500+ km";
        }
        Map<String, double[]> table = new TreeMap<>(); // label -> count, ours hit, row hit, structure hit, ours extra, row extra
        double[] row = new double[regions];
        double[] structure = new double[regions];
        for (int b = 0; b < world.blockCount(); b++) {
            for (int r = 0; r < regions; r++) {
                row[r] = world.blockRowMs(b, r);
            }
            int rowChoice = GeneratedInternet.argmin(row);
            double[] placed = medians(geo, world.blockBase(b));
            double off3 = Double.isNaN(placed[0]) ? Double.NaN : world.kmFromBlockMetro(b, placed[0], placed[1]);
            double offAll = Double.isNaN(placed[2]) ? Double.NaN : world.kmFromBlockMetro(b, placed[2], placed[3]);
            Map<Integer, Integer> lm = litMetros.getOrDefault(world.blockBase(b) >>> 16, Map.of());
            int majority = lm.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
            for (int n = world.blockStart(b); n < world.blockEnd(b); n++) {
                if (world.measured(n)) {
                    continue;
                }
                for (int r = 0; r < regions; r++) {
                    structure[r] = world.structuralRttMs(n, b, r);
                }
                int f = fastest[n];
                boolean ours = chosen[n] == f;
                boolean rowHit = rowChoice == f;
                String group = world.darkBlock(b) ? "dark" : "lit";
                double second = Double.MAX_VALUE;
                for (int r = 0; r < regions; r++) {
                    if (r != f) {
                        second = Math.min(second, world.trueRttMs(n, r) - world.trueRttMs(n, f));
                    }
                }
                List<String> labels = new ArrayList<>();
                labels.add(group + " all");
                labels.add(group + (rowHit ? " | true row hits" : " | true row misses")
                        + (ours ? ", ours hits" : chosen[n] == rowChoice ? ", ours = row's" : ", ours misses"));
                String why = world.wrongGeo(b) ? "wrong geo" : majority >= 0 && world.blockMetro(b) != majority
                        ? "metro not its /16's majority" : majority < 0 ? "nothing lit in /16" : "usual metro";
                labels.add(group + " by block: " + why + (world.perNetworkGeo(b) ? ", /24 rows" : ", one row"));
                labels.add(group + " by block: " + why + ", nearest lit /20 of its /16 " + nearestBand[b]);
                labels.add(group + " by place: " + (world.kmFromMetro(n) >= 30 ? "out of town" : "in town")
                        + (world.perNetworkGeo(b) ? ", /24 row" : ", block row"));
                if (world.perNetworkGeo(b) && !world.wrongGeo(b)) {
                    labels.add(group + " /24-placed, right geo: median of 3 rows " + band(off3) + " from metro");
                    labels.add(group + " /24-placed, right geo: median of all rows " + band(offAll) + " from metro");
                }
                labels.add(group + " by tie: " + (second < 0.5 ? "2nd within 0.5 ms" : second < 2 ? "2nd 0.5-2 ms" : "2nd 2+ ms"));
                if (!world.darkBlock(b)) {
                    int m = measuredIn[b];
                    labels.add("lit by measured in /20: " + (m <= 2 ? "1-2" : m <= 5 ? "3-5" : m <= 9 ? "6-9" : "10+"));
                }
                double extra = world.extraMs(n, chosen[n], f, null);
                double rowExtra = world.extraMs(n, rowChoice, f, null);
                for (String l : labels) {
                    double[] s = table.computeIfAbsent(l, k -> new double[6]);
                    s[0]++;
                    s[1] += ours ? 1 : 0;
                    s[2] += rowHit ? 1 : 0;
                    s[3] += GeneratedInternet.argmin(structure) == f ? 1 : 0;
                    s[4] += extra;
                    s[5] += rowExtra;
                }
            }
        }
        System.out.printf(Locale.ROOT, "| Never-measured networks | Count | learned | true /20 row | structure | learned extra ms | row extra ms | learned misses - row misses |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|%n");
        table.forEach((label, s) -> System.out.printf(Locale.ROOT, "| %s | %,d | %.2f%% | %.2f%% | %.2f%% | %.3f | %.3f | %+d |%n", label,
                (long) s[0], 100 * s[1] / s[0], 100 * s[2] / s[0], 100 * s[3] / s[0], s[4] / s[0], s[5] / s[0],
                (long) (s[2] - s[1])));
    }


    static String band(double km) {
        return Double.isNaN(km) ? "unplaced" : km < 15 ? "<15 km" : km < 30 ? "15-30 km" : km < 60 ? "30-60 km" : "60+ km";
    }

    /** The block's place as the median of its first three /24 rows, and as the median of all of them (NaN: fewer than 3). */
    static double[] medians(CsvGeoTable geo, int base) {
        double[] las = new double[16];
        double[] los = new double[16];
        int k = 0;
        for (int i = 0; i < 16; i++) {
            io.wayfinder.geo.GeoLocation at = geo.locate(io.wayfinder.net.IpPrefix.ofIpv4(base + (i << 8), 24));
            if (at.known() && at.sourceLength() > 20) {
                las[k] = at.latitude();
                los[k] = at.longitude();
                k++;
            }
        }
        if (k < 3) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {median(las, 3), median(los, 3), median(las, k), median(los, k)};
    }

    static double median(double[] v, int k) {
        double[] c = java.util.Arrays.copyOf(v, k);
        java.util.Arrays.sort(c);
        return (k & 1) == 1 ? c[k / 2] : (c[k / 2 - 1] + c[k / 2]) / 2;
    }
}
