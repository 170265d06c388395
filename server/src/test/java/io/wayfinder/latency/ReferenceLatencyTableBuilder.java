package io.wayfinder.latency;

import io.wayfinder.latency.LatencyTable.AggregateLevel;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The builder as it was before issue 13 (HashMap of IpPrefix objects), kept as the oracle of LatencyBuildEquivalenceTest.
 *
 * Collects measurements (prefix, region, RTT, samples) and builds an immutable {@link LatencyTable}.
 * Several measurements of the same prefix and region are merged into their sample-weighted mean.
 * Not thread-safe; meant for the control path.
 */
final class ReferenceLatencyTableBuilder {
    /**
     * Aggregation for a builder that is not told (tools and tests): the configuration's documented
     * defaults ({@code WayfinderConfig.LatencySettings}, where the reasons are), which a test keeps equal.
     */
    private static final int[] DEFAULT_IPV4_LEVELS = {20, 16};
    private static final int[] DEFAULT_IPV6_LEVELS = {40, 32};
    private static final int DEFAULT_MIN_SAMPLES = 10;

    // The table keeps no IpPrefix objects (they would cost ~40 bytes a prefix): only the builder does.
    private final PrefixMap.Builder prefixes = new PrefixMap.Builder().withoutPrefixObjects();
    private final Map<IpPrefix, Integer> entryOf = new HashMap<>();
    private final List<IpPrefix> entryPrefixes = new ArrayList<>();
    private final List<String> regions = new ArrayList<>();
    private final Map<String, Integer> columnOf = new HashMap<>();

    // One observation per add(): parallel growable arrays, merged per (entry, column) at build.
    private int[] obsEntry = new int[64];
    private short[] obsColumn = new short[64];
    private double[] obsWeightedRtt = new double[64];
    private int[] obsSamples = new int[64];
    private int observations;

    private int[] ipv4Levels = DEFAULT_IPV4_LEVELS;
    private int[] ipv6Levels = DEFAULT_IPV6_LEVELS;
    private int minSamples = DEFAULT_MIN_SAMPLES;

