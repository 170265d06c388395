package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.explain;
import static io.wayfinder.routing.RoutingTestWorld.randomNetworks;
import static io.wayfinder.routing.RoutingTestWorld.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.net.IpPrefix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Priority routing. The endpoints are listed out of priority order (c=30, a=10, b=20) so that
 * list order and priority order disagree. Each row gives the status of a, b and c: Disabled is
 * set in the configuration, Unmonitored means no probe result, anything else is what probes say.
 */
class PriorityRoutingTest {

    private static RoutingTable table(String a, String b, String c) {
        RoutingTestWorld world = RoutingTestWorld.profiles("""
                - name: app
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: app}
                  endpoints:
                    - {name: c, target: 192.0.2.3, priority: 30, endpointStatus: %s}
                    - {name: a, target: 192.0.2.1, priority: 10, endpointStatus: %s}
                    - {name: b, target: 192.0.2.2, priority: 20, endpointStatus: %s}
                """.formatted(enabled(c), enabled(a), enabled(b)));
        probe(world, "a", a);
        probe(world, "b", b);
        probe(world, "c", c);
        return world.build();
    }

    private static String enabled(String status) {
        return status.equals("Disabled") ? "Disabled" : "Enabled";
    }

    private static void probe(RoutingTestWorld world, String endpoint, String status) {
        if (!status.equals("Disabled") && !status.equals("Unmonitored")) {
            world.health("app", endpoint, MonitorStatus.valueOf(status));
        }
    }

    @ParameterizedTest(name = "a {0}, b {1}, c {2} -> {3}")
    @CsvSource({
        "Online,           Online,           Online,   a",
        "Unmonitored,      Unmonitored,      Unmonitored, a",
        "CheckingEndpoint, Online,           Online,   a",
        "Degraded,         Online,           Online,   b",
        "Degraded,         CheckingEndpoint, Online,   b",
        "Degraded,         Degraded,         Online,   c",
        "Disabled,         Online,           Online,   b",
        "Disabled,         Disabled,         Online,   c",
        "Online,           Disabled,         Disabled, a",
        "Disabled,         Degraded,         Online,   c",
    })
    void theAvailableEndpointWithTheLowestPriorityNumberAnswers(String a, String b, String c, String expected) {
        RoutingTable table = table(a, b, c);
        assertThat(route(table, "app", "81.2.69.0/24")).isEqualTo(expected);
        assertThat(table.profile("app").failOpen()).isFalse();
    }

    @ParameterizedTest(name = "a {0}, b {1}, c {2} -> {3} (fail-open)")
    @CsvSource({
        "Degraded, Degraded, Degraded, a",
        "Disabled, Degraded, Degraded, b",
        "Disabled, Disabled, Degraded, c",
        "Degraded, Disabled, Degraded, a",
    })
    void whenEveryEligibleEndpointIsDegradedTheProfileFailsOpenByPriority(String a, String b, String c, String expected) {
        RoutingTable table = table(a, b, c);
        assertThat(table.profile("app").failOpen()).isTrue();
        assertThat(route(table, "app", "81.2.69.0/24")).isEqualTo(expected);
        assertThat(explain(table, "app", "81.2.69.0/24").steps().get(0).failOpen()).isTrue();
    }

    @ParameterizedTest(name = "a {0}, b {1}, c {2}: candidates {3}")
    @CsvSource({
        "Online,   Online,   Online,   a b c",
        "Online,   Degraded, Online,   a c",
        "Degraded, Degraded, Degraded, a b c",
        "Disabled, Degraded, Degraded, b c",
        "Degraded, Disabled, Disabled, a",
        "Disabled, Disabled, Disabled, ''",
    })
    void disabledEndpointsNeverCountTowardFailOpen(String a, String b, String c, String candidates) {
        Profile profile = table(a, b, c).profile("app");
        assertThat(java.util.stream.IntStream.range(0, profile.availability().candidateCount())
                .mapToObj(k -> profile.endpoint(profile.availability().candidate(k)).name()))
                .containsExactlyInAnyOrderElementsOf(candidates.isEmpty() ? java.util.List.of() : Arrays.asList(candidates.split(" ")));
    }

    @Test
    void aProfileWhoseEndpointsAreAllDisabledAnswersNothing() {
        RoutingTable table = table("Disabled", "Disabled", "Disabled");
        assertThat(table.profile("app").failOpen()).isFalse();
        assertThat(route(table, "app", "81.2.69.0/24")).isNull();
        Decision decision = explain(table, "app", "81.2.69.0/24");
        assertThat(decision.answers()).isEmpty();
        assertThat(decision.outcome()).isEqualTo(RoutingOutcome.NXDOMAIN);
        assertThat(decision.steps().get(0).reason()).isEqualTo("no endpoint is enabled and eligible");
    }

    @Test
    void theAnswerIsTheSameForEveryClientSoItsScopeIsZero() {
        RoutingTable table = table("Degraded", "Online", "Online");
        for (IpPrefix network : randomNetworks(31, 50, "0.0.0.0/0", 24)) {
            assertThat(answer(table, "app", network.toString())).isEqualTo(new RoutingTestWorld.Answer("b", 0));
        }
        assertThat(answer(table, "app", "2001:db8::/56")).isEqualTo(new RoutingTestWorld.Answer("b", 0));
    }

    @Test
    void aDisabledProfileAnswersNothing() {
        RoutingTable table = RoutingTestWorld.profiles("""
                - name: app
                  trafficRoutingMethod: Priority
                  profileStatus: Disabled
                  dnsConfig: {relativeName: app}
                  endpoints:
                    - {name: a, target: 192.0.2.1}
                """).build();
        assertThat(RoutingTestWorld.status(table, "app", "a")).isEqualTo(MonitorStatus.Inactive);
        assertThat(route(table, "app", "81.2.69.0/24")).isNull();
    }
}
