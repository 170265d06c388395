package io.wayfinder.profile.read;

/**
 * The smallest configuration that answers a name: zone example.test and profile web (Priority,
 * www.example.test) with endpoint a at 192.0.2.1. Tests that need a valid file and nothing in
 * particular start from it; a test adds settings at the top level by appending them.
 */
public final class MinimalConfig {
    public static final String TEXT = withEndpoints();

    private MinimalConfig() {
    }

    /** The same, with more endpoints after a, each a flow mapping ({@code {name: b, target: 192.0.2.2}}). */
    public static String withEndpoints(String... more) {
        StringBuilder text = new StringBuilder("""
                zones:
                  - name: example.test
                    nameservers: [ns1.example.test]
                profiles:
                  - name: web
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: www}
                    endpoints:
                      - {name: a, target: 192.0.2.1}
                """);
        for (String endpoint : more) {
            text.append("      - ").append(endpoint).append('\n');
        }
        return text.toString();
    }
}
