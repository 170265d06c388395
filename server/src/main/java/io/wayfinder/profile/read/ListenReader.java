package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.WayfinderConfig;
import java.util.ArrayList;
import java.util.List;

/** The {@code dns} and {@code metrics} sections: where the server listens. */
final class ListenReader {
    /** Where the DNS server listens when the file does not say. */
    static final ListenAddress DEFAULT_DNS = new ListenAddress("127.0.0.1", 8053);

    private ListenReader() {
    }

    static WayfinderConfig.DnsSettings dns(ConfigObject dns, ConfigErrors errors) {
        if (dns == null) {
            return new WayfinderConfig.DnsSettings(List.of(DEFAULT_DNS));
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
        dns.rejectUnknownKeys();
        if (listen.isEmpty()) {
            listen.add(DEFAULT_DNS);
        }
        return new WayfinderConfig.DnsSettings(listen);
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
