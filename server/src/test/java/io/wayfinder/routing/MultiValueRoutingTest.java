package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.randomNetworks;
import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * MultiValue routing over one profile {@code mv}: five IPv4 endpoints {@code a}-{@code e} and two
 * IPv6 ones {@code v6a}, {@code v6b}. A row's {@code world} column changes it: {@code name=Status}
 * is a probe result (for Disabled, the endpoint's {@code endpointStatus}), {@code max=N} sets
 * {@code maxReturn}, {@code -v6} leaves the IPv6 endpoints out; "-" is the profile as written, all Online.
 */
class MultiValueRoutingTest {
    private static final List<String> V4 = List.of("a", "b", "c", "d", "e");
    private static final List<String> V6 = List.of("v6a", "v6b");

    private static RoutingTable table(String world) {
        Set<String> tokens = world.equals("-") ? Set.of() : Set.of(world.trim().split("\\s+"));
        StringBuilder yaml = new StringBuilder("""
                - name: mv
                  trafficRoutingMethod: MultiValue
                  dnsConfig: {relativeName: mv}
                """);
        tokens.stream().filter(t -> t.startsWith("max=")).findFirst()
                .ifPresent(t -> yaml.append("  maxReturn: ").append(t.substring(4)).append('\n'));
        yaml.append("  endpoints:\n");
        for (int i = 0; i < V4.size(); i++) {
            if (!tokens.contains("-" + V4.get(i))) {
                yaml.append(endpoint(tokens, V4.get(i), "192.0.2." + (i + 1)));
            }
        }
        if (!tokens.contains("-v6")) {
            for (int i = 0; i < V6.size(); i++) {
                yaml.append(endpoint(tokens, V6.get(i), "\"2001:db8::" + (i + 1) + "\""));
            }
        }
        RoutingTestWorld w = RoutingTestWorld.profiles(yaml.toString());
        for (String token : tokens) {
            String[] kv = token.split("=");
            if (kv.length == 2 && !kv[0].equals("max") && !kv[1].equals("Disabled")) {
                w.health("mv", kv[0], MonitorStatus.valueOf(kv[1]));
            }
        }
        return w.build();
    }

    private static String endpoint(Set<String> tokens, String name, String target) {
        String status = tokens.contains(name + "=Disabled") ? "Disabled" : "Enabled";
        return "    - {name: " + name + ", target: " + target + ", endpointStatus: " + status + "}\n";
    }

    /**
     * @param count how many addresses the answer holds
     * @param pool  the endpoints they are drawn from (all different)
     */
    @ParameterizedTest(name = "[{0}] {1} {2} -> {3} of {4}, {5} /{6}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # up to maxReturn (default 2) of the available addresses of the family asked for
            -       | 192.0.2.77         | A    | 2 | a b c d e | ANSWER | 24
            max=1   | 192.0.2.77         | A    | 1 | a b c d e | ANSWER | 24
            max=3   | 192.0.2.77         | A    | 3 | a b c d e | ANSWER | 24
            max=5   | 192.0.2.77         | A    | 5 | a b c d e | ANSWER | 24
            max=10  | 192.0.2.77         | A    | 5 | a b c d e | ANSWER | 24
            -       | 192.0.2.77         | AAAA | 2 | v6a v6b   | ANSWER | 24
            max=1   | 192.0.2.77         | AAAA | 1 | v6a v6b   | ANSWER | 24
            # the order is the client network's: /24 for IPv4, /48 for IPv6, or the ECS source if shorter
            -       | 10.1.0.0/16        | A    | 2 | a b c d e | ANSWER | 16
            -       | 2001:db8:77::1     | A    | 2 | a b c d e | ANSWER | 48
            -       | 2001:db8:77::/56   | AAAA | 2 | v6a v6b   | ANSWER | 48
            -       | 2001:db8::/32      | A    | 2 | a b c d e | ANSWER | 32
            # Degraded and Disabled endpoints are left out; one address left holds for everyone
            a=Degraded b=Degraded     | 192.0.2.77 | A | 2 | c d e | ANSWER | 24
            a=Degraded b=Degraded c=Degraded d=Degraded | 192.0.2.77 | A | 1 | e | ANSWER | 0
            a=Disabled b=Disabled c=Disabled d=Disabled | 192.0.2.77 | A | 1 | e | ANSWER | 0
            v6a=Degraded              | 192.0.2.77 | AAAA | 1 | v6b     | ANSWER | 0
            v6a=Degraded              | 192.0.2.77 | A    | 2 | a b c d e | ANSWER | 24
            a=CheckingEndpoint        | 192.0.2.77 | A  | 2 | a b c d e | ANSWER | 24
            # every eligible endpoint Degraded: fail open, as if Online
            a=Degraded b=Degraded c=Degraded d=Degraded e=Degraded v6a=Degraded v6b=Degraded | 192.0.2.77 | A    | 2 | a b c d e | ANSWER | 24
            a=Degraded b=Degraded c=Degraded d=Degraded e=Degraded v6a=Degraded v6b=Degraded | 192.0.2.77 | AAAA | 2 | v6a v6b   | ANSWER | 24
            # no available address of the family: NODATA (the other family is still up, so no fail-open)
            -v6                       | 192.0.2.77 | AAAA | 0 | null | NODATA | 0
            v6a=Disabled v6b=Disabled | 192.0.2.77 | AAAA | 0 | null | NODATA | 0
            v6a=Degraded v6b=Degraded | 192.0.2.77 | AAAA | 0 | null | NODATA | 0
            a=Degraded b=Degraded c=Degraded d=Degraded e=Degraded | 192.0.2.77 | A | 0 | null | NODATA | 0
            """)
    void answersUpToMaxReturnAvailableAddressesOfTheFamilyAsked(String world, String client, String type, int count,
                                                               String pool, RoutingOutcome outcome, int scope) {
        RoutingTestWorld.Answer got = answer(table(world), "mv", client, type.equals("AAAA"));
        assertThat(got.outcome()).isEqualTo(outcome);
        assertThat(got.scope()).isEqualTo(scope);
        List<String> names = names(got);
        assertThat(names).hasSize(count).doesNotHaveDuplicates();
        if (count > 0) {
            assertThat(Arrays.asList(pool.split(" "))).containsAll(names);
        }
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "192.0.2.77,    192.0.2.77",
        "192.0.2.77,    192.0.2.200",   // the same /24
        "192.0.2.77,    192.0.2.0/24",  // an ECS /24 and a resolver inside it
        "10.9.8.0/25,   10.9.8.128/26", // ECS sources longer than /24: hashed at /24
        "2001:db8:5::1, 2001:db8:5:ffff::9",
        "2001:db8:5::1, 2001:db8:5::/56",
    })
    void theSameClientNetworkAlwaysGetsTheSameListInTheSameOrder(String one, String other) {
        RoutingTable table = table("max=5");
        for (boolean v6 : new boolean[] {false, true}) {
            List<String> first = names(answer(table, "mv", one, v6));
            assertThat(names(answer(table, "mv", one, v6))).isEqualTo(first);
            assertThat(names(answer(table(("max=5")), "mv", one, v6))).as("after a rebuild").isEqualTo(first);
            assertThat(names(answer(table, "mv", other, v6))).isEqualTo(first);
        }
    }

    @Test
    void acrossClientsEveryAddressComesFirstAndSecondAboutEquallyOften() {
        RoutingTable table = table("-");
        Map<String, Integer> firsts = new HashMap<>();
        Map<String, Integer> seconds = new HashMap<>();
        List<IpPrefix> clients = randomNetworks(20261201L, 5_000, "0.0.0.0/0", 24);
        for (IpPrefix client : clients) {
            List<String> names = names(answer(table, "mv", client.toString()));
            firsts.merge(names.get(0), 1, Integer::sum);
            seconds.merge(names.get(1), 1, Integer::sum);
        }
        // 1,000 expected each; a fair hash stays well within ±20% over 5,000 clients.
        assertThat(firsts.keySet()).containsExactlyInAnyOrderElementsOf(V4);
        assertThat(seconds.keySet()).containsExactlyInAnyOrderElementsOf(V4);
        assertThat(firsts.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
        assertThat(seconds.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @ParameterizedTest(name = "c {0}, maxReturn {1}")
    @CsvSource({
        "removed,  2",
        "removed,  3",
        "Degraded, 2",
        "Disabled, 4",
    })
    void anAddressThatLeavesChangesOnlyTheListsThatHeldIt(String how, int maxReturn) {
        RoutingTable before = table("max=" + maxReturn);
        RoutingTable after = table("max=" + maxReturn + (how.equals("removed") ? " -c" : " c=" + how));
        int held = 0;
        for (IpPrefix client : randomNetworks(7L, 2_000, "0.0.0.0/0", 24)) {
            List<String> was = names(answer(before, "mv", client.toString()));
            List<String> now = names(answer(after, "mv", client.toString()));
            if (!was.contains("c")) {
                assertThat(now).as("%s", client).isEqualTo(was);
                continue;
            }
            held++;
            // The others keep their order; one more address joins at the end.
            List<String> kept = new ArrayList<>(was);
            kept.remove("c");
            assertThat(now).as("%s", client).hasSize(was.size()).startsWith(kept.toArray(new String[0]))
                    .doesNotContain("c");
        }
        assertThat(held).as("lists that held c").isBetween(2_000 * maxReturn / 5 * 8 / 10, 2_000 * maxReturn / 5 * 12 / 10);
    }

    @Test
    void aMultiValueChildAnswersWithSeveralAddressesThroughItsParent() {
        RoutingTable table = RoutingTestWorld.profiles("""
                - name: front
                  trafficRoutingMethod: Priority
                  dnsConfig: {relativeName: front}
                  endpoints:
                    - {name: pool, type: nested, target: mv, priority: 1}
                    - {name: spare, target: 192.0.2.99, priority: 2}
                - name: mv
                  trafficRoutingMethod: MultiValue
                  maxReturn: 3
                  endpoints:
                    - {name: a, target: 192.0.2.1}
                    - {name: b, target: 192.0.2.2}
                    - {name: c, target: 192.0.2.3}
                    - {name: d, target: 192.0.2.4}
                """).build();
        RoutingTestWorld.Answer got = answer(table, "front", "192.0.2.77");
        assertThat(got.outcome()).isEqualTo(RoutingOutcome.ANSWER);
        assertThat(names(got)).hasSize(3).doesNotHaveDuplicates().isSubsetOf("a", "b", "c", "d");
        assertThat(got.scope()).isEqualTo(24);
    }

    @Test
    void explainSaysWhyAnAddressWasLeftOut() {
        RoutingTable table = table("-");
        Decision decision = DecisionRecorder.explain(table, table.profile("mv"), IpPrefix.parse("192.0.2.77"), false, false);
        Decision.Step step = decision.steps().get(0);
        assertThat(step.chosen()).hasSize(2);
        assertThat(decision.answers()).extracting(Decision.Answer::endpoint).containsExactlyElementsOf(step.chosen());
        assertThat(step.reason()).isEqualTo(Reason.MULTI_VALUE.text());
        for (Decision.EndpointState e : step.endpoints()) {
            if (step.chosen().contains(e.name())) {
                assertThat(e.verdict()).startsWith("chosen: ");
            } else if (V6.contains(e.name())) {
                assertThat(e.verdict()).isEqualTo("an IPv6 address; the query asked for A");
            } else {
                assertThat(e.verdict()).isEqualTo("maxReturn is 2: the stable hash of the client network put 2 other addresses first");
            }
        }
    }

    private static List<String> names(RoutingTestWorld.Answer answer) {
        return answer.endpoint() == null ? List.of() : List.of(answer.endpoint().split(","));
    }
}
