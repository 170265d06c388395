package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.explain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.control.LoadedSources;
import io.wayfinder.latency.Evidence;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.profile.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Explanations of the example world: the profiles of {@code examples/music-streaming.yaml} as
 * first published (copied here, so that edits to the example's endpoints do not move these
 * tests) over the example's data, {@code examples/data/latency.csv} and {@code geo.csv}. The
 * Performance profile {@code music} has eu in westeurope, us in eastus, asia in southeastasia,
 * and eu-failover in northeurope nesting the Priority profile {@code music-eu} (primary,
 * secondary). Variants edit this text.
 */
class DecisionRecorderTest {
    private static final Path EXAMPLES = examples();
    private static final String EU = "{name: eu, type: external, target: 192.0.2.10, endpointLocation: westeurope}";
    private static final String WORLD = """
            zones:
              - name: music.example.test
                nameservers: [ns1.music.example.test]
            geolocation:
              csv: data/geo.csv
            latency:
              sources: [data/latency.csv]
              aggregation: {minSamples: 50}
            profiles:
              - name: music
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www, ttl: 30}
                endpoints:
                  - %s
                  - {name: us, type: external, target: 2001:db8::10, endpointLocation: eastus}
                  - {name: asia, type: external, target: asia.cdn.example.net, endpointLocation: southeastasia}
                  - {name: eu-failover, type: nested, target: music-eu, endpointLocation: northeurope, minChildEndpoints: 1}
              - name: music-eu
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: eu, ttl: 30}
                endpoints:
                  - {name: primary, type: external, target: 192.0.2.20, priority: 1}
                  - {name: secondary, type: external, target: 192.0.2.21, priority: 2}
            """.formatted(EU);

