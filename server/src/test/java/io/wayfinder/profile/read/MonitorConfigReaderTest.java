package io.wayfinder.profile.read;

import static io.wayfinder.profile.ConfigTexts.assertReportedAt;
import static io.wayfinder.profile.ConfigTexts.errorsOf;
import static io.wayfinder.profile.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.MonitorConfig.Header;
import io.wayfinder.profile.MonitorConfig.Protocol;
import io.wayfinder.profile.MonitorConfig.StatusCodeRange;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code monitorConfig}: Azure's fields, ranges and defaults, our wider interval range (1-3600 s,
 * with a timeout that may be a fraction of a second so that 1 s works), and for each mistake the
 * field path and the words a user sees.
 */
class MonitorConfigReaderTest {

    /** One profile whose monitorConfig is the given YAML flow mapping (and whose endpoint may add keys). */
    private static String withMonitor(String monitor, String endpointExtra) {
        return """
                zones: [{name: example.test, nameservers: [ns1.example.test]}]
                profiles:
                  - name: web
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: www}
                    monitorConfig: %s
                    endpoints:
                      - {name: a, target: 127.0.0.1%s}
                """.formatted(monitor, endpointExtra.isEmpty() ? "" : ", " + endpointExtra);
    }

    private static MonitorConfig monitor(String monitor) throws ConfigException {
        return parse(withMonitor(monitor, "")).profiles().get(0).monitor();
    }

    private static String repeated(int times, String item) {
        return IntStream.range(0, times).mapToObj(i -> item.formatted(i)).collect(Collectors.joining(", ", "[", "]"));
    }

    // ---------------------------------------------------------------- accepted

    @Test
    void httpDefaultsAreAzures() throws ConfigException {
        MonitorConfig m = monitor("{path: /health}");

        assertThat(m.protocol()).isEqualTo(Protocol.HTTP);
        assertThat(m.port()).isEqualTo(80);
        assertThat(m.path()).isEqualTo("/health");
        assertThat(m.intervalInSeconds()).isEqualTo(30);
        assertThat(m.timeoutMillis()).isEqualTo(10_000);
        assertThat(m.toleratedNumberOfFailures()).isEqualTo(3);
        assertThat(m.requiredConsecutiveSuccesses()).isEqualTo(1);
        assertThat(m.customHeaders()).isEmpty();
        assertThat(m.verifyCertificate()).isFalse();
    }

    @Test
    void onlyStatus200IsHealthyByDefaultSoRedirectsFail() throws ConfigException {
        MonitorConfig m = monitor("{path: /health}");

        assertThat(m.acceptsStatus(200)).isTrue();
        assertThat(m.acceptsStatus(201)).isFalse();
        assertThat(m.acceptsStatus(301)).isFalse();
        assertThat(m.acceptsStatus(503)).isFalse();
    }

    @Test
    void listedRangesReplaceTheDefault() throws ConfigException {
        MonitorConfig m = monitor("{path: /health, expectedStatusCodeRanges: [{min: 200, max: 299}, {min: 301, max: 301}]}");

        assertThat(m.expectedStatusCodeRanges()).containsExactly(new StatusCodeRange(200, 299), new StatusCodeRange(301, 301));
        assertThat(m.acceptsStatus(204)).isTrue();
        assertThat(m.acceptsStatus(301)).isTrue();
        assertThat(m.acceptsStatus(302)).isFalse();
    }

    @Test
    void httpsDefaultsToPort443AndTcpHasNoPath() throws ConfigException {
        assertThat(monitor("{protocol: HTTPS, path: /}").port()).isEqualTo(443);

        MonitorConfig tcp = monitor("{protocol: tcp, port: 5432}");
        assertThat(tcp.protocol()).isEqualTo(Protocol.TCP);
        assertThat(tcp.port()).isEqualTo(5432);
        assertThat(tcp.path()).isNull();
    }

    @ParameterizedTest(name = "interval {0}, timeout {1} -> {2} ms")
    @CsvSource(nullValues = "-", value = {
        "30, -,   10000",   // Azure's default
        "10, 5,    5000",   // Azure's whole seconds
        "5,  -,    4000",   // the default shrinks to fit inside a short interval
        "2,  -,    1000",
        "1,  -,     500",   // and below a second for the shortest
        "1,  0.25,  250",
        "1,  0.9999, 999",  // just under the interval is under it, whatever the rounding
        "2,  1.5,  1500",
        "3600, 3599, 3599000",
    })
    void timeoutDefaultsToWhatFitsAndMayBeAFraction(int interval, String timeout, int expectedMillis) throws ConfigException {
        String monitor = "{path: /h, intervalInSeconds: " + interval + (timeout == null ? "" : ", timeoutInSeconds: " + timeout) + "}";

        MonitorConfig m = monitor(monitor);

        assertThat(m.intervalInSeconds()).isEqualTo(interval);
        assertThat(m.timeoutMillis()).isEqualTo(expectedMillis);
    }

