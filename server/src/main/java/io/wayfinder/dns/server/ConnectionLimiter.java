package io.wayfinder.dns.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP connection slots: a global count and a count per client, shared by every listener (they run
 * on several event loops, hence the atomics). A client is an IPv4 address or an IPv6 /64: one host
 * is usually given a whole /64, so counting IPv6 addresses one by one would limit nothing.
 *
 * <p>Accepting is not on the per-query path; it allocates a key and a map entry per client.
 */
final class ConnectionLimiter {
    private final int max;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per client key; an entry exists only while its count is at least 1. */
    private final ConcurrentHashMap<Object, Integer> perClient = new ConcurrentHashMap<>();

    ConnectionLimiter(int max, int maxPerClient) {
        this.max = max;
        this.maxPerClient = maxPerClient;
    }

    /**
     * Takes a slot for a connection from {@code address}.
     *
     * @return the client key (an Integer or a Long) to {@link #release} when the connection closes,
     *         or, when it must be refused, the {@link TcpStats.Refusal} that says why
     */
    Object acquire(InetAddress address) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return TcpStats.Refusal.GLOBAL;
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
            return TcpStats.Refusal.PER_ADDRESS;
        }
        return key;
    }

    void release(Object key) {
        perClient.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    int max() {
        return max;
    }

    int maxPerClient() {
        return maxPerClient;
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
