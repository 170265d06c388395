package io.wayfinder.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hashes behind stable answers.
 *
 * <p><b>These values are pinned on purpose.</b> Every tie, every shared region and every weighted
 * profile picks its endpoint from these hashes, so changing any of them moves clients between
 * endpoints on upgrade (dropping caches and sessions), and makes nodes of different versions
 * answer the same client differently. If one of these tests fails, the change is a deliberate
 * migration that the release notes must announce, not a test to update in passing.
 */
class StableHashTest {

    /** SplitMix64 (Steele, Lea, Flood 2014): state k × 0x9E3779B97F4A7C15, outputs of the reference generator seeded with 0. */
    @ParameterizedTest(name = "mix({0} x golden gamma) = {1}")
    @CsvSource({
        "1, E220A8397B1DCDAF",
        "2, 6E789E6AA1B965F4",
        "3, 06C45D188009454F",
    })
    void mixIsTheSplitMix64Finaliser(long k, String expectedHex) {
        assertThat(StableHash.mix(k * 0x9E3779B97F4A7C15L)).isEqualTo(Long.parseUnsignedLong(expectedHex, 16));
    }

    @ParameterizedTest(name = "ofName({0}) = {1}")
    @CsvSource({
        "westeurope, 6548636194273048868",
        "WestEurope, 6548636194273048868",  // names are case-insensitive
        "eastus,     6583913525470615163",
        "web/eu1,    5312529677921293030",  // an endpoint seed: profile/endpoint
    })
    void nameSeedsArePinned(String name, long expected) {
        assertThat(StableHash.ofName(name)).isEqualTo(expected);
    }

    @Test
    void scoreIsPinned() {
        assertThat(StableHash.score(42, StableHash.ofName("westeurope"))).isEqualTo(-5000670093504262215L);
    }

    @ParameterizedTest(name = "{0} hashes to {1}")
    @CsvSource({
        "81.2.69.0/24,            1927033475211628811",
        "81.2.69.7/32,            1927033475211628811",  // hashed at /24
        "8.8.8.0/24,              -2055543476748785132",
        "10.0.0.0/16,             2966321624421008895",  // a short ECS source is hashed at its own length
        "2001:db8:1234::/48,      2388711626313359973",
        "2001:db8:1234:5600::/56, 2388711626313359973",  // hashed at /48
    })
    void clientNetworkHashesArePinned(String client, long expected) {
        RoutingContext context = new RoutingContext();
        context.reset(IpPrefix.parse(client));
        assertThat(context.clientHash()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "unit({0}) = {1}")
    @CsvSource({
        "0,                    1.1102230246251565E-16", // 2^-53: never 0, so -ln(u) stays finite
        "-1,                   1.0",
        "6238072747940578789,  0.33816660127198983",
    })
    void unitMapsAScoreIntoZeroExclusiveToOneInclusive(long score, double expected) {
        assertThat(StableHash.unit(score)).isEqualTo(expected);
    }

    /**
     * End to end: which endpoint of a weighted 1:3 pair, and which of two endpoints sharing a
     * region, a few client networks get. Pinned for the same reason as the hashes.
     */
    @ParameterizedTest(name = "{0} -> weighted {1}, shared region {2}")
    @CsvSource({
        "81.2.69.0/24,        heavy, one",
        "81.2.70.0/24,        light, one",
        "8.8.8.0/24,          heavy, one",
        "2001:db8:1234::/48,  heavy, two",
        "2001:db8:abcd::/48,  heavy, one",
        "2a00:1450:4009::/48, light, one",
    })
    void answersArePinned(String client, String weighted, String shared) {
        RoutingTable table = RoutingTestWorld.profiles("""
                - name: weighted
                  trafficRoutingMethod: Weighted
                  dnsConfig: {relativeName: w}
                  endpoints:
                    - {name: light, target: 192.0.2.1, weight: 1}
                    - {name: heavy, target: 192.0.2.2, weight: 3}
                - name: shared
                  trafficRoutingMethod: Performance
                  dnsConfig: {relativeName: s}
                  endpoints:
                    - {name: one, target: 192.0.2.1, endpointLocation: westeurope}
                    - {name: two, target: 192.0.2.2, endpointLocation: westeurope}
                """).build();
        assertThat(RoutingTestWorld.route(table, "weighted", client) + " " + RoutingTestWorld.route(table, "shared", client))
                .isEqualTo(weighted + " " + shared);
    }
}
