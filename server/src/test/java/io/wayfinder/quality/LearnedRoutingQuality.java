package io.wayfinder.quality;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LatencyLearning.LevelTrust;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.quality.RoutingQuality.Group;
import io.wayfinder.quality.RoutingQuality.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The learned table on a {@link GeneratedWorld}, fed with raw samples rather than a finished table:
 * every measured (network, region) of the world's latency table becomes as many samples as the
 * row says (5-100), each the true RTT plus noise (normal, sd 8 ms) and, one sample in twenty, a
 * spike (exponential, mean 40 ms: a retransmit or a queue), spread over the day before the
 * rebuild. Three routers are measured on the same samples: the learner's table, today's CSV
 * estimator on a table of each cell's plain mean (what an operator would produce from those
 * samples), and the nearest region. The router never sees the truth.
 *
 * <p>This is the in-process check the suite runs ({@code LearnedRoutingQualityTest}); the full
 * benchmark through the API, with a congestion event, is {@code scripts/routing-quality}'s sibling
 * on the quality-benchmark branch.
 */
public final class LearnedRoutingQuality {
    static final double NOISE_SD_MS = 8;
    static final double SPIKE_SHARE = 0.05;
    static final double SPIKE_MEAN_MS = 40;
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private LearnedRoutingQuality() {
    }

    /** The raw samples of the world's latency table, in a fixed order from the seed. */
    static List<Measurement> rawSamples(GeneratedWorld world, long seed) {
        Map<IpPrefix, GeneratedWorld.Network> byPrefix = new HashMap<>();
        for (GeneratedWorld.Network n : world.networks()) {
            byPrefix.put(n.prefix(), n);
        }
        Random random = new Random(seed);
        long start = NOW.minus(Duration.ofDays(1)).toEpochMilli();
        List<Measurement> out = new ArrayList<>();
        for (GeneratedWorld.Measurement m : world.measurements()) {
            double truth = byPrefix.get(m.prefix()).trueRttMs()[GeneratedWorld.REGIONS.indexOf(m.region())];
            for (int i = 0; i < m.samples(); i++) {
                double x = truth + NOISE_SD_MS * random.nextGaussian();
                if (random.nextDouble() < SPIKE_SHARE) {
                    x += -SPIKE_MEAN_MS * Math.log(1 - random.nextDouble());
                }
                long time = start + (long) (random.nextDouble() * Duration.ofDays(1).toMillis());
                out.add(new Measurement(m.prefix(), m.region(), Math.max(0.1, x), time, "quality"));
            }
        }
        return out;
    }

    /** Results of the three routers, per group. */
    public record Result(Map<Group, Metrics> learned, Map<Group, Metrics> csv, Map<Group, Metrics> nearest,
                         List<LevelTrust> trust, long samples) {
    }

    public static Result evaluate(GeneratedWorld world, long seed) {
        GeoLocator geo;
        try {
            geo = CsvGeoTable.read(world.writeGeoCsv());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Measurement> samples = rawSamples(world, seed);

        LearnedLatency learner = new LearnedLatency(LearningParameters.DEFAULTS);
        for (int i = 0; i < samples.size(); i += 10_000) {
            learner.add(samples.subList(i, Math.min(samples.size(), i + 10_000)));
        }
        LatencyEstimator learned = learner.rebuild(NOW, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        // A second rebuild with nothing new: the trust search moves on to another fold.
        learned = learner.rebuild(NOW.plusSeconds(60), LatencyTable.empty(), geo, RegionCatalogue.builtIn());

        // Today's estimator on the plain means of the same samples.
        Map<String, double[]> sums = new HashMap<>();
        for (Measurement m : samples) {
            double[] s = sums.computeIfAbsent(m.network() + " " + m.region(), k -> new double[2]);
            s[0] += m.rttMs();
            s[1]++;
        }
        LatencyTableBuilder builder = new LatencyTableBuilder();
        sums.forEach((k, s) -> {
            String[] parts = k.split(" ");
            builder.add(IpPrefix.parse(parts[0]), parts[1], s[0] / s[1], (int) s[1]);
        });
        LatencyTable csvTable = builder.build();
        DistanceModel model = DistanceModel.fit(builder.sample(RoutingQuality.FIT_SAMPLE), geo, RegionCatalogue.builtIn());
        RoutingQuality.Setup csv = new RoutingQuality.Setup(world, geo, new LatencyEstimator(csvTable, geo, model));
        RoutingQuality.Setup learnedSetup = new RoutingQuality.Setup(world, geo, learned);
        return new Result(RoutingQuality.measure(world, learnedSetup::route), RoutingQuality.measure(world, csv::route),
                RoutingQuality.measure(world, csv::nearest), learner.coverage().trust(), samples.size());
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        GeneratedWorld world = GeneratedWorld.generate(GeneratedWorld.Params.standard(seed));
        System.out.print(report(world, evaluate(world, seed)));
    }

    static String report(GeneratedWorld world, Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Generated world (seed %d): %d client /24s, %d raw samples "
                        + "(sd %.0f ms, %.0f%% spikes of mean %.0f ms)%n%n", world.params().seed(), world.networks().size(),
                r.samples(), NOISE_SD_MS, 100 * SPIKE_SHARE, SPIKE_MEAN_MS));
        out.append("| Client networks | Count | Learned: to fastest | mean extra ms | CSV estimator: to fastest | mean extra ms "
                + "| Nearest region: to fastest | mean extra ms |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Group g : Group.values()) {
            Metrics l = r.learned().get(g);
            Metrics c = r.csv().get(g);
            Metrics n = r.nearest().get(g);
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %s | %.2f | %s | %.2f |%n", g.label, l.count(),
                    RoutingQuality.percent(l.toFastest()), l.meanExtraMs(), RoutingQuality.percent(c.toFastest()),
                    c.meanExtraMs(), RoutingQuality.percent(n.toFastest()), n.meanExtraMs()));
        }
        out.append("\nTrust learned on held-out cells:\n\n| Level | sd ms | pseudo-samples | held-out RMSE ms | held-out cells |\n"
                + "|---|---:|---:|---:|---:|\n");
        for (LevelTrust t : r.trust()) {
            out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %d |%n", t.level(), t.sdMs(), t.pseudoSamples(),
                    t.heldOutRmseMs(), t.heldOutCells()));
        }
        return out.toString();
    }
}
