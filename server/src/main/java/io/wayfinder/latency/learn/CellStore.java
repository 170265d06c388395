package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.Arrays;

/**
 * The long-term statistic of every (client network, region) cell the learner has samples for, in
 * primitive arrays: no object per network or cell.
 *
 * <h2>Layout</h2>
 * Networks are numbered densely in the order they were first seen; an open-addressing table
 * ({@code slots}, linear probing, load at most 5/8) maps a {@link NetworkKeys key} to its number.
 * Each network heads a singly linked list of its cells through {@code cellNext}: a network is
 * measured to a handful of regions, so a walk of two or three links beats a second hash table, and
 * a cell costs 23 bytes (link 4, region 1, weight 4, mean 4, spread 4, minute 4, floor 2) plus 20 per
 * network.
 *
 * <h2>The statistic</h2>
 * Per cell, time-decayed moments of the winsorised RTT in milliseconds: the weight {@code W} (sum
 * of the samples' weights, each {@code 2^(-age / halfLife)}, kept as of the cell's newest sample),
 * the weighted mean, and {@code M2}, the weighted sum of squared deviations (West's update; of
 * samples clipped less tightly above than the mean's, see {@link Fold}). Decay is applied lazily,
 * by rescaling {@code W} and {@code M2} when the cell is next touched: O(1) state and work per
 * cell whatever the sample rate. Samples are winsorised before they get here (see {@link Fold});
 * this class only keeps the sums.
 *
 * <p>And the cell's floor, its lowest (winsorised) sample, decayed as {@link FloorExcess} says: kept
 * as its distance below the mean in hundredths of a millisecond in a {@code char} (2 bytes rather
 * than a 4-byte float: the distance is a few noise scales, well under 655 ms, and 0.01 ms is the
 * samples' own resolution), {@link #NO_FLOOR} when unknown (a cell read from a checkpoint of
 * version 1, or built from the static table).
 *
 * <p>Not thread-safe: only the learning thread, holding the learner's lock, touches it.
 */
final class CellStore {
    static final int NONE = -1;
    /** A cell's floor is unknown. */
    static final char NO_FLOOR = 0xFFFF;
    /** The largest distance between mean and floor kept, in hundredths of a millisecond. */
    private static final int MAX_GAP = NO_FLOOR - 1;

    private int[] slots; // network number + 1, 0 = empty
    private int slotMask;

    private long[] netKey;
    private int[] netFirstCell;
    private int networks;

    private int[] cellNext;
    private byte[] cellRegion;
    private float[] cellWeight;
    private float[] cellMean;
    private float[] cellM2;
    private int[] cellMinute;
    /** Mean minus floor in hundredths of a ms, or {@link #NO_FLOOR}. */
    private char[] cellGap;
    private int cells;
    /** A {@link #reserve} grew the arrays since the last {@link #trim}. */
    private boolean reserved;

    CellStore() {
        this(1024, 1024);
    }

