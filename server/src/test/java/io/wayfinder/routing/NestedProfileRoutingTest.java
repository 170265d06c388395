package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.explain;
import static io.wayfinder.routing.RoutingTestWorld.route;
import static io.wayfinder.routing.RoutingTestWorld.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wayfinder.health.MonitorStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Nested profiles: a Performance parent {@code web} whose northeurope endpoint is the Priority
 * child {@code web-eu} (primary, then secondary). From 2.125.160.0/24 northeurope is fastest (10
 * ms), then westeurope (20 ms), then eastus (100 ms); from 81.2.69.0/24 westeurope is fastest.
 */
class NestedProfileRoutingTest {
    /**
     * @param child     the child profile's status, Enabled or Disabled
     * @param primary   {@code kind:status}, kind v4, v6 or name; status Disabled (configured) or a probe result
     * @param minChild  minChildEndpoints, minChildEndpointsIPv4, minChildEndpointsIPv6
     */
    private static RoutingTestWorld world(String child, String primary, String secondary, int minChild, int minV4,
                                          int minV6) {
        String[] p = primary.split(":");
        String[] s = secondary.split(":");
        RoutingTestWorld world = RoutingTestWorld.profiles("""
                - name: web
                  trafficRoutingMethod: Performance
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: eu, target: 192.0.2.1, endpointLocation: westeurope}
                    - {name: eu-nested, type: nested, target: web-eu, endpointLocation: northeurope, minChildEndpoints: %d, minChildEndpointsIPv4: %d, minChildEndpointsIPv6: %d}
                    - {name: us, target: 192.0.2.3, endpointLocation: eastus}
                - name: web-eu
                  trafficRoutingMethod: Priority
                  profileStatus: %s
                  endpoints:
                    - {name: primary, target: "%s", priority: 1, endpointStatus: %s}
                    - {name: secondary, target: "%s", priority: 2, endpointStatus: %s}
                """.formatted(minChild, minV4, minV6, child, target(p[0], 20), enabled(p[1]), target(s[0], 21), enabled(s[1])))
                .latency("2.125.160.0/24", "northeurope", 10)
                .latency("2.125.160.0/24", "westeurope", 20)
                .latency("2.125.160.0/24", "eastus", 100)
                .latency("81.2.69.0/24", "westeurope", 10)
                .latency("81.2.69.0/24", "northeurope", 12)
                .latency("81.2.69.0/24", "eastus", 80);
        probe(world, "primary", p[1]);
        probe(world, "secondary", s[1]);
        return world;
    }

    private static RoutingTable table(String child, String primary, String secondary, int minChild, int minV4, int minV6) {
        return world(child, primary, secondary, minChild, minV4, minV6).build();
    }

    private static RoutingTable healthy() {
        return table("Enabled", "v4:Online", "v4:Online", 1, 0, 0);
    }