    private static Path examples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/data/latency.csv"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("examples/data/latency.csv not found above " + Path.of("").toAbsolutePath());
    }

    /** The example's latency table, geolocation and fitted distance model, loaded once: variants change only profiles. */
    private static final LatencyEstimator ESTIMATOR = sources();

    private static LatencyEstimator sources() {
        try {
            return LoadedSources.load(ConfigLoader.reader().parse(WORLD, EXAMPLES)).estimator();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The example world with its text changed by {@code from -> to} pairs, under probe statuses ("profile/endpoint=Status ..."). */
    private static RoutingTable example(String health, String... edits) {
        String text = WORLD;
        for (int i = 0; i < edits.length; i += 2) {
            assertThat(text).contains(edits[i]);
            text = text.replace(edits[i], edits[i + 1]);
        }
        try {
            RoutingPlan plan = RoutingPlan.compile(ConfigLoader.reader().parse(text, EXAMPLES));
            return RoutingTable.build(plan, TestRoutingTables.statuses(plan, health), ESTIMATOR, null);
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    private static final RoutingTable EXAMPLE = example("");

    private static final Map<String, RoutingTable> VARIANTS = new ConcurrentHashMap<>();

    private static RoutingTable variant(String name) {
        return VARIANTS.computeIfAbsent(name, DecisionRecorderTest::load);
    }

    private static RoutingTable load(String name) {
        return switch (name) {
            case "example" -> EXAMPLE;
            case "eu-disabled" -> example("", EU, EU.replace("}", ", endpointStatus: Disabled}"));
            case "child-disabled" -> example("", "trafficRoutingMethod: Priority",
                    "trafficRoutingMethod: Priority\n    profileStatus: Disabled");
            case "primary-degraded" -> example("music-eu/primary=Degraded");
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The first endpoint that answers, or null. */
    private static String chosen(Decision decision) {
        return decision.answers().isEmpty() ? null : decision.answers().get(0).endpoint();
    }

    private static Decision.EndpointState endpoint(Decision decision, String name) {
        return decision.steps().stream().flatMap(s -> s.endpoints().stream())
                .filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0} -> {1} {2} /{3} ({4})")
    @CsvSource({
        "81.2.69.0/24,    eu,      192.0.2.10,           24, ECS",
        "81.2.69.7,       eu,      192.0.2.10,           24, resolver address",
        "2.125.160.0/24,  primary, 192.0.2.20,           24, ECS",
        "1.0.16.0/24,     asia,    asia.cdn.example.net, 24, ECS",
        "216.160.83.0/24, us,      2001:db8::10,         24, ECS",
        "81.2.0.0/16,     eu,      192.0.2.10,           16, ECS",
    })
    void theDecisionNamesTheAnswerTheScopeAndWhereTheClientCameFrom(String client, String chosen, String answer,
                                                                     int scope, String source) {
        Decision decision = explain(EXAMPLE, "music", client);
        assertThat(decision.profile()).isEqualTo("music");
        assertThat(decision.client()).isEqualTo(client.contains("/") ? client : client + "/32");
        assertThat(decision.clientSource()).isEqualTo(source);
        assertThat(chosen(decision)).isEqualTo(chosen);
        assertThat(decision.answers()).extracting(Decision.Answer::target).containsExactly(answer);
        assertThat(decision.scope()).isEqualTo(scope);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "81.2.69.0/24,   music/Performance/0/eu",
        "2.125.160.0/24, music/Performance/0/eu-failover music-eu/Priority/1/primary",
    })
    void thereIsOneStepPerNestingLevelWithItsDepth(String client, String expected) {
        List<String> steps = new ArrayList<>();
        for (Decision.Step s : explain(EXAMPLE, "music", client).steps()) {
            steps.add(s.profile() + "/" + s.method() + "/" + s.depth() + "/" + String.join(",", s.chosen()));
        }
        assertThat(String.join(" ", steps)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1}: {2} ms {3} {4} (samples: {5}, none where the table keeps no count)")
    @CsvSource({
        "81.2.69.0/24,    westeurope,    9.8,   MEASURED,  81.2.69.0/24,    ",
        "81.2.69.0/24,    southeastasia, 213.7, MEASURED,  81.2.69.0/24,    ",
        "81.2.69.7,       northeurope,   11.9,  MEASURED,  81.2.69.0/24,    ",
        "81.2.0.0/16,     westeurope,    12.4,  AGGREGATE, 81.2.0.0/16,     177",
        "81.2.0.0/16,     northeurope,   14.4,  AGGREGATE, 81.2.0.0/16,     203",
        "216.160.83.0/24, eastus,        73.8,  MEASURED,  216.160.83.0/24, ",
        "8.8.8.0/24,      westeurope,    ,      NONE,      ,                ",
    })
    void eachRegionEstimateCarriesItsEvidenceAndNetwork(String client, String region, Double rtt, Evidence evidence,
                                                        String network, Integer samples) {
        Decision.RegionEstimate estimate = explain(EXAMPLE, "music", client).steps().get(0).estimates().stream()
                .filter(r -> r.region().equals(region)).findFirst().orElseThrow();
        assertThat(estimate).isEqualTo(new Decision.RegionEstimate(region, rtt, evidence, network, samples));
    }

    @Test
    void aRegionTheTableNeverMeasuredForTheClientIsEstimatedFromDistance() {
        // 216.160.83.0/24 (near Seattle) has no westeurope figure; it is placed by geolocation.
        Decision.RegionEstimate estimate = explain(EXAMPLE, "music", "216.160.83.0/24").steps().get(0).estimates().stream()
                .filter(r -> r.region().equals("westeurope")).findFirst().orElseThrow();
        assertThat(estimate.evidence()).isEqualTo(Evidence.DISTANCE);
        assertThat(estimate.network()).isEqualTo("216.160.83.0/24");
        assertThat(estimate.rttMs()).isBetween(100.0, 250.0);
    }

    @ParameterizedTest(name = "{0}, {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "example          | 81.2.69.0/24   | eu          | Unmonitored | chosen: its region has the lowest estimated RTT",
        "example          | 81.2.69.0/24   | us          | Unmonitored | region eastus is slower: 121.0 ms against 9.8 ms for westeurope",
        "example          | 81.2.69.0/24   | eu-failover | Online      | region northeurope is slower: 11.9 ms against 9.8 ms for westeurope",
        "example          | 2.125.160.0/24 | eu-failover | Online      | chosen: its region has the lowest estimated RTT",
        "example          | 2.125.160.0/24 | primary     | Unmonitored | chosen: the available endpoint with the highest priority (lowest number)",
        "example          | 2.125.160.0/24 | secondary   | Unmonitored | priority 2; primary has priority 1",
        "eu-disabled      | 81.2.69.0/24   | eu          | Disabled    | not served: Disabled",
        "eu-disabled      | 81.2.69.0/24   | eu-failover | Online      | chosen: its region has the lowest estimated RTT",
        "child-disabled   | 2.125.160.0/24 | eu-failover | Stopped     | not served: Stopped",
        "child-disabled   | 2.125.160.0/24 | eu          | Unmonitored | chosen: its region has the lowest estimated RTT",
        "primary-degraded | 2.125.160.0/24 | primary     | Degraded    | not served: Degraded",
        "primary-degraded | 2.125.160.0/24 | secondary   | Unmonitored | chosen: the only endpoint that can be served",
    })
    void eachEndpointHasAStatusAndAVerdict(String variant, String client, String name, String status, String verdict) {
        Decision.EndpointState endpoint = endpoint(explain(variant(variant), "music", client), name);
        assertThat(endpoint.status()).isEqualTo(status);
        assertThat(endpoint.verdict()).isEqualTo(verdict);
    }

    @Test
    void anEndpointSharingTheWinnersRegionSaysTheHashPickedTheOther() {
        RoutingTable table = example("", EU,
                EU + "\n      - {name: eu2, type: external, target: 192.0.2.11, endpointLocation: westeurope}");
        Decision decision = explain(table, "music", "81.2.69.0/24");
        String winner = chosen(decision);
        String loser = winner.equals("eu") ? "eu2" : "eu";
        assertThat(winner).isIn("eu", "eu2");
        assertThat(endpoint(decision, loser).verdict())
                .isEqualTo("same region as " + winner + "; the stable hash of the client network picked " + winner);
        assertThat(endpoint(decision, winner).verdict()).startsWith("chosen: its region has the lowest estimated RTT and shares");
    }

    /** 8.8.8.0/24 is in neither the latency table nor the geolocation table: every region is unknown. */
    @Test
    void regionsWithNoEstimateAreExplainedAsATieBrokenByTheHash() {
        Decision decision = explain(EXAMPLE, "music", "8.8.8.0/24");
        Decision.Step step = decision.steps().get(0);
        String winnerRegion = step.endpoints().stream().filter(e -> e.name().equals(chosen(decision)))
                .findFirst().orElseThrow().region();
        assertThat(endpoint(decision, chosen(decision)).verdict()).contains("ties for the lowest estimated RTT");
        for (Decision.EndpointState e : step.endpoints()) {
            if (!e.name().equals(chosen(decision))) {
                assertThat(e.verdict()).as(e.name()).doesNotContain("null").doesNotContain("slower")
                        .startsWith("region " + e.region() + " ties with " + winnerRegion);
            }
        }
    }

    /** Every decision says where geolocation placed the client, whatever the method: here a Performance and a Priority profile. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "music,    216.160.83.0/24, true,  US, US-WA,  216.160.83.0/24",
        "music-eu, 81.2.69.7,       true,  GB, GB-ENG, 81.2.69.0/24",
        "music,    10.0.0.0/24,     false, ,   ,       8.0.0.0/6",
    })
    void theClientsLocationIsRecordedForEveryProfile(String profile, String client, boolean known, String country,
                                                     String subdivision, String network) {
        Decision.ClientLocation where = explain(EXAMPLE, profile, client).clientLocation();

        assertThat(where.configured()).isTrue();
        assertThat(where.known()).isEqualTo(known);
        assertThat(where.country()).isEqualTo(country);
        assertThat(where.subdivision()).isEqualTo(subdivision);
        assertThat(where.network()).isEqualTo(network);
        assertThat(where.latitude() != null).isEqualTo(known);
    }

    @Test
    void aFailOpenStepIsMarked() {
        RoutingTable table = example("music-eu/primary=Degraded music-eu/secondary=Degraded");
        Decision decision = explain(table, "music-eu", "2.125.160.0/24");
        assertThat(decision.steps()).extracting(Decision.Step::profile, Decision.Step::failOpen)
                .containsExactly(tuple("music-eu", true));
        assertThat(chosen(decision)).isEqualTo("primary");
        assertThat(explain(EXAMPLE, "music-eu", "2.125.160.0/24").steps().get(0).failOpen()).isFalse();
    }

    @Test
    void aDisabledProfileIsExplainedWithoutAnAnswer() {
        RoutingTable table = variant("child-disabled");
        Decision decision = explain(table, "music-eu", "2.125.160.0/24");
        assertThat(chosen(decision)).isNull();
        assertThat(decision.outcome()).isEqualTo(RoutingOutcome.NXDOMAIN);
        assertThat(decision.steps()).singleElement().satisfies(step -> {
            assertThat(step.reason()).isEqualTo("the profile is disabled");
            assertThat(step.endpoints()).extracting(Decision.EndpointState::status, Decision.EndpointState::verdict)
                    .containsOnly(tuple("Inactive", "not served: Inactive"));
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "100.64.0.0/24 | eu    | region westeurope is slower: no estimate against 300.0 ms for eastus",
        "100.64.0.0/24 | us    | chosen: its region has the lowest estimated RTT",
    })
    void aRegionWithoutAnEstimateIsSaidToHaveNone(String client, String name, String verdict) {
        RoutingTable table = RoutingTestWorld.profiles("""
                - name: web
                  trafficRoutingMethod: Performance
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: eu, target: 192.0.2.1, endpointLocation: westeurope}
                    - {name: us, target: 192.0.2.2, endpointLocation: eastus}
                """).latency("100.64.0.0/24", "eastus", 300).latency("1.0.0.0/24", "westeurope", 10).build();
        assertThat(endpoint(explain(table, "web", client), name).verdict()).isEqualTo(verdict);
    }

    @Test
    void aWeightedLoserIsToldItsWeightAndWhoTheHashPicked() {
        RoutingTable table = RoutingTestWorld.profiles("""
                - name: app
                  trafficRoutingMethod: Weighted
                  dnsConfig: {relativeName: app}
                  endpoints:
                    - {name: light, target: 192.0.2.1, weight: 1}
                    - {name: heavy, target: 192.0.2.2, weight: 3}
                """).build();
        Decision decision = explain(table, "app", "8.8.8.0/24");
        String winner = chosen(decision);
        String loser = winner.equals("heavy") ? "light" : "heavy";
        assertThat(endpoint(decision, winner).verdict()).isEqualTo("chosen: weighted choice by a stable hash of the client network");
        assertThat(endpoint(decision, loser).verdict()).isEqualTo("weight " + (loser.equals("heavy") ? 3 : 1)
                + "; the weighted hash of the client network picked " + winner);
        assertThat(decision.scope()).isEqualTo(24);
    }
}