    CellStore(int expectedNetworks, int expectedCells) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedNetworks * 8 / 5)) * 2;
        slots = new int[capacity];
        slotMask = capacity - 1;
        netKey = new long[Math.max(16, expectedNetworks)];
        netFirstCell = new int[netKey.length];
        int c = Math.max(16, expectedCells);
        cellNext = new int[c];
        cellRegion = new byte[c];
        cellWeight = new float[c];
        cellMean = new float[c];
        cellM2 = new float[c];
        cellMinute = new int[c];
        cellGap = new char[c];
    }

    int networkCount() {
        return networks;
    }

    int cellCount() {
        return cells;
    }

    long networkKey(int network) {
        return netKey[network];
    }

    int firstCell(int network) {
        return netFirstCell[network];
    }

    int nextCell(int cell) {
        return cellNext[cell];
    }

    int region(int cell) {
        return cellRegion[cell] & 0xFF;
    }

    double weight(int cell) {
        return cellWeight[cell];
    }

    double mean(int cell) {
        return cellMean[cell];
    }

    double m2(int cell) {
        return cellM2[cell];
    }

    int minute(int cell) {
        return cellMinute[cell];
    }

    /** The cell's mean minus its floor (ms), or NaN when its floor is unknown. */
    double gap(int cell) {
        char g = cellGap[cell];
        return g == NO_FLOOR ? Double.NaN : g / 100.0;
    }

    /** The cell's floor (ms), or NaN when unknown. */
    double floor(int cell) {
        return cellMean[cell] - gap(cell);
    }

    /** The stored form of a gap (ms, NaN for none), rounded to a hundredth of a ms and clamped. */
    static char gapCode(double gapMs) {
        if (Double.isNaN(gapMs)) {
            return NO_FLOOR;
        }
        return (char) Math.max(0, Math.min(MAX_GAP, Math.round(gapMs * 100)));
    }

    char gapCode(int cell) {
        return cellGap[cell];
    }

    /** The network's number, or {@link #NONE}. */
    int findNetwork(long key) {
        int slot = (int) NetworkKeys.mix(key) & slotMask;
        while (true) {
            int v = slots[slot];
            if (v == 0) {
                return NONE;
            }
            if (netKey[v - 1] == key) {
                return v - 1;
            }
            slot = (slot + 1) & slotMask;
        }
    }

    /** The network's number, added (without cells) when new. */
    int network(long key) {
        int slot = (int) NetworkKeys.mix(key) & slotMask;
        while (true) {
            int v = slots[slot];
            if (v == 0) {
                break;
            }
            if (netKey[v - 1] == key) {
                return v - 1;
            }
            slot = (slot + 1) & slotMask;
        }
        if (networks == netKey.length) {
            int n = networks + (networks >> 1) + 16;
            netKey = Arrays.copyOf(netKey, n);
            netFirstCell = Arrays.copyOf(netFirstCell, n);
        }
        int number = networks++;
        netKey[number] = key;
        netFirstCell[number] = NONE;
        slots[slot] = number + 1;
        if (networks * 8L > slots.length * 5L) {
            rehash(slots.length * 2);
        }
        return number;
    }

    private void rehash(int capacity) {
        slots = new int[capacity];
        slotMask = capacity - 1;
        for (int n = 0; n < networks; n++) {
            CpuYield.every(n);
            int slot = (int) NetworkKeys.mix(netKey[n]) & slotMask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & slotMask;
            }
            slots[slot] = n + 1;
        }
    }

    /**
     * Makes room for {@code moreNetworks} networks and {@code moreCells} cells beyond those held,
     * at once: a fold of ninety million samples into an empty store would otherwise copy the cell
     * arrays some forty times over as they grow by half, and rehash the table twenty times.
     */
    void reserve(int moreNetworks, int moreCells) {
        long needNetworks = (long) networks + moreNetworks;
        if (needNetworks > netKey.length) {
            reserved = true;
            int n = (int) Math.min(Integer.MAX_VALUE - 16, needNetworks);
            netKey = Arrays.copyOf(netKey, n);
            netFirstCell = Arrays.copyOf(netFirstCell, n);
        }
        if (needNetworks * 8 > slots.length * 5L) {
            long capacity = Long.highestOneBit(Math.max(16, needNetworks * 8 / 5)) * 2;
            rehash((int) Math.min(1 << 30, capacity));
        }
        long needCells = (long) cells + moreCells;
        if (needCells > cellNext.length) {
            reserved = true;
            resizeCells((int) Math.min(Integer.MAX_VALUE - 16, needCells));
        }
    }

    /**
     * After a {@link #reserve}: gives back room beyond half again what is held (the slack growth by
     * half leaves anyway), when the reservation overestimated (samples of many clients interleaved).
     */
    void trim() {
        if (!reserved) {
            return;
        }
        reserved = false;
        if (cellNext.length > cells + (cells >> 1) + 1024) {
            resizeCells(cells + (cells >> 1) + 16);
        }
        if (netKey.length > networks + (networks >> 1) + 1024) {
            int n = networks + (networks >> 1) + 16;
            netKey = Arrays.copyOf(netKey, n);
            netFirstCell = Arrays.copyOf(netFirstCell, n);
        }
    }

    private void resizeCells(int n) {
        cellNext = Arrays.copyOf(cellNext, n);
        cellRegion = Arrays.copyOf(cellRegion, n);
        cellWeight = Arrays.copyOf(cellWeight, n);
        cellMean = Arrays.copyOf(cellMean, n);
        cellM2 = Arrays.copyOf(cellM2, n);
        cellMinute = Arrays.copyOf(cellMinute, n);
        cellGap = Arrays.copyOf(cellGap, n);
    }

    /** The network's cell for a region, or {@link #NONE}. */
    int findCell(int network, int region) {
        for (int c = netFirstCell[network]; c != NONE; c = cellNext[c]) {
            if ((cellRegion[c] & 0xFF) == region) {
                return c;
            }
        }
        return NONE;
    }

    /** The network's cell for a region, added empty (weight 0) when new. */
    int cell(int network, int region) {
        int found = findCell(network, region);
        return found != NONE ? found : addCell(network, region);
    }

    /** A new cell for a region the network has none for (the caller knows it has none). */
    int addCell(int network, int region) {
        if (cells == cellNext.length) {
            resizeCells(cells + (cells >> 1) + 16);
        }
        int c = cells++;
        cellNext[c] = netFirstCell[network];
        netFirstCell[network] = c;
        cellRegion[c] = (byte) region;
        cellWeight[c] = 0;
        cellMean[c] = 0;
        cellM2[c] = 0;
        cellMinute[c] = Integer.MIN_VALUE;
        cellGap[c] = NO_FLOOR;
        return c;
    }

    /** Replaces a cell's state, its floor unknown. */
    void set(int cell, double weight, double mean, double m2, int minute) {
        setCoded(cell, weight, mean, m2, minute, NO_FLOOR);
    }

    /** Replaces a cell's state, with its floor (ms; NaN for unknown; above the mean counts as the mean). */
    void set(int cell, double weight, double mean, double m2, int minute, double floor) {
        float m = (float) mean;
        setCoded(cell, weight, mean, m2, minute, gapCode(Double.isNaN(floor) ? Double.NaN : m - floor));
    }

    /** Replaces a cell's state, its floor in stored form (as {@link #gapCode(int)} gives it). */
    void setCoded(int cell, double weight, double mean, double m2, int minute, char gapCode) {
        cellWeight[cell] = (float) weight;
        cellMean[cell] = (float) mean;
        cellM2[cell] = (float) Math.max(0, m2);
        cellMinute[cell] = minute;
        cellGap[cell] = gapCode;
    }

    /**
     * Drops the cells whose weight, decayed to {@code minute}, is below {@code minWeight} (evidence
     * so old it no longer counts), and the networks left without cells; renumbers what remains.
     *
     * @return how many cells were dropped
     */
    int prune(int minute, double halfLifeMinutes, double minWeight) {
        // Count first (one sequential pass): most prunes drop nothing, and copying every cell into a
        // new store to find that out cost more than a whole rebuild's layout at ten million networks.
        Decay.Factors decay = new Decay.Factors(halfLifeMinutes);
        boolean any = false;
        for (int c = 0; c < cells && !any; c++) {
            any = cellWeight[c] * decay.of(minute - cellMinute[c]) < minWeight;
        }
        if (!any) {
            return 0;
        }
        CellStore kept = new CellStore(networks, cells);
        int dropped = 0;
        for (int n = 0; n < networks; n++) {
            CpuYield.every(n);
            int into = NONE;
            for (int c = netFirstCell[n]; c != NONE; c = cellNext[c]) {
                double w = cellWeight[c] * Decay.factor(minute - cellMinute[c], halfLifeMinutes);
                if (w < minWeight) {
                    dropped++;
                    continue;
                }
                if (into == NONE) {
                    into = kept.network(netKey[n]);
                }
                int k = kept.cell(into, cellRegion[c] & 0xFF);
                kept.setCoded(k, cellWeight[c], cellMean[c], cellM2[c], cellMinute[c], cellGap[c]);
            }
        }
        if (dropped > 0) {
            copyFrom(kept);
        }
        return dropped;
    }

    private void copyFrom(CellStore o) {
        slots = o.slots;
        slotMask = o.slotMask;
        netKey = o.netKey;
        netFirstCell = o.netFirstCell;
        networks = o.networks;
        cellNext = o.cellNext;
        cellRegion = o.cellRegion;
        cellWeight = o.cellWeight;
        cellMean = o.cellMean;
        cellM2 = o.cellM2;
        cellMinute = o.cellMinute;
        cellGap = o.cellGap;
        cells = o.cells;
    }
}
