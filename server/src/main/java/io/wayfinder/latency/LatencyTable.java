package io.wayfinder.latency;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.util.List;

/**
 * The internet latency table: for client networks (IPv4 and IPv6 prefixes of any length), the
 * round-trip time to each measured region, plus aggregates of those measurements over larger
 * blocks of the address space. Immutable; built by {@link LatencyTableBuilder}.
 *
 * <h2>Layout</h2>
 * Figures are kept as {@code short}s in tenths of a millisecond ({@link #MISSING} where there is
 * none) in one flat array, row-major: {@code rtt[entry * columns + column]}. A row is an entry's
 * <em>effective</em> figures: its own measurements, with the gaps filled from the nearest covering
 * prefix that has them, and {@code sourceLength} says which prefix length each figure came from.
 * So one {@link PrefixMap} lookup answers both "the client's own entry" and "covering prefixes".
 *
 * <p>Aggregates are one {@link AggregateLevel} per prefix length, most specific first: each maps
 * the blocks of that length to the sample-weighted mean of the measurements inside the block, and
 * only where a block has at least {@code minSamples} samples for that region.
 */
public final class LatencyTable {
    /** The value of a figure that is not known. */
    public static final short MISSING = -1;
    /** The largest figure kept, in tenths of a millisecond (3.2 s); larger ones are clamped. */
    public static final short MAX_TENTHS = Short.MAX_VALUE - 1;

    private final List<String> regions;
    private final int columns;
    private final PrefixMap prefixes;
    private final short[] rtt;
    private final byte[] sourceLength;
    private final AggregateLevel[] ipv4Levels;
    private final AggregateLevel[] ipv6Levels;
    private final long totalSamples;

    LatencyTable(List<String> regions, PrefixMap prefixes, short[] rtt, byte[] sourceLength,
                 AggregateLevel[] ipv4Levels, AggregateLevel[] ipv6Levels, long totalSamples) {
        this.regions = List.copyOf(regions);
        this.columns = regions.size();
        this.prefixes = prefixes;
        this.rtt = rtt;
        this.sourceLength = sourceLength;
        this.ipv4Levels = ipv4Levels;
        this.ipv6Levels = ipv6Levels;
        this.totalSamples = totalSamples;
    }

    public static LatencyTable empty() {
        return new LatencyTableBuilder().build();
    }

    /** Region names, one per column, lower case. */
    public List<String> regions() {
        return regions;
    }

    /** The column of a region, or -1 when the table has no figure for it anywhere. */
    public int column(String region) {
        return regions.indexOf(region.toLowerCase(java.util.Locale.ROOT));
    }

    /** The entry of the most specific table prefix that contains the address, or {@link PrefixMap#NO_ENTRY}. */
    public int lookup(IpPrefix address) {
        return prefixes.lookup(address);
    }

    /** The effective figure of an entry for a column, in tenths of a millisecond, or {@link #MISSING}. */
    public short tenths(int entry, int column) {
        return rtt[entry * columns + column];
    }

    /** The length of the prefix the effective figure of an entry for a column came from. */
    public int sourceLength(int entry, int column) {
        return sourceLength[entry * columns + column] & 0xFF;
    }

    public int entryLength(int entry) {
        return prefixes.length(entry);
    }

    /** Aggregation levels of one family, most specific first. */
    public java.util.List<AggregateLevel> levels(boolean ipv6) {
        return java.util.List.of(levelArray(ipv6));
    }

    /** The same, as the array the estimator walks on the query path (never handed out). */
    AggregateLevel[] levelArray(boolean ipv6) {
        return ipv6 ? ipv6Levels : ipv4Levels;
    }

    public int prefixCount() {
        return prefixes.entryCount();
    }

    public int columnCount() {
        return columns;
    }

    public long totalSamples() {
        return totalSamples;
    }

    public int entryParent(int entry) {
        return prefixes.parent(entry);
    }

    /** The table's prefixes (entries index the rows). */
    public PrefixMap prefixes() {
        return prefixes;
    }

    /** Whether the entry has a figure of its own (not inherited) for the column. */
    boolean ownsFigure(int entry, int column) {
        return rtt[entry * columns + column] != MISSING && (sourceLength[entry * columns + column] & 0xFF) == prefixes.length(entry);
    }

    /**
     * Measurements averaged over the blocks of one prefix length, e.g. every /16 that holds
     * measured /24s. Blocks without enough samples for a region hold {@link #MISSING} there.
     */
    public static final class AggregateLevel {
        private final int length;
        private final PrefixMap blocks;
        private final short[] rtt;
        private final int[] samples;
        private final int columns;

        AggregateLevel(int length, PrefixMap blocks, short[] rtt, int[] samples, int columns) {
            this.length = length;
            this.blocks = blocks;
            this.rtt = rtt;
            this.samples = samples;
            this.columns = columns;
        }

        public int length() {
            return length;
        }

        /** The block that contains the address, or {@link PrefixMap#NO_ENTRY}. */
        public int lookup(IpPrefix address) {
            return blocks.lookup(address);
        }

        /** The blocks of this level (entries index the rows). */
        public PrefixMap blocks() {
            return blocks;
        }

        public short tenths(int block, int column) {
            return rtt[block * columns + column];
        }

        public int samples(int block, int column) {
            return samples[block * columns + column];
        }

        public int blockCount() {
            return blocks.entryCount();
        }
    }
}
