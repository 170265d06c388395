package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.Arrays;

/**
 * The evidence a rebuild works on, taken from the {@link CellStore} (and the static table) at one
 * instant and laid out for sequential passes: networks sorted in table order (IPv4 first, then by
 * address, a shorter prefix before a longer one at the same address), each network's cells
 * contiguous ({@code cellStart[n] .. cellStart[n + 1]}) and sorted by region, and for each block
 * level the block every network lies in, numbered in the same order, so that a block's networks
 * and cells are contiguous too.
 *
 * <p>Per cell: the winsorised mean {@code y} (ms), the variance of that mean {@code v} (ms², the
 * per-sample variance over the effective sample count), the effective sample count {@code weight}
 * (the decayed weight: twenty samples a half-life old count as ten), and the age of its newest
 * sample in minutes.
 */
final class Observations {
    final int regions;
    final int networks;
    final long[] netKey;
    /** Null in a {@link #layout}, as are the cells' arrays below. */
    final int[] cellStart;
    final int cells;
    final byte[] cellRegion;
    final float[] y;
    final float[] v;
    final float[] weight;
    final int[] ageMinutes;
    /** Block levels, most specific first: {@code levelLength[family][l]}, family 0 = IPv4. */
    final int[][] levelLength;
    final int levels;
    /** {@code netBlock[l][n]}: the block of level l holding network n, or -1. */
    final int[][] netBlock;
    /** {@code blockKey[l][b]}: the key of block b of level l. */
    final long[][] blockKey;
    final int[] blockCount;

    Observations(int regions, int networks, long[] netKey, int[] cellStart, byte[] cellRegion, float[] y, float[] v,
                 float[] weight, int[] ageMinutes, int[][] levelLength) {
        this.regions = regions;
        this.networks = networks;
        this.netKey = netKey;
        this.cellStart = cellStart;
        this.cells = cellStart[networks];
        this.cellRegion = cellRegion;
        this.y = y;
        this.v = v;
        this.weight = weight;
        this.ageMinutes = ageMinutes;
        this.levelLength = levelLength;
        this.levels = Math.max(levelLength[0].length, levelLength[1].length);
        netBlock = new int[levels][];
        blockKey = new long[levels][];
        blockCount = new int[levels];
        for (int l = 0; l < levels; l++) {
            int[] of = new int[networks];
            long[] keys = new long[Math.max(16, networks / 8)];
            int count = 0;
            long last = 0;
            boolean any = false;
            for (int n = 0; n < networks; n++) {
                CpuYield.every(n);
                long key = netKey[n];
                int[] lengths = levelLength[NetworkKeys.ipv6(key) ? 1 : 0];
                if (l >= lengths.length || !NetworkKeys.hasBlock(key, lengths[l])) {
                    of[n] = -1;
                    continue;
                }
                long block = NetworkKeys.block(key, lengths[l]);
                if (!any || block != last) {
                    if (count == keys.length) {
                        keys = Arrays.copyOf(keys, count * 2);
                    }
                    keys[count++] = block;
                    last = block;
                    any = true;
                }
                of[n] = count - 1;
            }
            netBlock[l] = of;
            blockKey[l] = Arrays.copyOf(keys, count);
            blockCount[l] = count;
        }
    }

    /** A layout: the networks and blocks, sharing their arrays, without the cells (null). */
    private Observations(Observations of) {
        regions = of.regions;
        networks = of.networks;
        netKey = of.netKey;
        cellStart = null;
        cells = of.cells;
        cellRegion = null;
        y = null;
        v = null;
        weight = null;
        ageMinutes = null;
        levelLength = of.levelLength;
        levels = of.levels;
        netBlock = of.netBlock;
        blockKey = of.blockKey;
        blockCount = of.blockCount;
    }

    /**
     * The networks and their blocks without the cells: what a published rebuild keeps (to explain
     * its table, and to start the next fit from its effects), a tenth of the whole. {@code cells}
     * still says how many there were.
     */
    Observations layout() {
        return cellStart == null ? this : new Observations(this);
    }

    int region(int cell) {
        return cellRegion[cell] & 0xFF;
    }

