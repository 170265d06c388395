package io.wayfinder.quality;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** What the in-process quality tools (QuickQuality and the diagnoses) set up alike around a generated world. */
final class InProcessLearning {
    private InProcessLearning() {
    }

    /** The world's geolocation CSV, written to a temporary directory and read back as the server would. */
    static CsvGeoTable geolocation(GeneratedInternet world, String tempPrefix) throws IOException {
        Path dir = Files.createTempDirectory(tempPrefix);
        world.writeGeoCsv(dir.resolve("geo.csv"));
        return CsvGeoTable.read(dir.resolve("geo.csv"));
    }

    /** A learner with the default parameters, its pending cap raised to hold the world's whole first round. */
    static LearnedLatency learner(GeneratedInternet world) {
        LearningParameters d = LearningParameters.DEFAULTS;
        long samples = world.sampleCount(0);
        return new LearnedLatency(new LearningParameters(d.halfLife(), d.ipv4Levels(), d.ipv6Levels(),
                d.changeMinSamples(), d.changeSigmas(), d.changeMinMs(), d.holdBack(), d.hysteresisMs(),
                d.hysteresisSigmas(), d.staticSamples(), (int) Math.min(Integer.MAX_VALUE, samples + 1)));
    }

    /** A world, its learner fed the world's first round (samples 48 to 2 hours old) and rebuilt once at {@code now}. */
    record FirstRound(GeneratedInternet world, CsvGeoTable geo, LearnedLatency learner, List<String> names, long now,
                      LatencyEstimator estimator) {
    }

    /**
     * The first round of a tool's command line: {@code [networks] [seed]} (100,000 and 1 when
     * left out), as QuickQuality and the diagnoses take them.
     */
    static FirstRound firstRound(String[] args, String tag) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        return firstRound(size, seed, tag);
    }

    /** The standard world of this size and seed, through its first round ({@code tag} names the temporary files). */
    static FirstRound firstRound(int size, long seed, String tag) throws IOException {
        GeneratedInternet world = GeneratedInternet.generate(GeneratedInternet.Params.standard(seed, size));
        CsvGeoTable geo = geolocation(world, tag);
        LearnedLatency learner = learner(world);
        List<String> names = world.regions().stream().map(Region::name).toList();
        long now = System.currentTimeMillis();
        QuickQuality.feed(world, learner, names, 0, now - 48 * 3_600_000L, now - 2 * 3_600_000L);
        LatencyEstimator estimator = learner.rebuild(Instant.ofEpochMilli(now), new LatencyTableBuilder().build(), geo,
                RegionCatalogue.builtIn());
        return new FirstRound(world, geo, learner, names, now, estimator);
    }
}
