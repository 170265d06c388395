package io.wayfinder.net;

import java.util.Arrays;

/**
 * Numbers distinct prefixes 0, 1, 2... in the order they are first seen, kept as primitives: what a
 * {@code HashMap<IpPrefix, Integer>} does for a table builder, without an object per prefix.
 *
 * <p>Design: a table of millions of prefixes built with a {@code HashMap} keeps an {@link IpPrefix},
 * a node and a boxed {@code Integer} per prefix (about 100 bytes) alive through the whole build, and
 * the young collections copy them again and again before they reach the old generation: on a
 * server, seconds of pauses while the event loops answer queries. Here a prefix is a row of parallel
 * arrays (17 bytes) and the hash table an {@code int[]} of row numbers + 1 (0: empty), open
 * addressing with linear probing, at most half full. Hashes are {@link IpPrefix#hash}. Not thread-safe.
 */
public final class PrefixNumbering {
    private boolean[] ipv6;
    private long[] his;
    private long[] los;
    private byte[] lengths;
    /** Row + 1 of the prefix in each slot, 0 for an empty slot; the length is a power of two. */
    private int[] slots;
    private int size;

    public PrefixNumbering(int expected) {
        int capacity = Math.max(16, expected);
        ipv6 = new boolean[capacity];
        his = new long[capacity];
        los = new long[capacity];
        lengths = new byte[capacity];
        slots = new int[Integer.highestOneBit(Math.max(8, capacity) - 1) << 2];
    }

    /**
     * The number of the prefix, given by its parts (host bits cleared; an IPv4 address in the low
     * 32 bits of {@code lo}), numbered now if it is new.
     */
    public int number(boolean v6, long hi, long lo, int length) {
        int mask = slots.length - 1;
        for (int slot = IpPrefix.hash(v6, hi, lo, length) & mask; ; slot = (slot + 1) & mask) {
            int row = slots[slot] - 1;
            if (row < 0) {
                return add(slot, v6, hi, lo, length);
            }
            if (los[row] == lo && his[row] == hi && (lengths[row] & 0xFF) == length && ipv6[row] == v6) {
                return row;
            }
        }
    }

    /** Makes room for this many prefixes in all, at once (a reader that can estimate its count saves the regrowths). */
    public void ensureCapacity(int prefixes) {
        if (prefixes > his.length) {
            grow(prefixes);
        }
        if (prefixes * 2L > slots.length && prefixes < 1 << 29) {
            rehash(Integer.highestOneBit(prefixes - 1) << 2);
        }
    }

    private void grow(int n) {
        ipv6 = Arrays.copyOf(ipv6, n);
        his = Arrays.copyOf(his, n);
        los = Arrays.copyOf(los, n);
        lengths = Arrays.copyOf(lengths, n);
    }

    private int add(int slot, boolean v6, long hi, long lo, int length) {
        if (size == his.length) {
            grow(size * 2);
        }
        int row = size++;
        ipv6[row] = v6;
        his[row] = hi;
        los[row] = lo;
        lengths[row] = (byte) length;
        slots[slot] = row + 1;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        return row;
    }

    private void rehash(int capacity) {
        int[] next = new int[capacity];
        int mask = capacity - 1;
        for (int row = 0; row < size; row++) {
            int slot = IpPrefix.hash(ipv6[row], his[row], los[row], lengths[row] & 0xFF) & mask;
            while (next[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            next[slot] = row + 1;
        }
        slots = next;
    }

    public int size() {
        return size;
    }

    public boolean ipv6(int row) {
        return ipv6[row];
    }

    public long hi(int row) {
        return his[row];
    }

    public long lo(int row) {
        return los[row];
    }

    public int length(int row) {
        return lengths[row] & 0xFF;
    }

    /**
     * A {@link PrefixMap.Builder} of the prefixes numbered so far, each prefix's entry its number
     * here, sharing these arrays: for a builder that would otherwise keep a second copy of them
     * (17 bytes a prefix). Number no more prefixes here while it is in use.
     */
    public PrefixMap.Builder mapBuilder() {
        return PrefixMap.Builder.over(ipv6, his, los, lengths, size);
    }

    /** The prefix of a row, as an object (for the few callers that need one). */
    public IpPrefix prefix(int row) {
        return new IpPrefix(ipv6[row], his[row], los[row], lengths[row] & 0xFF);
    }
}
