package io.wayfinder.latency;

import io.wayfinder.net.Parts;
import io.wayfinder.net.PrefixMap;
import io.wayfinder.time.CpuYield;

/**
 * A copy of the rows of the IPv4 /24s whose own row settles every region (see
 * {@link LatencyTable}), in address order, found by the rank of the /24's bit in a bitmap of the
 * whole IPv4 space: so that a query for such a /24 costs one memory read that misses the cache,
 * the row, where the direct index costs two (its slot, then the row).
 *
 * <h2>Why a rank</h2>
 * At 10 M prefixes the decision is a chain of dependent cache misses: a 64 MiB index has no
 * locality, and neither have the rows. The bitmap is 2^24 bits, 2 MiB, plus one running count
 * per 64 bits, 2 MiB more, kept side by side so that one cache line holds a word and its count:
 * small enough to stay in the last-level cache (32 MiB here), where a read costs a tenth of a miss.
 * The rank of a set bit (the count before its word, plus the set bits below it in the word) is
 * the row's number. A bit is set only for a /24 that is a table prefix of its own (holding length
 * 24, with no longer prefix inside), so there are never more copied rows than table rows.
 *
 * <p>Immutable once built; built only for tables that keep the direct index.
 */
final class SettledSlash24Rows {
    /** What {@link #row} gives for a /24 that has no row here. */
    static final int NO_ROW = -1;
    private static final int SLOTS = 1 << 24;

    /** {@code words[2k]}: bits of /24s 64k to 64k+63; {@code words[2k+1]}: set bits before them. */
    private final long[] words;
    private final char[] rows;
    private final int columns;

    private SettledSlash24Rows(long[] words, char[] rows, int columns) {
        this.words = words;
        this.rows = rows;
        this.columns = columns;
    }

    /**
     * The rows of the /24s the direct index of {@code prefixes} finds marked with a holding length
     * of 24, copied from {@code rtt} (row-major, {@code columns} codes a row), in
     * {@link Parts#SPLIT} ranges of the /24s that {@code parts} runs: each range first sets its bits
     * and counts them from its own start, then, once the ranges before it have their counts, makes
     * its counts absolute and copies its rows.
     */
    static SettledSlash24Rows of(PrefixMap prefixes, char[] rtt, int columns, Parts parts) {
        long[] words = new long[2 * (SLOTS / 64)];
        int[] settledIn = new int[Parts.SPLIT];
        parts.run(Parts.SPLIT, p -> settledIn[p] = mark(prefixes, words, from(p), from(p + 1)));
        int[] rowsBefore = new int[Parts.SPLIT];
        for (int p = 1; p < Parts.SPLIT; p++) {
            rowsBefore[p] = rowsBefore[p - 1] + settledIn[p - 1];
        }
        char[] rows = new char[(rowsBefore[Parts.SPLIT - 1] + settledIn[Parts.SPLIT - 1]) * columns];
        parts.run(Parts.SPLIT, p -> copy(prefixes, rtt, columns, words, rows, rowsBefore[p], from(p), from(p + 1)));
        return new SettledSlash24Rows(words, rows, columns);
    }

    /** The first /24 of part p (a multiple of 64, so that parts share no bitmap word). */
    private static int from(int part) {
        return (int) ((long) SLOTS / 64 * part / Parts.SPLIT * 64);
    }

    /**
     * Sets the bits of the settled /24s in [from, to) and each word's count of set bits before it
     * from {@code from} on; returns how many it set.
     */
    private static int mark(PrefixMap prefixes, long[] words, int from, int to) {
        int count = 0;
        for (int slot = from; slot < to; slot++) {
            CpuYield.every(slot);
            if ((slot & 63) == 0) {
                words[2 * (slot >>> 6) + 1] = count;
            }
            if (settles(prefixes.directIpv4(slot << 8))) {
                words[2 * (slot >>> 6)] |= 1L << (slot & 63);
                count++;
            }
        }
        return count;
    }

    /**
     * Adds the rows before {@code from} to the counts of the words of [from, to) and copies the
     * rows of their set bits: the bitmap's bits, not the 2^24 slots, lead the way.
     */
    private static void copy(PrefixMap prefixes, char[] rtt, int columns, long[] words, char[] rows, int rowsBefore,
                             int from, int to) {
        for (int at = 2 * (from >>> 6); at < 2 * (to >>> 6); at += 2) {
            words[at + 1] += rowsBefore;
        }
        forEachRow(words, from, to, (slot, row) -> {
            int entry = PrefixMap.directEntry(prefixes.directIpv4(slot << 8));
            System.arraycopy(rtt, entry * columns, rows, row * columns, columns);
        });
    }

    /** Receives a settled /24 (its number, address >>> 8) and its row. */
    @FunctionalInterface
    private interface RowVisitor {
        void visit(int slot, int row);
    }

    /** Visits the settled /24s of [from, to) (multiples of 64) in address order, led by the bitmap's bits. */
    private static void forEachRow(long[] words, int from, int to, RowVisitor visitor) {
        for (int at = 2 * (from >>> 6); at < 2 * (to >>> 6); at += 2) {
            CpuYield.every(at);
            int row = (int) words[at + 1];
            for (long word = words[at]; word != 0; word &= word - 1) {
                visitor.visit((at / 2) * 64 + Long.numberOfTrailingZeros(word), row++);
            }
        }
    }

    private static boolean settles(int direct) {
        return direct != PrefixMap.NOT_DIRECT && PrefixMap.directMarked(direct) && PrefixMap.directHolding(direct) == 24;
    }

    /** The row of the /24 of this IPv4 address, or {@link #NO_ROW}: valid for clients of length 24 to 32. */
    int row(int address) {
        int slot = address >>> 8;
        int at = 2 * (slot >>> 6);
        long word = words[at];
        long bit = 1L << (slot & 63);
        if ((word & bit) == 0) {
            return NO_ROW;
        }
        return (int) words[at + 1] + Long.bitCount(word & (bit - 1));
    }

    /** A figure of a {@link #row}, as {@link LatencyTable#tenths}. */
    int tenths(int row, int column) {
        return LatencyTable.tenthsOf(rows[row * columns + column]);
    }

    /**
     * For each /24 with a row here, which of {@code columns} (table columns, each at least 0) has
     * the strictly lowest figure, if one has: see {@link SettledWinners}. Off the query path: one
     * pass over the rows, in address order.
     */
    SettledWinners winners(int[] columns) {
        SettledWinners.Builder out = SettledWinners.builder(columns.length);
        forEachRow(words, 0, SLOTS, (slot, row) -> {
            int winner = strictWinner(row, columns);
            if (winner != SettledWinners.NONE) {
                out.set(slot, winner);
            }
        });
        return out.build();
    }

    /** The index into {@code columns} of the row's strictly lowest figure, or {@link SettledWinners#NONE} on a tie. */
    private int strictWinner(int row, int[] columns) {
        int from = row * this.columns;
        int best = SettledWinners.NONE;
        int bestTenths = Integer.MAX_VALUE;
        boolean tied = false;
        for (int k = 0; k < columns.length; k++) {
            int tenths = LatencyTable.tenthsOf(rows[from + columns[k]]);
            if (tenths < bestTenths) {
                best = k;
                bestTenths = tenths;
                tied = false;
            } else if (tenths == bestTenths) {
                tied = true;
            }
        }
        return tied ? SettledWinners.NONE : best;
    }

    /** How many /24s have a row here. */
    int rowCount() {
        return columns == 0 ? 0 : rows.length / columns;
    }
}