    private static String target(String kind, int n) {
        return switch (kind) {
            case "v4" -> "192.0.2." + n;
            case "v6" -> "2001:db8::" + n;
            case "name" -> "n" + n + ".example.net";
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String enabled(String status) {
        return status.equals("Disabled") ? "Disabled" : "Enabled";
    }

    private static void probe(RoutingTestWorld world, String endpoint, String status) {
        if (!status.equals("Disabled") && !status.equals("Unmonitored")) {
            world.health("web-eu", endpoint, MonitorStatus.valueOf(status));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2.125.160.0/24, primary",
        "81.2.69.0/24,   eu",
    })
    void aChosenNestedEndpointIsAnsweredByItsChildsMethod(String client, String expected) {
        assertThat(route(healthy(), "web", client)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "child {0}; primary {1}, secondary {2}; min {3}/{4}/{5} -> {6}")
    @CsvSource({
        "Enabled,  v4:Online,           v4:Online,           1, 0, 0, Online",
        "Enabled,  v4:Unmonitored,      v4:Unmonitored,      2, 0, 0, Online",
        "Enabled,  v4:Online,           v4:Disabled,         1, 0, 0, Online",
        "Enabled,  v4:Online,           v4:Disabled,         2, 0, 0, Degraded",
        "Enabled,  v4:Degraded,         v4:Online,           1, 0, 0, Online",
        "Enabled,  v4:Degraded,         v4:Degraded,         1, 0, 0, Degraded",
        "Enabled,  v4:CheckingEndpoint, v4:CheckingEndpoint, 1, 0, 0, CheckingEndpoint",
        "Enabled,  v4:Online,           v4:CheckingEndpoint, 2, 0, 0, CheckingEndpoint",
        "Enabled,  v4:Degraded,         v4:CheckingEndpoint, 1, 0, 0, CheckingEndpoint",
        "Enabled,  v4:Degraded,         v4:CheckingEndpoint, 2, 0, 0, Degraded",
        "Enabled,  v4:Disabled,         v4:Disabled,         1, 0, 0, Stopped",
        "Disabled, v4:Online,           v4:Online,           1, 0, 0, Stopped",
        // IPv4 / IPv6 minimums: a child holding only IPv6 endpoints
        "Enabled,  v6:Online,           v6:Online,           1, 0, 0, Online",
        "Enabled,  v6:Online,           v6:Online,           1, 1, 0, Degraded",
        "Enabled,  v6:Online,           v6:Online,           2, 0, 2, Online",
        "Enabled,  v6:Online,           v6:Degraded,         2, 0, 2, Degraded",
        "Enabled,  v6:Online,           v6:CheckingEndpoint, 2, 0, 2, CheckingEndpoint",
        "Enabled,  v6:Online,           v6:Online,           2, 1, 1, Degraded",
        "Enabled,  v4:Online,           v6:Online,           2, 1, 1, Online",
        "Enabled,  v4:Online,           v6:Degraded,         2, 1, 1, Degraded",
        "Enabled,  v4:Online,           v6:CheckingEndpoint, 2, 1, 1, CheckingEndpoint",
        // a name (CNAME) may lead to either family, so it counts for both
        "Enabled,  name:Online,         name:Online,         2, 1, 1, Online",
    })
    void aNestedEndpointsStatusIsRolledUpFromItsChild(String child, String primary, String secondary, int minChild,
                                                       int minV4, int minV6, MonitorStatus expected) {
        RoutingTable table = table(child, primary, secondary, minChild, minV4, minV6);
        assertThat(status(table, "web", "eu-nested")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "child {0}; primary {1}, secondary {2}; min {3} -> {4}")
    @CsvSource({
        "Enabled,  v4:Online,           v4:Online,           1, primary",
        "Enabled,  v4:Degraded,         v4:Online,           1, secondary",
        "Enabled,  v4:CheckingEndpoint, v4:CheckingEndpoint, 1, primary",   // CheckingEndpoint is served
        "Disabled, v4:Online,           v4:Online,           1, eu",        // Stopped: the next-fastest region
        "Enabled,  v4:Disabled,         v4:Disabled,         1, eu",        // Stopped
        "Enabled,  v4:Online,           v4:Disabled,         2, eu",        // Degraded
        "Enabled,  v4:Degraded,         v4:Degraded,         1, eu",        // Degraded
    })
    void theParentMovesToTheNextFastestRegionWhenTheNestedEndpointIsNotServed(String child, String primary,
                                                                               String secondary, int minChild,
                                                                               String expected) {
        assertThat(route(table(child, primary, secondary, minChild, 0, 0), "web", "2.125.160.0/24")).isEqualTo(expected);
    }

    @Test
    void whenEverythingIsDegradedTheParentAndTheChildBothFailOpen() {
        RoutingTable table = world("Enabled", "v4:Degraded", "v4:Degraded", 1, 0, 0)
                .health("web", "eu", MonitorStatus.Degraded)
                .health("web", "us", MonitorStatus.Degraded)
                .build();
        assertThat(table.profile("web").failOpen()).isTrue();
        assertThat(table.profile("web-eu").failOpen()).isTrue();
        assertThat(route(table, "web", "2.125.160.0/24")).isEqualTo("primary");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "Enabled, v4:Degraded, v4:Degraded, Unmonitored", // alwaysServe serves a Degraded child anyway
        "Disabled, v4:Online,  v4:Online,   Stopped",     // but never a stopped one
    })
    void alwaysServeOnANestedEndpointOverridesAllButStopped(String child, String primary, String secondary,
                                                           MonitorStatus expected) {
        String[] p = primary.split(":");
        String[] s = secondary.split(":");
        RoutingTestWorld world = RoutingTestWorld.profiles("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: eu-nested, type: nested, target: web-eu, alwaysServe: Enabled}
                - name: web-eu
                  trafficRoutingMethod: Priority
                  profileStatus: %s
                  endpoints:
                    - {name: primary, target: 192.0.2.20}
                    - {name: secondary, target: 192.0.2.21}
                """.formatted(child));
        probe(world, "primary", p[1]);
        probe(world, "secondary", s[1]);
        assertThat(status(world.build(), "web", "eu-nested")).isEqualTo(expected);
    }

    private static final String CHAIN = """
            - name: top
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: www}
              endpoints:
                - {name: to-mid, type: nested, target: mid, endpointLocation: northeurope}
                - {name: us, target: 192.0.2.3, endpointLocation: eastus}
            - name: mid
              trafficRoutingMethod: Priority
              endpoints:
                - {name: to-leaf, type: nested, target: leaf, priority: 1}
                - {name: mid-backup, target: 192.0.2.9, priority: 2}
            - name: leaf
              trafficRoutingMethod: %s
              endpoints:
                - {name: leaf-a, target: 192.0.2.30}
                - {name: leaf-b, target: 192.0.2.31}
            """;

    private static RoutingTable chain(String leafMethod) {
        return RoutingTestWorld.profiles(CHAIN.formatted(leafMethod))
                .latency("2.125.160.0/24", "northeurope", 10, 100)
                .latency("2.125.160.0/24", "eastus", 100, 100)
                .build();
    }

    @Test
    void aThreeLevelChainResolvesToALeafEndpoint() {
        RoutingTable table = chain("Priority");
        assertThat(route(table, "top", "2.125.160.0/24")).isEqualTo("leaf-a");
        assertThat(explain(table, "top", "2.125.160.0/24").steps())
                .extracting(Decision.Step::profile, Decision.Step::depth, Decision.Step::chosen)
                .containsExactly(tuple("top", 0, java.util.List.of("to-mid")), tuple("mid", 1, java.util.List.of("to-leaf")), tuple("leaf", 2, java.util.List.of("leaf-a")));
    }

    /**
     * 2.125.160.0/24 is measured; 2.125.1.0/24 is not, and gets the /16 aggregate — a decision that
     * holds for 2.125.0.0/17 only, since the other half holds the measured /24. A Priority child
     * adds nothing to the scope; a Weighted child (two endpoints) decides by the /24 hash.
     */
    @ParameterizedTest(name = "{0} through a {1} leaf -> /{2}")
    @CsvSource({
        "2.125.160.0/24, Priority, 24",
        "2.125.1.0/24,   Priority, 17",
        "2.125.1.0/24,   Weighted, 24",
        "2.125.0.0/20,   Weighted, 20",
        "2.125.0.0/18,   Priority, 17",
    })
    void theScopeCombinesParentAndChild(String client, String leafMethod, int scope) {
        assertThat(answer(chain(leafMethod), "top", client).scope()).isEqualTo(scope);
    }
}
