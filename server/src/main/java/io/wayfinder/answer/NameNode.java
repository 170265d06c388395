package io.wayfinder.answer;

/**
 * A name that exists in a served zone, and what it holds: the apex (SOA, NS), a profile, a name
 * server's addresses, or nothing (an empty non-terminal: a name with names below it, which answers
 * NODATA rather than NXDOMAIN).
 */
final class NameNode {
    enum Kind { APEX, PROFILE, HOST, EMPTY }

    final Zone zone;
    final Kind kind;
    final int profileIndex;
    /** A and AAAA rdata (with length) of a name server at this name; empty arrays when none. */
    final byte[][] ipv4;
    final byte[][] ipv6;

    NameNode(Zone zone, Kind kind, int profileIndex, byte[][] ipv4, byte[][] ipv6) {
        this.zone = zone;
        this.kind = kind;
        this.profileIndex = profileIndex;
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }
}
