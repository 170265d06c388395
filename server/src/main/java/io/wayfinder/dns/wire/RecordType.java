package io.wayfinder.dns.wire;

/** Record types used here (RFC 1035, RFC 3596, RFC 6891, RFC 8945). */
public final class RecordType {
    public static final int A = 1;
    public static final int NS = 2;
    public static final int CNAME = 5;
    public static final int SOA = 6;
    public static final int AAAA = 28;
    public static final int OPT = 41;
    public static final int TSIG = 250;
    public static final int IXFR = 251;
    public static final int AXFR = 252;
    public static final int ANY = 255;

    /** Class IN. */
    public static final int IN = 1;
    /** Class ANY, which a TSIG record carries. */
    public static final int ANY_CLASS = 255;

    private RecordType() {
    }
}
