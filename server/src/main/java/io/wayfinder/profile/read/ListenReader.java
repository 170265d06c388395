package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.RateLimitSettings;
import io.wayfinder.profile.TcpSettings;
import io.wayfinder.profile.WayfinderConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code dns} and {@code metrics} sections: where the server listens, and its limits on clients. */
final class ListenReader {
    /** Where the DNS server listens when the file does not say. */
    static final ListenAddress DEFAULT_DNS = new ListenAddress("127.0.0.1", 8053);

    private ListenReader() {
    }

    static WayfinderConfig.DnsSettings dns(ConfigObject dns, ConfigErrors errors) {
        if (dns == null) {
            return new WayfinderConfig.DnsSettings(List.of(DEFAULT_DNS), TcpSettings.DEFAULTS, RateLimitSettings.DEFAULTS, "auto");
        }
        List<ListenAddress> listen = new ArrayList<>();
        List<String> texts = dns.strings("listen");
        for (int i = 0; i < texts.size(); i++) {
            try {
                ListenAddress address = ListenAddress.parse(texts.get(i));
                if (listen.contains(address)) {
                    errors.add(dns.pathOf("listen") + "[" + i + "]", address + " is listed twice");
                }
                listen.add(address);
            } catch (IllegalArgumentException e) {
                errors.add(dns.pathOf("listen") + "[" + i + "]", e.getMessage());
            }
        }
        if (texts.isEmpty() && dns.has("listen")) {
            errors.add(dns.pathOf("listen"), "needs at least one address");
        }
        TcpSettings tcp = tcp(dns.object("tcp"));
        RateLimitSettings rateLimit = rateLimit(dns.object("rateLimit"));
        String udpTransport = dns.string("udpTransport", false);
        if (udpTransport == null) {
            udpTransport = "auto";
        } else if (!WayfinderConfig.DnsSettings.UDP_TRANSPORTS.contains(udpTransport.toLowerCase(java.util.Locale.ROOT))) {
            errors.add(dns.pathOf("udpTransport"), "must be one of auto, netty, ffm (not '" + udpTransport + "')");
            udpTransport = "auto";
        } else {
            udpTransport = udpTransport.toLowerCase(java.util.Locale.ROOT);
        }
        dns.rejectUnknownKeys();
        if (listen.isEmpty()) {
            listen.add(DEFAULT_DNS);
        }
        return new WayfinderConfig.DnsSettings(listen, tcp, rateLimit, udpTransport);
    }

    private static TcpSettings tcp(ConfigObject tcp) {
        TcpSettings d = TcpSettings.DEFAULTS;
        if (tcp == null) {
            return d;
        }
        TcpSettings out = new TcpSettings(
                tcp.duration("idleTimeout", Duration.ofMillis(100), Duration.ofHours(1), d.idleTimeout()),
                tcp.duration("messageTimeout", Duration.ofMillis(50), Duration.ofMinutes(1), d.messageTimeout()),
                tcp.duration("writeTimeout", Duration.ofMillis(50), Duration.ofMinutes(1), d.writeTimeout()),
                tcp.integer("maxConnections", 0, 1_000_000, d.maxConnections()),
                tcp.integer("maxConnectionsPerAddress", 1, 1_000_000, d.maxConnectionsPerAddress()),
                tcp.integer("maxPendingAnswers", 1, 10_000, d.maxPendingAnswers()));
        tcp.rejectUnknownKeys();
        return out;
    }

    private static RateLimitSettings rateLimit(ConfigObject limit) {
        RateLimitSettings d = RateLimitSettings.DEFAULTS;
        if (limit == null) {
            return d;
        }
        RateLimitSettings out = new RateLimitSettings(
                limit.integer("responsesPerSecond", 0, 1_000_000, d.responsesPerSecond()),
                limit.integer("slip", 0, 100, d.slip()),
                limit.integer("ipv4PrefixLength", 8, 32, d.ipv4PrefixLength()),
                limit.integer("ipv6PrefixLength", 16, 128, d.ipv6PrefixLength()));
        limit.rejectUnknownKeys();
        return out;
    }

    static ListenAddress metrics(ConfigObject metrics, ConfigErrors errors) {
        if (metrics == null) {
            return null;
        }
        String text = metrics.string("listen", true);
        metrics.rejectUnknownKeys();
        if (text == null) {
            return null;
        }
        try {
            return ListenAddress.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(metrics.pathOf("listen"), e.getMessage());
            return null;
        }
    }
}
