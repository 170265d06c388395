package io.wayfinder.routing;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;

/**
 * Per-query state of routing, reused across queries by one thread (an event loop): the client,
 * its hash, the latency lookups made so far and the ECS scope the decision has accumulated.
 * Not thread-safe by design: each thread owns one.
 */
public final class RoutingContext {
    /** Client networks are hashed at this granularity (or the ECS source length, if shorter). */
    public static final int IPV4_HASH_LENGTH = 24;
    public static final int IPV6_HASH_LENGTH = 48;

    private final LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
    private IpPrefix client;
    private long clientHash;
    private int hashLength;
    private int scope;

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
