package io.wayfinder.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connection slots of one listener: a global count and a count per client, taken when a
 * connection is accepted and given back when it closes, from any thread (the DNS listeners run on
 * several event loops, the API on Jetty's selectors). A client is an IPv4 address or an IPv6 /64:
 * one host is usually given a whole /64, so counting IPv6 addresses one by one would limit nothing.
 *
 * <p>Accepting is not on the per-query path; it allocates a key and a map entry per client.
 */
public final class ConnectionSlots {
    /** Why a connection was refused. */
    public enum Refusal {
        /** {@link #max()} connections were open. */
        GLOBAL("global"),
        /** {@link #maxPerClient()} connections were open from the client's address (IPv6: its /64). */
        PER_ADDRESS("per_address");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        /** The metric label. */
        public String label() {
            return label;
        }
    }

    /** The key of a slot that counts only against the global limit. */
    private static final Object GLOBAL_ONLY = new Object();

    private final int max;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per client key; an entry exists only while its count is at least 1. */
    private final ConcurrentHashMap<Object, Integer> perClient = new ConcurrentHashMap<>();

    public ConnectionSlots(int max, int maxPerClient) {
        this.max = max;
        this.maxPerClient = maxPerClient;
    }

    /**
     * Takes a slot for a connection from {@code address}.
     *
     * @return the client key (an Integer or a Long) to {@link #release} when the connection closes,
     *         or, when it must be refused, the {@link Refusal} that says why
     */
    public Object acquire(InetAddress address) {
        if (!takeGlobal()) {
            return Refusal.GLOBAL;
        }
        Object key = key(address);
        boolean[] taken = {false};
        perClient.compute(key, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerClient) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            open.decrementAndGet();
            return Refusal.PER_ADDRESS;
        }
        return key;
    }

    /**
     * Takes a slot that only the global limit bounds, for a peer that speaks for many clients (a
     * reverse proxy of the operator's).
     *
     * @return the key to {@link #release}, or {@link Refusal#GLOBAL}
     */
    public Object acquireGlobalOnly() {
        return takeGlobal() ? GLOBAL_ONLY : Refusal.GLOBAL;
    }

    /** Takes one of the {@link #max()} slots, if one is free. */
    private boolean takeGlobal() {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back the slot of an {@link #acquire} or {@link #acquireGlobalOnly} that was not refused. */
    public void release(Object key) {
        if (key != GLOBAL_ONLY) {
            perClient.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
        open.decrementAndGet();
    }

    public int max() {
        return max;
    }

    public int maxPerClient() {
        return maxPerClient;
    }

    /** Slots taken now. */
    public int open() {
        return open.get();
    }

    /**
     * More than half of the slots are taken: a connection accepted now may idle only briefly (NSD's
     * rule, 200 ms once half its TCP slots are taken; DNS over TCP and the API both apply it).
     */
    public boolean crowded() {
        return open.get() > max / 2;
    }

    /** An Integer for an IPv4 address, a Long (the upper 64 bits) for an IPv6 /64: distinct classes never collide. */
    static Object key(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
        }
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (b[i] & 0xFF);
        }
        return high;
    }
}
