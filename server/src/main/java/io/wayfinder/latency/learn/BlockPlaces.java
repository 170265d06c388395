package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import java.util.Arrays;

/**
 * Where the blocks a rebuild probes are, by their probes' answers ({@link Anchors#probeBlock}):
 * the dark finest blocks, for their rows ({@code TableWriter}), and the measured ones held out for
 * {@link DarkBlend}. A block is looked up when a rebuild first asks for it, and what its probes
 * said is carried to the next rebuild, which asks for nearly the same blocks again.
 *
 * <p>Why a cache: up to sixteen lookups a block, each a binary search over millions of rows (a
 * cache miss at each level), for every dark /20 and held-out /20 at every rebuild, on the one
 * thread that writes the table in order; the answers change only when the locator does. As for
 * {@link NetworkPlaces}, a locator that is not the one the answers came from (a reload with
 * another geolocation source) drops them all. Unlike there, nothing waits for its turn: a block
 * is looked up when asked for, as before the cache, so every rebuild's table is the one it would
 * be without the cache (the first rebuild after a start makes all the lookups it always made).
 *
 * <p>What is kept per block is what the rows are made of, not the sixteen answers: its place
 * ({@link Anchors#place}), whether its networks' rows place it together
 * ({@link DarkBlend#placedTogether}) or spread ({@link DarkBlend#placedSpread}), and its networks out of town (a row of the source finer
 * than the block, {@link Anchors#MIN_OWN_PLACE_KM} to {@link Anchors#MAX_OWN_PLACE_KM} from its
 * place: key and location, in probe order), 2.5 of them a dark /20 on average in the
 * routing-quality world. The blocks kept are those the last rebuild asked for, so the cache
 * follows the dark blocks as networks come and go.
 *
 * <p>Asked from one thread at a time (the rebuild's, then the table writer's lane, one after the
 * other); not safe to share otherwise.
 */
final class BlockPlaces {
    private final GeoLocator geo;
    /** The last rebuild's blocks, sorted by key (signed, for the binary search); null when none carry over. */
    private final long[] carriedKeys;
    /** Per carried key, its entry in {@link #carried}. */
    private final int[] carriedEntry;
    /** The last rebuild's entries (its arrays, not the object: each rebuild holds only the one before). */
    private final Entries carried;
    /** This rebuild's entries, in the order asked. */
    private final Entries entries = new Entries();
    private final Anchors.Probes probes = new Anchors.Probes();
    /** Blocks this rebuild looked up (not carried), for tests and the log. */
    int lookups;

    private BlockPlaces(GeoLocator geo, BlockPlaces previous) {
        this.geo = geo;
        if (previous == null || previous.geo != geo || previous.entries.size == 0) {
            carried = null;
            carriedKeys = null;
            carriedEntry = null;
            return;
        }
        carried = previous.entries;
        carriedKeys = Arrays.copyOf(carried.key, carried.size);
        carriedEntry = new int[carried.size];
        for (int e = 0; e < carried.size; e++) {
            carriedEntry[e] = e;
        }
        RadixSort.sort(carriedKeys, carriedEntry, carried.size);
    }

    /** A rebuild's blocks: {@code previous}'s answers where they came from {@code geo}, the others looked up when asked for. */
    static BlockPlaces after(BlockPlaces previous, GeoLocator geo) {
        return new BlockPlaces(geo, previous);
    }

    /** The entry of the block {@code key} (carried, or looked up now); the same block asked twice gets two equal entries. */
    int find(long key) {
        int e = findCarried(key);
        if (e >= 0) {
            return e;
        }
        probe(key);
        return entries.size - 1;
    }

    /** The entry of the block {@code key} when the last rebuild asked for it (carried, no lookup), or -1 (nothing asked). */
    int findCarried(long key) {
        int at = carriedKeys == null ? -1 : Arrays.binarySearch(carriedKeys, key);
        if (at < 0) {
            return -1;
        }
        entries.copy(carried, carriedEntry[at]);
        return entries.size - 1;
    }

    /** Whether the probes place entry e's block (otherwise it keeps its /16's row). */
    boolean placed(int e) {
        return !Double.isNaN(entries.lat[e]);
    }

