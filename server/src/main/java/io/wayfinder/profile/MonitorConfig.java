package io.wayfinder.profile;

import java.util.List;

/**
 * How a profile's endpoints are probed (Azure's {@code monitorConfig}, plus
 * {@code requiredConsecutiveSuccesses} and {@code verifyCertificate}).
 *
 * @param path                     the HTTP(S) path, null for TCP
 * @param timeoutMillis            per probe; less than the interval
 * @param toleratedNumberOfFailures consecutive failures tolerated before Degraded (0-9)
 * @param requiredConsecutiveSuccesses consecutive successes a Degraded endpoint needs to be Online again
 * @param verifyCertificate        HTTPS: validate the certificate chain and host name (Azure does not)
 */
public record MonitorConfig(Protocol protocol, int port, String path, int intervalInSeconds, int timeoutMillis,
                            int toleratedNumberOfFailures, List<Header> customHeaders,
                            List<StatusCodeRange> expectedStatusCodeRanges, int requiredConsecutiveSuccesses,
                            boolean verifyCertificate) {

    public enum Protocol { HTTP, HTTPS, TCP }

    /** A header sent with HTTP(S) probes. */
    public record Header(String name, String value) {
        @Override
        public String toString() {
            return name + ": " + value;
        }
    }

    /** An inclusive range of HTTP status codes counted as healthy. */
    public record StatusCodeRange(int min, int max) {
        public boolean contains(int status) {
            return status >= min && status <= max;
        }

        @Override
        public String toString() {
            return min == max ? Integer.toString(min) : min + "-" + max;
        }
    }

    /** Only 200 is healthy unless ranges are given; redirects are not followed, so they fail unless listed. */
    public static final List<StatusCodeRange> DEFAULT_STATUS = List.of(new StatusCodeRange(200, 200));

    public MonitorConfig {
        customHeaders = List.copyOf(customHeaders);
        expectedStatusCodeRanges = List.copyOf(expectedStatusCodeRanges);
    }

    public boolean acceptsStatus(int status) {
        for (StatusCodeRange range : expectedStatusCodeRanges.isEmpty() ? DEFAULT_STATUS : expectedStatusCodeRanges) {
            if (range.contains(status)) {
                return true;
            }
        }
        return false;
    }
}
