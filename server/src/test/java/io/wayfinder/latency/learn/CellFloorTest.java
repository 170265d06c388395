package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cell's floor (its lowest sample) and the estimate made of it ({@link FloorExcess}): no bias
 * across sample counts, less noise than the mean, decay towards the mean, a real rise followed,
 * and the floor carried through a checkpoint.
 */
class CellFloorTest {
    private static final double PRIOR = 4;
    private static final int MINUTE = 29_000_000;

    @TempDir
    Path dir;

    /**
     * A world of networks whose regions all have the same true RTT, each measured with its own count
     * of samples of one-sided noise (jitter scale x log-normal(0, 0.8), as queueing adds delay),
     * folded at once.
     */
    private static final class World {
        final CellStore store = new CellStore();
        final int networks;
        final int[] counts;
        final FloorExcess excess;

        World(int networks, int[] counts, long seed) {
            this.networks = networks;
            this.counts = counts;
            Random random = new Random(seed);
            Journal journal = new Journal(1024);
            for (int n = 0; n < networks; n++) {
                double jitter = 0.5 + 3.5 * random.nextDouble();
                for (int r = 0; r < counts.length; r++) {
                    for (int i = 0; i < counts[r]; i++) {
                        double rtt = 40 + jitter * Math.exp(0.8 * random.nextGaussian());
                        journal.append(key(n), r, (float) rtt, MINUTE, Integer.MAX_VALUE);
                    }
                }
            }
            new Fold(LearningParameters.DEFAULTS).fold(journal, store, MINUTE, PRIOR, new Journal(16), 0);
            FloorExcess.Fitter fitter = new FloorExcess.Fitter();
            for (int n = 0; n < store.networkCount(); n++) {
                double scale = Fold.networkScale(store, n, PRIOR);
                for (int c = store.firstCell(n); c != CellStore.NONE; c = store.nextCell(c)) {
                    fitter.add(store.weight(c), store.gap(c), scale);
                }
            }
            excess = fitter.fit();
        }

        static long key(int n) {
            return NetworkKeys.of(false, 0, 0x0A000000L + ((long) n << 8), 24);
        }

        double estimate(int n, int region) {
            int network = store.findNetwork(key(n));
            int c = store.findCell(network, region);
            return excess.estimate(store.mean(c), store.gap(c), store.weight(c), store.weight(c),
                    Fold.networkScale(store, network, PRIOR));
        }

        double floor(int n, int region) {
            int network = store.findNetwork(key(n));
            return store.floor(store.findCell(network, region));
        }

        double mean(int n, int region) {
            int network = store.findNetwork(key(n));
            return store.mean(store.findCell(network, region));
        }
    }

    @Test
    void estimatesAreNoMoreBiasedAcrossSampleCountsThanTheMeanWhereRawFloorsAre() {
        // Regions 0, 1, 2 with 2, 6 and 30 samples: the same truth, so any mean difference is bias.
        World w = new World(4000, new int[] {2, 6, 30}, 1);
        assertThat(w.excess.calibrated()).isTrue();
        double floorBias = 0;
        double[] bias = new double[2];
        double[] meanBias = new double[2];
        for (int n = 0; n < w.networks; n++) {
            floorBias += w.floor(n, 0) - w.floor(n, 2);
            for (int r = 0; r < 2; r++) {
                bias[r] += (w.estimate(n, r) - w.estimate(n, 2)) / w.networks;
                meanBias[r] += (w.mean(n, r) - w.mean(n, 2)) / w.networks;
            }
        }
        floorBias /= w.networks;
        // The minimum of 2 samples sits about a jitter scale (2.25 ms on average here) above that of 30...
        assertThat(floorBias).isGreaterThan(1.0);
        // ...the estimate corrects it, to the winsorised mean's own bias, which it is anchored to (a
        // mean of 2 samples, clipped one scale above their median, sits about 0.5 ms above one of 30).
        for (int r = 0; r < 2; r++) {
            assertThat(bias[r]).isCloseTo(meanBias[r], within(0.05));
        }
    }

