package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.explain;
import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Geographic routing over one profile {@code geo} whose endpoints map codes at every level of
 * Azure's hierarchy:
 * <pre>
 *   california US-CA    us US    americas GEO-NA    europe GEO-EU    france FR (+ subnet override 198.51.100.0/24)
 *   world WORLD         eu-nested DE -> Priority child de-pool (de1, then de2)
 * </pre>
 * and where the clients are (each network a /16 unless said):
 * <pre>
 *   24.0.0.0 US-CA (but 24.0.128.0/17 US-TX)   24.1 US-TX   24.2 US, no subdivision   24.3 MX   24.4 CA-QC
 *   2.0 FR   2.1 IE   2.2 DE   1.0 JP   1.1 AU-NSW   198.51 US-CA   2a00:1450::/32 GB   anything else unknown
 * </pre>
 * A row's {@code world} column changes the profiles: {@code name=Status} is a probe result (for
 * Disabled, the endpoint's {@code endpointStatus}; for {@code de-pool}, its {@code profileStatus}),
 * {@code all=Degraded} makes every external endpoint Degraded, {@code +fallback} gives {@code geo}
 * a fallback {@code spare}; "-" is everything Online.
 */
class GeographicRoutingTest {
    private static final List<String> EXTERNAL = List.of("california", "us", "americas", "europe", "france", "world");

    private static RoutingTable table(String world) {
        Set<String> tokens = world.equals("-") ? Set.of() : Set.of(world.trim().split("\\s+"));
        String yaml = """
                - name: geo
                  trafficRoutingMethod: Geographic
                  dnsConfig: {relativeName: geo}
                  endpoints:
                    - {name: california, target: 192.0.2.1, geoMapping: [US-CA], endpointStatus: %s}
                    - {name: us, target: 192.0.2.2, geoMapping: [us], endpointStatus: %s}
                    - {name: americas, target: 192.0.2.3, geoMapping: [GEO-NA], endpointStatus: %s}
                    - {name: europe, target: 192.0.2.4, geoMapping: [GEO-EU], endpointStatus: %s}
                    - {name: france, target: 192.0.2.5, geoMapping: [FR], subnets: [198.51.100.0/24], endpointStatus: %s}
                    - {name: world, target: 192.0.2.6, geoMapping: [WORLD], endpointStatus: %s}
                    - {name: eu-nested, type: nested, target: de-pool, geoMapping: [DE], endpointStatus: %s}
                %s
                - name: de-pool
                  trafficRoutingMethod: Priority
                  profileStatus: %s
                  endpoints:
                    - {name: de1, target: 192.0.2.21, endpointStatus: %s}
                    - {name: de2, target: 192.0.2.22, endpointStatus: %s}
                - name: perf
                  trafficRoutingMethod: Performance
                  dnsConfig: {relativeName: perf}
                  endpoints:
                    - {name: to-geo, type: nested, target: geo, endpointLocation: westeurope}
                    - {name: asia, target: 192.0.2.30, endpointLocation: southeastasia}
                """.formatted(status(tokens, "california"), status(tokens, "us"), status(tokens, "americas"),
                status(tokens, "europe"), status(tokens, "france"), status(tokens, "world"), status(tokens, "eu-nested"),
                tokens.contains("+fallback") ? "  fallback: {name: spare, target: 192.0.2.99}" : "",
                status(tokens, "de-pool"), status(tokens, "de1"), status(tokens, "de2"));
        RoutingTestWorld w = RoutingTestWorld.profiles(yaml)
                .locatedIn("24.0.0.0/16", "US", "US-CA")
                .locatedIn("24.0.128.0/17", "US", "US-TX")
                .locatedIn("24.1.0.0/16", "US", "US-TX")
                .locatedIn("24.2.0.0/16", "US", "")
                .locatedIn("24.3.0.0/16", "MX", "")
                .locatedIn("24.4.0.0/16", "CA", "CA-QC")
                .locatedIn("2.0.0.0/16", "FR", "")
                .locatedIn("2.1.0.0/16", "IE", "")
                .locatedIn("2.2.0.0/16", "DE", "")
                .locatedIn("1.0.0.0/16", "JP", "")
                .locatedIn("1.1.0.0/16", "AU", "AU-NSW")
                .locatedIn("198.51.0.0/16", "US", "US-CA")
                .locatedIn("2a00:1450::/32", "GB", "")
                .latency("2.0.0.0/16", "westeurope", 10)
                .latency("2.0.0.0/16", "southeastasia", 200)
                .latency("2.2.0.0/16", "westeurope", 12)
                .latency("2.2.0.0/16", "southeastasia", 210)
                .latency("1.0.0.0/16", "westeurope", 250)
                .latency("1.0.0.0/16", "southeastasia", 40);
        for (String token : tokens) {
            String[] kv = token.split("=");
            if (kv.length != 2 || kv[1].equals("Disabled")) {
                continue;
            }
            MonitorStatus status = MonitorStatus.valueOf(kv[1]);
            if (kv[0].equals("all")) {
                EXTERNAL.forEach(e -> w.health("geo", e, status));
                w.health("de-pool", "de1", status).health("de-pool", "de2", status);
            } else {
                w.health(kv[0].startsWith("de") ? "de-pool" : "geo", kv[0], status);
            }
        }
        return w.build();
    }

