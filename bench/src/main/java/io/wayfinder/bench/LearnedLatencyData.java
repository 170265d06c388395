package io.wayfinder.bench;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Raw samples for the learner at scale, over the /24s and geolocation of {@link SyntheticLatencyData}:
 * twenty regions (the four of {@link FourRegionProfile} first); each /24 is measured to
 * {@value #REGIONS_PER_NETWORK} of them (always including one of the four, as a network is measured
 * to the region it is routed to, plus probes), {@value #SAMPLES_PER_CELL} samples each:
 * {@code rtt = 0.02 ms/km × km from its /16 + 5 ms + a last mile of 0-15 ms per /24 + noise (sd 4 ms)}.
 * The learner's table then has a full row of twenty regions for every /24, and a row for every /20
 * and /16 that holds one.
 */
public final class LearnedLatencyData {
    public static final String[] REGIONS = {"westeurope", "northeurope", "eastus", "southeastasia", "westus2",
            "brazilsouth", "japaneast", "australiaeast", "uksouth", "francecentral", "germanywestcentral",
            "centralindia", "koreacentral", "canadacentral", "southafricanorth", "uaenorth", "eastasia",
            "westus3", "swedencentral", "centralus"};
    public static final int REGIONS_PER_NETWORK = 3;
    public static final int SAMPLES_PER_CELL = 2;
    public static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private final SyntheticLatencyData data;
    private final float[] km;

    public LearnedLatencyData(SyntheticLatencyData data) {
        this.data = data;
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        km = new float[(1 << 16) * REGIONS.length];
        for (int r = 0; r < REGIONS.length; r++) {
            Region region = catalogue.find(REGIONS[r]).orElseThrow(() -> new IllegalStateException("no region"));
            for (int b = 0; b < 1 << 16; b++) {
                km[b * REGIONS.length + r] = (float) GreatCircle.kilometres(data.latitude(b), data.longitude(b),
                        region.latitude(), region.longitude());
            }
        }
    }

    public SyntheticLatencyData synthetic() {
        return data;
    }

    public int sampleCount() {
        return data.prefixCount() * REGIONS_PER_NETWORK * SAMPLES_PER_CELL;
    }

    /** Receives batches of samples. */
    public interface Sink {
        void accept(List<Measurement> batch);
    }

    /** Every sample, in batches of {@code batchSize}, spread over the day before {@link #NOW}. */
    public void samples(int batchSize, long seed, Sink sink) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = NOW.toEpochMilli() - 86_400_000L;
        List<Measurement> batch = new ArrayList<>(batchSize);
        int[] chosen = new int[REGIONS_PER_NETWORK];
        for (int i = 0; i < data.prefixCount(); i++) {
            int index = data.slash24(i);
            IpPrefix network = IpPrefix.ofIpv4(index << 8, 24);
            double lastMile = 15 * new SplittableRandom(index).nextDouble();
            chosen[0] = random.nextInt(4);
            for (int k = 1; k < REGIONS_PER_NETWORK; k++) {
                int r;
                boolean taken;
                do {
                    r = random.nextInt(REGIONS.length);
                    taken = false;
                    for (int j = 0; j < k; j++) {
                        taken |= chosen[j] == r;
                    }
                } while (taken);
                chosen[k] = r;
            }
            for (int k = 0; k < REGIONS_PER_NETWORK; k++) {
                int r = chosen[k];
                double truth = 0.02 * km[(index >>> 8) * REGIONS.length + r] + 5 + lastMile;
                for (int s = 0; s < SAMPLES_PER_CELL; s++) {
                    double rtt = Math.max(0.5, truth + 4 * gaussian(random));
                    batch.add(new Measurement(network, REGIONS[r], rtt, start + random.nextLong(86_400_000L), "bench"));
                    if (batch.size() == batchSize) {
                        sink.accept(batch);
                        batch = new ArrayList<>(batchSize);
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            sink.accept(batch);
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A learner fed with every sample (folded as it goes, so the journal stays small), and its first table. */
    public static Built build(int prefixes) {
        LearnedLatencyData data = new LearnedLatencyData(SyntheticLatencyData.generate(prefixes, SyntheticLatencyData.SEED));
        LearnedLatency learner = new LearnedLatency(LearningParameters.DEFAULTS);
        long[] pending = {0};
        data.samples(10_000, SyntheticLatencyData.SEED + 7, batch -> {
            learner.add(batch);
            pending[0] += batch.size();
            if (pending[0] >= 4_000_000) {
                learner.fold(NOW);
                pending[0] = 0;
            }
        });
        GeoLocator geo = data.synthetic().geoLocator();
        LatencyEstimator estimator = learner.rebuild(NOW, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        return new Built(data, learner, geo, estimator);
    }

    public record Built(LearnedLatencyData data, LearnedLatency learner, GeoLocator geo, LatencyEstimator estimator) {
    }
}
