package io.wayfinder.quality;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the in-process quality tools (QuickQuality, DarkDiagnosis) set up alike around a generated world. */
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
}
