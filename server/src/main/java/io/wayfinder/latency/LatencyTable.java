package io.wayfinder.latency;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.Parts;
import io.wayfinder.net.PrefixMap;
import java.util.List;

/**
 * The internet latency table: for client networks (IPv4 and IPv6 prefixes of any length), the
 * round-trip time to each measured region, plus aggregates of those measurements over larger
 * blocks of the address space. Immutable; built by {@link LatencyTableBuilder}.
 *
 * <h2>Layout</h2>
 * Figures are kept as 16-bit codes ({@code char}s, see below) in one flat array, row-major:
 * {@code rtt[entry * columns + column]}. A row is an entry's
 * <em>effective</em> figures: its own measurements, with the gaps filled from the nearest covering
 * prefix that has them, and {@code sourceLength} says which prefix length each figure came from.
 * So one {@link PrefixMap} lookup answers both "the client's own entry" and "covering prefixes".
 *
 * <p>Aggregates are one {@link AggregateLevel} per prefix length, most specific first: each maps
 * the blocks of that length to the sample-weighted mean of the measurements inside the block, and
 * only where a block has at least {@code minSamples} samples for that region.
 */
public final class LatencyTable {
    /*
     * Figures in 16 bits. A table is dense (every prefix has a cell for every region the data names,
     * measured or not), so the cell size multiplies the whole table: 2 bytes a cell keeps 10 M
     * prefixes by 4 regions at 43 bytes a prefix, where an int would add 8 (and 2 more per region).
     * Tenths of a millisecond in a short stopped at 3,276.7 ms and clamped everything above it, so
     * distant regions tied and a hash chose among them. The code is therefore unsigned and two-scaled:
     *
     *   code 0 - 4,999        tenths of a millisecond: 0.0 - 499.9 ms
     *   code 5,000 - 65,534   whole milliseconds: 500 - 61,034 ms (code - 4,500)
     *   code 65,535           no figure
     *
     * A tenth matters where regions are close (12.4 against 14.4 ms); above 500 ms a millisecond is
     * a finer step, relative to the figure, than a tenth is at 12 ms. Every figure the reader accepts
     * (up to MAX_RTT_MS) is kept to that precision, never clamped.
     */
    /** The value {@link #tenths} gives for a figure that is not known. */
    public static final int MISSING = -1;
    /** The largest figure a table keeps, in milliseconds; larger ones are refused, never clamped. */
    public static final int MAX_RTT_MS = 60_000;
    /**
     * From how many IPv4 prefixes a table's {@link PrefixMap} keeps the direct /24 index (64 MiB,
     * see its design note). Below this the interval search stays mostly in cache, while a random
     * slot of the index is a miss: {@code RoutingDecisionBenchmark}'s p50 was 120 ns slower with the
     * index at 100k /24s and 130 ns faster at 300k (bench/README.md, "the direct /24 index").
     */
    public static final int DIRECT_INDEX_MIN_IPV4_PREFIXES = 300_000;
    /** The code of a cell without a figure. */
    static final char NONE = 0xFFFF;
    /** Codes below this are tenths of a millisecond; from it on, whole milliseconds from 500 ms. */
    private static final int FINE_CODES = 5_000;

    private final List<String> regions;
    private final int columns;
    private final PrefixMap prefixes;
    private final char[] rtt;
    private final byte[] sourceLength;
    private final AggregateLevel[] ipv4Levels;
    private final AggregateLevel[] ipv6Levels;
    private final long totalSamples;
    /** The settled /24s' rows, reached without the direct index; null where there is no direct index. */
    private final SettledSlash24Rows settledSlash24OrNull;
    /**
     * How many column lists {@link #settledWinners} keeps at most: 8 to 16 MiB each, so that many
     * Performance profiles over different regions cannot grow a table without bound; the profiles
     * beyond decide from the settled rows, as all did before.
     */
    static final int MAX_WINNER_LISTS = 16;
    /** The winner indexes built so far, by column list; guarded by itself. A cache: the table stays immutable in what it answers. */
    private final java.util.Map<List<Integer>, SettledWinners> winnerLists = new java.util.HashMap<>();