    @ParameterizedTest
    @CsvSource({"0", "9"})
    void toleratedFailuresFromZeroToNine(int tolerated) throws ConfigException {
        assertThat(monitor("{path: /h, toleratedNumberOfFailures: " + tolerated + "}").toleratedNumberOfFailures()).isEqualTo(tolerated);
    }

    @Test
    void eightHeadersAndEightRangesAreAllowed() throws ConfigException {
        MonitorConfig m = monitor("{path: /h, customHeaders: " + repeated(8, "{name: X-H%d, value: v}")
                + ", expectedStatusCodeRanges: " + repeated(8, "{min: 20%d, max: 20%<d}") + "}");

        assertThat(m.customHeaders()).hasSize(8);
        assertThat(m.expectedStatusCodeRanges()).hasSize(8);
    }

    @Test
    void endpointHeadersAreReadNextToTheProfiles() throws ConfigException {
        WayfinderConfig c = parse(withMonitor("{path: /h, customHeaders: [{name: Host, value: www.example.com}]}",
                "customHeaders: [{name: Host, value: eu.example.com}]"));

        assertThat(c.profiles().get(0).monitor().customHeaders()).containsExactly(new Header("Host", "www.example.com"));
        assertThat(c.profiles().get(0).endpoints().get(0).customHeaders()).containsExactly(new Header("Host", "eu.example.com"));
    }

    @Test
    void ourAdditionsAreRead() throws ConfigException {
        MonitorConfig m = monitor("{protocol: HTTPS, path: /h, requiredConsecutiveSuccesses: 3, verifyCertificate: true}");

        assertThat(m.requiredConsecutiveSuccesses()).isEqualTo(3);
        assertThat(m.verifyCertificate()).isTrue();
    }

    // ---------------------------------------------------------------- rejected

