package io.wayfinder.dns.wire;

/** Response codes used here (RFC 1035, RFC 6891, RFC 8945). */
public final class Rcode {
    public static final int NOERROR = 0;
    public static final int FORMERR = 1;
    public static final int SERVFAIL = 2;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int REFUSED = 5;
    /** Not authorized: a TSIG-signed query whose key we do not know (all of them: we hold none). */
    public static final int NOTAUTH = 9;
    /** Extended: needs EDNS; the upper 8 bits go into the OPT record. */
    public static final int BADVERS = 16;

    private Rcode() {
    }

    public static String name(int rcode) {
        return switch (rcode) {
            case NOERROR -> "NOERROR";
            case FORMERR -> "FORMERR";
            case SERVFAIL -> "SERVFAIL";
            case NXDOMAIN -> "NXDOMAIN";
            case NOTIMP -> "NOTIMP";
            case REFUSED -> "REFUSED";
            case NOTAUTH -> "NOTAUTH";
            case BADVERS -> "BADVERS";
            default -> "RCODE" + rcode;
        };
    }
}
