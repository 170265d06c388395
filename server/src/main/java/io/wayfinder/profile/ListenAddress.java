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
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': put an IPv6 address in brackets, as [::1]:8053");
        }
        try {
            io.wayfinder.net.IpPrefix.parseAddress(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "': the host must be an IP address, not a name");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + s.substring(colon + 1) + "' is not a number");
        }
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
