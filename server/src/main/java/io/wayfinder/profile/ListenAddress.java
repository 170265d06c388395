package io.wayfinder.profile;

import java.net.InetSocketAddress;

/** An address the DNS server binds, UDP and TCP: {@code "127.0.0.1:8053"} or {@code "[::1]:8053"}. */
public record ListenAddress(String host, int port) {

    /** @throws IllegalArgumentException with a message fit for a user */
    public static ListenAddress parse(String text) {
        String s = text.strip();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (write IPv6 as [::1]:8053)");
        }
        String host = s.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, as [::1]:8053");
        }
        byte[] address;
        try {
            address = io.wayfinder.net.IpPrefix.parseAddress(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': the host must be an IP address, not a name");
        }
        if (bracketed && address.length == 4) {
            throw new IllegalArgumentException("'" + text + "': brackets are for IPv6 addresses; write " + host + ":PORT");
        }
        // One spelling per address, so that [::1] and [0:0::1] are seen to be the same.
        host = io.wayfinder.net.IpPrefix.fromBytes(address, address.length * 8).addressText();
        String portText = s.substring(colon + 1);
        if (!portText.chars().allMatch(Character::isDigit) || portText.length() > 5) {
            throw new IllegalArgumentException("'" + text + "': port '" + portText + "' is not a number from 0 to 65535");
        }
        int port = Integer.parseInt(portText);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port must be 0-65535 (0 picks a free port)");
        }
        return new ListenAddress(host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(io.netty.util.NetUtil.createInetAddressFromIpAddressString(host), port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
