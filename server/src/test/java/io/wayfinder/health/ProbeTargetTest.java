package io.wayfinder.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.MonitorConfig.Protocol;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Host header and TLS server name a probe sends; no network. */
class ProbeTargetTest {

    private static ProbeTarget target(String host, Protocol protocol, int port, String customHost) {
        MonitorConfig monitor = new MonitorConfig(protocol, port, "/health", 30, 10_000, 3, List.of(), List.of(), 1, false);
        List<MonitorConfig.Header> headers = new ArrayList<>();
        headers.add(new MonitorConfig.Header("X-Other", "1"));
        if (customHost != null) {
            headers.add(new MonitorConfig.Header("host", customHost));
        }
        boolean isName = !(host.chars().allMatch(c -> Character.isDigit(c) || c == '.') || host.contains(":"));
        return new ProbeTarget(host, isName, monitor, headers);
    }

    @ParameterizedTest(name = "{0} {1}:{2} custom={3} -> {4}")
    @CsvSource(nullValues = "-", value = {
            "192.0.2.1,       HTTP,  80,   -,                   192.0.2.1",
            "192.0.2.1,       HTTP,  8080, -,                   192.0.2.1:8080",
            "192.0.2.1,       HTTP,  443,  -,                   192.0.2.1:443",
            "192.0.2.1,       HTTPS, 443,  -,                   192.0.2.1",
            "192.0.2.1,       HTTPS, 80,   -,                   192.0.2.1:80",
            "2001:db8::1,     HTTP,  80,   -,                   [2001:db8::1]",
            "2001:db8::1,     HTTPS, 8443, -,                   [2001:db8::1]:8443",
            "app.example.net, HTTPS, 443,  -,                   app.example.net",
            "app.example.net, HTTP,  8080, -,                   app.example.net:8080",
            "192.0.2.1,       HTTP,  8080, www.example.org,     www.example.org",
            "app.example.net, HTTPS, 8443, www.example.org:444, www.example.org:444",
    })
    void theHostHeaderIsTheCustomOneElseTheTargetWithANonDefaultPort(String host, Protocol protocol, int port,
                                                                     String customHost, String expected) {
        assertThat(target(host, protocol, port, customHost).hostHeader()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}:{1} custom={2} -> {3}")
    @CsvSource(nullValues = "-", value = {
            "app.example.net, 443,  -,                    app.example.net",
            "app.example.net, 8443, -,                    app.example.net",
            "192.0.2.1,       443,  -,                    -",
            "2001:db8::1,     443,  -,                    -",
            "192.0.2.1,       443,  www.example.org,      www.example.org",
            "192.0.2.1,       443,  www.example.org:8443, www.example.org",
            "app.example.net, 443,  192.0.2.9,            -",
            "app.example.net, 443,  '[2001:db8::9]:443',  -",
    })
    void theTlsServerNameIsTheHostHeadersNameAndNeverAnAddress(String host, int port, String customHost, String expected) {
        assertThat(target(host, Protocol.HTTPS, port, customHost).serverName()).isEqualTo(expected);
    }
}