    public ReferenceLatencyTableBuilder aggregation(int[] ipv4Levels, int[] ipv6Levels, int minSamples) {
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
    public ReferenceLatencyTableBuilder add(IpPrefix prefix, String region, double rttMs, int samples) {
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
        Integer entry = entryOf.get(prefix);
        if (entry == null) {
            entry = prefixes.add(prefix);
            entryOf.put(prefix, entry);
            entryPrefixes.add(prefix);
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
        if (observations == obsEntry.length) {
            int n = observations * 2;
            obsEntry = Arrays.copyOf(obsEntry, n);
            obsColumn = Arrays.copyOf(obsColumn, n);
            obsWeightedRtt = Arrays.copyOf(obsWeightedRtt, n);
            obsSamples = Arrays.copyOf(obsSamples, n);
        }
        obsEntry[observations] = entry;
        obsColumn[observations] = (short) (int) column;
        obsWeightedRtt[observations] = rttMs * samples;
        obsSamples[observations] = samples;
        observations++;
        return this;
    }

    public int prefixCount() {
        return prefixes.size();
    }

    /** One measurement, as added (merged per prefix and region only at build). */
    public record Measurement(IpPrefix prefix, String region, double rttMs) {
    }

    /**
     * Up to {@code limit} measurements spread evenly over everything added, in a fixed order, so
     * that fitting a model to the table costs the same on every load of the same data.
     */
    public List<Measurement> sample(int limit) {
        List<Measurement> out = new ArrayList<>();
        if (observations == 0 || limit <= 0) {
            return out;
        }
        double stride = Math.max(1.0, (double) observations / limit);
        for (double i = 0; i < observations && out.size() < limit; i += stride) {
            int k = (int) i;
            out.add(new Measurement(entryPrefixes.get(obsEntry[k]), regions.get(obsColumn[k]),
                    obsWeightedRtt[k] / obsSamples[k]));
        }
        return out;
    }

    public LatencyTable build() {
        PrefixMap map = prefixes.build();
        int entries = map.entryCount();
        int columns = regions.size();

        double[] weighted = new double[entries * columns];
        long[] samples = new long[entries * columns];
        long totalSamples = 0;
        for (int i = 0; i < observations; i++) {
            int cell = obsEntry[i] * columns + obsColumn[i];
            weighted[cell] += obsWeightedRtt[i];
            samples[cell] += obsSamples[i];
            totalSamples += obsSamples[i];
        }

        char[] rtt = new char[entries * columns];
        byte[] sourceLength = new byte[entries * columns];
        for (int entry : byLengthAscending(map)) {
            int parent = map.parent(entry);
            for (int c = 0; c < columns; c++) {
                int cell = entry * columns + c;
                if (samples[cell] > 0) {
                    rtt[cell] = LatencyTable.encode(weighted[cell] / samples[cell]);
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
            v4[i] = aggregate(map, false, ipv4Levels[i], weighted, samples, columns);
        }
        AggregateLevel[] v6 = new AggregateLevel[ipv6Levels.length];
        for (int i = 0; i < v6.length; i++) {
            v6[i] = aggregate(map, true, ipv6Levels[i], weighted, samples, columns);
        }
        return new LatencyTable(regions, map, rtt, sourceLength, v4, v6, totalSamples, Integer.MAX_VALUE);
    }

    /** Entries ordered so that every prefix comes after all prefixes that contain it. */
    private static int[] byLengthAscending(PrefixMap map) {
        int entries = map.entryCount();
        int[] counts = new int[130];
        for (int e = 0; e < entries; e++) {
            counts[map.length(e) + 1]++;
        }
        for (int l = 1; l < counts.length; l++) {
            counts[l] += counts[l - 1];
        }
        int[] order = new int[entries];
        for (int e = 0; e < entries; e++) {
            order[counts[map.length(e)]++] = e;
        }
        return order;
    }

    /**
     * Sums the entries' own measurements (not inherited ones) over the blocks of one length. An
     * entry counts toward a block when it lies inside it, i.e. when it is at least as long.
     */
    private AggregateLevel aggregate(PrefixMap map, boolean ipv6, int length, double[] weighted, long[] samples,
                                     int columns) {
        Map<IpPrefix, Integer> blockOf = new HashMap<>();
        List<IpPrefix> blockPrefixes = new ArrayList<>();
        double[] blockWeighted = new double[16 * Math.max(1, columns)];
        long[] blockSamples = new long[blockWeighted.length];
        for (int e = 0; e < map.entryCount(); e++) {
            IpPrefix prefix = entryPrefixes.get(e);
            if (prefix.ipv6() != ipv6 || prefix.length() < length) {
                continue;
            }
            IpPrefix block = prefix.truncate(length);
            Integer index = blockOf.get(block);
            if (index == null) {
                index = blockPrefixes.size();
                blockOf.put(block, index);
                blockPrefixes.add(block);
                if ((index + 1) * columns > blockWeighted.length) {
                    blockWeighted = Arrays.copyOf(blockWeighted, blockWeighted.length * 2);
                    blockSamples = Arrays.copyOf(blockSamples, blockSamples.length * 2);
                }
            }
            for (int c = 0; c < columns; c++) {
                blockWeighted[index * columns + c] += weighted[e * columns + c];
                blockSamples[index * columns + c] += samples[e * columns + c];
            }
        }
        PrefixMap.Builder blocks = new PrefixMap.Builder().withoutPrefixObjects();
        List<Integer> kept = new ArrayList<>();
        for (int b = 0; b < blockPrefixes.size(); b++) {
            boolean enough = false;
            for (int c = 0; c < columns; c++) {
                enough |= blockSamples[b * columns + c] >= minSamples;
            }
            if (enough) {
                blocks.add(blockPrefixes.get(b));
                kept.add(b);
            }
        }
        char[] rtt = new char[kept.size() * columns];
        int[] count = new int[kept.size() * columns];
        for (int k = 0; k < kept.size(); k++) {
            int b = kept.get(k);
            for (int c = 0; c < columns; c++) {
                long n = blockSamples[b * columns + c];
                rtt[k * columns + c] = n >= minSamples ? LatencyTable.encode(blockWeighted[b * columns + c] / n) : LatencyTable.NONE;
                count[k * columns + c] = (int) Math.min(Integer.MAX_VALUE, n);
            }
        }
        return new AggregateLevel(length, blocks.build(), rtt, count, columns);
    }
}
