package io.wayfinder.latency;

import io.wayfinder.latency.LatencyTable.AggregateLevel;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import io.wayfinder.net.PrefixNumbering;
import io.wayfinder.time.CpuYield;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects measurements (prefix, region, RTT, samples) and builds an immutable {@link LatencyTable}.
 * Several measurements of the same prefix and region are merged into their sample-weighted mean.
 * Not thread-safe; meant for the control path.
 *
 * <p>Allocation: a build of millions of prefixes runs on a server that answers queries meanwhile,
 * and what stays alive through it is copied by every young collection until it is promoted. So
 * nothing here is an object per prefix or per measurement: prefixes are numbered in primitive
 * arrays ({@link PrefixNumbering}), measurements are parallel primitive arrays, and the few
 * {@link IpPrefix} objects {@link #sample} hands out are made on demand.
 */
public final class LatencyTableBuilder {
    /**
     * Aggregation for a builder that is not told (tools and tests): the configuration's documented
     * defaults ({@code WayfinderConfig.LatencySettings}, where the reasons are), which a test keeps equal.
     */
    private static final int[] DEFAULT_IPV4_LEVELS = {20, 16};
    private static final int[] DEFAULT_IPV6_LEVELS = {40, 32};
    private static final int DEFAULT_MIN_SAMPLES = 10;

    /** From how many IPv4 prefixes the table keeps the direct /24 index (see {@link LatencyTable}). */
    private int directIndexFrom = LatencyTable.DIRECT_INDEX_MIN_IPV4_PREFIXES;
    /**
     * The table's prefixes; a prefix's number is its entry in the table's map, which is built over
     * these same arrays ({@link PrefixNumbering#mapBuilder}; the table keeps no IpPrefix objects).
     */
    private final PrefixNumbering entries = new PrefixNumbering(1024);
    private final List<String> regions = new ArrayList<>();
    private final Map<String, Integer> columnOf = new HashMap<>();

    // One observation per add(): parallel growable arrays, merged per (entry, column) at build.
    private int[] obsEntry = new int[64];
    private short[] obsColumn = new short[64];
    private double[] obsWeightedRtt = new double[64];
    private int[] obsSamples = new int[64];
    private int observations;
    /** Region strings recently passed to add() (compared by identity) and their columns. */
    private final String[] recentRegions = new String[16];
    private final int[] recentColumns = new int[16];
    private int recentCount;
    private int recentNext;

    private int[] ipv4Levels = DEFAULT_IPV4_LEVELS;
    private int[] ipv6Levels = DEFAULT_IPV6_LEVELS;
    private int minSamples = DEFAULT_MIN_SAMPLES;

    public LatencyTableBuilder aggregation(int[] ipv4Levels, int[] ipv6Levels, int minSamples) {
        if (ipv4Levels.length > LatencyEstimator.Lookup.MAX_LEVELS || ipv6Levels.length > LatencyEstimator.Lookup.MAX_LEVELS) {
            throw new IllegalArgumentException("at most " + LatencyEstimator.Lookup.MAX_LEVELS + " aggregation levels per family");
        }
        this.ipv4Levels = descending(ipv4Levels, 32);
        this.ipv6Levels = descending(ipv6Levels, 128);
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1");
        }
        this.minSamples = minSamples;
        return this;
    }

    private static int[] descending(int[] levels, int max) {
        int[] sorted = levels.clone();
        Arrays.sort(sorted);
        for (int level : sorted) {
            if (level < 0 || level > max) {
                throw new IllegalArgumentException("aggregation level /" + level + " is outside 0-" + max);
            }
        }
        int[] out = new int[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            out[i] = sorted[sorted.length - 1 - i];
        }
        return out;
    }

    /**
     * Adds one measurement.
     *
     * @param rttMs   the round-trip time, in milliseconds, from 0 to {@link LatencyTable#MAX_RTT_MS}
     * @param samples how many measurements the figure summarises, at least 1
     */
    public LatencyTableBuilder add(IpPrefix prefix, String region, double rttMs, int samples) {
        return add(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.length(), region, rttMs, samples);
    }

    /**
     * The same, the prefix given by its parts (host bits cleared; an IPv4 address in the low 32 bits
     * of {@code lo}): for readers of millions of rows, without an {@link IpPrefix} per row.
     */
    public LatencyTableBuilder add(boolean ipv6, long hi, long lo, int length, String region, double rttMs, int samples) {
        if (!(rttMs >= 0) || Double.isInfinite(rttMs)) {
            throw new IllegalArgumentException("rtt " + rttMs + " ms is not a non-negative number");
        }
        if (rttMs > LatencyTable.MAX_RTT_MS) {
            throw new IllegalArgumentException("rtt " + rttMs + " ms is above the largest figure kept, "
                    + LatencyTable.MAX_RTT_MS + " ms");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, not " + samples);
        }
        int max = ipv6 ? 128 : 32;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0-" + max);
        }
        long maskedHi = ipv6 ? hi & IpPrefix.highMask(length) : 0;
        long maskedLo = ipv6 ? lo & IpPrefix.lowMask(length) : lo & IpPrefix.ipv4Mask(length);
        int entry = entries.number(ipv6, maskedHi, maskedLo, length);
        int column = column(region);
        if (observations == obsEntry.length) {
            growObservations(observations * 2);
        }
        obsEntry[observations] = entry;
        obsColumn[observations] = (short) column;
        obsWeightedRtt[observations] = rttMs * samples;
        obsSamples[observations] = samples;
        observations++;
        return this;
    }

    /** The column of a region name, a new one if it is new. */
    private int column(String region) {
        // A reader passes the catalogue's one String per region: most rows need no hashing.
        for (int i = 0; i < recentCount; i++) {
            if (recentRegions[i] == region) {
                return recentColumns[i];
            }
        }
        String name = region.strip().toLowerCase(Locale.ROOT);
        Integer column = columnOf.get(name);
        if (column == null) {
            if (regions.size() == Short.MAX_VALUE) {
                throw new IllegalArgumentException("too many regions in one latency table");
            }
            column = regions.size();
            regions.add(name);
            columnOf.put(name, column);
        }
        int slot = recentCount < recentRegions.length ? recentCount++ : (recentNext++ & (recentRegions.length - 1));
        recentRegions[slot] = region;
        recentColumns[slot] = column;
        return column;
    }

    /**
     * Makes room for this many more measurements and new prefixes, at once: a reader that can
     * estimate them (from the file's size) spares the collector a series of ever larger copies of
     * each array. Only a hint: more may be added, and room left unused is only held until the
     * builder is dropped.
     */
    public LatencyTableBuilder expectMore(int measurements, int newPrefixes) {
        long rows = (long) observations + measurements;
        long prefixCount = (long) entries.size() + newPrefixes;
        if (rows > obsEntry.length && rows < Integer.MAX_VALUE - 16) {
            growObservations((int) rows);
        }
        if (prefixCount < Integer.MAX_VALUE / 4) {
            entries.ensureCapacity((int) prefixCount);
        }
        return this;
    }

    private void growObservations(int n) {
        obsEntry = Arrays.copyOf(obsEntry, n);
        obsColumn = Arrays.copyOf(obsColumn, n);
        obsWeightedRtt = Arrays.copyOf(obsWeightedRtt, n);
        obsSamples = Arrays.copyOf(obsSamples, n);
    }

    public int prefixCount() {
        return entries.size();
    }

    /** One measurement, as added (merged per prefix and region only at build). */
    public record Measurement(IpPrefix prefix, String region, double rttMs) {
    }

    /**
     * Up to {@code limit} measurements spread evenly over everything added, in a fixed order, so
     * that fitting a model to the table costs the same on every load of the same data. An
     * unmodifiable view that makes each {@link Measurement} when it is read: a reload fits its
     * distance model to 200,000 of them while queries are answered, and a list of them all (14 MB
     * of small objects) was what the young collections of a reload copied; one at a time, they
     * die young. Measurements added later are not in it.
     */
    public List<Measurement> sample(int limit) {
        if (observations == 0 || limit <= 0) {
            return List.of();
        }
        int[] picks = new int[(int) Math.min(limit, observations)];
        int count = 0;
        double stride = Math.max(1.0, (double) observations / limit);
        for (double i = 0; i < observations && count < limit; i += stride) {
            picks[count++] = (int) i;
        }
        return new SampleView(Arrays.copyOf(picks, count), obsEntry, obsColumn, obsWeightedRtt, obsSamples);
    }

    /**
     * The measurements {@link #sample} picked, made on each read. The arrays are the builder's as
     * they were: later adds only write past the picks, or into new arrays once these are full.
     */
    private final class SampleView extends java.util.AbstractList<Measurement> implements java.util.RandomAccess {
        private final int[] picks;
        private final int[] entryOf;
        private final short[] columnOf;
        private final double[] weightedRtt;
        private final int[] samplesOf;

        SampleView(int[] picks, int[] entryOf, short[] columnOf, double[] weightedRtt, int[] samplesOf) {
            this.picks = picks;
            this.entryOf = entryOf;
            this.columnOf = columnOf;
            this.weightedRtt = weightedRtt;
            this.samplesOf = samplesOf;
        }

        @Override
        public Measurement get(int index) {
            int k = picks[index];
            return new Measurement(entries.prefix(entryOf[k]), regions.get(columnOf[k]), weightedRtt[k] / samplesOf[k]);
        }

        @Override
        public int size() {
            return picks.length;
        }
    }

    /**
     * Keeps the direct IPv4 index from this many IPv4 prefixes on, instead of
     * {@link LatencyTable#DIRECT_INDEX_MIN_IPV4_PREFIXES} (tests force it on small tables with 0).
     */
    public LatencyTableBuilder directIndexFrom(int ipv4Prefixes) {
        directIndexFrom = ipv4Prefixes;
        return this;
    }

    public LatencyTable build() {
        PrefixMap map = entries.mapBuilder().build();
        int entries = map.entryCount();
        int columns = regions.size();

        long totalSamples = 0;
        for (int i = 0; i < observations; i++) {
            CpuYield.every(i);
            totalSamples += obsSamples[i];
        }
        MergedCells merged = new MergedCells(obsEntry, obsColumn, obsWeightedRtt, obsSamples, observations, entries, columns);

        char[] rtt = new char[entries * columns];
        byte[] sourceLength = new byte[entries * columns];
        int done = 0;
        for (int entry : byLengthAscending(map)) {
            CpuYield.every(done++);
            int parent = map.parent(entry);
            merged.load(entry);
            for (int c = 0; c < columns; c++) {
                int cell = entry * columns + c;
                if (merged.samples[c] > 0) {
                    rtt[cell] = LatencyTable.encode(merged.weighted[c] / merged.samples[c]);
                    sourceLength[cell] = (byte) map.length(entry);
                } else if (parent != PrefixMap.NO_ENTRY) {
                    // Parents are shorter, so they were filled before their children.
                    rtt[cell] = rtt[parent * columns + c];
                    sourceLength[cell] = sourceLength[parent * columns + c];
                } else {
                    rtt[cell] = LatencyTable.NONE;
                }
            }
        }

        AggregateLevel[] v4 = new AggregateLevel[ipv4Levels.length];
        for (int i = 0; i < v4.length; i++) {
            v4[i] = aggregate(map, false, ipv4Levels[i], merged, columns);
        }
        AggregateLevel[] v6 = new AggregateLevel[ipv6Levels.length];
        for (int i = 0; i < v6.length; i++) {
            v6[i] = aggregate(map, true, ipv6Levels[i], merged, columns);
        }
        return new LatencyTable(regions, map, rtt, sourceLength, v4, v6, totalSamples, directIndexFrom);
    }

    /** Entries ordered so that every prefix comes after all prefixes that contain it. */
    private static int[] byLengthAscending(PrefixMap map) {
        int entries = map.entryCount();
        int[] counts = new int[130];
        for (int e = 0; e < entries; e++) {
            CpuYield.every(e);
            counts[map.length(e) + 1]++;
        }
        for (int l = 1; l < counts.length; l++) {
            counts[l] += counts[l - 1];
        }
        int[] order = new int[entries];
        for (int e = 0; e < entries; e++) {
            CpuYield.every(e);
            order[counts[map.length(e)]++] = e;
        }
        return order;
    }

    /**
     * How many blocks of this length the family's entries at least as long fall in (or a few more:
     * a size, not a count to rely on). {@link PrefixMap#forEachEntry} visits entries by their first
     * address, so the entries of one block come one after the other.
     */
    private static int blockCount(PrefixMap map, boolean ipv6, int length, long hiMask, long loMask) {
        int[] count = {0};
        long[] last = {-1, -1};
        map.forEachEntry((entry, v6, hi, lo, entryLength) -> {
            if (v6 == ipv6 && entryLength >= length && (count[0] == 0 || (hi & hiMask) != last[0] || (lo & loMask) != last[1])) {
                count[0]++;
                last[0] = hi & hiMask;
                last[1] = lo & loMask;
            }
        });
        return count[0];
    }

    /**
     * Sums the entries' own measurements (not inherited ones) over the blocks of one length. An
     * entry counts toward a block when it lies inside it, i.e. when it is at least as long.
     */
    private AggregateLevel aggregate(PrefixMap map, boolean ipv6, int length, MergedCells merged, int columns) {
        long hiMask = ipv6 ? IpPrefix.highMask(length) : 0;
        long loMask = ipv6 ? IpPrefix.lowMask(length) : IpPrefix.ipv4Mask(length);
        // Sized once: regrowing these for the 650,000 /20s of a 1M table took some 40 large copies.
        int expected = Math.max(16, blockCount(map, ipv6, length, hiMask, loMask));
        PrefixNumbering blockOf = new PrefixNumbering(expected);
        double[] blockWeighted = new double[expected * Math.max(1, columns)];
        long[] blockSamples = new long[blockWeighted.length];
        for (int e = 0; e < map.entryCount(); e++) {
            CpuYield.every(e);
            if (entries.ipv6(e) != ipv6 || entries.length(e) < length) {
                continue;
            }
            int index = blockOf.number(ipv6, entries.hi(e) & hiMask, entries.lo(e) & loMask, length);
            if ((index + 1) * columns > blockWeighted.length) {
                blockWeighted = Arrays.copyOf(blockWeighted, blockWeighted.length * 2);
                blockSamples = Arrays.copyOf(blockSamples, blockSamples.length * 2);
            }
            merged.load(e);
            for (int c = 0; c < columns; c++) {
                blockWeighted[index * columns + c] += merged.weighted[c];
                blockSamples[index * columns + c] += merged.samples[c];
            }
        }
        int[] kept = new int[blockOf.size()];
        int keptCount = 0;
        for (int b = 0; b < blockOf.size(); b++) {
            CpuYield.every(b);
            boolean enough = false;
            for (int c = 0; c < columns; c++) {
                enough |= blockSamples[b * columns + c] >= minSamples;
            }
            if (enough) {
                kept[keptCount++] = b;
            }
        }
        PrefixMap.Builder blocks;
        if (keptCount == blockOf.size()) {
            blocks = blockOf.mapBuilder(); // every block kept, numbered as in blockOf: no second copy of them
        } else {
            blocks = new PrefixMap.Builder().withoutPrefixObjects().ensureCapacity(keptCount);
            for (int k = 0; k < keptCount; k++) {
                CpuYield.every(k);
                blocks.add(ipv6, blockOf.hi(kept[k]), blockOf.lo(kept[k]), length);
            }
        }
        char[] rtt = new char[keptCount * columns];
        int[] count = new int[keptCount * columns];
        for (int k = 0; k < keptCount; k++) {
            CpuYield.every(k);
            int b = kept[k];
            for (int c = 0; c < columns; c++) {
                long n = blockSamples[b * columns + c];
                rtt[k * columns + c] = n >= minSamples ? LatencyTable.encode(blockWeighted[b * columns + c] / n) : LatencyTable.NONE;
                count[k * columns + c] = (int) Math.min(Integer.MAX_VALUE, n);
            }
        }
        return new AggregateLevel(length, blocks.build(), rtt, count, columns);
    }
}
