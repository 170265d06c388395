package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.net.IpPrefix;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helpers: a learner on an injected clock, and samples drawn around known RTTs. */
final class Samples {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    final LearnedLatency learner;
    final Random random;
    Instant now = T0;
    LatencyEstimator estimator;

    Samples(LearningParameters parameters, long seed) {
        learner = new LearnedLatency(parameters);
        random = new Random(seed);
    }

    Samples(long seed) {
        this(LearningParameters.DEFAULTS, seed);
    }

    /**
     * A measured /20 geolocated at {@code place} (its row added to {@code geoRows}, a geolocation
     * CSV's): four /24s, each with its own last mile, many samples to westeurope (plus
     * {@code westeuropeExtraMs}) and to northeurope.
     */
    void litBlock(java.util.List<String> geoRows, String prefix, double[] place, double westeuropeExtraMs) {
        String[] parts = prefix.split("\\.");
        int third = Integer.parseInt(parts[2]);
        geoRows.add(prefix + ".0/20," + place[0] + "," + place[1]);
        for (int i = 0; i < 4; i++) {
            String network = parts[0] + "." + parts[1] + "." + (third + i) + ".0/24";
            double lastMile = 2 + 3 * i;
            add(network, "westeurope", 20 + westeuropeExtraMs + lastMile, 1, 20);
            add(network, "northeurope", 30 + lastMile, 1, 20);
        }
    }

    static IpPrefix net(String text) {
        return IpPrefix.parse(text);
    }

    /**
     * A geolocation source of these rows ({@code prefix,latitude,longitude}), written to a CSV in
     * {@code dir} and read back as the server reads one.
     */
    static GeoLocator geolocation(java.nio.file.Path dir, List<String> rows) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile(dir, "geo", ".csv");
        java.nio.file.Files.writeString(file, "prefix,latitude,longitude\n" + String.join("\n", rows) + "\n");
        return io.wayfinder.geo.CsvGeoTable.read(file);
    }

    /** n samples of a network to a region: the true RTT plus normal noise of sd ms, at the current time. */
    Samples add(String network, String region, double trueMs, double sd, int n) {
        List<Measurement> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double rtt = Math.max(0.1, trueMs + sd * random.nextGaussian());
            batch.add(new Measurement(net(network), region, rtt, now.toEpochMilli(), "test"));
        }
        learner.add(batch);
        return this;
    }

    /** One sample of a given value. */
    Samples addOne(String network, String region, double ms) {
        learner.add(List.of(new Measurement(net(network), region, ms, now.toEpochMilli(), "test")));
        return this;
    }

    Samples advance(Duration d) {
        now = now.plus(d);
        return this;
    }

    LatencyEstimator rebuild() {
        return rebuild(LatencyTable.empty());
    }

    LatencyEstimator rebuild(LatencyTable staticTable) {
        estimator = learner.rebuild(now, staticTable, GeoLocator.NONE, RegionCatalogue.builtIn());
        return estimator;
    }

    /** What the table says for a client and region, in ms (NaN when nothing). */
    double table(String client, String region) {
        LatencyTable t = estimator.table();
        int column = t.column(region);
        int entry = t.lookup(net(client));
        if (column < 0 || entry < 0) {
            return Double.NaN;
        }
        int tenths = t.tenths(entry, column);
        return tenths == LatencyTable.MISSING ? Double.NaN : tenths / 10.0;
    }

    /** The region with the lowest figure for a client, among the given ones. */
    String best(String client, String... regions) {
        String best = null;
        double bestMs = Double.POSITIVE_INFINITY;
        for (String r : regions) {
            double ms = table(client, r);
            if (ms < bestMs) {
                bestMs = ms;
                best = r;
            }
        }
        return best;
    }
}
