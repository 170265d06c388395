package io.wayfinder.traffic;

import io.wayfinder.net.IpPrefix;

/**
 * A client network as one {@code long}, so that the query path can count it without making an
 * object: the /24 (IPv6 /48) a client is in, or its ECS network when that is shorter.
 *
 * <pre>
 *   IPv4:  [ 16 zero bits | 32 address bits, host bits clear | 15 bits: length << 1 | 0 ]
 *   IPv6:  [ the first 48 bits of the address, host bits clear | 15 bits: length << 1 | 1 ]
 * </pre>
 *
 * Both fit because a network is never longer than /24 (IPv4) or /48 (IPv6), which leaves the
 * address's low 16 bits free for the length and the family. Nothing longer is kept: Traffic View
 * stores networks, never a client's address (README, Traffic View).
 */
public final class NetworkKey {
    /** The longest networks kept: the granularity at which latency is learned and answers are scoped. */
    public static final int IPV4_LENGTH = 24;
    public static final int IPV6_LENGTH = 48;

    private NetworkKey() {
    }

    /** The network a client is counted in: its /24 or /48, or the client's own network when shorter. */
    public static long of(IpPrefix client) {
        if (client.ipv6()) {
            int length = Math.min(client.length(), IPV6_LENGTH);
            return (client.hi() & IpPrefix.highMask(length)) | ((long) length << 1) | 1;
        }
        int length = Math.min(client.length(), IPV4_LENGTH);
        return ((client.lo() & IpPrefix.ipv4Mask(length)) << 16) | ((long) length << 1);
    }

    public static boolean ipv6(long key) {
        return (key & 1) != 0;
    }

    public static int length(long key) {
        return (int) ((key & 0xFFFF) >>> 1);
    }

    /** The network a key stands for. */
    public static IpPrefix network(long key) {
        int length = length(key);
        if (ipv6(key)) {
            return IpPrefix.ofIpv6(key & ~0xFFFFL, 0, length);
        }
        return IpPrefix.ofIpv4((int) (key >>> 16), length);
    }

    /**
     * The first host address of a network, as the address to measure it by when no real address
     * was seen (an ECS network names no host): {@code 81.2.69.1} for {@code 81.2.69.0/24},
     * {@code 2001:db8:7::1} for {@code 2001:db8:7::/48}.
     */
    public static IpPrefix firstHost(long key) {
        IpPrefix n = network(key);
        return n.ipv6() ? IpPrefix.ofIpv6(n.hi(), n.lo() | 1, 128) : IpPrefix.ofIpv4(n.ipv4() | 1, 32);
    }

    /** A well-mixed hash of a key (Fibonacci hashing: the high bits are the good ones). */
    static long mix(long key) {
        return key * 0x9E37_79B9_7F4A_7C15L;
    }
}