    @Test
    void theEstimateTellsRegionsApartWithLessNoiseThanTheMean() {
        World w = new World(4000, new int[] {6, 6}, 2);
        double estimateVariance = 0;
        double meanVariance = 0;
        for (int n = 0; n < w.networks; n++) {
            double e = w.estimate(n, 0) - w.estimate(n, 1);
            double m = w.mean(n, 0) - w.mean(n, 1);
            estimateVariance += e * e;
            meanVariance += m * m;
        }
        // One-sided noise: the lowest samples vary least, so the difference between two regions of
        // equal truth spreads less by the floor than by the winsorised mean.
        assertThat(estimateVariance).isLessThan(0.8 * meanVariance);
    }

    @Test
    void theExcessGrowsWithTheCountAndIsNothingForOneSample() {
        World w = new World(3000, new int[] {1, 2, 5, 20}, 3);
        FloorExcess d = w.excess;
        assertThat(d.at(1)).isZero();
        assertThat(d.at(0.3)).isZero();
        assertThat(d.at(2)).isPositive();
        assertThat(d.at(5)).isGreaterThanOrEqualTo(d.at(2));
        assertThat(d.at(20)).isGreaterThan(d.at(5));
        assertThat(d.at(3.5)).isBetween(d.at(3), d.at(4));
        assertThat(d.at(1000)).isEqualTo(d.at(FloorExcess.MAX_COUNT));
    }

    @Test
    void tooFewCellsLearnNothingAndTheEstimateIsTheMean() {
        World w = new World(100, new int[] {3, 8}, 4);
        assertThat(w.excess.calibrated()).isFalse();
        assertThat(w.estimate(7, 1)).isEqualTo(w.mean(7, 1));
    }

    @ParameterizedTest(name = "weight {0} decayed to {1}: {2} of the gap is left")
    @CsvSource({
        "20, 20, 1",
        "20, 25, 1", // more weight is not decay: nothing changes
        "20, 1, 0",
        "20, 0.5, 0",
    })
    void aFloorFadesTowardsTheMeanAsItsWeightDecays(double w, double wNow, double left) {
        FloorExcess d = new World(3000, new int[] {2, 20}, 5).excess;
        assertThat(d.decayedGap(3.0, w, wNow)).isCloseTo(3.0 * left, within(1e-9));
    }

    @Test
    void aFloorFadesByTheRatioOfTheExcessesInBetween() {
        FloorExcess d = new World(3000, new int[] {2, 20}, 6).excess;
        assertThat(d.decayedGap(3.0, 20, 5)).isCloseTo(3.0 * d.at(5) / d.at(20), within(1e-9));
        // So an old cell's estimate moves towards its mean, all the way at one sample's weight.
        double mean = 50;
        double gap = 3;
        double fresh = d.estimate(mean, gap, 20, 20, 2);
        double aged = d.estimate(mean, gap, 20, 5, 2);
        double gone = d.estimate(mean, gap, 20, 1, 2);
        assertThat(Math.abs(aged - mean)).isLessThanOrEqualTo(Math.abs(fresh - mean));
        assertThat(gone).isEqualTo(mean);
    }

    /** A cell of 30 samples around 30 ms (jitter 2 ms), then 3 more merged: its estimate before and after. */
    private static double[] mergeThree(double newMs) {
        World w = new World(2000, new int[] {30}, 7);
        Fold fold = new Fold(LearningParameters.DEFAULTS);
        fold.floorExcess = w.excess;
        int network = w.store.findNetwork(World.key(0));
        int c = w.store.findCell(network, 0);
        double before = w.estimate(0, 0);
        double meanBefore = w.store.mean(c);
        Journal journal = new Journal(16);
        for (int i = 0; i < 3; i++) {
            journal.append(World.key(0), 0, (float) (newMs + 0.5 * i), MINUTE + 1, Integer.MAX_VALUE);
        }
        // Three samples are too few to replace the state; a keep limit of 0 merges them at once.
        fold.fold(journal, w.store, MINUTE + 1, PRIOR, new Journal(16), 0);
        assertThat(fold.merged).isEqualTo(3);
        return new double[] {before, w.estimate(0, 0), meanBefore, w.store.mean(c)};
    }

