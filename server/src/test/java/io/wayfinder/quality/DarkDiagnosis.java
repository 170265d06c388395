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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the misses of never-measured networks in dark /20s come from: the learner fed in process
 * (one round of samples, one rebuild, as the benchmark's first round), every network's answer read
 * from its table, and the dark /20s' misses split by what the generator's truth says about them
 * (wrong geolocation, a /16 of several metros or providers, a /20 outside its /16's metro, bad
 * routes, near-ties). Uses the truth only to sort the misses, never to route.
 *
 * <pre>
 *   java -cp ... io.wayfinder.quality.DarkDiagnosis [networks] [seed]
 * </pre>
 */
public final class DarkDiagnosis {
    private DarkDiagnosis() {
    }

    /** Per group: networks, hits, summed extra RTT (ms); the groups overlap, as labelled. */
    record Report(Map<String, double[]> overlapping, Map<String, double[]> exclusive, Map<String, double[]> byDistance,
                  int[] histogram) {
        /** The share of all dark /20 networks sent to their fastest region. */
        double darkShare() {
            double[] all = overlapping.get(ALL);
            return all[1] / all[0];
        }
    }

    static final String ALL = "all dark";

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Report report = run(size, seed);
        double total = report.overlapping().get(ALL)[2];
        print("Dark /20 networks by what the truth says (overlapping)", report.overlapping(), total);
        print("The same, each miss under its first label only", report.exclusive(), total);
        print("By distance from the geolocation to the nearest lit /20 of its /16 (router-visible)", report.byDistance(), total);
        int[] hist = report.histogram();
        System.out.printf(Locale.ROOT, "%nExtra RTT of dark networks: 0: %d, <0.5: %d, 0.5-2: %d, 2-5: %d, 5-20: %d, >=20: %d%n",
                hist[0], hist[1], hist[2], hist[3], hist[4], hist[5]);
    }

    /** The learner fed one round of the world's samples in process, one rebuild, and its dark /20s' answers sorted. */
    static Report run(int size, long seed) throws Exception {
        GeneratedInternet world = GeneratedInternet.generate(GeneratedInternet.Params.standard(seed, size));
        CsvGeoTable geo = InProcessLearning.geolocation(world, "dark");
        LearnedLatency learner = InProcessLearning.learner(world);
        List<String> names = world.regions().stream().map(Region::name).toList();
        long now = System.currentTimeMillis();
        List<Measurement> batch = new ArrayList<>(MeasurementFeed.BATCH);
        world.samples(0, now - 48 * 3_600_000L, now - 2 * 3_600_000L, null, (ip, region, rtt, time) -> {
            batch.add(new Measurement(IpPrefix.ofIpv4(ip & 0xffffff00, 24), names.get(region), rtt, time, "diag"));
            if (batch.size() == MeasurementFeed.BATCH) {
                learner.add(batch);
                batch.clear();
            }
        });
        learner.add(batch);
        batch.clear();
        LatencyEstimator est = learner.rebuild(Instant.ofEpochMilli(now), new LatencyTableBuilder().build(), geo,
                RegionCatalogue.builtIn());

        int regions = world.regionCount();
        int[] column = new int[regions];
        for (int r = 0; r < regions; r++) {
            column[r] = est.table().column(names.get(r));
        }
        int[] fastest = world.fastest(null);

        // Per /16 (by address): its blocks' metros and providers, and its measured blocks' majority metro.
        Map<Integer, Set<Integer>> metros = new HashMap<>();
        Map<Integer, Set<Integer>> providers = new HashMap<>();
        Map<Integer, Map<Integer, Integer>> litMetros = new HashMap<>();
        Map<Integer, Integer> litCount = new HashMap<>();
        Map<Integer, Integer> litBlocksOfMetro = new HashMap<>();
        Map<Integer, List<double[]>> litPlaces = new HashMap<>();
        for (int b = 0; b < world.blockCount(); b++) {
            int s16 = world.blockBase(b) >>> 16;
            metros.computeIfAbsent(s16, k -> new HashSet<>()).add(world.blockMetro(b));
            providers.computeIfAbsent(s16, k -> new HashSet<>()).add(world.blockProvider(b));
            boolean lit = false;
            for (int n = world.blockStart(b); n < world.blockEnd(b); n++) {
                lit |= world.measured(n);
            }
            if (lit) {
                io.wayfinder.geo.GeoLocation at = geo.locate(IpPrefix.ofIpv4(world.blockBase(b), 20));
                if (at.known()) {
                    litPlaces.computeIfAbsent(s16, k -> new ArrayList<>()).add(new double[] {at.latitude(), at.longitude()});
                }
                litMetros.computeIfAbsent(s16, k -> new HashMap<>()).merge(world.blockMetro(b), 1, Integer::sum);
                litCount.merge(s16, 1, Integer::sum);
                litBlocksOfMetro.merge(world.blockMetro(b), 1, Integer::sum);
            }
        }

        Map<String, double[]> table = new LinkedHashMap<>(); // label -> count, hits, extra
        Map<String, double[]> exclusive = new LinkedHashMap<>();
        Map<String, double[]> distance = new java.util.TreeMap<>();
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        double[] rtt = new double[regions];
        double[] truth = new double[regions];
        int[] hist = new int[6];
        for (int b = 0; b < world.blockCount(); b++) {
            if (!world.darkBlock(b)) {
                continue;
            }
            int s16 = world.blockBase(b) >>> 16;
            Map<Integer, Integer> lm = litMetros.getOrDefault(s16, Map.of());
            int majority = lm.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
            io.wayfinder.geo.GeoLocation at = geo.locate(IpPrefix.ofIpv4(world.blockBase(b), 20));
            double nearest = Double.MAX_VALUE;
            for (double[] q : litPlaces.getOrDefault(s16, List.of())) {
                if (at.known()) {
                    nearest = Math.min(nearest, io.wayfinder.geo.GreatCircle.kilometres(at.latitude(), at.longitude(), q[0], q[1]));
                }
            }
            String spread = spread(geo, world.blockBase(b));
            String far = nearest == Double.MAX_VALUE ? "no lit /20 placed" : nearest < 100 ? "<100 km" : nearest < 500 ? "100-500 km"
                    : nearest < 2000 ? "500-2000 km" : ">=2000 km";
            for (int n = world.blockStart(b); n < world.blockEnd(b); n++) {
                lookup.reset(IpPrefix.ofIpv4(world.blockBase(b) & 0xffff0000, 16));
                for (int r = 0; r < regions; r++) {
                    Region region = world.regions().get(r);
                    est.estimate(lookup, column[r], region.latitude(), region.longitude());
                    rtt[r] = lookup.rttMs();
                }
                int viaSixteen = GeneratedInternet.argmin(rtt);
                for (int r = 0; r < regions; r++) {
                    lookup.reset(world.prefix(n));
                    Region region = world.regions().get(r);
                    est.estimate(lookup, column[r], region.latitude(), region.longitude());
                    rtt[r] = lookup.rttMs();
                    truth[r] = world.trueRttMs(n, r);
                }
                int chosen = GeneratedInternet.argmin(rtt);
                int f = fastest[n];
                double extra = truth[chosen] - truth[f];
                double second = Double.MAX_VALUE;
                for (int r = 0; r < regions; r++) {
                    if (r != f) {
                        second = Math.min(second, truth[r] - truth[f]);
                    }
                }
                // The estimate's error on the fastest against the chosen region (ms, centred).
                List<String> labels = new ArrayList<>();
                labels.add(ALL);
                if (!litCount.containsKey(s16)) {
                    labels.add("nothing measured in its /16");
                }
                if (world.wrongGeo(b)) {
                    labels.add("geolocated wrongly");
                }
                if (majority >= 0 && world.blockMetro(b) != majority) {
                    labels.add("metro not its /16's majority (lit blocks)");
                }
                if (metros.get(s16).size() > 1) {
                    labels.add("/16 of several metros");
                }
                if (providers.get(s16).size() > 1) {
                    labels.add("/16 of several providers");
                }
                if (litBlocksOfMetro.getOrDefault(world.blockMetro(b), 0) < 3) {
                    labels.add("metro has < 3 lit /20s");
                }
                if (second < 0.5) {
                    labels.add("near-tie (2nd within 0.5 ms)");
                } else if (second < 1) {
                    labels.add("near-tie (2nd within 0.5-1 ms)");
                }
                for (String l : labels) {
                    add(table, l, chosen == f, extra);
                }
                String key = far + (world.wrongGeo(b) ? ", wrong geo" : ", right geo");
                add(distance, key + ": dark row", chosen == f, extra);
                add(distance, key + ": /16 row", viaSixteen == f, truth[viaSixteen] - truth[f]);
                add(distance, "rows " + spread + (world.wrongGeo(b) ? ", wrong geo" : ", right geo") + ": dark row", chosen == f, extra);
                add(distance, "rows " + spread + (world.wrongGeo(b) ? ", wrong geo" : ", right geo") + ": /16 row", viaSixteen == f,
                        truth[viaSixteen] - truth[f]);
                String first = labels.size() > 1 ? labels.get(1) : "none of these";
                add(exclusive, first, chosen == f, extra);
                int bucket = extra == 0 ? 0 : extra < 0.5 ? 1 : extra < 2 ? 2 : extra < 5 ? 3 : extra < 20 ? 4 : 5;
                hist[bucket]++;
            }
        }
        return new Report(table, exclusive, distance, hist);
    }

    /**
     * How the source places a /20 (router-visible): by one row for the whole block, or by rows of
     * its /24s, all within 20 km of the first one found or spread further.
     */
    static String spread(CsvGeoTable geo, int base) {
        double lat0 = Double.NaN;
        double lon0 = Double.NaN;
        int finer = 0;
        double far = 0;
        for (int i = 0; i < 16; i++) {
            io.wayfinder.geo.GeoLocation at = geo.locate(IpPrefix.ofIpv4(base + (i << 8), 24));
            if (!at.known() || at.sourceLength() <= 20) {
                continue;
            }
            finer++;
            if (Double.isNaN(lat0)) {
                lat0 = at.latitude();
                lon0 = at.longitude();
            }
            far = Math.max(far, io.wayfinder.geo.GreatCircle.kilometres(lat0, lon0, at.latitude(), at.longitude()));
        }
        return finer == 0 ? "one /20 row" : finer < 3 ? "1-2 /24 rows" : far <= 20 ? "/24 rows within 20 km" : "/24 rows spread";
    }

    private static void add(Map<String, double[]> table, String label, boolean hit, double extra) {
        double[] s = table.computeIfAbsent(label, k -> new double[3]);
        s[0]++;
        s[1] += hit ? 1 : 0;
        s[2] += extra;
    }

    private static void print(String title, Map<String, double[]> table, double total) {
        System.out.printf(Locale.ROOT, "%n%s%n%n| Group | Networks | to fastest | misses | mean extra ms | share of the extra |%n"
                + "|---|---:|---:|---:|---:|---:|%n", title);
        table.forEach((label, s) -> System.out.printf(Locale.ROOT, "| %s | %,d | %.1f%% | %,d | %.2f | %.0f%% |%n", label,
                (long) s[0], 100 * s[1] / s[0], (long) (s[0] - s[1]), s[2] / s[0], 100 * s[2] / total));
    }
}
