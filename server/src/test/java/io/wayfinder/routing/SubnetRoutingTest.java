package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.explain;
import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.net.IpPrefix;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Subnet routing over one profile {@code split}:
 * <ul>
 *   <li>{@code office}: 10.0.0.5 - 10.0.1.200 (not a prefix: it is cut into eleven, from /32 to /25)
 *       and 2001:db8:1::/48</li>
 *   <li>{@code lab}: 10.8.0.0/16, the single address 10.9.0.7, 10.9.1.0/24 (as text), and
 *       2001:db8:2::10 - 2001:db8:2::1:f</li>
 *   <li>{@code rest}: no subnets, the catch-all</li>
 * </ul>
 * A row's {@code world} column changes it: {@code name=Status} is a probe result (or, for
 * Disabled, the endpoint's {@code endpointStatus}), {@code -rest} leaves the catch-all out, "-" is
 * the profile as written with every endpoint Online.
 */
class SubnetRoutingTest {
    /** Every configured range, by endpoint: the brute-force oracle works from these, not from the code's prefixes. */
    private static final String[][] RANGES = {
        {"office", "10.0.0.5", "10.0.1.200"},
        {"office", "2001:db8:1::", "2001:db8:1:ffff:ffff:ffff:ffff:ffff"},
        {"lab", "10.8.0.0", "10.8.255.255"},
        {"lab", "10.9.0.7", "10.9.0.7"},
        {"lab", "10.9.1.0", "10.9.1.255"},
        {"lab", "2001:db8:2::10", "2001:db8:2::1:f"},
    };

    private static RoutingTable table(String world) {
        Set<String> tokens = world.equals("-") ? Set.of() : Set.of(world.trim().split("\\s+"));
        String yaml = """
                - name: split
                  trafficRoutingMethod: Subnet
                  dnsConfig: {relativeName: split}
                  endpoints:
                    - name: office
                      target: 192.0.2.1
                      endpointStatus: %s
                      subnets:
                        - {first: 10.0.0.5, last: 10.0.1.200}
                        - {first: "2001:db8:1::", scope: 48}
                    - name: lab
                      target: 192.0.2.2
                      endpointStatus: %s
                      subnets:
                        - {first: 10.8.0.0, scope: 16}
                        - {first: 10.9.0.7}
                        - 10.9.1.0/24
                        - {first: "2001:db8:2::10", last: "2001:db8:2::1:f"}
                """.formatted(status(tokens, "office"), status(tokens, "lab"));
        if (!tokens.contains("-rest")) {
            yaml += "    - {name: rest, target: 192.0.2.3, endpointStatus: %s}\n".formatted(status(tokens, "rest"));
        }
        RoutingTestWorld w = RoutingTestWorld.profiles(yaml);
        for (String token : tokens) {
            String[] kv = token.split("=");
            if (kv.length == 2 && !kv[1].equals("Disabled")) {
                w.health("split", kv[0], MonitorStatus.valueOf(kv[1]));
            }
        }
        return w.build();
    }