    @Test
    void aRiseMergedIntoTheMeanRaisesTheEstimateAsMuch() {
        double[] r = mergeThree(120);
        double meanRise = r[3] - r[2];
        // Merging samples count at most three scales above the long-term mean: the mean moves little.
        assertThat(meanRise).isGreaterThan(0.3);
        // The old floor moves with the mean: without that it would hold the estimate where it was.
        // (A little more: the rise also widens the network's scale, by which the floor is corrected.)
        assertThat(r[1] - r[0]).isGreaterThan(0.9 * meanRise);
    }

    @Test
    void samplesOfTheSamePathMergedLeaveTheFloorAlone() {
        World w = new World(2000, new int[] {30}, 7);
        int network = w.store.findNetwork(World.key(0));
        double floor = w.store.floor(w.store.findCell(network, 0));
        double[] r = mergeThree(floor + 2);
        // Above the floor but within the noise: the floor stays, the estimate barely moves.
        assertThat(Math.abs(r[1] - r[0])).isLessThan(0.5);
    }

    @Test
    void aCheckpointCarriesTheFloors() throws IOException {
        Samples s = new Samples(11);
        for (int i = 0; i < 40; i++) {
            s.add("10.0." + i + ".0/24", "westeurope", 30, 2, 8);
            s.add("10.0." + i + ".0/24", "eastus", 90, 2, 3);
        }
        s.rebuild();
        Path file = dir.resolve("latency.bin");
        s.learner.checkpoint(file);
        CellStore a = s.learner.store();
        CellStore b = LearnedLatency.restore(file, LearningParameters.DEFAULTS).store();
        int withFloor = 0;
        for (int n = 0; n < a.networkCount(); n++) {
            int m = b.findNetwork(a.networkKey(n));
            for (int c = a.firstCell(n); c != CellStore.NONE; c = a.nextCell(c)) {
                int d = b.findCell(m, a.region(c));
                assertThat(b.gapCode(d)).isEqualTo(a.gapCode(c));
                if (!Double.isNaN(a.gap(c))) {
                    withFloor++;
                    assertThat(b.floor(d)).isEqualTo(a.floor(c)).isLessThanOrEqualTo(a.mean(c));
                }
            }
        }
        assertThat(withFloor).isEqualTo(a.cellCount());
    }

    @Test
    void aVersionOneCheckpointIsReadWithoutFloors() throws IOException {
        // A version 1 file as the previous Wayfinder wrote it: one network, one cell, no pending samples.
        Path file = dir.resolve("v1.bin");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("WFLEARN\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeInt(1);
        out.writeUTF("westeurope");
        out.writeDouble(PRIOR);
        out.writeLong(3);
        out.writeLong(0);
        int levels = 2;
        out.writeInt(levels);
        for (int l = 0; l < levels; l++) {
            out.writeDouble(1);
            out.writeDouble(1);
        }
        out.writeDouble(1);
        out.writeDouble(1);
        out.writeInt(1);
        out.writeLong(World.key(0));
        out.writeInt(1);
        out.writeByte(0);
        out.writeFloat(12);
        out.writeFloat(31.5f);
        out.writeFloat(40);
        out.writeInt(MINUTE);
        out.writeInt(0);
        out.flush();
        CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        Files.write(file, bytes.toByteArray());
        LearnedLatency back = LearnedLatency.restore(file, LearningParameters.DEFAULTS);
        CellStore store = back.store();
        int c = store.findCell(store.findNetwork(World.key(0)), 0);
        assertThat(store.mean(c)).isEqualTo(31.5f);
        assertThat(store.weight(c)).isEqualTo(12f);
        assertThat(store.gap(c)).isNaN();
        assertThat(back.regionNames()).isEqualTo(List.of("westeurope"));
        assertThat(Checkpoint.VERSION).isEqualTo(2);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.skipNBytes(8);
            assertThat(in.readInt()).isEqualTo(1);
        }
    }
}
