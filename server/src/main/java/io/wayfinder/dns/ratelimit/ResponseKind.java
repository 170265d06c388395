package io.wayfinder.dns.ratelimit;

/**
 * The kinds of response counted apart, as the RRL technical note (Vixie and Schryver, 2012) and
 * NSD classify them, so that a flood of one kind does not starve the others: a network that is
 * sent a stream of NXDOMAINs still gets its answers for real names.
 *
 * <p>What a kind is counted by (beside the client network) says what an attacker must vary to
 * spread a flood over several counters, and what a legitimate client shares:
 */
public enum ResponseKind {
    /** Records in the answer section (or too large for UDP: TC): counted per query name and type. */
    ANSWER,
    /** NOERROR with no answer (the name exists, the type does not): counted per query name. */
    NODATA,
    /**
     * NXDOMAIN: counted per zone (the owner of the SOA in the authority section), so random names
     * under one zone, the usual way to dodge a per-name limit and a resolver's cache, share one count.
     */
    NXDOMAIN,
    /** REFUSED, FORMERR, NOTIMP, SERVFAIL, BADVERS: counted per client network alone. */
    ERROR
}
