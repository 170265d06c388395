package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.Arrays;

/**
 * Lays the learner's evidence out for a rebuild: every network of the {@link CellStore} and of
 * the static table, in table order, with its cells decayed to the rebuild's instant, the static
 * figures folded in ({@link CellEvidence}), and cells too old to count left out: the
 * {@link Observations} the rest of the rebuild reads.
 *
 * <h2>On two lanes, written from both ends</h2>
 * Reading a network's cells is a walk of its list in the store (a cache miss or two), so the
 * layout is worth both cores. How many cells a network keeps is only known once it is read, so
 * the networks are cut in two at a key: the first lane writes the first half's cells from the
 * start of the arrays forwards, the second the second half's from their end backwards (networks
 * in descending order, each network's cells still in region order); the second half is then moved
 * down behind the first. Each network's figures are computed exactly as a single pass computes
 * them, so the result is the same whatever the split (and the same as before the split existed).
 */
final class EvidenceLayout {
    private EvidenceLayout() {
    }

    /** Below this many networks in the store the layout runs on the caller alone. */
    static final int MIN_PARALLEL_NETWORKS = 10_000;

    /** The output arrays (sized to the most cells and networks there can be) and one part's cursor. */
    private static final class Out {
        final long[] keys;
        final int[] start;
        final byte[] region;
        final float[] y;
        final float[] v;
        final float[] weight;
        final int[] age;

        Out(int maxNetworks, int maxCells) {
            keys = new long[maxNetworks];
            start = new int[maxNetworks + 1];
            region = new byte[maxCells];
            y = new float[maxCells];
            v = new float[maxCells];
            weight = new float[maxCells];
            age = new int[maxCells];
        }
    }

    /** What a part needs to read a network. */
    private record Reader(CellStore store, StaticCells statics, long[] storeKeys, int[] storeNumber, int regions,
                          int nowMinute, double halfLifeMinutes, double staticSamples, double priorVariance,
                          FloorExcess floorExcess) {
        CellEvidence evidence() {
            return new CellEvidence(regions, nowMinute, new Decay.Factors(halfLifeMinutes), staticSamples, floorExcess,
                    priorVariance);
        }

        /** Reads network {@code key} (store number {@code own}, or NONE; in the static table or not) into {@code e}. */
        void read(CellEvidence e, long key, int own, boolean inStatic) {
            int fixed = inStatic ? statics.store.findNetwork(key) : CellStore.NONE;
            e.gather(store, own, statics.store, fixed);
        }
    }

    static Observations of(CellStore store, StaticCells statics, int nowMinute, int regions, double priorVariance,
                           FloorExcess floorExcess, LearningParameters parameters) {
        // The store's networks in table order, with their numbers (no lookup by key per network),
        // merged with the static table's networks (already in table order).
        int storeNetworks = store.networkCount();
        long[] storeKeys = new long[storeNetworks];
        int[] storeNumber = new int[storeNetworks];
        for (int n = 0; n < storeNetworks; n++) {
            CpuYield.every(n);
            storeKeys[n] = Observations.sortKey(store.networkKey(n));
            storeNumber[n] = n;
        }
        RadixSort.sort(storeKeys, storeNumber, storeNetworks);
        long[] staticKeys = statics.sortedKeys;
        int maxNetworks = storeNetworks + staticKeys.length;
        int maxCells = store.cellCount() + statics.store.cellCount();
        Out out = new Out(maxNetworks, maxCells);
        Reader reader = new Reader(store, statics, storeKeys, storeNumber, regions, nowMinute,
                parameters.halfLife().toSeconds() / 60.0, parameters.staticSamples(), priorVariance, floorExcess);

        // The cut: the first part takes the keys below the store's middle key, of both lists.
        boolean two = Lanes.count() > 1 && storeNetworks >= MIN_PARALLEL_NETWORKS;
        int storeCut = two ? storeNetworks / 2 : storeNetworks;
        int staticCut = two ? lowerBound(staticKeys, storeKeys[storeCut]) : staticKeys.length;
        int[] forward = new int[2]; // networks and cells the first part wrote
        int[] backward = {maxNetworks, maxCells}; // where the second part's networks and cells begin
        Lanes.run(two ? 2 : 1, part -> {
            if (part == 0) {
                forwards(reader, out, 0, storeCut, 0, staticCut, forward);
            } else {
                backwards(reader, out, storeCut, storeNetworks, staticCut, staticKeys.length, backward);
            }
        });
        int networks = forward[0];
        int cells = forward[1];
        if (two) {
            int movedNetworks = maxNetworks - backward[0];
            int movedCells = maxCells - backward[1];
            int shift = backward[1] - cells;
            Lanes.run(2, part -> {
                if (part == 0) {
                    System.arraycopy(out.keys, backward[0], out.keys, networks, movedNetworks);
                    for (int k = 0; k < movedNetworks; k++) {
                        out.start[networks + k] = out.start[backward[0] + k] - shift;
                    }
                    System.arraycopy(out.region, backward[1], out.region, cells, movedCells);
                    System.arraycopy(out.y, backward[1], out.y, cells, movedCells);
                    System.arraycopy(out.v, backward[1], out.v, cells, movedCells);
                } else {
                    System.arraycopy(out.weight, backward[1], out.weight, cells, movedCells);
                    System.arraycopy(out.age, backward[1], out.age, cells, movedCells);
                }
            });
            return observations(out, regions, networks + movedNetworks, cells + movedCells, parameters);
        }
        return observations(out, regions, networks, cells, parameters);
    }