    double latitude(int e) {
        return entries.lat[e];
    }

    double longitude(int e) {
        return entries.lon[e];
    }

    /** {@link DarkBlend#placedTogether} for entry e's block (false when it is not placed). */
    boolean together(int e) {
        return entries.together[e];
    }

    /** {@link DarkBlend#placedSpread} for entry e's block (false when it is not placed). */
    boolean spread(int e) {
        return entries.spread[e];
    }

    /** Entry e's networks out of town are [outFrom(e), outTo(e)) of {@link #outKey}, {@link #outLatitude}, {@link #outLongitude}. */
    int outFrom(int e) {
        return entries.outStart[e];
    }

    int outTo(int e) {
        return entries.outStart[e + 1];
    }

    long outKey(int j) {
        return entries.outKey[j];
    }

    double outLatitude(int j) {
        return entries.outLat[j];
    }

    double outLongitude(int j) {
        return entries.outLon[j];
    }

    /** Entries this rebuild holds: the blocks asked for. */
    int size() {
        return entries.size;
    }

    private void probe(long blockKey) {
        lookups++;
        Anchors.probeBlock(geo, blockKey, probes, Anchors.BLOCK_PROBES);
        double[] where = Anchors.place(probes);
        if (where == null) {
            entries.append(blockKey, Double.NaN, Double.NaN, false, false);
            return;
        }
        int blockLength = NetworkKeys.length(blockKey);
        for (int i = 0; i < probes.count; i++) {
            if (!probes.newFinerRow(i, blockLength)) {
                continue;
            }
            GeoLocation at = probes.answer[i];
            double km = Anchors.roughKm(at.latitude(), at.longitude(), where[0], where[1]);
            if (km >= Anchors.MIN_OWN_PLACE_KM && km <= Anchors.MAX_OWN_PLACE_KM) {
                entries.appendOut(NetworkKeys.of(at.network()), at.latitude(), at.longitude());
            }
        }
        entries.append(blockKey, where[0], where[1], DarkBlend.placedTogether(probes, blockLength, where),
                DarkBlend.placedSpread(probes, blockLength, where));
    }

    /** Blocks' places in growing arrays: [0, size), each with its networks out of town [outStart[e], outStart[e + 1]). */
    private static final class Entries {
        int size;
        long[] key = new long[64];
        /** Per entry, its place; NaN when the probes do not place it. */
        double[] lat = new double[64];
        double[] lon = new double[64];
        boolean[] together = new boolean[64];
        boolean[] spread = new boolean[64];
        int[] outStart = new int[65];
        int outSize;
        long[] outKey = new long[64];
        double[] outLat = new double[64];
        double[] outLon = new double[64];

        void copy(Entries from, int e) {
            for (int j = from.outStart[e]; j < from.outStart[e + 1]; j++) {
                appendOut(from.outKey[j], from.outLat[j], from.outLon[j]);
            }
            append(from.key[e], from.lat[e], from.lon[e], from.together[e], from.spread[e]);
        }

        /** Entry {@code size}, whose networks out of town were appended just before. */
        void append(long blockKey, double latitude, double longitude, boolean placedTogether, boolean placedSpread) {
            if (size == key.length) {
                int grown = 2 * size;
                key = Arrays.copyOf(key, grown);
                lat = Arrays.copyOf(lat, grown);
                lon = Arrays.copyOf(lon, grown);
                together = Arrays.copyOf(together, grown);
                spread = Arrays.copyOf(spread, grown);
                outStart = Arrays.copyOf(outStart, grown + 1);
            }
            key[size] = blockKey;
            lat[size] = latitude;
            lon[size] = longitude;
            together[size] = placedTogether;
            spread[size] = placedSpread;
            size++;
            outStart[size] = outSize;
        }

        void appendOut(long networkKey, double latitude, double longitude) {
            if (outSize == outKey.length) {
                int grown = 2 * outSize;
                outKey = Arrays.copyOf(outKey, grown);
                outLat = Arrays.copyOf(outLat, grown);
                outLon = Arrays.copyOf(outLon, grown);
            }
            outKey[outSize] = networkKey;
            outLat[outSize] = latitude;
            outLon[outSize] = longitude;
            outSize++;
        }
    }
}
