package io.wayfinder.health;

import io.wayfinder.profile.MonitorConfig;
import java.util.List;

/**
 * What to probe: an endpoint's target (an address literal or a DNS name) with its profile's
 * monitor settings and the merged probe headers.
 */
public record ProbeTarget(String host, boolean isName, MonitorConfig monitor, List<MonitorConfig.Header> headers) {
    public ProbeTarget {
        headers = List.copyOf(headers);
    }

    /** The Host header: a custom one if set, else the target (with the port when it is not the default). */
    public String hostHeader() {
        for (MonitorConfig.Header h : headers) {
            if (h.name().equalsIgnoreCase("Host")) {
                return h.value();
            }
        }
        String host = host().contains(":") ? "[" + host() + "]" : host();
        int defaultPort = monitor.protocol() == MonitorConfig.Protocol.HTTPS ? 443 : 80;
        return monitor.port() == defaultPort ? host : host + ":" + monitor.port();
    }

    /** The TLS server name: the Host header's name when it is a name, else none (SNI carries no addresses). */
    public String serverName() {
        String h = hostHeader();
        int colon = h.lastIndexOf(':');
        String name = h.startsWith("[") ? null : colon > 0 ? h.substring(0, colon) : h;
        if (name == null || io.wayfinder.net.IpPrefix.looksLikeAddress(name)) {
            return null;
        }
        return name;
    }
}