    private static Observations observations(Out out, int regions, int networks, int cells,
                                             LearningParameters parameters) {
        out.start[networks] = cells;
        int[][] levels = {parameters.ipv4Levels().stream().mapToInt(Integer::intValue).toArray(),
                parameters.ipv6Levels().stream().mapToInt(Integer::intValue).toArray()};
        return new Observations(regions, networks, Arrays.copyOf(out.keys, networks), Arrays.copyOf(out.start, networks + 1),
                out.region, out.y, out.v, out.weight, out.age, levels);
    }

    /** The first index of {@code keys} at or above {@code key}. */
    private static int lowerBound(long[] keys, long key) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Store networks [i, storeEnd) and static ones [j, staticEnd), ascending, written from the start; {@code done} gets the counts. */
    private static void forwards(Reader reader, Out out, int i, int storeEnd, int j, int staticEnd, int[] done) {
        long[] storeKeys = reader.storeKeys();
        long[] staticKeys = reader.statics().sortedKeys;
        CellEvidence e = reader.evidence();
        int regions = reader.regions();
        int networks = 0;
        int c = 0;
        while (i < storeEnd || j < staticEnd) {
            long sortKey;
            int own = CellStore.NONE;
            boolean inStatic;
            if (j >= staticEnd || (i < storeEnd && storeKeys[i] < staticKeys[j])) {
                sortKey = storeKeys[i];
                own = reader.storeNumber()[i++];
                inStatic = false;
            } else if (i >= storeEnd || staticKeys[j] < storeKeys[i]) {
                sortKey = staticKeys[j++];
                inStatic = true;
            } else {
                sortKey = storeKeys[i];
                own = reader.storeNumber()[i++];
                j++;
                inStatic = true;
            }
            long key = Observations.keyOf(sortKey);
            reader.read(e, key, own, inStatic);
            int first = c;
            for (int r = 0; r < regions; r++) {
                if (e.counts(r)) {
                    write(out, c++, e, r, reader.priorVariance());
                }
            }
            if (c > first) {
                out.keys[networks] = key;
                out.start[networks] = first;
                networks++;
            }
        }
        done[0] = networks;
        done[1] = c;
    }

    /**
     * Store networks [storeFrom, i) and static ones [staticFrom, j), descending, each network's
     * cells written (in region order) below the last one's; {@code done} starts as the arrays'
     * ends and gets where the part's networks and cells begin.
     */
    private static void backwards(Reader reader, Out out, int storeFrom, int i, int staticFrom, int j, int[] done) {
        long[] storeKeys = reader.storeKeys();
        long[] staticKeys = reader.statics().sortedKeys;
        CellEvidence e = reader.evidence();
        int regions = reader.regions();
        int networkEnd = done[0];
        int cellEnd = done[1];
        while (i > storeFrom || j > staticFrom) {
            long sortKey;
            int own = CellStore.NONE;
            boolean inStatic;
            if (j <= staticFrom || (i > storeFrom && storeKeys[i - 1] > staticKeys[j - 1])) {
                sortKey = storeKeys[--i];
                own = reader.storeNumber()[i];
                inStatic = false;
            } else if (i <= storeFrom || staticKeys[j - 1] > storeKeys[i - 1]) {
                sortKey = staticKeys[--j];
                inStatic = true;
            } else {
                sortKey = storeKeys[--i];
                own = reader.storeNumber()[i];
                j--;
                inStatic = true;
            }
            long key = Observations.keyOf(sortKey);
            reader.read(e, key, own, inStatic);
            int count = 0;
            for (int r = 0; r < regions; r++) {
                if (e.counts(r)) {
                    count++;
                }
            }
            if (count == 0) {
                continue;
            }
            int c = cellEnd - count;
            cellEnd = c;
            for (int r = 0; r < regions; r++) {
                if (e.counts(r)) {
                    write(out, c++, e, r, reader.priorVariance());
                }
            }
            networkEnd--;
            out.keys[networkEnd] = key;
            out.start[networkEnd] = cellEnd;
        }
        done[0] = networkEnd;
        done[1] = cellEnd;
    }

    private static void write(Out out, int c, CellEvidence e, int r, double priorVariance) {
        out.region[c] = (byte) r;
        out.y[c] = e.y(r);
        out.v[c] = e.v(r, priorVariance);
        out.weight[c] = e.weight(r);
        out.age[c] = e.ageMinutes(r);
    }
}