    /**
     * Walks two key arrays in table order ({@link #sortKey}) and reports each key found in both:
     * how what a rebuild learned of a network or block is carried to the next (effects, places).
     */
    static void matchKeys(long[] fromKeys, int fromCount, long[] toKeys, int toCount, KeyMatch match) {
        int i = 0;
        for (int j = 0; j < toCount; j++) {
            CpuYield.every(j);
            long target = sortKey(toKeys[j]);
            while (i < fromCount && sortKey(fromKeys[i]) < target) {
                i++;
            }
            if (i < fromCount && fromKeys[i] == toKeys[j]) {
                match.matched(i, j);
            }
        }
    }

    /** A key found at {@code from} in the first array of {@link #matchKeys} and at {@code to} in the second. */
    @FunctionalInterface
    interface KeyMatch {
        void matched(int from, int to);
    }

    /** The order keys are sorted in: IPv4 first, then unsigned by address and length (see {@link NetworkKeys}). */
    static long sortKey(long key) {
        return Long.rotateRight(key, 1) ^ Long.MIN_VALUE;
    }

    /** The index of {@code key} among the first {@code count} of {@code keys} (sorted by {@link #sortKey}), or -1. */
    static int indexOf(long[] keys, int count, long key) {
        int at = lowerBound(keys, count, key);
        return at < count && keys[at] == key ? at : -1;
    }

    /** The first index among the first {@code count} of {@code keys} whose key sorts at or after {@code key} ({@code count}: none). */
    static int lowerBound(long[] keys, int count, long key) {
        long target = sortKey(key);
        int low = 0;
        int high = count;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sortKey(keys[mid]) < target) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    static long keyOf(long sortKey) {
        return Long.rotateLeft(sortKey ^ Long.MIN_VALUE, 1);
    }

    /**
     * The networks whose coarsest block (or, without one, the network itself) hashes into
     * {@code share} of the space, with all their cells: a sample of whole neighbourhoods, so that
     * the blocks keep all their members and what is learned on it holds for the whole.
     */
    Observations sample(double share, int maxCells) {
        if (share >= 1 && cells <= maxCells) {
            return this;
        }
        double keep = Math.min(share, (double) maxCells / Math.max(1, cells));
        long threshold = (long) (keep * (1L << 40));
        int[] chosen = new int[networks];
        int count = 0;
        int cellTotal = 0;
        for (int n = 0; n < networks; n++) {
            CpuYield.every(n);
            long anchor = anchorKey(n);
            if ((NetworkKeys.mix(anchor) >>> 24) < threshold) {
                chosen[count++] = n;
                cellTotal += cellStart[n + 1] - cellStart[n];
            }
        }
        long[] keys = new long[count];
        int[] start = new int[count + 1];
        byte[] region = new byte[cellTotal];
        float[] yy = new float[cellTotal];
        float[] vv = new float[cellTotal];
        float[] ww = new float[cellTotal];
        int[] age = new int[cellTotal];
        int c = 0;
        for (int i = 0; i < count; i++) {
            int n = chosen[i];
            keys[i] = netKey[n];
            start[i] = c;
            for (int k = cellStart[n]; k < cellStart[n + 1]; k++) {
                region[c] = cellRegion[k];
                yy[c] = y[k];
                vv[c] = v[k];
                ww[c] = weight[k];
                age[c] = ageMinutes[k];
                c++;
            }
        }
        start[count] = c;
        return new Observations(regions, count, keys, start, region, yy, vv, ww, age, levelLength);
    }

    /** The key of the network's coarsest block, or its own key without one. */
    /**
     * The network's finest block (or, without one, the network itself): where the distance part of
     * its estimate is evaluated ({@link Anchors}).
     */
    long fineAnchorKey(int n) {
        for (int l = 0; l < levels; l++) {
            int b = netBlock[l][n];
            if (b >= 0) {
                return blockKey[l][b];
            }
        }
        return netKey[n];
    }

    long anchorKey(int n) {
        for (int l = levels - 1; l >= 0; l--) {
            int b = netBlock[l][n];
            if (b >= 0) {
                return blockKey[l][b];
            }
        }
        return netKey[n];
    }
}
