package io.wayfinder.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.ProfileMonitorStatus;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingContext;
import io.wayfinder.routing.RoutingOutcome;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.TestRoutingTables;
import io.wayfinder.routing.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What health does to routing: fail-open, the fallback endpoint, nested roll-up and the profile
 * monitor status, through {@link RoutingTable#build} with a health view given as text
 * ({@code "web/a=Degraded kid/v4a=Online"}; endpoints not named are unmonitored).
 */
class FailOpenAndFallbackTest {
    private static final String ZONE = """
            zones:
              - name: app.test
                nameservers: [ns1.app.test]
            profiles:
            """;

    private static RoutingTable table(String profilesYaml, String health) {
        String indented = profilesYaml.stripIndent().lines().map(line -> "  " + line + "\n").reduce("", String::concat);
        return TestRoutingTables.table(TestRoutingTables.plan(ZONE + indented), health);
    }

    private static List<String> candidates(Profile p) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < p.availability().candidateCount(); k++) {
            out.add(p.endpoint(p.availability().candidate(k)).name());
        }
        return out;
    }

    private static MonitorStatus status(RoutingTable table, String profile, String endpoint) {
        Profile p = table.profile(profile);
        return p.status(p.endpoint(endpoint).index());
    }

    /** The endpoint that answers each of many client networks, or "-" when nothing answers. */
    private static Set<String> answers(RoutingTable table, String profile) {
        Set<String> out = new TreeSet<>();
        RoutingContext context = new RoutingContext();
        for (int net = 0; net < 64; net++) {
            context.reset(IpPrefix.parse("100.64." + net + ".0/24"));
            RoutingOutcome outcome = Router.route(table, table.profile(profile), context, Trace.NONE);
            out.add(outcome == RoutingOutcome.ANSWER ? context.answer(0).name() : "-");
        }
        return out;
    }

    /** Profile web (Priority a=1, b=2, c=3); each endpoint Enabled unless its status is Disabled. */
    private static String priorityWeb(String a, String b, String c, String extra) {
        return """
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: a, target: 192.0.2.1, priority: 1, endpointStatus: %s}
                    - {name: b, target: 192.0.2.2, priority: 2, endpointStatus: %s}
                    - {name: c, target: 192.0.2.3, priority: 3, endpointStatus: %s}
                %s""".formatted(enabled(a), enabled(b), enabled(c), extra);
    }

    private static String enabled(String status) {
        return status.equals("Disabled") ? "Disabled" : "Enabled";
    }

    /** Probe statuses for web's endpoints; Disabled and Unmonitored ones get none. */
    private static String probes(String profile, String... endpointStatus) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < endpointStatus.length; i++) {
            String s = endpointStatus[i];
            if (!s.equals("Disabled") && !s.equals("Unmonitored")) {
                out.append(profile).append('/').append((char) ('a' + i)).append('=').append(s).append(' ');
            }
        }
        return out.toString();
    }

    @ParameterizedTest(name = "a={0} b={1} c={2} -> failOpen={3}, candidates [{4}]")
    @CsvSource(nullValues = "-", value = {
            "Online,           Degraded,         Degraded, false, a",
            "CheckingEndpoint, Degraded,         Degraded, false, a",
            "Unmonitored,      Degraded,         Degraded, false, a",
            "Degraded,         Degraded,         Online,   false, c",
            "Degraded,         Degraded,         Degraded, true,  a b c",
            "Degraded,         Disabled,         Degraded, true,  a c",
            "Disabled,         Disabled,         Degraded, true,  c",
            "Disabled,         Disabled,         Disabled, false, -",
            "Online,           Online,           Online,   false, a b c",
            "CheckingEndpoint, CheckingEndpoint, Degraded, false, a b",
    })
    void aProfileFailsOpenToItsDegradedEndpointsOnlyWhenEveryEligibleOneIsDegraded(String a, String b, String c,
                                                                                 boolean failOpen, String expected) {
        RoutingTable table = table(priorityWeb(a, b, c, ""), probes("web", a, b, c));
        Profile web = table.profile("web");
        assertThat(web.failOpen()).isEqualTo(failOpen);
        assertThat(web.onFallback()).isFalse();
        assertThat(candidates(web)).containsExactlyElementsOf(expected == null ? List.of() : Arrays.asList(expected.split(" ")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Priority", "Weighted", "Performance"})
    void aFailingOpenProfileStillAnswersWithItsDegradedEndpointsButNeverADisabledOne(String method) {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: %s
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: a, target: 192.0.2.1, endpointLocation: westeurope}
                    - {name: b, target: 192.0.2.2, endpointLocation: eastus}
                    - {name: off, target: 192.0.2.3, endpointLocation: westeurope, endpointStatus: Disabled}
                """.formatted(method), "web/a=Degraded web/b=Degraded");
        assertThat(table.profile("web").failOpen()).isTrue();
        assertThat(answers(table, "web")).isSubsetOf("a", "b").isNotEmpty();
    }

    private static final String WITH_FALLBACK = """
              fallback: {name: sorry, target: 192.0.2.99}
            """;

    @ParameterizedTest(name = "a={0} b={1} c={2} -> onFallback={3}, candidates [{4}]")
    @CsvSource(nullValues = "-", value = {
            "Degraded,         Degraded, Degraded, true,  sorry",
            "Degraded,         Disabled, Degraded, true,  sorry",
            "Degraded,         Online,   Degraded, false, b",
            "CheckingEndpoint, Degraded, Degraded, false, a",
            "Unmonitored,      Degraded, Degraded, false, a",
            // nothing eligible: there is nothing to fail open to, so the fallback is not used either
            "Disabled,         Disabled, Disabled, false, -",
    })
    void theFallbackAnswersInsteadOfFailingOpen(String a, String b, String c, boolean onFallback, String expected) {
        RoutingTable table = table(priorityWeb(a, b, c, WITH_FALLBACK), probes("web", a, b, c));
        Profile web = table.profile("web");
        assertThat(web.onFallback()).isEqualTo(onFallback);
        assertThat(web.failOpen()).as("a fallback replaces fail-open").isFalse();
        assertThat(candidates(web)).containsExactlyElementsOf(expected == null ? List.of() : List.of(expected));
        assertThat(answers(table, "web")).containsExactly(expected == null ? "-" : expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Priority", "Weighted", "Performance"})
    void theRouterAnswersWithTheFallbackWhateverTheMethod(String method) {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: %s
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: a, target: 192.0.2.1, endpointLocation: westeurope}
                    - {name: b, target: 192.0.2.2, endpointLocation: eastus}
                  fallback: {name: sorry, target: sorry.example.net}
                """.formatted(method), "web/a=Degraded web/b=Degraded");
        assertThat(table.profile("web").onFallback()).isTrue();
        assertThat(answers(table, "web")).containsExactly("sorry");
        assertThat(status(table, "web", "sorry")).isEqualTo(MonitorStatus.Unmonitored);
    }

    @ParameterizedTest(name = "child {0}, its endpoint {1} -> fallback {2}")
    @CsvSource({
            // a usable nested fallback answers through the child profile's own method
            "Enabled,  Unmonitored, Online",
            "Enabled,  Online,   Online",
            "Disabled, Online,   Stopped",
            "Enabled,  Degraded, Degraded",
    })
    void aNestedFallbackAnswersThroughItsChildUnlessItCannotAnswer(String childStatus, String pageStatus, MonitorStatus fallbackStatus) {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: a, target: 192.0.2.1}
                  fallback: {name: sorry, type: nested, target: maintenance}
                - name: maintenance
                  trafficRoutingMethod: Priority
                  profileStatus: %s
                  endpoints:
                    - {name: page, target: 192.0.2.98}
                """.formatted(childStatus), "web/a=Degraded maintenance/page=" + pageStatus);
        Profile web = table.profile("web");

        assertThat(status(table, "web", "sorry")).isEqualTo(fallbackStatus);
        boolean usable = fallbackStatus == MonitorStatus.Online;
        assertThat(web.onFallback()).isEqualTo(usable);
        assertThat(web.failOpen()).as("without a usable fallback the profile fails open").isEqualTo(!usable);
        assertThat(answers(table, "web")).containsExactly(usable ? "page" : "a");
    }

    @Test
    void aDisabledFallbackIsNotUsed() {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: a, target: 192.0.2.1}
                    - {name: b, target: 192.0.2.2}
                  fallback: {name: sorry, target: 192.0.2.99, endpointStatus: Disabled}
                """, "web/a=Degraded web/b=Degraded");
        Profile web = table.profile("web");
        assertThat(web.onFallback()).as("the operator disabled the fallback").isFalse();
        assertThat(web.failOpen()).isTrue();
        assertThat(answers(table, "web")).doesNotContain("sorry");
    }

    /**
     * Parent web (Priority): the nested endpoint n (priority 1) to profile kid, then x (priority 2).
     * Kid's endpoints: v4a, v4b (IPv4), v6a, v6b (IPv6); statuses one letter each: O Online,
     * C CheckingEndpoint, D Degraded, U unmonitored, X disabled.
     */
    private static RoutingTable nested(int min, int minV4, int minV6, String kidStatuses, String kidProfileStatus) {
        String[] s = kidStatuses.split(" ");
        String[] names = {"v4a", "v4b", "v6a", "v6b"};
        String[] targets = {"192.0.2.41", "192.0.2.42", "'2001:db8::61'", "'2001:db8::62'"};
        StringBuilder kid = new StringBuilder();
        StringBuilder health = new StringBuilder("web/x=Online ");
        for (int i = 0; i < 4; i++) {
            kid.append("    - {name: ").append(names[i]).append(", target: ").append(targets[i])
                    .append(", endpointStatus: ").append(s[i].equals("X") ? "Disabled" : "Enabled").append("}\n");
            String status = switch (s[i]) {
                case "O" -> "Online";
                case "C" -> "CheckingEndpoint";
                case "D" -> "Degraded";
                default -> null;
            };
            if (status != null) {
                health.append("kid/").append(names[i]).append('=').append(status).append(' ');
            }
        }
        return table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: n, type: nested, target: kid, priority: 1, minChildEndpoints: %d, minChildEndpointsIPv4: %d, minChildEndpointsIPv6: %d}
                    - {name: x, target: 192.0.2.9, priority: 2}
                - name: kid
                  trafficRoutingMethod: Priority
                  profileStatus: %s
                  endpoints:
                %s""".formatted(min, minV4, minV6, kidProfileStatus, kid), health.toString());
    }

    @ParameterizedTest(name = "min {0}/{1}/{2}, children {3} -> {4}")
    @CsvSource({
            "1, 0, 0, O D D D, Online",
            "1, 0, 0, C D D D, CheckingEndpoint",
            "1, 0, 0, D D D D, Degraded",
            "1, 0, 0, U D D D, Online",
            "2, 0, 0, O O D D, Online",
            "2, 0, 0, O C D D, CheckingEndpoint",
            "2, 0, 0, C C D D, CheckingEndpoint",
            "3, 0, 0, O O D D, Degraded",
            "3, 0, 0, O O C D, CheckingEndpoint",
            "2, 2, 0, O D O D, Degraded",
            "2, 2, 0, O C O D, CheckingEndpoint",
            "2, 1, 1, O D O D, Online",
            "2, 1, 1, O O D D, Degraded",
            "2, 1, 1, O D C D, CheckingEndpoint",
            "2, 0, 2, D D O C, CheckingEndpoint",
            "2, 0, 2, D D O O, Online",
            "1, 0, 0, X D X X, Degraded",
            "1, 0, 0, X X X X, Stopped",
    })
    void aNestedEndpointRollsUpItsChildsEndpoints(int min, int minV4, int minV6, String children, MonitorStatus expected) {
        assertThat(status(nested(min, minV4, minV6, children, "Enabled"), "web", "n")).isEqualTo(expected);
    }

    @Test
    void aNestedEndpointWhoseChildIsDisabledIsStopped() {
        assertThat(status(nested(1, 0, 0, "O O O O", "Disabled"), "web", "n")).isEqualTo(MonitorStatus.Stopped);
    }

    @ParameterizedTest(name = "children {0} -> web answers {1}")
    @CsvSource({
            "O D D D, v4a",
            "C D D D, v4a",
            "D O D D, v4b",
            // the child is below its minimum: the parent moves on, though the child would fail open
            "D D D D, x",
            "X X X X, x",
    })
    void theParentFollowsTheRolledUpStatusOfItsNestedEndpoint(String children, String answer) {
        assertThat(answers(nested(1, 0, 0, children, "Enabled"), "web")).containsExactly(answer);
    }

    @Test
    void aChildsFallbackDoesNotKeepItsNestedEndpointAvailable() {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: n, type: nested, target: kid, priority: 1}
                    - {name: x, target: 192.0.2.9, priority: 2}
                - name: kid
                  trafficRoutingMethod: Priority
                  endpoints:
                    - {name: k, target: 192.0.2.41}
                  fallback: {name: sorry, target: 192.0.2.99}
                """, "kid/k=Degraded web/x=Online");
        assertThat(table.profile("kid").onFallback()).isTrue();
        assertThat(status(table, "web", "n")).isEqualTo(MonitorStatus.Degraded);
        assertThat(answers(table, "web")).containsExactly("x");
    }

    @Test
    void whenTheParentAndTheChildAreAllDegradedBothFailOpen() {
        RoutingTable allDown = table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: n, type: nested, target: kid}
                - name: kid
                  trafficRoutingMethod: Priority
                  endpoints:
                    - {name: k1, target: 192.0.2.41}
                    - {name: k2, target: 192.0.2.42}
                """, "kid/k1=Degraded kid/k2=Degraded");
        assertThat(allDown.profile("web").failOpen()).isTrue();
        assertThat(allDown.profile("kid").failOpen()).isTrue();
        assertThat(answers(allDown, "web")).containsExactly("k1");
    }

    @ParameterizedTest(name = "profile {0}, endpoints {1} -> {2}")
    @CsvSource({
            "Enabled,  Online Degraded Online,                      Degraded",
            "Enabled,  Online CheckingEndpoint Online,              Online",
            "Enabled,  CheckingEndpoint CheckingEndpoint Disabled,  CheckingEndpoints",
            "Enabled,  Unmonitored CheckingEndpoint Disabled,       Online",
            "Enabled,  Degraded Degraded Degraded,                  Degraded",
            "Enabled,  Disabled Disabled Disabled,                  Inactive",
            "Disabled, Online Online Online,                        Disabled",
            "Disabled, Degraded Degraded Degraded,                  Disabled",
    })
    void theProfileMonitorStatusRollsUpItsEndpoints(String profileStatus, String endpoints, ProfileMonitorStatus expected) {
        String[] s = endpoints.split(" ");
        String yaml = priorityWeb(s[0], s[1], s[2], "").replace("dnsConfig:", "profileStatus: " + profileStatus + "\n  dnsConfig:");
        assertThat(ProfileMonitorStatus.of(table(yaml, probes("web", s)).profile("web"))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "every endpoint Degraded, with a fallback      | web/a=Degraded web/b=Degraded web/c=Degraded | Degraded",
            "every endpoint Disabled, with a fallback      | DISABLED                                     | Inactive",
    })
    void theFallbackNeverCountsInTheProfileMonitorStatus(String description, String health, ProfileMonitorStatus expected) {
        String yaml = health.equals("DISABLED")
                ? priorityWeb("Disabled", "Disabled", "Disabled", WITH_FALLBACK)
                : priorityWeb("Degraded", "Degraded", "Degraded", WITH_FALLBACK);
        RoutingTable table = table(yaml, health.equals("DISABLED") ? "" : health);
        assertThat(ProfileMonitorStatus.of(table.profile("web"))).isEqualTo(expected);
    }

    @Test
    void aProfileWithNoEndpointsIsInactive() {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints: []
                """, "");
        assertThat(ProfileMonitorStatus.of(table.profile("web"))).isEqualTo(ProfileMonitorStatus.Inactive);
    }

    @Test
    void aProfileWhoseOnlyEndpointIsAStoppedNestedOneIsInactive() {
        RoutingTable table = table("""
                - name: web
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: n, type: nested, target: kid}
                - name: kid
                  trafficRoutingMethod: Priority
                  profileStatus: Disabled
                  endpoints:
                    - {name: k, target: 192.0.2.41}
                """, "kid/k=Online");
        assertThat(status(table, "web", "n")).isEqualTo(MonitorStatus.Stopped);
        assertThat(ProfileMonitorStatus.of(table.profile("web"))).isEqualTo(ProfileMonitorStatus.Inactive);
        assertThat(ProfileMonitorStatus.of(table.profile("kid"))).isEqualTo(ProfileMonitorStatus.Disabled);
    }
}
