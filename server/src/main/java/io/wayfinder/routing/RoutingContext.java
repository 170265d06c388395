package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ProfileConfig;

/**
 * Per-query state of routing, reused across queries by one thread (an event loop): the client,
 * its hash, the record type asked for, the latency lookups made so far, the ECS scope the decision
 * has accumulated, and the answer. Not thread-safe by design: each thread owns one.
 */
public final class RoutingContext {
    /** The most endpoints one answer holds: MultiValue's largest {@code maxReturn}, as Azure's. */
    public static final int MAX_ANSWERS = 10;

    /** Client networks are hashed at this granularity (or the ECS source length, if shorter). */
    public static final int IPV4_HASH_LENGTH = 24;
    public static final int IPV6_HASH_LENGTH = 48;

    private final LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
    private IpPrefix client;
    private long clientHash;
    private int hashLength;
    private int scope;
    private boolean wantsIpv6;
    private final Endpoint[] answers = new Endpoint[MAX_ANSWERS];
    private int answerCount;
    /** The nested endpoints the last {@link Router#route} followed, outermost first; {@link #nestedCount} of them. */
    private final Endpoint[] nested = new Endpoint[ProfileConfig.MAX_NESTING_DEPTH + 1];
    private int nestedCount;
    /** The outermost performance decision's estimated RTT, in tenths of a millisecond; -1 when none was made. */
    private int estimateTenths = -1;
    /**
     * Or, when that decision came from a winner index without reading the row, the column of the
     * client's settled row that holds it (-1 when not), read only if {@link #estimateTenths} is asked.
     */
    private int estimateColumn = -1;
    private LatencyEstimator estimateSource;

    /**
     * Starts a query for a client network: the ECS address and source length, or the resolver's
     * address as a host prefix.
     */
    public void reset(IpPrefix clientNetwork) {
        client = clientNetwork;
        lookup.reset(clientNetwork);
        hashLength = Math.min(clientNetwork.length(), clientNetwork.ipv6() ? IPV6_HASH_LENGTH : IPV4_HASH_LENGTH);
        long hi = clientNetwork.ipv6() ? clientNetwork.hi() & IpPrefix.highMask(hashLength) : 0;
        long lo = clientNetwork.ipv6() ? clientNetwork.lo() & IpPrefix.lowMask(hashLength)
                : clientNetwork.lo() & IpPrefix.ipv4Mask(hashLength);
        clientHash = StableHash.mix(StableHash.mix(hi) ^ lo ^ ((long) hashLength << 56) ^ (clientNetwork.ipv6() ? 1 : 0));
        scope = 0;
        wantsIpv6 = false;
        answerCount = 0;
        nestedCount = 0;
        clearEstimate();
    }

    /** The query asks for AAAA records (else A, or any type): MultiValue answers with addresses of that family. */
    public void wantsIpv6(boolean ipv6) {
        wantsIpv6 = ipv6;
    }

    public boolean wantsIpv6() {
        return wantsIpv6;
    }

    /** Adds an endpoint to the answer (at most {@link #MAX_ANSWERS}; more are ignored). */
    public void answer(Endpoint endpoint) {
        if (answerCount < MAX_ANSWERS) {
            answers[answerCount++] = endpoint;
        }
    }

    public int answerCount() {
        return answerCount;
    }

    public Endpoint answer(int k) {
        return answers[k];
    }

    /** Forgets the answer so far (a nested endpoint was chosen: its child answers instead). */
    void clearAnswers() {
        answerCount = 0;
    }

    /** Routing starts at a profile: no nested endpoint followed yet. */
    void clearNested() {
        nestedCount = 0;
    }

    /** Routing starts at a profile: no estimate made yet. */
    void clearEstimate() {
        estimateTenths = -1;
        estimateColumn = -1;
        estimateSource = null;
    }

    /**
     * A performance decision picked a region with this estimated RTT; the first one of a routing
     * (the outermost profile's) is kept, as the region its clients are sent to.
     */
    void estimated(long tenths) {
        if (noEstimateYet() && tenths >= 0 && tenths < Integer.MAX_VALUE) {
            estimateTenths = (int) tenths;
        }
    }

    /**
     * As {@link #estimated}, for a decision that knows where the figure is without having read it:
     * column {@code column} of the client's settled /24 row in {@code source}'s table.
     */
    void estimatedInSettledRow(LatencyEstimator source, int column) {
        if (noEstimateYet()) {
            estimateSource = source;
            estimateColumn = column;
        }
    }

    private boolean noEstimateYet() {
        return estimateTenths < 0 && estimateColumn < 0;
    }

    /**
     * The estimated RTT, in tenths of a millisecond, of the region the last routing's outermost
     * performance decision chose (Traffic View keeps it per client network); -1 when no performance
     * decision compared regions (another method, a subnet override, a single candidate region, or
     * no estimate for the winner).
     */
    public int estimateTenths() {
        if (estimateColumn >= 0) {
            estimateTenths = estimateSource.settledTenths(client, estimateColumn);
            estimateColumn = -1;
            estimateSource = null;
        }
        return estimateTenths;
    }

    /** Routing followed a nested endpoint into its child profile. */
    void followed(Endpoint endpoint) {
        nested[nestedCount++] = endpoint;
    }

    /**
     * How many nested endpoints the last routing followed: one per profile it passed through before
     * the profile that answered (or found nothing), so the answers' counters can name every level.
     */
    public int nestedCount() {
        return nestedCount;
    }

    /** The nested endpoint followed at a level (0: the one the queried profile chose). */
    public Endpoint nested(int level) {
        return nested[level];
    }

    public IpPrefix client() {
        return client;
    }

    public long clientHash() {
        return clientHash;
    }

    public LatencyEstimator.Lookup lookup() {
        return lookup;
    }

    /** The decision now also depends on the client's network at this prefix length. */
    public void widenScope(int prefixLength) {
        if (prefixLength > scope) {
            scope = prefixLength;
        }
    }

    /** The decision depended on the client hash. */
    public void usedHash() {
        widenScope(hashLength);
    }

    /** The ECS scope prefix length for which the decision holds. */
    public int scope() {
        return scope;
    }
}
