package io.wayfinder.latency;

/**
 * For one list of a table's columns (the regions a Performance profile compares), which of them has
 * the strictly lowest figure in each settled /24's row (see {@link SettledSlash24Rows}), found by the
 * /24 alone: 4 bits a /24 of the IPv4 space (8 MiB) for up to 15 columns, a byte (16 MiB) for up to
 * 255.
 *
 * <h2>Why</h2>
 * At 10 M prefixes a decision from the settled row costs a read of the bitmap, then a read of the
 * row, which misses every cache (80 MB of rows at 4 regions): about 170-210 ns on the test machine.
 * The answer to "which region is fastest" needs far fewer bits than the figures it is made from, and
 * 8 MiB stays in the last-level cache, where a read costs 15-20 ns (bench/README.md, "Issue 13: the
 * winner of a settled /24"). So the comparison a query would make is made once, when the table or
 * the profile's regions change, as gdnsd resolves its maps at load.
 *
 * <h2>What it holds, and what it leaves</h2>
 * Only strict winners: a /24 whose lowest figure is shared by two columns has no winner here (the
 * rendezvous hash breaks the tie, and whether there is a tie at all depends on which regions are up),
 * and neither has a /24 that is not settled. Health is not in it either: a winner whose region has
 * no endpoint up is the caller's to notice; the next best is then the settled row's to find. Since
 * the winner is strictly below every other column, it is also the strict winner among any of them
 * that are up: the caller's answer is the one the row would give, with no tie.
 *
 * <p>Immutable once built.
 */
public final class SettledWinners {
    /** What {@link #winner} gives for a /24 without a strict winner here. */
    public static final int NONE = -1;
    /** The most columns a 4-bit code can name (code 0 is "none"). */
    static final int NIBBLE_COLUMNS = 15;
    /** The most columns a byte code can name. */
    static final int MAX_COLUMNS = 255;
    private static final int SLOTS = 1 << 24;

    private final byte[] codes;
    private final boolean nibbles;
    private final int winners;

    private SettledWinners(byte[] codes, boolean nibbles, int winners) {
        this.codes = codes;
        this.nibbles = nibbles;
        this.winners = winners;
    }

    /** An empty index for {@code columns} columns, to be filled by {@link #set}. */
    static SettledWinners.Builder builder(int columns) {
        if (columns < 2 || columns > MAX_COLUMNS) {
            throw new IllegalArgumentException(columns + " columns: a winner index compares 2 to " + MAX_COLUMNS);
        }
        return new Builder(columns <= NIBBLE_COLUMNS);
    }

    /**
     * The index into the column list of the /24's strict winner, for an IPv4 address of a client of
     * length 24 to 32; {@link #NONE} when the /24 is not settled or its lowest figure is shared.
     */
    public int winner(int ipv4Address) {
        int slot = ipv4Address >>> 8;
        int code = nibbles ? codes[slot >>> 1] >>> ((slot & 1) << 2) & 0xF : codes[slot] & 0xFF;
        return code - 1;
    }

    /** How many /24s have a winner here. */
    public int winnerCount() {
        return winners;
    }

    /** The heap it takes, in bytes (its code array). */
    public long bytes() {
        return codes.length;
    }

    /** Fills an index one settled /24 at a time. */
    static final class Builder {
        private final boolean nibbles;
        private final byte[] codes;
        private int winners;

        private Builder(boolean nibbles) {
            this.nibbles = nibbles;
            this.codes = new byte[nibbles ? SLOTS / 2 : SLOTS];
        }

        /** The /24 number {@code slot} (address >>> 8) has column {@code k} of the list as its strict winner. */
        void set(int slot, int k) {
            if (nibbles) {
                codes[slot >>> 1] |= (byte) ((k + 1) << ((slot & 1) << 2));
            } else {
                codes[slot] = (byte) (k + 1);
            }
            winners++;
        }

        SettledWinners build() {
            return new SettledWinners(codes, nibbles, winners);
        }
    }
}
