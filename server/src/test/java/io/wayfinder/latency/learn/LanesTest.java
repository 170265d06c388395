package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.time.CpuYield;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rebuild's parallel and reworked passes give exactly the table of the sequential ones. */
class LanesTest {
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1",
            "ap-northeast-1"};

    @AfterEach
    void allLanes() {
        Lanes.use(Lanes.COUNT);
    }

    @Test
    void thePoolsPartsRunInTheCallersMode() {
        Lanes.use(2);
        boolean[] background = new boolean[2];
        Lanes.run(2, part -> background[part] = CpuYield.inBackgroundHere());
        assertThat(background).containsExactly(false, false);
        CpuYield.inBackground(() -> {
            Lanes.run(2, part -> background[part] = CpuYield.inBackgroundHere());
            return null;
        });
        assertThat(background).as("a rebuild in background work gives way on every lane").containsExactly(true, true);
    }

    @Test
    void twoLanesGiveTheTableOfOne() {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        long[] one = figures(1, now);
        long[] two = figures(2, now);
        assertThat(one.length).isGreaterThan(10_000);
        assertThat(two).isEqualTo(one);
    }

    /** Every row's length and figures, after two rebuilds (the second one with hysteresis) of a world large enough to split. */
    private static long[] figures(int lanes, Instant now) {
        Lanes.use(lanes);
        LearnedLatency learner = new LearnedLatency(LearningParameters.DEFAULTS);
        SplittableRandom random = new SplittableRandom(7);
        List<Measurement> batch = new ArrayList<>();
        for (int block = 0; block < 60; block++) {
            double blockMs = 10 + random.nextDouble() * 80;
            for (int net = 0; net < 220; net++) {
                IpPrefix network = IpPrefix.parse("10." + (block * 4 + net / 256) + "." + (net % 256) + ".0/24");
                for (int r = 0; r < REGIONS.length; r++) {
                    int samples = random.nextInt(4);
                    for (int s = 0; s < samples; s++) {
                        double rtt = blockMs + 15 * r + 5 * random.nextGaussian();
                        batch.add(new Measurement(network, REGIONS[r], Math.max(0.1, rtt),
                                now.toEpochMilli() - random.nextInt(3_600_000), "test"));
                    }
                }
            }
        }
        learner.add(batch);
        learner.rebuild(now, LatencyTable.empty(), GeoLocator.NONE, RegionCatalogue.builtIn());
        LatencyTable table = learner.rebuild(now.plusSeconds(60), LatencyTable.empty(), GeoLocator.NONE,
                RegionCatalogue.builtIn()).table();
        long[] out = new long[table.prefixCount() * (table.columnCount() + 1)];
        int k = 0;
        for (int e = 0; e < table.prefixCount(); e++) {
            out[k++] = table.entryLength(e);
            for (int c = 0; c < table.columnCount(); c++) {
                out[k++] = table.tenths(e, c);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 17, 1000, 100_000})
    void radixSortOrdersAsArraysSortAndCarriesThePayload(int n) {
        SplittableRandom random = new SplittableRandom(n);
        long[] keys = new long[n];
        int[] payload = new int[n];
        for (int i = 0; i < n; i++) {
            // Network-like keys (few bits differ) mixed with arbitrary ones, negative ones included.
            keys[i] = (i % 3 == 0) ? random.nextLong() : Observations.sortKey((10L << 56) | ((long) random.nextInt(1 << 20) << 36));
            payload[i] = i;
        }
        long[] original = keys.clone();
        long[] expected = keys.clone();
        Arrays.sort(expected);
        RadixSort.sort(keys, payload, n);
        assertThat(keys).isEqualTo(expected);
        for (int i = 0; i < n; i++) {
            assertThat(original[payload[i]]).isEqualTo(keys[i]);
            if (i > 0 && keys[i] == keys[i - 1]) {
                assertThat(payload[i]).isGreaterThan(payload[i - 1]); // stable
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000, 100_000, 5_000_000})
    void aFoldGroupsItsSamplesByCellAsSortingWould(int cells) {
        int n = 200_000; // more cells than four a sample: Arrays.sort; fewer: the counting sort
        SplittableRandom random = new SplittableRandom(cells);
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = (long) random.nextInt(cells) << 32 | i;
        }
        long[] expected = order.clone();
        Arrays.sort(expected);
        Fold.groupByCell(order, n, cells);
        assertThat(order).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(longs = {-5, 0, 1, 59, 10_080, 65_535, 65_536, 1_000_000})
    void memoisedDecayIsTheDecay(long elapsed) {
        Decay.Factors factors = new Decay.Factors(10_080);
        assertThat(factors.of(elapsed)).isEqualTo(Decay.factor(elapsed, 10_080));
        assertThat(factors.of(elapsed)).isEqualTo(Decay.factor(elapsed, 10_080));
    }
}
