package io.wayfinder.latency.learn;

import io.wayfinder.net.IpPrefix;

/**
 * Client networks and blocks as one {@code long} each, so that the learner keeps no object per
 * network. Layout: the network's top address bits left-aligned (IPv4: its 32 bits in bits 63-32;
 * IPv6: the upper 64 bits of the address, of which a /48 uses 48), then the prefix length in bits
 * 7-1 and the family in bit 0 (1 = IPv6). A /24 leaves bits 39-8 zero and a /48 bits 15-8, so the
 * fields never overlap. Sorting keys of one family as unsigned numbers orders them by start
 * address, and a shorter prefix before a longer one with the same start: the order a
 * {@link io.wayfinder.net.PrefixMap} is built in.
 */
final class NetworkKeys {
    /** The longest network the learner keeps: a client address is learned as its /24 or /48. */
    static final int IPV4_NETWORK = 24;
    static final int IPV6_NETWORK = 48;

    private NetworkKeys() {
    }

    /** The key of a network, cut to /24 (IPv6 /48) when longer. */
    static long of(IpPrefix network) {
        if (network.ipv6()) {
            int length = Math.min(network.length(), IPV6_NETWORK);
            return (network.hi() & IpPrefix.highMask(length)) | (long) length << 1 | 1;
        }
        int length = Math.min(network.length(), IPV4_NETWORK);
        return ((network.lo() & IpPrefix.ipv4Mask(length)) << 32) | (long) length << 1;
    }

    /** The same from a prefix's parts (an IPv4 address in the low 32 bits of {@code lo}). */
    static long of(boolean ipv6, long hi, long lo, int length) {
        if (ipv6) {
            int l = Math.min(length, IPV6_NETWORK);
            return (hi & IpPrefix.highMask(l)) | (long) l << 1 | 1;
        }
        int l = Math.min(length, IPV4_NETWORK);
        return ((lo & IpPrefix.ipv4Mask(l)) << 32) | (long) l << 1;
    }

    static boolean ipv6(long key) {
        return (key & 1) != 0;
    }

    static int length(long key) {
        return (int) (key >>> 1) & 0x7F;
    }

    /** The key of the block of a given length that contains the network (the network itself when not longer). */
    static long block(long key, int length) {
        if (length >= length(key)) {
            return key;
        }
        return (key & mask(length)) | (long) length << 1 | (key & 1);
    }

    /** Whether the network lies inside a block of this length (a block is never longer than what it holds). */
    static boolean hasBlock(long key, int length) {
        return length <= length(key);
    }

    static IpPrefix prefix(long key) {
        int length = length(key);
        long bits = key & mask(length);
        return ipv6(key) ? IpPrefix.ofIpv6(bits, 0, length) : IpPrefix.ofIpv4((int) (bits >>> 32), length);
    }

    /** The address bits as {@link IpPrefix#hi()} and {@link IpPrefix#lo()} have them. */
    static long hi(long key) {
        return ipv6(key) ? key & mask(length(key)) : 0;
    }

    static long lo(long key) {
        return ipv6(key) ? 0 : (key & mask(length(key))) >>> 32;
    }

    /** Mask of the top {@code length} bits of the left-aligned address. */
    private static long mask(int length) {
        return length == 0 ? 0 : -1L << (64 - length);
    }

    /** A well-mixed hash of a key (SplitMix64's finaliser), for open addressing and held-out folds. */
    static long mix(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        h = (h ^ (h >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return h ^ (h >>> 31);
    }

    /** Unsigned order with IPv4 before IPv6: the order of rows in a table. */
    static int compare(long a, long b) {
        int family = Long.compare(a & 1, b & 1);
        return family != 0 ? family : Long.compareUnsigned(a & ~1L, b & ~1L);
    }
}
