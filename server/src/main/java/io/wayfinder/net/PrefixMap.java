package io.wayfinder.net;

import io.wayfinder.time.CpuYield;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * An immutable longest-prefix-match map from IP addresses to the prefixes it was built from.
 *
 * <h2>Design</h2>
 * Nested prefixes are flattened at build time into <em>disjoint intervals</em> that cover the
 * whole address space: interval {@code i} runs from {@code start[i]} to the address before
 * {@code start[i+1]} and names the most specific prefix that contains it ({@code -1} for the gaps
 * no prefix covers). A lookup is then one binary search, with no tree to walk and no pointers to
 * chase: IPv4 starts are an {@code int[]}, IPv6 starts two {@code long[]} (upper and lower half),
 * all stored with the sign bit flipped so that signed comparison orders them as unsigned.
 * A first-level index on the top address bits narrows the search to the intervals that share
 * those bits, so a lookup touches a few cache lines even with ten million prefixes. The index has
 * about one slot per interval, within 16 to 24 bits: a wider one halves the search of a 10M table
 * (bench: {@code PrefixMapLayoutBenchmark}).
 *
 * <p>Callers refer to prefixes by <em>entry</em>, the index at which {@link Builder#add} returned
 * it. Each entry keeps its length and its parent (the most specific other prefix that contains it),
 * so that a caller can inherit data from covering prefixes without a second lookup.
 *
 * <p>Memory: about 8 bytes per IPv4 interval, 20 per IPv6 interval, plus 9 bytes per entry and an
 * index per family: 256 KiB up to 65,536 intervals, then at most 4 bytes per interval (64 MiB at
 * most). A table of n prefixes has at most 2n+1 intervals. The direct IPv4 index, when asked for,
 * adds 64 MiB.
 *
 * <h2>Direct IPv4 index (optional)</h2>
 * Even with the first-level index, a cold lookup in a 10M table is three dependent cache misses
 * (index slot, interval starts, interval entry) and the ECS holding length reads the starts again.
 * A map {@link #withDirectIpv4Index with a direct index} also keeps one {@code int} per
 * /24 of the IPv4 space (2^24 slots, 64 MiB whatever the table size), precomputed at build by one
 * pass over the intervals: for a /24 that lies inside one interval, its entry and the holding
 * length of any IPv4 client of length 24 to 32 inside it, packed as {@code (entry + 1) << 7 |
 * mark << 6 | holding} (the mark is the owner's, see {@link #withDirectIpv4Index(IntPredicate)}); for a /24 that an interval boundary cuts (a longer prefix starts or ends inside it),
 * or whose holding length depends on the client's length, {@link #NOT_DIRECT}. Such a client's
 * lookup is then one array read ({@link #directIpv4}); everything else takes the search. The
 * holding length of a /24 inside one interval depends neither on the client's address in it nor,
 * when it is the same for /24 and /32 clients, on the length in between: it only grows with the
 * length (every /L network's first address is also a /L' one's for L' > L).
 */
public final class PrefixMap {

    public static final int NO_ENTRY = -1;
    /** What {@link #directIpv4} gives where the direct index does not settle the lookup (or there is none). */
    public static final int NOT_DIRECT = -1;
    /**
     * Direct slots keep the entry above a mark bit and 6 bits of holding length; all ones is
     * {@link #NOT_DIRECT}.
     */
    private static final int DIRECT_HOLDING_BITS = 6;
    private static final int DIRECT_MARK = 1 << DIRECT_HOLDING_BITS;
    private static final int DIRECT_ENTRY_SHIFT = DIRECT_HOLDING_BITS + 1;
    private static final int MAX_DIRECT_ENTRIES = (1 << (32 - DIRECT_ENTRY_SHIFT)) - 2;
    private static final IntPredicate NO_MARKS = entry -> false;

    private static final int MIN_INDEX_BITS = 16;
    private static final int MAX_INDEX_BITS = 24;

    private final int[] v4Starts;
    private final int[] v4Entries;
    private final int[] v4Index;
    /** How far an IPv4 address shifts right to give its index slot: 32 minus the index bits. */
    private final int v4Shift;
    private final long[] v6StartsHi;
    private final long[] v6StartsLo;
    private final int[] v6Entries;
    private final int[] v6Index;
    private final int v6Shift;
    private final byte[] entryLengths;
    private final int[] entryParents;
    private final IpPrefix[] entryPrefixesOrNull;
    /** How many of the entries are IPv4 prefixes. */
    private final int ipv4Prefixes;
    /** One packed slot per /24 (see the design note), or null when the map was built without it. */
    private final int[] v4DirectOrNull;

    private PrefixMap(int[] v4Starts, int[] v4Entries, long[] v6StartsHi, long[] v6StartsLo, int[] v6Entries,
                      byte[] entryLengths, int[] entryParents, IpPrefix[] entryPrefixesOrNull, int v4Bits, int v6Bits,
                      int ipv4Prefixes) {
        this.v4Starts = v4Starts;
        this.v4Entries = v4Entries;
        this.v6StartsHi = v6StartsHi;
        this.v6StartsLo = v6StartsLo;
        this.v6Entries = v6Entries;
        this.entryLengths = entryLengths;
        this.entryParents = entryParents;
        this.entryPrefixesOrNull = entryPrefixesOrNull;
        this.v4Shift = 32 - v4Bits;
        this.v6Shift = 64 - v6Bits;
        this.v4Index = firstLevelIndex(v4Starts.length, v4Bits,
                (i, t) -> Integer.compareUnsigned(v4Starts[i] ^ Integer.MIN_VALUE, t << v4Shift) <= 0);
        this.v6Index = firstLevelIndex(v6StartsHi.length, v6Bits, (i, t) -> {
            int c = Long.compareUnsigned(v6StartsHi[i] ^ Long.MIN_VALUE, (long) t << v6Shift);
            return c < 0 || (c == 0 && v6StartsLo[i] == Long.MIN_VALUE);
        });
        this.ipv4Prefixes = ipv4Prefixes;
        this.v4DirectOrNull = null;
    }

    /**
     * The same map sharing all its arrays, with a direct IPv4 index whose slots carry these marks,
     * filled in {@link Parts#SPLIT} slot ranges by {@code parts}.
     */
    private PrefixMap(PrefixMap map, IntPredicate marked, Parts parts) {
        this.v4Starts = map.v4Starts;
        this.v4Entries = map.v4Entries;
        this.v4Index = map.v4Index;
        this.v4Shift = map.v4Shift;
        this.v6StartsHi = map.v6StartsHi;
        this.v6StartsLo = map.v6StartsLo;
        this.v6Entries = map.v6Entries;
        this.v6Index = map.v6Index;
        this.v6Shift = map.v6Shift;
        this.entryLengths = map.entryLengths;
        this.entryParents = map.entryParents;
        this.entryPrefixesOrNull = map.entryPrefixesOrNull;
        this.ipv4Prefixes = map.ipv4Prefixes;
        this.v4DirectOrNull = entryLengths.length <= MAX_DIRECT_ENTRIES ? directIpv4Index(marked, parts) : null;
    }

    /** This map with a direct IPv4 index and no marks, sharing everything else. */
    public PrefixMap withDirectIpv4Index() {
        return new PrefixMap(this, NO_MARKS, Parts.SEQUENTIAL);
    }

    /**
     * This map with a direct IPv4 index whose slots also carry one bit the owner chooses per entry
     * ({@link #directMarked}), sharing everything else. The bit comes with the slot's one read: an
     * owner that keeps data per entry can say there, for instance, that the entry's data needs no
     * further check, and save the query path a read of its own (a cache miss on a large table).
     */
    public PrefixMap withDirectIpv4Index(IntPredicate marked) {
        return new PrefixMap(this, marked, Parts.SEQUENTIAL);
    }

    /**
     * {@link #withDirectIpv4Index(IntPredicate)} with the index's slot ranges filled by
     * {@code parts} (the same index, sooner where they run on several threads): {@code marked}
     * may then be called from several threads at once, for the same entry too.
     */
    public PrefixMap withDirectIpv4Index(IntPredicate marked, Parts parts) {
        return new PrefixMap(this, marked, parts);
    }

    /** How many of the map's prefixes are IPv4 ones. */
    public int ipv4PrefixCount() {
        return ipv4Prefixes;
    }

    public static PrefixMap empty() {
        return new Builder().build();
    }

    /** The entry of the most specific prefix that contains this IPv4 address, or {@link #NO_ENTRY}. */
    public int lookupIpv4(int address) {
        return v4Entries[intervalIpv4(address)];
    }

    /**
     * The direct index's slot for the /24 of this IPv4 address, or {@link #NOT_DIRECT}: valid only
     * for a client network of length 24 to 32 (shorter ones span several /24s). Read it with
     * {@link #directEntry} and {@link #directHolding}, which then equal {@link #entryAt} and
     * {@link #holdingLength} of the client's interval.
     */
    public int directIpv4(int address) {
        int[] direct = v4DirectOrNull;
        return direct == null ? NOT_DIRECT : direct[address >>> 8];
    }

    /** The entry a {@link #directIpv4} slot names, or {@link #NO_ENTRY}. */
    public static int directEntry(int slot) {
        return (slot >>> DIRECT_ENTRY_SHIFT) - 1;
    }

    /** Whether the entry of a {@link #directIpv4} slot was marked ({@link #withDirectIpv4Index(IntPredicate)}). */
    public static boolean directMarked(int slot) {
        return (slot & DIRECT_MARK) != 0;
    }

    /** The holding length a {@link #directIpv4} slot gives (for clients of length 24 to 32). */
    public static int directHolding(int slot) {
        return slot & ((1 << DIRECT_HOLDING_BITS) - 1);
    }

    /** Whether the map keeps a direct IPv4 index (see the design note). */
    public boolean hasDirectIpv4Index() {
        return v4DirectOrNull != null;
    }

    /**
     * The direct index, its 2^24 slots cut into {@link Parts#SPLIT} ranges that {@code parts}
     * fills: a slot's value depends only on the interval that holds it, so ranges are independent.
     */
    private int[] directIpv4Index(IntPredicate marked, Parts parts) {
        int slots = 1 << 24;
        int[] direct = new int[slots];
        parts.run(Parts.SPLIT, p -> fillDirect(direct, marked,
                (int) ((long) slots * p / Parts.SPLIT), (int) ((long) slots * (p + 1) / Parts.SPLIT)));
        return direct;
    }

    /**
     * Fills slots [from, to) of the direct index with one pass over the IPv4 intervals that meet
     * them, from the one holding slot {@code from}'s first address: a /24 inside interval i gets
     * i's entry and the holding length of its /24 and /32 clients when those agree; /24s that a
     * boundary cuts, and the rare ones whose holding length depends on the client's length, get
     * {@link #NOT_DIRECT}.
     */
    private void fillDirect(int[] direct, IntPredicate marked, int from, int to) {
        int cursor = from; // slots from `from` to before it are filled
        int n = v4Starts.length;
        for (int i = intervalIpv4(from << 8); i < n && cursor < to; i++) {
            long start = (v4Starts[i] ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL;
            boolean last = i + 1 >= n;
            long next = last ? 1L << 32 : (v4Starts[i + 1] ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL;
            int firstSlot = (int) Math.min(to, (start + 255) >>> 8);
            int endSlot = (int) Math.min(to, next >>> 8);
            if (firstSlot > cursor) {
                Arrays.fill(direct, cursor, firstSlot, NOT_DIRECT); // cut by the boundary at start
                cursor = firstSlot;
            }
            if (cursor >= endSlot) {
                continue; // the interval lies inside one /24, already cut
            }
            int entry = v4Entries[i];
            int entryBits = (entry + 1) << DIRECT_ENTRY_SHIFT | (entry != NO_ENTRY && marked.test(entry) ? DIRECT_MARK : 0);
            long nextLo = last ? 0 : next;
            for (int slot = cursor; slot < endSlot; slot++) {
                CpuYield.every(slot);
                long address = (long) slot << 8;
                int h24 = holdingLength(0, start, last, 0, nextLo, 0, address, 24, 32);
                int h32 = holdingLength(0, start, last, 0, nextLo, 0, address, 32, 32);
                direct[slot] = h24 == h32 ? entryBits | h24 : NOT_DIRECT;
            }
            cursor = endSlot;
        }
        Arrays.fill(direct, cursor, to, NOT_DIRECT);
    }

    /** The entry of the most specific prefix that contains the IPv6 address {@code hi:lo}, or {@link #NO_ENTRY}. */
    public int lookupIpv6(long hi, long lo) {
        return v6Entries[intervalIpv6(hi, lo)];
    }

    public int lookup(IpPrefix address) {
        return address.ipv6() ? lookupIpv6(address.hi(), address.lo()) : lookupIpv4(address.ipv4());
    }

    /**
     * The interval that contains the network's first address, as a handle for {@link #entryAt}
     * and {@link #holdingLength}. Negative handles are IPv6 intervals.
     */
    public int interval(IpPrefix address) {
        return address.ipv6() ? ~intervalIpv6(address.hi(), address.lo()) : intervalIpv4(address.ipv4());
    }

    /** The entry an {@link #interval} handle names, or {@link #NO_ENTRY}. */
    public int entryAt(int interval) {
        return interval >= 0 ? v4Entries[interval] : v6Entries[~interval];
    }

    /**
     * The shortest prefix length {@code s} (at most the client's own length L) such that every
     * network of length L inside {@code client/s} lies in the given interval, so that looking any
     * of them up gives the same entry. This is how far an answer that depended on this lookup
     * may be reused: the ECS scope it allows.
     */
    public int holdingLength(int interval, IpPrefix client) {
        long startHi;
        long startLo;
        long nextHi;
        long nextLo;
        boolean last;
        if (interval >= 0) {
            startHi = 0;
            startLo = (v4Starts[interval] ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL;
            last = interval + 1 >= v4Starts.length;
            nextHi = 0;
            nextLo = last ? 0 : (v4Starts[interval + 1] ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL;
        } else {
            int i = ~interval;
            startHi = v6StartsHi[i] ^ Long.MIN_VALUE;
            startLo = v6StartsLo[i] ^ Long.MIN_VALUE;
            last = i + 1 >= v6StartsHi.length;
            nextHi = last ? 0 : v6StartsHi[i + 1] ^ Long.MIN_VALUE;
            nextLo = last ? 0 : v6StartsLo[i + 1] ^ Long.MIN_VALUE;
        }
        return holdingLength(startHi, startLo, last, nextHi, nextLo, client.hi(), client.lo(), client.length(),
                client.ipv6() ? 128 : 32);
    }

    /**
     * {@link #holdingLength(int, IpPrefix)} for an interval given by its start and the next one's
     * (unless it is the last), and a client by its parts (IPv4 in the low 32 bits, width 32).
     */
    private static int holdingLength(long startHi, long startLo, boolean last, long nextHi, long nextLo,
                                     long clientHi, long clientLo, int length, int width) {
        if (length == 0) {
            return 0;
        }
        // The smallest s such that client/s starts at or after the interval's start. For s up to
        // the bits client and start share, client/s starts where start/s does: at or after start
        // only from start's own alignment on. One bit further, client/s starts above start.
        int sharedWithStart = leadingZeros(clientHi ^ startHi, clientLo ^ startLo, width);
        int startAlignment = width - trailingZeros(startHi, startLo, width);
        int fromStart = startAlignment <= sharedWithStart ? startAlignment : sharedWithStart + 1;
        if (last) {
            return fromStart;
        }
        // The smallest s such that the last network of length L in client/s starts before next:
        // the same reasoning against end, the last L-aligned address before next, with ones for zeros.
        long endLo = nextLo - 1;
        long endHi = nextHi - (nextLo == 0 ? 1 : 0);
        long hostHi = width == 32 ? 0 : ~IpPrefix.highMask(length);
        long hostLo = width == 32 ? ~IpPrefix.ipv4Mask(length) & 0xFFFF_FFFFL : ~IpPrefix.lowMask(length);
        endHi &= ~hostHi;
        endLo &= ~hostLo;
        int sharedWithEnd = Math.min(length, leadingZeros(clientHi ^ endHi, clientLo ^ endLo, width));
        int endOnes = trailingZeros(~(endHi | hostHi), ~(endLo | hostLo), width) - (width - length);
        int endAlignment = length - endOnes;
        int fromEnd = endAlignment <= sharedWithEnd ? endAlignment : sharedWithEnd + 1;
        return Math.max(fromStart, fromEnd);
    }

    /** Leading zero bits of a {@code width}-bit value (IPv4 in the low 32 bits of lo); width when it is 0. */
    private static int leadingZeros(long hi, long lo, int width) {
        if (width == 32) {
            return Long.numberOfLeadingZeros(lo & 0xFFFF_FFFFL) - 32;
        }
        return hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
    }

    /** Trailing zero bits of a {@code width}-bit value; width when it is 0. */
    private static int trailingZeros(long hi, long lo, int width) {
        if (width == 32) {
            return Long.numberOfTrailingZeros(lo | 1L << 32);
        }
        return lo != 0 ? Long.numberOfTrailingZeros(lo) : 64 + Long.numberOfTrailingZeros(hi);
    }

    private int intervalIpv4(int address) {
        int key = address ^ Integer.MIN_VALUE;
        int top = address >>> v4Shift;
        int low = v4Index[top];
        int high = v4Index[top + 1];
        // Invariant: the answer lies in [low, high], and starts[low] <= key.
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (v4Starts[mid] <= key) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    private int intervalIpv6(long hi, long lo) {
        long keyHi = hi ^ Long.MIN_VALUE;
        long keyLo = lo ^ Long.MIN_VALUE;
        int top = (int) (hi >>> v6Shift);
        int low = v6Index[top];
        int high = v6Index[top + 1];
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            long midHi = v6StartsHi[mid];
            if (midHi < keyHi || (midHi == keyHi && v6StartsLo[mid] <= keyLo)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** The prefix length of an entry. */
    public int length(int entry) {
        return entryLengths[entry] & 0xFF;
    }

    /** The most specific other prefix that contains this entry's prefix, or {@link #NO_ENTRY}. */
    public int parent(int entry) {
        return entryParents[entry];
    }

    /**
     * The prefix of an entry (kept for explanations and tests; not for the query path), or null
     * when the map was built {@link Builder#withoutPrefixObjects without prefix objects}.
     */
    public IpPrefix prefix(int entry) {
        IpPrefix[] prefixes = entryPrefixesOrNull;
        return prefixes == null ? null : prefixes[entry];
    }

    public int entryCount() {
        return entryLengths.length;
    }

    /** Receives one entry's prefix as its parts. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(int entry, boolean ipv6, long hi, long lo, int length);
    }

    /**
     * Visits every entry once with its prefix, also when the map was built without prefix objects:
     * an interval's start lies inside the entry that names it and inside all that entry's
     * ancestors, so masking it to their lengths gives their prefixes, and every entry names an
     * interval or is the ancestor of one that does. Not for the query path.
     */
    public void forEachEntry(EntryVisitor visitor) {
        boolean[] seen = new boolean[entryLengths.length];
        for (int i = 0; i < v4Starts.length; i++) {
            CpuYield.every(i);
            long start = (v4Starts[i] ^ Integer.MIN_VALUE) & 0xFFFF_FFFFL;
            for (int e = v4Entries[i]; e != NO_ENTRY && !seen[e]; e = entryParents[e]) {
                seen[e] = true;
                visitor.visit(e, false, 0, start & IpPrefix.ipv4Mask(length(e)), length(e));
            }
        }
        for (int i = 0; i < v6StartsHi.length; i++) {
            CpuYield.every(i);
            long hi = v6StartsHi[i] ^ Long.MIN_VALUE;
            long lo = v6StartsLo[i] ^ Long.MIN_VALUE;
            for (int e = v6Entries[i]; e != NO_ENTRY && !seen[e]; e = entryParents[e]) {
                seen[e] = true;
                int length = length(e);
                visitor.visit(e, true, hi & IpPrefix.highMask(length), lo & IpPrefix.lowMask(length), length);
            }
        }
    }

    public int intervalCount() {
        return v4Starts.length + v6StartsHi.length;
    }

    /** Whether interval i starts at or before the first address of top-bits block t. */
    private interface StartsAtOrBefore {
        boolean test(int interval, int block);
    }

    /**
     * index[t] is the interval that contains the first address of block t (the top {@code bits}
     * bits equal to t); an address in block t lies in one of the intervals index[t]..index[t+1].
     */
    private static int[] firstLevelIndex(int intervals, int bits, StartsAtOrBefore startsAtOrBefore) {
        int size = 1 << bits;
        int[] index = new int[size + 1];
        int interval = 0; // interval 0 always starts at address 0
        for (int t = 0; t < size; t++) {
            CpuYield.every(t);
            while (interval + 1 < intervals && startsAtOrBefore.test(interval + 1, t)) {
                interval++;
            }
            index[t] = interval;
        }
        index[size] = intervals - 1;
        return index;
    }

    /** About one index slot per interval: the largest power of two not above the count, within 16-24 bits. */
    static int indexBits(int intervals) {
        int floorLog2 = 31 - Integer.numberOfLeadingZeros(Math.max(1, intervals));
        return Math.max(MIN_INDEX_BITS, Math.min(MAX_INDEX_BITS, floorLog2));
    }

    /**
     * Collects prefixes, then flattens them into a {@link PrefixMap}. Not thread-safe.
     *
     * <p>Allocation: a table of a million prefixes is rebuilt while queries are answered, and each
     * array of that size is a humongous allocation for G1 (above half a region), which can start a
     * collection cycle, a pause, once the heap is past its occupancy threshold (bench/reload/run.sh).
     * So a builder {@link #withoutPrefixObjects without prefix objects} keeps no {@link IpPrefix}
     * array at all (not even one of nulls), and the IPv4 intervals are collected as {@code int}s.
     */
    public static final class Builder {
        private boolean[] ipv6 = new boolean[16];
        private long[] his = new long[16];
        private long[] los = new long[16];
        private byte[] lengths = new byte[16];
        /** The prefixes as added, or null for a builder without prefix objects. */
        private IpPrefix[] prefixesOrNull = new IpPrefix[16];
        private int size;

        /**
         * Keep no {@link IpPrefix} objects, in the builder or the map (saves memory for very large
         * tables): the map's {@link PrefixMap#prefix} then gives null. Before any {@link #add}.
         */
        public Builder withoutPrefixObjects() {
            if (size > 0) {
                throw new IllegalStateException("withoutPrefixObjects() after add()");
            }
            prefixesOrNull = null;
            return this;
        }

        /**
         * A builder without prefix objects that starts with these prefixes, entries 0 to size - 1,
         * in these arrays themselves, not copies (a {@link PrefixNumbering} hands its own: a table of a
         * million prefixes then keeps one set of them while it is built, not two). The arrays' owner
         * must not change them while the builder is used; an {@link #add} writes past size, or into
         * new arrays once they are full.
         */
        static Builder over(boolean[] ipv6, long[] his, long[] los, byte[] lengths, int size) {
            Builder builder = new Builder().withoutPrefixObjects();
            builder.ipv6 = ipv6;
            builder.his = his;
            builder.los = los;
            builder.lengths = lengths;
            builder.size = size;
            return builder;
        }

        /** Makes room for this many prefixes in all, at once (saves the regrowths of a large table). */
        public Builder ensureCapacity(int count) {
            if (count > his.length) {
                grow(count);
            }
            return this;
        }

        private void grow(int n) {
            ipv6 = Arrays.copyOf(ipv6, n);
            his = Arrays.copyOf(his, n);
            los = Arrays.copyOf(los, n);
            lengths = Arrays.copyOf(lengths, n);
            if (prefixesOrNull != null) {
                prefixesOrNull = Arrays.copyOf(prefixesOrNull, n);
            }
        }

        /** Adds a prefix and returns its entry number. Each prefix may be added once. */
        public int add(IpPrefix prefix) {
            if (size == his.length) {
                grow(size * 2);
            }
            ipv6[size] = prefix.ipv6();
            his[size] = prefix.hi();
            los[size] = prefix.lo();
            lengths[size] = (byte) prefix.length();
            if (prefixesOrNull != null) {
                prefixesOrNull[size] = prefix;
            }
            return size++;
        }

        /**
         * Adds a prefix given by its parts (an IPv4 address in the low 32 bits of {@code lo}), without
         * an {@link IpPrefix} object: for tables of millions of prefixes built from primitive arrays.
         * Host bits are cleared. Adding prefixes in map order (IPv4 first, then by address, a shorter
         * prefix before a longer one at the same address) makes {@link #build} linear.
         */
        public int add(boolean ipv6, long hi, long lo, int length) {
            if (size == his.length) {
                grow(size * 2);
            }
            this.ipv6[size] = ipv6;
            his[size] = ipv6 ? hi & IpPrefix.highMask(length) : 0;
            los[size] = ipv6 ? lo & IpPrefix.lowMask(length) : lo & IpPrefix.ipv4Mask(length);
            lengths[size] = (byte) length;
            if (prefixesOrNull != null) {
                prefixesOrNull[size] = null;
            }
            return size++;
        }

        public int size() {
            return size;
        }

        /** @throws IllegalArgumentException if a prefix was added twice (it names the prefix) */
        public PrefixMap build() {
            return build(0);
        }

        /** With {@code indexBits} bits of first-level index per family, or 0 for the size that suits the table. */
        PrefixMap build(int indexBits) {
            int[] order = sortedOrder();
            int[] parents = new int[size];
            Arrays.fill(parents, NO_ENTRY);
            int firstV6 = 0;
            while (firstV6 < size && !ipv6[order[firstV6]]) {
                firstV6++;
            }
            Intervals v4 = flatten(order, 0, firstV6, parents, false, 0, 0xFFFF_FFFFL);
            Intervals v6 = flatten(order, firstV6, size, parents, true, -1L, -1L);
            order = null; // before the map's own arrays are allocated: one large array less alive at a time
            v4.trim();
            v6.trim();
            return new PrefixMap(v4.v4Starts, v4.entries, v6.hi, v6.lo, v6.entries,
                    Arrays.copyOf(lengths, size), parents,
                    prefixesOrNull == null ? null : Arrays.copyOf(prefixesOrNull, size),
                    indexBits > 0 ? indexBits : indexBits(v4.count), indexBits > 0 ? indexBits : indexBits(v6.count),
                    firstV6);
        }

        /**
         * One sweep over prefixes sorted by start (enclosing ones first) with a stack of the
         * prefixes that contain the current position: a prefix starts an interval where it begins,
         * and where it ends the prefix below it on the stack (its parent) resumes.
         */
        private Intervals flatten(int[] order, int from, int to, int[] parents, boolean v6, long maxHi, long maxLo) {
            // At most one interval where each prefix starts and one where it ends, and the first.
            Intervals out = new Intervals(v6, 2 * (to - from) + 1);
            out.emit(0, 0, NO_ENTRY);
            int[] stack = new int[130];
            int depth = 0;
            for (int k = from; k < to; k++) {
                CpuYield.every(k);
                int e = order[k];
                while (depth > 0 && endsBefore(stack[depth - 1], his[e], los[e])) {
                    int ended = stack[--depth];
                    resumeAfter(out, ended, depth > 0 ? stack[depth - 1] : NO_ENTRY, maxHi, maxLo);
                }
                parents[e] = depth > 0 ? stack[depth - 1] : NO_ENTRY;
                out.emit(his[e], los[e], e);
                stack[depth++] = e;
            }
            while (depth > 0) {
                int ended = stack[--depth];
                resumeAfter(out, ended, depth > 0 ? stack[depth - 1] : NO_ENTRY, maxHi, maxLo);
            }
            return out;
        }

        private void resumeAfter(Intervals out, int ended, int resumed, long maxHi, long maxLo) {
            long endHi = lastHi(ended);
            long endLo = lastLo(ended);
            if (endHi == maxHi && endLo == maxLo) {
                return; // the prefix runs to the end of the address space
            }
            long nextLo = endLo + 1;
            long nextHi = nextLo == 0 ? endHi + 1 : endHi;
            out.emit(nextHi, nextLo, resumed);
        }

        private boolean endsBefore(int e, long hi, long lo) {
            long endHi = lastHi(e);
            int c = Long.compareUnsigned(endHi, hi);
            return c < 0 || (c == 0 && Long.compareUnsigned(lastLo(e), lo) < 0);
        }

        private long lastHi(int e) {
            return ipv6[e] ? his[e] | ~IpPrefix.highMask(lengths[e] & 0xFF) : 0;
        }

        private long lastLo(int e) {
            return ipv6[e] ? los[e] | ~IpPrefix.lowMask(lengths[e] & 0xFF)
                    : los[e] | (~IpPrefix.ipv4Mask(lengths[e] & 0xFF) & 0xFFFF_FFFFL);
        }

        private int[] sortedOrder() {
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                CpuYield.every(i);
                order[i] = i;
            }
            if (strictlyInMapOrder()) {
                return order; // no sort to do, and no prefix twice
            }
            int[] scratch = new int[size];
            mergeSort(order, scratch, 0, size);
            for (int i = 1; i < size; i++) {
                CpuYield.every(i);
                if (compare(order[i - 1], order[i]) == 0) {
                    throw new IllegalArgumentException("prefix " + describe(order[i]) + " appears more than once");
                }
            }
            return order;
        }

        /**
         * Whether the prefixes were added in map order, each after the one before: a learner's
         * millions of rows are, and one pass of comparisons saves the sort's (its first pass alone,
         * insertion sorts of 24 prefixes, compares each prefix once) and the check for duplicates.
         */
        private boolean strictlyInMapOrder() {
            for (int i = 1; i < size; i++) {
                CpuYield.every(i);
                if (compare(i - 1, i) >= 0) {
                    return false;
                }
            }
            return true;
        }

        private String describe(int e) {
            return prefixesOrNull != null && prefixesOrNull[e] != null ? prefixesOrNull[e].toString()
                    : (ipv6[e] ? new IpPrefix(true, his[e], los[e], lengths[e] & 0xFF)
                    : new IpPrefix(false, 0, los[e], lengths[e] & 0xFF)).toString();
        }

        private void mergeSort(int[] a, int[] tmp, int from, int to) {
            if (to - from < 24) {
                for (int i = from + 1; i < to; i++) {
                    int v = a[i];
                    int j = i - 1;
                    while (j >= from && compare(a[j], v) > 0) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = v;
                }
                return;
            }
            int mid = (from + to) >>> 1;
            mergeSort(a, tmp, from, mid);
            mergeSort(a, tmp, mid, to);
            if (compare(a[mid - 1], a[mid]) <= 0) {
                return;
            }
            System.arraycopy(a, from, tmp, from, to - from);
            int i = from;
            int j = mid;
            for (int k = from; k < to; k++) {
                CpuYield.every(k);
                if (j >= to || (i < mid && compare(tmp[i], tmp[j]) <= 0)) {
                    a[k] = tmp[i++];
                } else {
                    a[k] = tmp[j++];
                }
            }
        }

        /** IPv4 before IPv6, then by start address, then enclosing (shorter) prefixes first. */
        private int compare(int a, int b) {
            if (ipv6[a] != ipv6[b]) {
                return ipv6[a] ? 1 : -1;
            }
            int c = Long.compareUnsigned(his[a], his[b]);
            if (c == 0) {
                c = Long.compareUnsigned(los[a], los[b]);
            }
            return c != 0 ? c : Integer.compare(lengths[a] & 0xFF, lengths[b] & 0xFF);
        }
    }

    /**
     * The interval starts of one family, sized for the most there can be (so never regrown) and
     * stored as the map keeps them (sign bit flipped): IPv4 starts as {@code int}s, 8 bytes an
     * interval with the entries, IPv6 ones as two {@code long}s. Consecutive intervals never name
     * the same entry.
     */
    private static final class Intervals {
        private static final int[] NO_INTS = new int[0];
        private static final long[] NO_LONGS = new long[0];

        final boolean ipv6;
        /** IPv4 starts, or empty for IPv6. */
        int[] v4Starts;
        /** IPv6 starts, upper and lower half, or empty for IPv4. */
        long[] hi;
        long[] lo;
        int[] entries;
        int count;

        Intervals(boolean ipv6, int capacity) {
            this.ipv6 = ipv6;
            v4Starts = ipv6 ? NO_INTS : new int[capacity];
            hi = ipv6 ? new long[capacity] : NO_LONGS;
            lo = ipv6 ? new long[capacity] : NO_LONGS;
            entries = new int[capacity];
        }

        /** Starts an interval at {@code startHi:startLo} (IPv4: the address in the low 32 bits of startLo). */
        void emit(long startHi, long startLo, int entry) {
            if (count > 0 && startsAt(count - 1, startHi, startLo)) {
                // A later prefix starting at the same address is more specific: it wins.
                count--;
            }
            if (count > 0 && entries[count - 1] == entry) {
                return;
            }
            if (ipv6) {
                hi[count] = startHi ^ Long.MIN_VALUE;
                lo[count] = startLo ^ Long.MIN_VALUE;
            } else {
                v4Starts[count] = (int) startLo ^ Integer.MIN_VALUE;
            }
            entries[count] = entry;
            count++;
        }

        private boolean startsAt(int i, long startHi, long startLo) {
            return ipv6 ? hi[i] == (startHi ^ Long.MIN_VALUE) && lo[i] == (startLo ^ Long.MIN_VALUE)
                    : v4Starts[i] == ((int) startLo ^ Integer.MIN_VALUE);
        }

        /** Cuts the arrays to the intervals emitted (a copy only when fewer than the most). */
        void trim() {
            if (count < entries.length) {
                entries = Arrays.copyOf(entries, count);
                if (ipv6) {
                    hi = Arrays.copyOf(hi, count);
                    lo = Arrays.copyOf(lo, count);
                } else {
                    v4Starts = Arrays.copyOf(v4Starts, count);
                }
            }
        }
    }
}