    private static String status(Set<String> tokens, String endpoint) {
        return tokens.contains(endpoint + "=Disabled") ? "Disabled" : "Enabled";
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2} {3} /{4}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # the range that holds the client wins; the scope is the block of the range around it
            -  | 10.0.0.5           | office | ANSWER | 32
            -  | 10.0.0.77          | office | ANSWER | 26
            -  | 10.0.1.200         | office | ANSWER | 32
            -  | 10.0.1.0/25        | office | ANSWER | 25
            -  | 10.8.0.0/16        | lab    | ANSWER | 16
            -  | 10.8.77.0/24       | lab    | ANSWER | 16
            -  | 10.9.0.7           | lab    | ANSWER | 32
            -  | 10.9.1.0/24        | lab    | ANSWER | 24
            -  | 2001:db8:1::1      | office | ANSWER | 48
            -  | 2001:db8:1:ff00::/56 | office | ANSWER | 48
            -  | 2001:db8:2::10     | lab    | ANSWER | 124
            -  | 2001:db8:2::1:5    | lab    | ANSWER | 124
            # just outside a range: the catch-all, for the widest network that stays outside
            -  | 10.0.0.4           | rest   | ANSWER | 32
            -  | 10.0.1.201         | rest   | ANSWER | 32
            -  | 10.9.0.6           | rest   | ANSWER | 32
            -  | 2001:db8:2::f      | rest   | ANSWER | 124
            -  | 192.0.2.1          | rest   | ANSWER | 1
            # an ECS network is held only by a range that holds all of it; ranges shorter than it do not count
            -  | 10.0.1.0/24        | rest   | ANSWER | 13
            -  | 10.8.0.0/15        | rest   | ANSWER | 0
            -  | 10.9.0.0/24        | rest   | ANSWER | 24
            -  | 2001:db8::/32      | rest   | ANSWER | 0
            -  | 2001:db8:2::/64    | rest   | ANSWER | 47
            # no catch-all: NODATA where no range holds the client
            -rest | 10.0.0.4        | null   | NODATA | 32
            -rest | 10.0.1.0/24     | null   | NODATA | 13
            -rest | 10.0.0.5        | office | ANSWER | 32
            # a disabled endpoint's ranges do not exist: the catch-all takes its clients
            office=Disabled | 10.0.0.5     | rest | ANSWER | 13
            office=Disabled | 2001:db8:1::1 | rest | ANSWER | 47
            office=Disabled | 10.8.1.1     | lab  | ANSWER | 16
            office=Disabled -rest | 10.0.0.5 | null | NODATA | 13
            rest=Disabled   | 10.0.0.4     | null | NODATA | 32
            # a Degraded mapping does not fail over, neither to the catch-all nor elsewhere
            office=Degraded | 10.0.0.5     | null | NODATA | 32
            office=Degraded | 10.0.0.4     | rest | ANSWER | 32
            office=Degraded | 10.8.1.1     | lab  | ANSWER | 16
            rest=Degraded   | 10.0.0.4     | null | NODATA | 32
            rest=Degraded   | 10.0.0.5     | office | ANSWER | 32
            # every eligible endpoint Degraded: the profile fails open and the mapping holds
            office=Degraded lab=Degraded rest=Degraded | 10.0.0.5 | office | ANSWER | 32
            office=Degraded lab=Degraded rest=Degraded | 10.0.0.4 | rest   | ANSWER | 32
            office=Degraded lab=Degraded rest=Disabled | 10.0.0.4 | null   | NODATA | 32
            office=Degraded lab=Degraded rest=Disabled | 10.8.0.1 | lab    | ANSWER | 16
            office=CheckingEndpoint | 10.0.0.5 | office | ANSWER | 32
            """)
    void theEndpointWhoseRangeHoldsTheClientAnswers(String world, String client, String expected,
                                                    RoutingOutcome outcome, int scope) {
        assertThat(answer(table(world), "split", client)).isEqualTo(new RoutingTestWorld.Answer(expected, outcome, scope));
    }

    @Test
    void everyEndpointDisabledIsNxdomain() {
        RoutingTable table = table("office=Disabled lab=Disabled rest=Disabled");
        assertThat(answer(table, "split", "10.0.0.5").outcome()).isEqualTo(RoutingOutcome.NXDOMAIN);
    }

    @Test
    void explainNamesTheRangeThatHoldsTheClientOrTheCatchAll() {
        RoutingTable table = table("-");
        Decision.Step held = explain(table, "split", "10.0.0.77/32").steps().get(0);
        assertThat(held.findings()).containsExactly("the client is in 10.0.0.64/26, one of office's subnets");
        assertThat(held.chosen()).containsExactly("office");
        assertThat(held.reason()).isEqualTo(Reason.SUBNET_MATCH.text());

        Decision.Step outside = explain(table, "split", "10.0.0.4/32").steps().get(0);
        assertThat(outside.findings()).isEmpty();
        assertThat(outside.chosen()).containsExactly("rest");
        assertThat(outside.reason()).isEqualTo(Reason.SUBNET_CATCH_ALL.text());
        assertThat(outside.endpoints()).filteredOn(e -> e.name().equals("office")).singleElement()
                .extracting(Decision.EndpointState::verdict).asString().contains("its subnets do not hold the client");

        Decision.Step down = explain(table("office=Degraded"), "split", "10.0.0.5/32").steps().get(0);
        assertThat(down.chosen()).isEmpty();
        assertThat(down.reason()).isEqualTo(Reason.SUBNET_ENDPOINT_DOWN.text());
    }

    // ---------------------------------------------------------------- ECS scope against a brute-force oracle

    /**
     * For random clients of many lengths, most near a range's edge: every network of the client's
     * length inside client/scope gets the answer the oracle gives (the endpoint whose configured
     * range holds all of it, else the catch-all), and client/(scope - 1) holds one that gets
     * another. The networks compared are all those that hold a range's edge, their neighbours and
     * the ends of the block: between two of them nothing can change, so the check is exhaustive.
     */
    @Test
    void theScopeIsTheWidestNetworkInWhichTheAnswerCannotChange() {
        RoutingTable table = table("-");
        Random random = new Random(7871);
        int[] v4Lengths = {8, 12, 13, 15, 16, 20, 22, 23, 24, 25, 26, 28, 30, 31, 32};
        int[] v6Lengths = {32, 40, 46, 47, 48, 56, 64, 100, 120, 123, 124, 127, 128};
        for (int i = 0; i < 600; i++) {
            boolean v6 = random.nextBoolean();
            int width = v6 ? 128 : 32;
            int[] lengths = v6 ? v6Lengths : v4Lengths;
            int length = lengths[random.nextInt(lengths.length)];
            BigInteger address;
            if (random.nextInt(4) == 0) {
                address = v6 ? number("2001:db8::").add(new BigInteger(80, random)) : number("10.0.0.0").add(new BigInteger(20, random));
            } else {
                String[] range = edgesOf(v6).get(random.nextInt(edgesOf(v6).size()));
                address = number(range[random.nextBoolean() ? 1 : 2]).add(BigInteger.valueOf(random.nextInt(5) - 2));
            }
            Net client = new Net(v6, address, width).truncate(length);
            RoutingTestWorld.Answer got = answer(table, "split", client.toString());
            assertThat(got.endpoint()).as("%s", client).isEqualTo(oracle(client));

            int scope = got.scope();
            assertThat(scope).as("%s", client).isBetween(0, width);
            Net holds = client.truncate(Math.min(scope, length));
            for (Net n : networksToCompare(holds, length)) {
                assertThat(answer(table, "split", n.toString()).endpoint())
                        .as("%s inside %s/%d (the scope of %s)", n, holds.first(), scope, client)
                        .isEqualTo(oracle(n)).isEqualTo(got.endpoint());
            }
            if (scope > 0 && scope <= length) {
                Net wider = client.truncate(scope - 1);
                assertThat(networksToCompare(wider, length)).as("%s: scope %d is not the widest", client, scope)
                        .anySatisfy(n -> assertThat(oracle(n)).isNotEqualTo(got.endpoint()));
            }
        }
    }

    private static List<String[]> edgesOf(boolean v6) {
        List<String[]> out = new ArrayList<>();
        for (String[] r : RANGES) {
            if (r[1].contains(":") == v6) {
                out.add(r);
            }
        }
        return out;
    }

    /** The endpoint whose configured range holds the whole network, else the catch-all. */
    private static String oracle(Net n) {
        for (String[] r : RANGES) {
            if (r[1].contains(":") == n.v6() && number(r[1]).compareTo(n.first()) <= 0 && n.last().compareTo(number(r[2])) <= 0) {
                return r[0];
            }
        }
        return "rest";
    }

    /** The networks of {@code length} in {@code block} at which an answer can change, and the block's ends. */
    private static Set<Net> networksToCompare(Net block, int length) {
        Set<Net> out = new LinkedHashSet<>();
        BigInteger size = BigInteger.ONE.shiftLeft(block.width() - length);
        out.add(new Net(block.v6(), block.first(), block.width()).truncate(length));
        out.add(new Net(block.v6(), block.last(), block.width()).truncate(length));
        for (String[] r : RANGES) {
            if (r[1].contains(":") != block.v6()) {
                continue;
            }
            for (BigInteger edge : List.of(number(r[1]), number(r[2]))) {
                Net at = new Net(block.v6(), edge, block.width()).truncate(length);
                for (BigInteger n : List.of(at.first().subtract(size), at.first(), at.first().add(size))) {
                    if (n.compareTo(block.first()) >= 0 && n.compareTo(block.last()) <= 0) {
                        out.add(new Net(block.v6(), n, block.width()).truncate(length));
                    }
                }
            }
        }
        return out;
    }

    /** A network as numbers, so that the oracle shares no code with the one under test. */
    private record Net(boolean v6, BigInteger first, int length) {
        int width() {
            return v6 ? 128 : 32;
        }

        Net truncate(int to) {
            BigInteger mask = BigInteger.ONE.shiftLeft(width() - to).subtract(BigInteger.ONE);
            return new Net(v6, first.andNot(mask), to);
        }

        BigInteger last() {
            return first.add(BigInteger.ONE.shiftLeft(width() - length)).subtract(BigInteger.ONE);
        }

        @Override
        public String toString() {
            byte[] raw = first.toByteArray();
            byte[] bytes = new byte[width() / 8];
            int n = Math.min(bytes.length, raw.length);
            System.arraycopy(raw, raw.length - n, bytes, bytes.length - n, n);
            return IpPrefix.fromBytes(bytes, length).toString();
        }
    }

    private static BigInteger number(String address) {
        return new BigInteger(1, IpPrefix.parse(address).addressBytes());
    }
}