    static Stream<Arguments> mistakes() {
        String at = "profiles[0].monitorConfig.";
        return Stream.of(
                argumentSet("unknown protocol", "{protocol: FTP, path: /h}", at + "protocol", "FTP"),
                argumentSet("TCP without a port", "{protocol: TCP}", at + "port", "is required for TCP probes"),
                argumentSet("TCP with a path", "{protocol: TCP, port: 22, path: /h}", at + "path", "remove it for TCP"),
                argumentSet("HTTP without a path", "{protocol: HTTP}", at + "path", "is required for HTTP probes"),
                argumentSet("HTTPS without a path", "{protocol: HTTPS}", at + "path", "is required for HTTPS probes"),
                argumentSet("path without a leading slash", "{path: health}", at + "path", "must start with '/'"),
                argumentSet("path with a space", "{path: /a b}", at + "path", "no spaces"),
                argumentSet("port 0", "{path: /h, port: 0}", at + "port", "between 1 and 65535"),
                argumentSet("port above 65535", "{path: /h, port: 70000}", at + "port", "between 1 and 65535"),
                argumentSet("interval 0", "{path: /h, intervalInSeconds: 0}", at + "intervalInSeconds", "between 1 and 3600"),
                argumentSet("interval above an hour", "{path: /h, intervalInSeconds: 3601}", at + "intervalInSeconds", "between 1 and 3600"),
                argumentSet("interval with a fraction", "{path: /h, intervalInSeconds: 2.5}", at + "intervalInSeconds", "whole number"),
                argumentSet("timeout equal to the interval", "{path: /h, intervalInSeconds: 10, timeoutInSeconds: 10}",
                        at + "timeoutInSeconds", "must be less than intervalInSeconds (10)"),
                argumentSet("timeout longer than the default interval", "{path: /h, timeoutInSeconds: 31}",
                        at + "timeoutInSeconds", "must be less than intervalInSeconds (30)"),
                argumentSet("timeout of 1 s with an interval of 1 s", "{path: /h, intervalInSeconds: 1, timeoutInSeconds: 1}",
                        at + "timeoutInSeconds", "must be less than intervalInSeconds (1)"),
                argumentSet("timeout under 100 ms", "{path: /h, timeoutInSeconds: 0.05}", at + "timeoutInSeconds", "between 0.1 and 3600"),
                argumentSet("timeout as text", "{path: /h, timeoutInSeconds: soon}", at + "timeoutInSeconds", "must be a number"),
                argumentSet("ten tolerated failures", "{path: /h, toleratedNumberOfFailures: 10}",
                        at + "toleratedNumberOfFailures", "between 0 and 9"),
                argumentSet("negative tolerated failures", "{path: /h, toleratedNumberOfFailures: -1}",
                        at + "toleratedNumberOfFailures", "between 0 and 9"),
                argumentSet("no successes required", "{path: /h, requiredConsecutiveSuccesses: 0}",
                        at + "requiredConsecutiveSuccesses", "between 1 and 100"),
                argumentSet("nine headers", "{path: /h, customHeaders: " + repeated(9, "{name: X-H%d, value: v}") + "}",
                        at + "customHeaders", "at most 8 headers, not 9"),
                argumentSet("header name with a space", "{path: /h, customHeaders: [{name: X Bad, value: v}]}",
                        at + "customHeaders[0].name", "'X Bad' is not a valid HTTP header name"),
                argumentSet("header value with a line break", "{path: /h, customHeaders: [{name: X-A, value: \"a\\r\\nEvil: 1\"}]}",
                        at + "customHeaders[0].value", "must not contain line breaks"),
                argumentSet("header without a value", "{path: /h, customHeaders: [{name: X-A}]}",
                        at + "customHeaders[0].value", "is required"),
                argumentSet("nine status ranges", "{path: /h, expectedStatusCodeRanges: " + repeated(9, "{min: 20%d, max: 20%<d}") + "}",
                        at + "expectedStatusCodeRanges", "at most 8 ranges, not 9"),
                argumentSet("status range upside down", "{path: /h, expectedStatusCodeRanges: [{min: 299, max: 200}]}",
                        at + "expectedStatusCodeRanges[0].min", "must not be greater than max (200)"),
                argumentSet("status range without max", "{path: /h, expectedStatusCodeRanges: [{min: 200}]}",
                        at + "expectedStatusCodeRanges[0].max", "is required"),
                argumentSet("status below 100", "{path: /h, expectedStatusCodeRanges: [{min: 99, max: 200}]}",
                        at + "expectedStatusCodeRanges[0].min", "between 100 and 999"),
                argumentSet("timeout written as a decimal equal to the interval",
                        "{path: /h, intervalInSeconds: 2, timeoutInSeconds: 2.0}", at + "timeoutInSeconds", "must be less than intervalInSeconds (2)"),
                argumentSet("headers on a TCP probe", "{protocol: TCP, port: 22, customHeaders: [{name: X-A, value: v}]}",
                        at + "customHeaders", "applies only to HTTP and HTTPS probes"),
                argumentSet("status ranges on a TCP probe", "{protocol: TCP, port: 22, expectedStatusCodeRanges: [{min: 200, max: 299}]}",
                        at + "expectedStatusCodeRanges", "applies only to HTTP and HTTPS probes"),
                argumentSet("certificate check on an HTTP probe", "{path: /h, verifyCertificate: true}",
                        at + "verifyCertificate", "applies only to HTTPS probes"),
                argumentSet("misspelt key", "{path: /h, intervalSeconds: 10}", at + "intervalSeconds", "intervalInSeconds"),
                argumentSet("verifyCertificate not a boolean", "{path: /h, verifyCertificate: maybe}", at + "verifyCertificate", "true or false"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void mistakeIsReportedAtItsFieldPath(String monitor, String path, String phrase) {
        assertReportedAt(errorsOf(withMonitor(monitor, "")), path, phrase);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{protocol: TCP, port: 22} | the profile's monitorConfig uses TCP",
        "                          | the profile has no monitorConfig",
    })
    void endpointHeadersWithoutAnHttpMonitorAreRejected(String monitor, String phrase) {
        String yaml = withMonitor(monitor == null ? "{path: /h}" : monitor, "customHeaders: [{name: Host, value: a.example}]");
        if (monitor == null) {
            yaml = yaml.replaceFirst("\\s+monitorConfig: \\{path: /h\\}", "");
        }
        assertThat(errorsOf(yaml)).singleElement().satisfies(error -> {
            assertThat(error.path()).isEqualTo("profiles[0].endpoints[0].customHeaders");
            assertThat(error.message()).contains(phrase);
        });
    }

    @Test
    void endpointHeaderMistakeNamesTheEndpoint() {
        assertThat(errorsOf(withMonitor("{path: /h}", "customHeaders: [{name: 'Bad:Name', value: v}]")))
                .extracting(ConfigError::path).containsExactly("profiles[0].endpoints[0].customHeaders[0].name");
    }
}
