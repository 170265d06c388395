package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MergedCells} gives, entry by entry, exactly the sums the builder's dense arrays held: each
 * cell's measurements added in the order they were added, whether the measurements come grouped by
 * entry (no sort) or interleaved (the counting sort), down to the last bit of the doubles.
 */
class MergedCellsTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void sumsEqualADenseMergeInTheOrderAdded(long seed) {
        Random random = new Random(seed);
        int entries = 1 + random.nextInt(200);
        int columns = 1 + random.nextInt(5);
        boolean grouped = seed % 2 == 0;
        List<int[]> cells = new ArrayList<>(); // {entry, column}
        for (int e = 0; e < entries; e++) {
            for (int k = random.nextInt(4); k >= 0; k--) { // every entry has a measurement, some several
                cells.add(new int[] {e, random.nextInt(columns)});
            }
        }
        if (!grouped) {
            java.util.Collections.shuffle(cells, random);
        }
        int n = cells.size();
        int[] obsEntry = new int[n + 7]; // longer than the count, as the builder's arrays are
        short[] obsColumn = new short[n + 7];
        double[] obsWeighted = new double[n + 7];
        int[] obsSamples = new int[n + 7];
        for (int i = 0; i < n; i++) {
            obsEntry[i] = cells.get(i)[0];
            obsColumn[i] = (short) cells.get(i)[1];
            // Magnitudes far apart, so that a different order of addition gives a different double.
            obsWeighted[i] = random.nextInt(3) == 0 ? 1e16 * random.nextDouble() : random.nextDouble();
            obsSamples[i] = random.nextInt(3) == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(100);
        }
        double[] weighted = new double[entries * columns];
        long[] samples = new long[entries * columns];
        for (int i = 0; i < n; i++) { // what LatencyTableBuilder.build did before MergedCells
            weighted[obsEntry[i] * columns + obsColumn[i]] += obsWeighted[i];
            samples[obsEntry[i] * columns + obsColumn[i]] += obsSamples[i];
        }

        MergedCells merged = new MergedCells(obsEntry, obsColumn, obsWeighted, obsSamples, n, entries, columns);

        for (int e = entries - 1; e >= 0; e--) { // in any order of entries
            merged.load(e);
            for (int c = 0; c < columns; c++) {
                assertThat(Double.doubleToRawLongBits(merged.weighted[c]))
                        .as("entry %d column %d", e, c).isEqualTo(Double.doubleToRawLongBits(weighted[e * columns + c]));
                assertThat(merged.samples[c]).isEqualTo(samples[e * columns + c]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theOrderWithinACellIsTheOrderAdded(boolean interleaved) {
        // 2^53 + 1 + 1 is 2^53 in doubles (each 1 is rounded away), 1 + 1 + 2^53 is 2^53 + 2: the sum shows the order.
        int[] entry = interleaved ? new int[] {0, 1, 0, 1, 0} : new int[] {0, 0, 0, 1, 1};
        double[] weighted = interleaved ? new double[] {1, 5, 1, 5, 0x1p53} : new double[] {1, 1, 0x1p53, 5, 5};
        MergedCells merged = new MergedCells(entry, new short[5], weighted, new int[] {1, 1, 1, 1, 1}, 5, 2, 1);

        merged.load(0);

        assertThat(merged.weighted[0]).isEqualTo(0x1p53 + 2);
        assertThat(merged.samples[0]).isEqualTo(3);
    }
}