    private static String status(Set<String> tokens, String name) {
        return tokens.contains(name + "=Disabled") ? "Disabled" : "Enabled";
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2} {3} /{4}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # the most specific code wins: subdivision, country, grouping, WORLD
            - | 24.0.5.0/24          | california | ANSWER | 17
            - | 24.0.200.0/24        | us         | ANSWER | 17
            - | 24.1.2.3             | us         | ANSWER | 16
            - | 24.2.0.0/24          | us         | ANSWER | 16
            - | 24.3.0.0/24          | americas   | ANSWER | 16
            - | 24.4.0.0/24          | americas   | ANSWER | 16
            - | 2.0.0.0/24           | france     | ANSWER | 16
            - | 2.1.0.0/24           | europe     | ANSWER | 16
            - | 2a00:1450:4009::/48  | europe     | ANSWER | 32
            - | 1.0.0.0/24           | world      | ANSWER | 16
            - | 1.1.0.0/24           | world      | ANSWER | 16
            # a location no code names (unknown) matches WORLD only; the scope is the unknown block
            - | 100.64.0.0/24        | world      | ANSWER | 2
            world=Disabled | 100.64.0.0/24 | null  | NODATA | 2
            world=Disabled | 1.0.0.0/24    | null  | NODATA | 16
            world=Disabled | 2.1.0.0/24    | europe | ANSWER | 16
            # a Degraded mapping still answers: no failover to the parent code
            california=Degraded | 24.0.5.0/24 | california | ANSWER | 17
            europe=Degraded     | 2.1.0.0/24  | europe     | ANSWER | 16
            world=Degraded      | 1.0.0.0/24  | world      | ANSWER | 16
            california=CheckingEndpoint | 24.0.5.0/24 | california | ANSWER | 17
            # a Disabled endpoint's codes are skipped: the search goes on up
            california=Disabled | 24.0.5.0/24 | us       | ANSWER | 17
            california=Disabled us=Disabled | 24.0.5.0/24 | americas | ANSWER | 17
            california=Disabled us=Disabled americas=Disabled | 24.0.5.0/24 | world | ANSWER | 17
            france=Disabled     | 2.0.0.0/24  | europe   | ANSWER | 16
            eu-nested=Disabled  | 2.2.0.0/24  | europe   | ANSWER | 16
            # a nested endpoint answers through its child; Stopped is NODATA with no climb
            - | 2.2.0.0/24                    | de1      | ANSWER | 16
            de1=Degraded | 2.2.0.0/24         | de2      | ANSWER | 16
            de1=Degraded de2=Degraded | 2.2.0.0/24 | de1 | ANSWER | 16
            de-pool=Disabled | 2.2.0.0/24     | null     | NODATA | 16
            de1=Disabled de2=Disabled | 2.2.0.0/24 | null | NODATA | 16
            de-pool=Disabled | 2.0.0.0/24     | france   | ANSWER | 16
            # a subnet override comes first, whatever the endpoint's health, unless it is disabled
            - | 198.51.100.7                  | france     | ANSWER | 24
            - | 198.51.100.0/24               | france     | ANSWER | 24
            france=Degraded | 198.51.100.7    | france     | ANSWER | 24
            france=Disabled | 198.51.100.7    | california | ANSWER | 16
            - | 198.51.7.0/24                 | california | ANSWER | 18
            - | 198.51.0.0/16                 | california | ANSWER | 16
            # every endpoint Degraded: the fallback if there is one, else the mappings as they are
            all=Degraded +fallback | 24.0.5.0/24 | spare  | ANSWER | 0
            all=Degraded +fallback | 2.2.0.0/24  | spare  | ANSWER | 0
            all=Degraded           | 24.0.5.0/24 | california | ANSWER | 17
            all=Degraded           | 2.2.0.0/24  | de1    | ANSWER | 16
            europe=Degraded +fallback | 2.1.0.0/24 | europe | ANSWER | 16
            """)
    void theMostSpecificMappedCodeAnswers(String world, String client, String expected, RoutingOutcome outcome,
                                          int scope) {
        assertThat(answer(table(world), "geo", client)).isEqualTo(new RoutingTestWorld.Answer(expected, outcome, scope));
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2} {3} /{4}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            -                | 2.0.0.0/24 | france | ANSWER | 16
            -                | 2.2.0.0/24 | de1    | ANSWER | 16
            de1=Degraded     | 2.2.0.0/24 | de2    | ANSWER | 16
            -                | 1.0.0.0/24 | asia   | ANSWER | 16
            de-pool=Disabled | 2.2.0.0/24 | null   | NODATA | 16
            """)
    void aPerformanceParentRoutesThroughAGeographicChild(String world, String client, String expected,
                                                         RoutingOutcome outcome, int scope) {
        assertThat(answer(table(world), "perf", client)).isEqualTo(new RoutingTestWorld.Answer(expected, outcome, scope));
    }

    @Test
    void explainSaysWhereTheClientIsAndWhichCodeMatched() {
        Decision decision = explain(table("-"), "geo", "24.0.5.0/24");
        Decision.Step step = decision.steps().get(0);
        assertThat(step.method()).isEqualTo("Geographic");
        assertThat(step.findings()).containsExactly(
                "the client is in US-CA, US (geolocation holds for 24.0.0.0/17); the most specific mapping is US-CA");
        assertThat(step.chosen()).containsExactly("california");
        assertThat(step.reason()).isEqualTo(Reason.GEO_MATCH.text());
        assertThat(verdict(step, "us")).isEqualTo("maps US, none of which is the most specific match");
        assertThat(decision.scope()).isEqualTo(17);
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            -                   | 100.64.0.0/24 | the client's location is unknown; the most specific mapping is WORLD
            california=Disabled | 24.0.5.0/24   | the client is in US-CA, US (geolocation holds for 24.0.0.0/17); the most specific mapping is US
            -                   | 2.1.0.0/24    | the client is in IE (geolocation holds for 2.1.0.0/16); the most specific mapping is GEO-EU
            world=Disabled      | 1.0.0.0/24    | the client is in JP (geolocation holds for 1.0.0.0/16); no geoMapping contains it
            """)
    void explainFindings(String world, String client, String finding) {
        assertThat(explain(table(world), "geo", client).steps().get(0).findings()).containsExactly(finding);
    }

    @Test
    void explainSaysAStoppedMappingEndsTheSearch() {
        Decision decision = explain(table("de-pool=Disabled"), "geo", "2.2.0.0/24");
        Decision.Step step = decision.steps().get(0);
        assertThat(decision.outcome()).isEqualTo(RoutingOutcome.NODATA);
        assertThat(step.chosen()).isEmpty();
        assertThat(step.reason()).isEqualTo(Reason.GEO_ENDPOINT_STOPPED.text());
        assertThat(step.findings()).singleElement().asString().contains("DE").contains("the most specific mapping is DE");
        assertThat(step.endpoints()).filteredOn(e -> e.name().equals("eu-nested")).singleElement()
                .extracting(Decision.EndpointState::status).isEqualTo("Stopped");
    }

    @Test
    void explainOfADegradedMappingShowsItChosenAnyway() {
        Decision.Step step = explain(table("california=Degraded"), "geo", "24.0.5.0/24").steps().get(0);
        assertThat(step.chosen()).containsExactly("california");
        assertThat(step.endpoints()).filteredOn(e -> e.name().equals("california")).singleElement()
                .satisfies(e -> {
                    assertThat(e.status()).isEqualTo("Degraded");
                    assertThat(e.verdict()).startsWith("chosen: ");
                });
    }

    @Test
    void explainOfASubnetOverrideNamesTheSubnet() {
        Decision.Step step = explain(table("france=Degraded"), "geo", "198.51.100.7/32").steps().get(0);
        assertThat(step.findings()).containsExactly("the client is in 198.51.100.0/24, one of france's subnets");
        assertThat(step.chosen()).containsExactly("france");
        assertThat(step.reason()).isEqualTo(Reason.SUBNET_OVERRIDE.text());
    }

    private static String verdict(Decision.Step step, String endpoint) {
        return step.endpoints().stream().filter(e -> e.name().equals(endpoint)).findFirst().orElseThrow().verdict();
    }
}
