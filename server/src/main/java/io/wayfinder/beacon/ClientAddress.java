package io.wayfinder.beacon;

import io.wayfinder.net.IpPrefix;
import java.util.List;

/**
 * Whose measurement a post is: the address of the peer that connected, unless that peer is a
 * trusted proxy (a reverse proxy or load balancer of the operator's, {@code trustedProxies}); then
 * the client-address header it adds ({@code X-Forwarded-For} unless configured otherwise).
 *
 * <p>The header is read from the right, the end the nearest proxy wrote: each hop that is itself a
 * trusted proxy is skipped, and the first that is not is the client. Everything left of it was
 * written by whoever sent the request and is never believed. A header that is missing or
 * all-trusted leaves the leftmost hop seen (or the peer); an entry that is not an address makes the
 * post unusable (the network learned would be a guess).
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    /** The header of a trusted proxy named something that is not an address. */
    public static final class Unreadable extends Exception {
        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param peer    the connected peer's address (4 or 16 bytes)
     * @param header  the client-address header's values, joined with commas in the order received;
     *                null when absent
     * @param trusted the trusted proxies; empty: the peer is always the client
     * @return the client's address, 4 bytes for IPv4 (an IPv4-mapped IPv6 address included)
     * @throws Unreadable when the peer is trusted and the header holds something that is not an address
     */
    public static byte[] resolve(byte[] peer, String header, List<IpPrefix> trusted) throws Unreadable {
        byte[] client = unmap(peer);
        if (trusted.isEmpty() || !isTrusted(client, trusted) || header == null) {
            return client;
        }
        String[] hops = header.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (hop.isEmpty()) {
                continue;
            }
            byte[] address;
            try {
                address = unmap(IpPrefix.parseAddress(withoutPort(hop)));
            } catch (IllegalArgumentException e) {
                throw new Unreadable("'" + hop + "' in the client-address header is not an address");
            }
            client = address;
            if (!isTrusted(address, trusted)) {
                return address;
            }
        }
        return client;
    }

    /** An address with a port, as some proxies write it: {@code 192.0.2.1:5000}, {@code [2001:db8::1]:443}. */
    static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':') && hop.indexOf('.') > 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    /** Whether {@code address} (4 or 16 bytes; an IPv4-mapped IPv6 address is its IPv4 address) is one of {@code trusted}. */
    public static boolean isTrusted(byte[] address, List<IpPrefix> trusted) {
        if (trusted.isEmpty()) {
            return false;
        }
        byte[] a = unmap(address);
        IpPrefix host = IpPrefix.fromBytes(a, a.length * 8);
        for (IpPrefix p : trusted) {
            if (p.contains(host)) {
                return true;
            }
        }
        return false;
    }

    /** {@code ::ffff:a.b.c.d} as the IPv4 address it is; anything else as it is. */
    static byte[] unmap(byte[] a) {
        if (a.length != 16) {
            return a;
        }
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return a;
            }
        }
        if (a[10] != (byte) 0xFF || a[11] != (byte) 0xFF) {
            return a;
        }
        return new byte[] {a[12], a[13], a[14], a[15]};
    }
}
