package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.randomNetworks;
import static io.wayfinder.routing.RoutingTestWorld.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.net.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Weighted routing: shares follow weights, and each client network keeps its endpoint. */
class WeightedRoutingTest {

    /** Endpoints given as {@code name:weight[:Disabled]}. */
    private static RoutingTestWorld world(String... endpoints) {
        StringBuilder yaml = new StringBuilder("""
                - name: app
                  trafficRoutingMethod: Weighted
                  dnsConfig: {relativeName: app}
                  endpoints:
                """);
        int n = 1;
        for (String e : endpoints) {
            String[] f = e.split(":");
            yaml.append("    - {name: ").append(f[0]).append(", target: 192.0.2.").append(n++).append(", weight: ").append(f[1])
                    .append(f.length > 2 ? ", endpointStatus: " + f[2] : "").append("}\n");
        }
        return RoutingTestWorld.profiles(yaml.toString());
    }

    private static Map<String, Double> shares(RoutingTable table, List<IpPrefix> networks) {
        Map<String, Long> counts = networks.stream()
                .collect(Collectors.groupingBy(n -> route(table, "app", n), Collectors.counting()));
        return counts.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, c -> c.getValue() / (double) networks.size()));
    }

    @ParameterizedTest(name = "{0} networks of /{1}")
    @CsvSource({
        "0.0.0.0/0, 24",
        "10.0.0.0/8, 24",
        "2000::/3,  48",
    })
    void sharesTrackWeightsOneToThree(String space, int length) {
        RoutingTable table = world("light:1", "heavy:3").build();
        Map<String, Double> shares = shares(table, randomNetworks(41, 4000, space, length));
        assertThat(shares.get("heavy")).isCloseTo(0.75, within(0.03));
        assertThat(shares.get("light")).isCloseTo(0.25, within(0.03));
    }

    @Test
    void sharesTrackWeightsOfThreeEndpoints() {
        RoutingTable table = world("a:1", "b:1", "c:2").build();
        Map<String, Double> shares = shares(table, randomNetworks(42, 4000, "0.0.0.0/0", 24));
        assertThat(shares.get("a")).isCloseTo(0.25, within(0.03));
        assertThat(shares.get("b")).isCloseTo(0.25, within(0.03));
        assertThat(shares.get("c")).isCloseTo(0.50, within(0.03));
    }

    @Test
    void eachClientNetworkAlwaysGetsTheSameEndpoint() {
        RoutingTable table = world("light:1", "heavy:3").build();
        RoutingTable rebuilt = world("light:1", "heavy:3").build();
        for (IpPrefix network : randomNetworks(43, 500, "0.0.0.0/0", 24)) {
            String first = route(table, "app", network);
            assertThat(route(table, "app", network)).as("%s", network).isEqualTo(first);
            assertThat(route(rebuilt, "app", network)).as("%s rebuilt", network).isEqualTo(first);
        }
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "2001:db8:1234:5600::/56, 2001:db8:1234:ff00::/56", // two /56 of one /48
        "2001:db8:1234::/48,      2001:db8:1234:abcd::/64",
        "2001:db8:1234::/48,      2001:db8:1234:ab:cd::1/128",
        "81.2.69.0/24,            81.2.69.200/32",
        "81.2.69.0/24,            81.2.69.128/25",
    })
    void networksInsideOneHashBlockGetTheSameAnswer(String one, String other) {
        RoutingTable table = world("light:1", "heavy:3").build();
        // Over many blocks, not just one, so that a coincidence cannot make this pass.
        IpPrefix a = IpPrefix.parse(one);
        IpPrefix b = IpPrefix.parse(other);
        int block = a.ipv6() ? 48 : 24;
        for (IpPrefix base : randomNetworks(44, 200, a.ipv6() ? "2000::/3" : "0.0.0.0/0", block)) {
            IpPrefix x = moved(a, base, block);
            IpPrefix y = moved(b, base, block);
            assertThat(route(table, "app", y)).as("%s and %s", x, y).isEqualTo(route(table, "app", x));
        }
    }

    /** {@code network} with its first {@code block} bits replaced by those of {@code base}. */
    private static IpPrefix moved(IpPrefix network, IpPrefix base, int block) {
        if (!network.ipv6()) {
            return IpPrefix.ofIpv4(base.ipv4() | (network.ipv4() & ~(int) IpPrefix.ipv4Mask(block)), network.length());
        }
        return IpPrefix.ofIpv6(base.hi() | (network.hi() & ~IpPrefix.highMask(block)),
                base.lo() | (network.lo() & ~IpPrefix.lowMask(block)), network.length());
    }

    @Test
    void ipv6SlashFortyEightsAreSpreadByWeightToo() {
        RoutingTable table = world("light:1", "heavy:3").build();
        Map<String, Double> shares = shares(table, randomNetworks(45, 4000, "2001:db8::/32", 48));
        assertThat(shares.get("heavy")).isCloseTo(0.75, within(0.03));
    }

    @ParameterizedTest(name = "{0} -> /{1}")
    @CsvSource({
        "81.2.69.0/24,        24",
        "81.2.69.7/32,        24",
        "81.2.64.0/20,        20",
        "2001:db8:1:ff00::/56, 48",
        "2001:db8::/32,       32",
    })
    void theScopeIsTheHashLength(String client, int scope) {
        assertThat(answer(world("light:1", "heavy:3").build(), "app", client).scope()).isEqualTo(scope);
    }

    @Test
    void aSingleAvailableEndpointAnswersEveryClientWithScopeZero() {
        RoutingTable table = world("light:1:Disabled", "heavy:3").build();
        assertThat(answer(table, "app", "81.2.69.0/24")).isEqualTo(new RoutingTestWorld.Answer("heavy", 0));
    }

    @Test
    void aDegradedEndpointGetsNoClients() {
        RoutingTable table = world("light:1", "heavy:3").health("app", "heavy", MonitorStatus.Degraded).build();
        assertThat(shares(table, randomNetworks(46, 500, "0.0.0.0/0", 24))).containsOnlyKeys("light");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "a:1 b:1 c:2, a:1 b:1 c:2:Disabled", // removing c
        "a:1 b:1 c:2, a:1 b:1 c:4",          // raising c's weight
        "a:1 b:1 c:2, a:1 b:1 c:2 d:2",      // adding d
    })
    void aChangeToOneEndpointMovesOnlyClientsToOrFromIt(String before, String after) {
        List<IpPrefix> networks = randomNetworks(47, 1000, "0.0.0.0/0", 24);
        RoutingTable t0 = world(before.split(" ")).build();
        RoutingTable t1 = world(after.split(" ")).build();
        Map<IpPrefix, String> was = networks.stream().collect(Collectors.toMap(Function.identity(), n -> route(t0, "app", n)));
        String changed = after.split(" ")[after.split(" ").length - 1].split(":")[0];
        long moved = 0;
        for (IpPrefix network : networks) {
            String now = route(t1, "app", network);
            if (!now.equals(was.get(network))) {
                moved++;
                assertThat(was.get(network).equals(changed) || now.equals(changed))
                        .as("%s moved from %s to %s", network, was.get(network), now).isTrue();
            }
        }
        assertThat(moved).isPositive();
    }

    /**
     * Endpoint seeds come from {@code String.hashCode} of "profile/endpoint": two names of equal
     * length with equal hash codes ("c0" and "an": 99*31+48 = 97*31+110) get the same seed, hence the
     * same score for every client, and one of them would get every client.
     */
    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({
        "c0,     an",
        "api-c1, api-ao",
    })
    void endpointsWhoseNamesCollideUnderStringHashCodeStillShareClients(String one, String other) {
        assertThat(one.hashCode()).isEqualTo(other.hashCode());
        RoutingTable table = world(one + ":1", other + ":1").build();
        Map<String, Double> shares = shares(table, randomNetworks(48, 1000, "0.0.0.0/0", 24));
        assertThat(shares.getOrDefault(one, 0.0)).as("share of %s", one).isCloseTo(0.5, within(0.05));
    }
}
