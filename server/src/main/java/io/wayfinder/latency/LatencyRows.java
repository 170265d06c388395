package io.wayfinder.latency;

import io.wayfinder.net.Parts;
import io.wayfinder.net.PrefixMap;
import java.util.List;

/**
 * Assembles a {@link LatencyTable} from rows that are already known whole, in the table's own
 * layout: what the learner writes at each rebuild, with millions of rows and no
 * {@link io.wayfinder.net.IpPrefix} object per row. Rows are added in map order (IPv4 first, then
 * by address, a shorter prefix before a longer one at the same address), which keeps the build
 * linear. A cell left without a figure inherits its nearest covering row's, as in a table read
 * from CSV; a table built here has no aggregate levels (the rows of blocks take their place).
 * Not thread-safe.
 */
public final class LatencyRows {
    private static final LatencyTable.AggregateLevel[] NO_LEVELS = new LatencyTable.AggregateLevel[0];

    private final List<String> regions;
    private final int columns;
    private final PrefixMap.Builder prefixes = new PrefixMap.Builder().withoutPrefixObjects();
    /** From how many IPv4 prefixes the table keeps the direct /24 index (see {@link LatencyTable}). */
    private int directIndexFrom = LatencyTable.DIRECT_INDEX_MIN_IPV4_PREFIXES;
    /** Runs the parts of the table's build that split (inheritance, the direct index, the settled rows). */
    private Parts parts = Parts.SEQUENTIAL;
    private char[] rtt;
    private int rows;
    private long totalSamples;

    public LatencyRows(List<String> regions, int expectedRows) {
        this.regions = List.copyOf(regions);
        this.columns = regions.size();
        this.rtt = new char[Math.max(16, expectedRows) * Math.max(1, columns)];
    }

    /** Adds a row without figures and returns its number (an IPv4 address in the low 32 bits of {@code lo}). */
    public int add(boolean ipv6, long hi, long lo, int length) {
        int row = prefixes.add(ipv6, hi, lo, length);
        if ((long) (row + 1) * columns > rtt.length) {
            long n = Math.max((long) (row + 1) * columns, (long) rtt.length * 3 / 2);
            if (n > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a latency table of " + (row + 1) + " rows by " + columns
                        + " regions is too large");
            }
            rtt = java.util.Arrays.copyOf(rtt, (int) n);
        }
        java.util.Arrays.fill(rtt, row * columns, (row + 1) * columns, LatencyTable.NONE);
        rows = row + 1;
        return row;
    }

    /** Sets a row's figure for a column, in milliseconds (0 to {@link LatencyTable#MAX_RTT_MS}; larger is clamped). */
    public void set(int row, int column, double ms) {
        rtt[row * columns + column] = LatencyTable.encode(Math.max(0, Math.min(LatencyTable.MAX_RTT_MS, ms)));
    }

    /** The figure a set value reads back as (the precision the table keeps), in milliseconds. */
    public static double rounded(double ms) {
        return LatencyTable.tenthsOf(LatencyTable.encode(Math.max(0, Math.min(LatencyTable.MAX_RTT_MS, ms)))) / 10.0;
    }

    /** How many samples the table stands for (reported, not used by estimates). */
    public void totalSamples(long samples) {
        totalSamples = samples;
    }

    public int rowCount() {
        return rows;
    }

    /**
     * Keeps the direct IPv4 index from this many IPv4 prefixes on, instead of
     * {@link LatencyTable#DIRECT_INDEX_MIN_IPV4_PREFIXES} (tests force it on small tables with 0).
     */
    public LatencyRows directIndexFrom(int ipv4Prefixes) {
        directIndexFrom = ipv4Prefixes;
        return this;
    }

    /**
     * Runs the parts of {@link #build} that split by address range on {@code parts} (a learner's
     * lanes): the same table, sooner. Must not wait for the thread that calls {@link #build}.
     */
    public LatencyRows splitOver(Parts parts) {
        this.parts = parts;
        return this;
    }

    public LatencyTable build() {
        PrefixMap map = prefixes.build();
        // The rows were sized from an estimate that errs high by a few per cent: a slack of up to an
        // eighth stays with the table rather than the whole array being copied, 300 MB at ten
        // million networks, at every rebuild (the table reads a row by its number, never the length).
        long used = (long) rows * columns;
        char[] cells = rtt.length - used <= rtt.length / 8 ? rtt : java.util.Arrays.copyOf(rtt, (int) used);
        rtt = null;
        byte[] sourceLength = InheritedCells.fill(map, cells, rows, columns, parts);
        return new LatencyTable(regions, map, cells, sourceLength, NO_LEVELS, NO_LEVELS, totalSamples, directIndexFrom, parts);
    }
}