    /**
     * @param directIndexFrom from how many IPv4 prefixes to give {@code prefixes} the direct /24
     *                        index, its slots marked where {@link #settlesDirectClients} holds
     */
    LatencyTable(List<String> regions, PrefixMap prefixes, char[] rtt, byte[] sourceLength,
                 AggregateLevel[] ipv4Levels, AggregateLevel[] ipv6Levels, long totalSamples, int directIndexFrom) {
        this(regions, prefixes, rtt, sourceLength, ipv4Levels, ipv6Levels, totalSamples, directIndexFrom,
                Parts.SEQUENTIAL);
    }

    /**
     * @param directIndexFrom as above
     * @param parts           runs the parts of the direct index and the settled rows (a
     *                        learner's rebuild lends its lanes)
     */
    LatencyTable(List<String> regions, PrefixMap prefixes, char[] rtt, byte[] sourceLength,
                 AggregateLevel[] ipv4Levels, AggregateLevel[] ipv6Levels, long totalSamples, int directIndexFrom,
                 Parts parts) {
        this.regions = List.copyOf(regions);
        this.columns = regions.size();
        this.rtt = rtt;
        this.sourceLength = sourceLength;
        this.ipv4Levels = ipv4Levels;
        this.ipv6Levels = ipv6Levels;
        this.totalSamples = totalSamples;
        this.prefixes = prefixes.ipv4PrefixCount() >= directIndexFrom
                ? prefixes.withDirectIpv4Index(this::settlesDirectClients, parts) : prefixes;
        this.settledSlash24OrNull = this.prefixes.hasDirectIpv4Index()
                ? SettledSlash24Rows.of(this.prefixes, rtt, columns, parts) : null;
    }

    /**
     * Whether an entry's row alone settles every column for any client the direct index finds it
     * for (IPv4, length 24 to 32, inside the entry's prefix, which is then no longer than 24): each
     * figure is known and at least as long as every aggregate level, so no aggregate can be more
     * specific ({@link LatencyEstimator#rowTenths}'s conditions, taken for the longest level that
     * any such client could have). The query path then reads the row and nothing else.
     */
    private boolean settlesDirectClients(int entry) {
        int longestLevel = ipv4Levels.length == 0 ? 0 : ipv4Levels[0].length();
        int from = entry * columns;
        for (int cell = from; cell < from + columns; cell++) {
            if (rtt[cell] == NONE || (sourceLength[cell] & 0xFF) < longestLevel) {
                return false;
            }
        }
        return true;
    }

    public static LatencyTable empty() {
        return new LatencyTableBuilder().build();
    }

    /** The code of a figure (see the layout note), rounded to the precision kept. */
    static char encode(double ms) {
        if (!(ms >= 0 && ms <= MAX_RTT_MS)) {
            throw new IllegalArgumentException("rtt " + ms + " ms is not between 0 and " + MAX_RTT_MS + " ms");
        }
        long tenths = Math.round(ms * 10);
        if (tenths < FINE_CODES) {
            return (char) tenths;
        }
        return (char) (FINE_CODES + Math.round(ms) - FINE_CODES / 10);
    }

