package io.wayfinder.quality;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The learned table's quality in process, for quick iteration on the learner (20-40 s at 100,000
 * networks, against several minutes for {@code scripts/routing-quality-learned}, whose first
 * round it reproduces to ±0.1 point): the learner fed a {@link GeneratedInternet}'s first round,
 * one rebuild, and every network's answer read from its table; the share sent to the fastest
 * region by group, the measured networks' misses by which of the two regions (fastest, chosen)
 * have samples of their own, and, where both do, by their sample counts with the errors of both
 * figures against the truth. Then either a second round of samples with unchanged truth (how many
 * answers it changes: the benchmark's stability row) or, with {@code congestion}, the benchmark's
 * congestion event, the share of slowed networks with 5+ new samples that moved off the slowed
 * region, and what the table and explain say for each that did not. Uses the truth only to score.
 *
 * <pre>
 *   java -cp ... io.wayfinder.quality.QuickQuality [networks] [seed] [once | congestion]
 * </pre>
 */
public final class QuickQuality {
    public static void main(String[] args) throws Exception {
        boolean second = args.length <= 2 || !args[2].equals("once");
        InProcessLearning.FirstRound round = InProcessLearning.firstRound(args, "quick");
        GeneratedInternet world = round.world();
        CsvGeoTable geo = round.geo();
        LearnedLatency learner = round.learner();
        List<String> names = round.names();
        long now = round.now();
        LatencyEstimator est = round.estimator();
        int[] fastest = world.fastest(null);
        int[] first = choose(world, est, names);
        report(world, fastest, first);
        if (args.length > 2 && args[2].equals("congestion")) {
            int region = world.congestibleRegion(fastest, 50);
            GeneratedInternet.Congestion event = world.congestion(region, 50, 0.1, fastest, world.params().seed());
            List<Measurement> batch = new ArrayList<>(MeasurementFeed.BATCH);
            world.samples(1, now - 3_600_000L, now - 1000, event, (ip, r, rtt, time) -> {
                batch.add(new Measurement(IpPrefix.ofIpv4(ip & 0xffffff00, 24), names.get(r), rtt, time, "q"));
                if (batch.size() == MeasurementFeed.BATCH) {
                    learner.add(batch);
                    batch.clear();
                }
            });
            learner.add(batch);
            LatencyEstimator est2 = learner.rebuild(Instant.ofEpochMilli(now + 1000), new LatencyTableBuilder().build(), geo,
                    RegionCatalogue.builtIn());
            int[] after = choose(world, est2, names);
            int[] fastestAfter = world.fastest(event);
            int group = 0;
            int moved = 0;
            int R = world.regionCount();
            for (int n = 0; n < world.networkCount(); n++) {
                if (!event.blocks().get(world.blockOf(n)) || first[n] != region || fastestAfter[n] == region
                        || !world.measured(n) || world.samplesFor(n, region, 1) < 5) {
                    continue;
                }
                group++;
                if (after[n] != region) {
                    moved++;
                } else {
                    io.wayfinder.latency.learn.LatencyLearning.Evidence e = learner.explain(world.prefix(n), names.get(region));
                    int alt = -1;
                    for (int r = 0; r < R; r++) {
                        if (r != region && (alt < 0 || lastRtt[n * R + r] < lastRtt[n * R + alt])) {
                            alt = r;
                        }
                    }
                    io.wayfinder.latency.learn.LatencyLearning.Evidence ea = learner.explain(world.prefix(n), names.get(alt));
                    System.out.printf(Locale.ROOT, "stayer %s: slowed fig %.1f (%s w %.1f, %s) true %.1f; alt %s fig %.1f (%s w %.1f, %s) true %.1f; fresh %d%n",
                            world.prefix(n), lastRtt[n * R + region], e.kind(), e.effectiveSamples(), e.borrowedFrom(),
                            world.trueRttMs(n, region, event), names.get(alt), lastRtt[n * R + alt], ea.kind(), ea.effectiveSamples(),
                            ea.borrowedFrom(), world.trueRttMs(n, alt, event), world.samplesFor(n, region, 1));
                }
            }
            System.out.printf(Locale.ROOT, "slowed 5+: %d, moved %d (%.1f%%)%n", group, moved, 100.0 * moved / group);
            int never = 0;
            int neverMoved = 0;
            for (int n = 0; n < world.networkCount(); n++) {
                if (event.blocks().get(world.blockOf(n)) && first[n] == region && fastestAfter[n] != region && !world.measured(n)) {
                    never++;
                    neverMoved += after[n] != region ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "slowed never measured: %d, moved %d (%.1f%%)%n", never, neverMoved,
                    100.0 * neverMoved / Math.max(1, never));
            return;
        }
        if (second) {
            feed(world, learner, names, 1, now - 3_600_000L, now - 1000);
            LatencyEstimator est2 = learner.rebuild(Instant.ofEpochMilli(now + 1000), new LatencyTableBuilder().build(), geo,
                    RegionCatalogue.builtIn());
            int[] again = choose(world, est2, names);
            int measured = 0;
            int changed = 0;
            int other = 0;
            int otherChanged = 0;
            for (int n = 0; n < world.networkCount(); n++) {
                if (world.measured(n)) {
                    measured++;
                    changed += first[n] != again[n] ? 1 : 0;
                } else {
                    other++;
                    otherChanged += first[n] != again[n] ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "churn: measured %.2f%% (%d of %d), never measured %.2f%%%n", 100.0 * changed / measured,
                    changed, measured, 100.0 * otherChanged / other);
            report(world, fastest, again);
        }
    }

    static void feed(GeneratedInternet world, LearnedLatency learner, List<String> names, int round, long from, long to) {
        List<Measurement> batch = new ArrayList<>(MeasurementFeed.BATCH);
        world.samples(round, from, to, null, (ip, region, rtt, time) -> {
            batch.add(new Measurement(IpPrefix.ofIpv4(ip & 0xffffff00, 24), names.get(region), rtt, time, "q"));
            if (batch.size() == MeasurementFeed.BATCH) {
                learner.add(batch);
                batch.clear();
            }
        });
        learner.add(batch);
    }

    static float[] lastRtt;

    static int[] choose(GeneratedInternet world, LatencyEstimator est, List<String> names) {
        lastRtt = new float[world.networkCount() * world.regionCount()];
        int regions = world.regionCount();
        int[] column = new int[regions];
        for (int r = 0; r < regions; r++) {
            column[r] = est.table().column(names.get(r));
        }
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        double[] rtt = new double[regions];
        int[] out = new int[world.networkCount()];
        for (int n = 0; n < world.networkCount(); n++) {
            for (int r = 0; r < regions; r++) {
                lookup.reset(world.prefix(n));
                Region region = world.regions().get(r);
                est.estimate(lookup, column[r], region.latitude(), region.longitude());
                rtt[r] = lookup.rttMs();
                lastRtt[n * regions + r] = (float) rtt[r];
            }
            out[n] = GeneratedInternet.argmin(rtt);
        }
        return out;
    }

    static final java.util.TreeMap<String, double[]> detail = new java.util.TreeMap<>();

    static String bucket(int c) {
        return c == 1 ? "1" : c == 2 ? "2" : c <= 4 ? "3-4" : c <= 9 ? "5-9" : "10+";
    }

    static void report(GeneratedInternet world, int[] fastest, int[] chosen) {
        // groups: 0 measured, 1 lit unmeasured, 2 dark, 3 all; measured misses by own-cell status
        double[][] s = new double[8][3];
        String[] label = {"measured", "unmeasured, lit /20", "dark /20", "all",
            "measured miss: fastest own, chosen own", "measured miss: fastest own, chosen borrowed",
            "measured miss: fastest borrowed, chosen own", "measured miss: both borrowed"};
        for (int n = 0; n < world.networkCount(); n++) {
            int b = world.blockOf(n);
            int g = world.measured(n) ? 0 : world.darkBlock(b) ? 2 : 1;
            boolean hit = chosen[n] == fastest[n];
            double extra = world.extraMs(n, chosen[n], fastest[n], null);
            for (int k : new int[] {g, 3}) {
                s[k][0]++;
                s[k][1] += hit ? 1 : 0;
                s[k][2] += extra;
            }
            if (g == 0 && !hit && world.measuredTo(n, fastest[n]) && world.measuredTo(n, chosen[n])) {
                int R = world.regionCount();
                int nf = world.samplesFor(n, fastest[n], 0);
                int nc = world.samplesFor(n, chosen[n], 0);
                String key = "nf " + bucket(nf) + " nc " + bucket(nc);
                double ef = lastRtt[n * R + fastest[n]] - world.trueRttMs(n, fastest[n]);
                double ec = lastRtt[n * R + chosen[n]] - world.trueRttMs(n, chosen[n]);
                double[] a = detail.computeIfAbsent(key, x -> new double[5]);
                a[0]++; a[1] += ef; a[2] += ec; a[3] += extra; a[4] += world.jitterMs(n);
            }
            if (g == 0 && !hit) {
                int k = 4 + (world.measuredTo(n, fastest[n]) ? 0 : 2) + (world.measuredTo(n, chosen[n]) ? 0 : 1);
                s[k][0]++;
                s[k][2] += extra;
            }
        }
        detail.forEach((k, a) -> System.out.printf(Locale.ROOT, "   both own %-14s %5d  err fastest %+.2f chosen %+.2f extra %.2f jitter %.2f%n",
                k, (long) a[0], a[1] / a[0], a[2] / a[0], a[3] / a[0], a[4] / a[0]));
        detail.clear();
        for (int k = 0; k < 4; k++) {
            System.out.printf(Locale.ROOT, "%-22s %7d  %.2f%%  %.3f ms%n", label[k], (long) s[k][0], 100 * s[k][1] / s[k][0],
                    s[k][2] / s[k][0]);
        }
        for (int k = 4; k < 8; k++) {
            System.out.printf(Locale.ROOT, "  %-45s %6d  mean extra %.2f ms%n", label[k], (long) s[k][0], s[k][2] / Math.max(1, s[k][0]));
        }
    }
}
