package io.wayfinder.latency;

import io.wayfinder.time.CpuYield;

/**
 * A {@link LatencyTableBuilder}'s measurements merged per table cell (entry, column), one entry at
 * a time: {@link #load} fills {@link #weighted} and {@link #samples} with the sums of that entry's
 * measurements per column, added in the order they were added to the builder, so that every sum is
 * the very double the dense arrays this replaces held.
 *
 * <h2>Why not one dense array per sum</h2>
 * The builder used to merge into a {@code double[]} and a {@code long[]} of entries x columns:
 * 64 MB for 1 M prefixes by 4 regions, allocated on every reload while the server answers queries,
 * as two humongous G1 objects that counted toward the heap occupancy at which G1 starts a marking
 * cycle (three pauses each; bench/reload/run.sh saw 8-33 pauses a reload). Here the measurements
 * stay where they are: when each entry's measurements were added one after the other (a CSV lists
 * a prefix's regions together; entries are numbered in the order they are first seen) the
 * measurements are already grouped by entry, and an {@code int} per entry says where each group
 * starts (4 MB). Otherwise a stable counting sort groups them: an {@code int} per measurement more.
 *
 * <p>Not thread-safe; {@link #weighted} and {@link #samples} are overwritten by every {@link #load}.
 */
final class MergedCells {
    /** The sums of the entry last loaded, per column. */
    final double[] weighted;
    final long[] samples;

    private final short[] obsColumn;
    private final double[] obsWeightedRtt;
    private final int[] obsSamples;
    /** Measurements of entry e: positions first[e] to first[e + 1] - 1 of {@link #orderOrNull} (or of the measurements themselves). */
    private final int[] first;
    /** Measurement numbers grouped by entry, in the order added within an entry; null when they already are. */
    private final int[] orderOrNull;

    /**
     * @param obsEntry the entry of each of the first {@code observations} measurements, in the order added
     */
    MergedCells(int[] obsEntry, short[] obsColumn, double[] obsWeightedRtt, int[] obsSamples, int observations,
                int entries, int columns) {
        this.weighted = new double[columns];
        this.samples = new long[columns];
        this.obsColumn = obsColumn;
        this.obsWeightedRtt = obsWeightedRtt;
        this.obsSamples = obsSamples;
        this.first = new int[entries + 1];
        boolean grouped = true;
        for (int i = 0; i < observations; i++) {
            CpuYield.every(i);
            first[obsEntry[i] + 1]++;
            grouped &= i == 0 || obsEntry[i] >= obsEntry[i - 1];
        }
        for (int e = 0; e < entries; e++) {
            first[e + 1] += first[e];
        }
        if (grouped) {
            this.orderOrNull = null;
        } else {
            int[] order = new int[observations];
            int[] next = first.clone();
            for (int i = 0; i < observations; i++) {
                CpuYield.every(i);
                order[next[obsEntry[i]]++] = i;
            }
            this.orderOrNull = order;
        }
    }

    /** Fills {@link #weighted} and {@link #samples} with the entry's sums per column (0 where it has none). */
    void load(int entry) {
        java.util.Arrays.fill(weighted, 0.0);
        java.util.Arrays.fill(samples, 0);
        int[] order = orderOrNull;
        for (int k = first[entry], end = first[entry + 1]; k < end; k++) {
            int i = order == null ? k : order[k];
            int column = obsColumn[i];
            weighted[column] += obsWeightedRtt[i];
            samples[column] += obsSamples[i];
        }
    }
}