    /** The figure a code stands for, in tenths of a millisecond, or {@link #MISSING}. */
    static int tenthsOf(char code) {
        if (code == NONE) {
            return MISSING;
        }
        return code < FINE_CODES ? code : (code - FINE_CODES + FINE_CODES / 10) * 10;
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

    /**
     * The effective figure of an entry for a column, in tenths of a millisecond (a whole number of
     * milliseconds from 500 ms on), or {@link #MISSING}.
     */
    public int tenths(int entry, int column) {
        return tenthsOf(rtt[entry * columns + column]);
    }

    /**
     * The row of a settled /24 (one whose own row settles every column, see
     * {@link SettledSlash24Rows}) for this IPv4 address, or {@link SettledSlash24Rows#NO_ROW}: valid
     * for clients of length 24 to 32, whose lookups then hold for the /24.
     */
    int settledRow(int ipv4Address) {
        SettledSlash24Rows rows = settledSlash24OrNull;
        return rows == null ? SettledSlash24Rows.NO_ROW : rows.row(ipv4Address);
    }

    /** A figure of a {@link #settledRow}, as {@link #tenths}. */
    int settledTenths(int row, int column) {
        return settledSlash24OrNull.tenths(row, column);
    }

    /**
     * Which of {@code columns} each settled /24 has as its strict winner ({@link SettledWinners}),
     * or null where the table has no settled /24s, a column is not the table's (below 0), there are
     * fewer than 2 or more than 255 columns, or the table already keeps {@value #MAX_WINNER_LISTS}
     * other lists. Built on the first call for a list and kept with the table, so that every
     * profile comparing the same regions, and every health change, shares one (8 or 16 MiB). For
     * the control path, which builds choosers: the first call for a list reads every settled row.
     */
    public SettledWinners settledWinners(int[] columns) {
        SettledSlash24Rows rows = settledSlash24OrNull;
        if (rows == null || columns.length < 2 || columns.length > SettledWinners.MAX_COLUMNS) {
            return null;
        }
        for (int column : columns) {
            if (column < 0 || column >= this.columns) {
                return null;
            }
        }
        List<Integer> key = java.util.Arrays.stream(columns).boxed().toList();
        synchronized (winnerLists) {
            SettledWinners winners = winnerLists.get(key);
            if (winners == null && winnerLists.size() < MAX_WINNER_LISTS) {
                winners = rows.winners(columns);
                winnerLists.put(key, winners);
            }
            return winners;
        }
    }

    /** How many winner indexes ({@link #settledWinners}) the table keeps so far. */
    public int winnerListCount() {
        synchronized (winnerLists) {
            return winnerLists.size();
        }
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

    /** Receives one figure a table prefix has of its own. */
    @FunctionalInterface
    public interface FigureVisitor {
        void visit(boolean ipv6, long hi, long lo, int length, int column, double ms);
    }

    /**
     * Visits every figure the table's prefixes have of their own (not inherited from a covering
     * prefix): what its sources said, as merged at load. Not for the query path.
     */
    public void forEachOwnFigure(FigureVisitor visitor) {
        prefixes.forEachEntry((entry, ipv6, hi, lo, length) -> {
            for (int c = 0; c < columns; c++) {
                if (ownsFigure(entry, c)) {
                    visitor.visit(ipv6, hi, lo, length, c, tenths(entry, c) / 10.0);
                }
            }
        });
    }

    /** Whether the entry has a figure of its own (not inherited) for the column. */
    boolean ownsFigure(int entry, int column) {
        return rtt[entry * columns + column] != NONE && (sourceLength[entry * columns + column] & 0xFF) == prefixes.length(entry);
    }

    /**
     * Measurements averaged over the blocks of one prefix length, e.g. every /16 that holds
     * measured /24s. Blocks without enough samples for a region have no figure there ({@link #MISSING}).
     */
    public static final class AggregateLevel {
        private final int length;
        private final PrefixMap blocks;
        private final char[] rtt;
        private final int[] samples;
        private final int columns;

        AggregateLevel(int length, PrefixMap blocks, char[] rtt, int[] samples, int columns) {
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

        /** The block's mean for a column, as {@link LatencyTable#tenths}. */
        public int tenths(int block, int column) {
            return tenthsOf(rtt[block * columns + column]);
        }

        public int samples(int block, int column) {
            return samples[block * columns + column];
        }

        public int blockCount() {
            return blocks.entryCount();
        }
    }
}
