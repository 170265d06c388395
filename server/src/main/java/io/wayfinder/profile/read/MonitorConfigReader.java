package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.MonitorConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A profile's {@code monitorConfig}, and the {@code customHeaders} lists of monitors and endpoints. */
final class MonitorConfigReader {
    private static final Map<String, MonitorConfig.Protocol> PROTOCOLS = new LinkedHashMap<>();

    static {
        for (MonitorConfig.Protocol p : MonitorConfig.Protocol.values()) {
            PROTOCOLS.put(p.name(), p);
        }
    }

    private MonitorConfigReader() {
    }

    /** {@code monitorConfig}: Azure's fields and ranges, except a wider interval range (1-3600 s). */
    static MonitorConfig monitor(ConfigObject m) {
        if (m == null) {
            return null;
        }
        ConfigErrors errors = m.errors();
        MonitorConfig.Protocol protocol = m.choice("protocol", PROTOCOLS, MonitorConfig.Protocol.HTTP);
        int defaultPort = protocol == MonitorConfig.Protocol.HTTPS ? 443 : 80;
        Integer port = m.optionalInteger("port", 1, 65535);
        if (port == null && protocol == MonitorConfig.Protocol.TCP && !m.has("port")) {
            errors.add(m.pathOf("port"), "is required for TCP probes");
        }
        String path = m.string("path", false);
        if (protocol == MonitorConfig.Protocol.TCP) {
            if (path != null) {
                errors.add(m.pathOf("path"), "applies only to HTTP and HTTPS probes; remove it for TCP");
            }
        } else if (path == null) {
            if (!m.has("path")) {
                errors.add(m.pathOf("path"), "is required for " + protocol + " probes (e.g. /health)");
            }
        } else if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            errors.add(m.pathOf("path"), "must start with '/' and contain no spaces or control characters");
        }
        int interval = m.integer("intervalInSeconds", 1, 3600, 30);
        // Seconds, decimals allowed (Azure takes whole seconds): an interval of 1 s needs a
        // timeout below a second. Default: 10 s, or what fits inside the interval.
        int timeoutMillis = interval >= 2 ? Math.min(10, interval - 1) * 1000 : 500;
        Double timeout = m.number("timeoutInSeconds", 0.1, 3600, false);
        if (timeout != null) {
            if (timeout >= interval) {
                errors.add(m.pathOf("timeoutInSeconds"), "must be less than intervalInSeconds (" + interval + ")");
            }
            timeoutMillis = (int) Math.min(Math.round(timeout * 1000), interval * 1000L - 1);
        }
        int tolerated = m.integer("toleratedNumberOfFailures", 0, 9, 3);
        List<MonitorConfig.Header> headers = headers(m);
        List<MonitorConfig.StatusCodeRange> ranges = new ArrayList<>();
        List<ConfigObject> rangeItems = m.objects("expectedStatusCodeRanges");
        if (rangeItems.size() > 8) {
            errors.add(m.pathOf("expectedStatusCodeRanges"), "at most 8 ranges, not " + rangeItems.size());
        }
        for (ConfigObject r : rangeItems) {
            if (r == null) {
                continue;
            }
            Integer min = r.optionalInteger("min", 100, 999);
            Integer max = r.optionalInteger("max", 100, 999);
            if (!r.has("min")) {
                errors.add(r.pathOf("min"), "is required");
            }
            if (!r.has("max")) {
                errors.add(r.pathOf("max"), "is required");
            }
            r.rejectUnknownKeys();
            if (min != null && max != null) {
                if (min > max) {
                    errors.add(r.pathOf("min"), "must not be greater than max (" + max + ")");
                } else {
                    ranges.add(new MonitorConfig.StatusCodeRange(min, max));
                }
            }
        }
        int required = m.integer("requiredConsecutiveSuccesses", 1, 100, 1);
        boolean verify = m.bool("verifyCertificate", false);
        // Settings a probe of this protocol would silently ignore are mistakes: say so.
        if (protocol == MonitorConfig.Protocol.TCP) {
            for (String httpOnly : List.of("customHeaders", "expectedStatusCodeRanges")) {
                if (m.has(httpOnly)) {
                    errors.add(m.pathOf(httpOnly), "applies only to HTTP and HTTPS probes; remove it for TCP");
                }
            }
        }
        if (protocol != MonitorConfig.Protocol.HTTPS && m.has("verifyCertificate")) {
            errors.add(m.pathOf("verifyCertificate"), "applies only to HTTPS probes");
        }
        m.rejectUnknownKeys();
        return new MonitorConfig(protocol, port == null ? defaultPort : port, protocol == MonitorConfig.Protocol.TCP ? null : path,
                interval, timeoutMillis, tolerated, headers, ranges, required, verify);
    }

    /** {@code customHeaders}: at most 8 {name, value}; names are HTTP tokens, values have no line breaks. */
    static List<MonitorConfig.Header> headers(ConfigObject owner) {
        List<MonitorConfig.Header> out = new ArrayList<>();
        List<ConfigObject> items = owner.objects("customHeaders");
        if (items.size() > 8) {
            owner.errors().add(owner.pathOf("customHeaders"), "at most 8 headers, not " + items.size());
        }
        for (ConfigObject h : items) {
            if (h == null) {
                continue;
            }
            String name = h.string("name", true);
            String value = h.string("value", true);
            h.rejectUnknownKeys();
            if (name != null && !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                owner.errors().add(h.pathOf("name"), "'" + name + "' is not a valid HTTP header name");
            } else if (value != null && (value.contains("\r") || value.contains("\n"))) {
                owner.errors().add(h.pathOf("value"), "must not contain line breaks");
            } else if (name != null && value != null) {
                out.add(new MonitorConfig.Header(name, value));
            }
        }
        return out;
    }
}
