package io.wayfinder.routing;

import static io.wayfinder.routing.RoutingTestWorld.answer;
import static io.wayfinder.routing.RoutingTestWorld.explain;
import static io.wayfinder.routing.RoutingTestWorld.randomNetworks;
import static io.wayfinder.routing.RoutingTestWorld.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.latency.Evidence;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Performance routing over a small world (Amsterdam = westeurope, Virginia = eastus, Singapore =
 * southeastasia):
 * <ul>
 *   <li>81.2.69.0/24 (London): westeurope 10 ms, eastus 80, southeastasia 200, all measured</li>
 *   <li>1.0.16.0/24 (Tokyo): southeastasia 70 ms, eastus 150, westeurope 180</li>
 *   <li>24.0.0.0/24 (New Jersey): eastus 15 ms, westeurope 90, southeastasia 220</li>
 *   <li>203.0.113.0/24: westeurope 40 ms measured; eastus 30 ms only from the /16 aggregate (a
 *       measurement of 203.0.200.0/24); southeastasia from distance (203.0.112.0/20 is located in
 *       Amsterdam, about 10 500 km from Singapore: ~220 ms with the unfitted model)</li>
 *   <li>198.18.0.0/15: nothing measured, located in Singapore</li>
 *   <li>100.64.0.0/24 knows only eastus (300 ms); 101.0.0.0/24 knows only southeastasia (400 ms)</li>
 * </ul>
 */
class PerformanceRoutingTest {
    private static final String WEB = """
            - name: web
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: www}
              endpoints:
                - {name: eu, target: 192.0.2.1, endpointLocation: westeurope%s}
                - {name: us, target: 192.0.2.2, endpointLocation: eastus}
                - {name: asia, target: 192.0.2.3, endpointLocation: southeastasia}
            """;

    private static RoutingTestWorld world(String euExtra) {
        return RoutingTestWorld.profiles(WEB.formatted(euExtra))
                .latency("81.2.69.0/24", "westeurope", 10)
                .latency("81.2.69.0/24", "eastus", 80)
                .latency("81.2.69.0/24", "southeastasia", 200)
                .latency("1.0.16.0/24", "southeastasia", 70)
                .latency("1.0.16.0/24", "eastus", 150)
                .latency("1.0.16.0/24", "westeurope", 180)
                .latency("24.0.0.0/24", "eastus", 15)
                .latency("24.0.0.0/24", "westeurope", 90)
                .latency("24.0.0.0/24", "southeastasia", 220)
                .latency("203.0.113.0/24", "westeurope", 40)
                .latency("203.0.200.0/24", "eastus", 30)
                .located("203.0.112.0/20", 52.37, 4.90)
                .located("198.18.0.0/15", 1.28, 103.83)
                .latency("100.64.0.0/24", "eastus", 300)
                .latency("101.0.0.0/24", "southeastasia", 400);
    }

    private static final RoutingTable TABLE = world("").build();

    /** Azure exports name regions by display name; "West Europe" and "westeurope" are one region, one column. */
    @Test
    void azureDisplayNamesPlaceEndpointsInTheirRegion() {
        RoutingTable table = RoutingTestWorld.profiles("""
                - name: web
                  trafficRoutingMethod: Performance
                  dnsConfig: {relativeName: www}
                  endpoints:
                    - {name: eu, target: 192.0.2.1, endpointLocation: West Europe}
                    - {name: eu2, target: 192.0.2.4, endpointLocation: westeurope}
                    - {name: us, target: 192.0.2.2, endpointLocation: EAST US}
                """)
                .latency("81.2.69.0/24", "westeurope", 10)
                .latency("81.2.69.0/24", "eastus", 80)
                .latency("24.0.0.0/24", "eastus", 15)
                .latency("24.0.0.0/24", "westeurope", 90)
                .build();

        assertThat(table.regions()).extracting(RegionRef::name).containsExactly("westeurope", "eastus");
        assertThat(route(table, "web", "81.2.69.0/24")).isIn("eu", "eu2");
        assertThat(route(table, "web", "24.0.0.0/24")).isEqualTo("us");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "81.2.69.0/24,   eu",
        "81.2.69.77/32,  eu",
        "1.0.16.0/24,    asia",
        "24.0.0.0/24,    us",
        "203.0.113.0/24, us",   // the /16 aggregate (30 ms) beats the measurement (40 ms): lower RTT wins, not better evidence
        "203.0.114.0/24, us",
        "198.18.0.0/24,  asia", // distance only: Singapore is nearest
    })
    void picksTheRegionWithTheLowestEstimatedRtt(String client, String expected) {
        assertThat(route(TABLE, "web", client)).isEqualTo(expected);
    }

    /**
     * Distant regions must not tie: every figure the latency reader accepts is kept, so 5,000 ms
     * beats 9,000 ms for every client, not only for the half a tie-breaking hash would send there.
     */
    @Test
    void rttsAboveThreeSecondsAreComparedAsMeasured() {
        List<IpPrefix> clients = randomNetworks(8, 32, "10.0.0.0/8", 24);
        RoutingTestWorld world = RoutingTestWorld.profiles(WEB.formatted(""));
        for (IpPrefix client : clients) {
            world.latency(client.toString(), "westeurope", 9_000)
                    .latency(client.toString(), "eastus", 5_000)
                    .latency(client.toString(), "southeastasia", 60_000);
        }
        RoutingTable table = world.build();

        for (IpPrefix client : clients) {
            assertThat(route(table, "web", client)).as("%s", client).isEqualTo("us");
        }
        assertThat(explain(table, "web", clients.get(0).toString()).steps().get(0).estimates())
                .extracting(Decision.RegionEstimate::region, Decision.RegionEstimate::rttMs)
                .containsExactlyInAnyOrder(tuple("westeurope", 9_000.0), tuple("eastus", 5_000.0),
                        tuple("southeastasia", 60_000.0));
    }

    @ParameterizedTest(name = "{0}: {1} from {2} {3}")
    @CsvSource({
        "203.0.113.0/24, westeurope,    MEASURED,  203.0.113.0/24",
        "203.0.113.0/24, eastus,        AGGREGATE, 203.0.0.0/16",
        "203.0.113.0/24, southeastasia, DISTANCE,  203.0.112.0/20",
        "203.0.114.0/24, westeurope,    AGGREGATE, 203.0.112.0/20",
        "203.0.114.0/24, eastus,        AGGREGATE, 203.0.0.0/16",
        "203.0.114.0/24, southeastasia, DISTANCE,  203.0.112.0/20",
        "8.8.8.0/24,     westeurope,    NONE,      ",
    })
    void estimatesEachRegionFromTheMostSpecificEvidence(String client, String region, Evidence evidence, String network) {
        Decision.RegionEstimate estimate = explain(TABLE, "web", client).steps().get(0).estimates().stream()
                .filter(r -> r.region().equals(region)).findFirst().orElseThrow();
        assertThat(estimate.evidence()).isEqualTo(evidence);
        assertThat(estimate.network()).isEqualTo(network);
    }

    @ParameterizedTest(name = "{0} -> /{1}")
    @CsvSource({
        "81.2.69.0/24,   24",
        "81.2.69.77/32,  24", // the decision holds for the measured /24, not only for the host
        "203.0.113.0/24, 24", // measured /24, aggregate /16, distance /20
        "203.0.114.0/24, 23", // aggregate /20 and /16, distance /20; but 203.0.113.0/24, inside the /20 and
                              // the /22, has its own entry: the decision holds only for 203.0.114.0/23
        "198.18.0.0/24,  15", // distance only, from a /15 location
        "198.18.0.0/23,  15",
    })
    void scopeIsTheLongestEvidenceLengthOfTheComparedRegions(String client, int scope) {
        assertThat(answer(TABLE, "web", client).scope()).isEqualTo(scope);
    }

    @ParameterizedTest(name = "{0}: eu {1} -> {2} /{3}")
    @CsvSource({
        // westeurope is skipped: it is not estimated; 203.0.113.0/24 has its own entry, so /24 holds
        "81.2.69.0/24,   Disabled, us, 24",
        "203.0.113.0/24, Disabled, us, 24",
        "81.2.69.0/24,   Degraded, us, 24",
        "203.0.113.0/24, Degraded, us, 24",
    })
    void skipsARegionWithoutCandidates(String client, MonitorStatus eu, String expected, int scope) {
        RoutingTable table = eu == MonitorStatus.Disabled
                ? world(", endpointStatus: Disabled").build()
                : world("").health("web", "eu", eu).build();
        assertThat(answer(table, "web", client)).isEqualTo(new RoutingTestWorld.Answer(expected, scope));
        assertThat(explain(table, "web", client).steps().get(0).estimates())
                .extracting(Decision.RegionEstimate::region)
                .containsExactlyInAnyOrder("eastus", "southeastasia");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "81.2.69.0/24, eu",
        "1.0.16.0/24,  asia",
        "24.0.0.0/24,  us",
    })
    void whenEveryEndpointIsDegradedTheProfileFailsOpenToTheFastestRegion(String client, String expected) {
        RoutingTable table = world("").health("web", "eu", MonitorStatus.Degraded)
                .health("web", "us", MonitorStatus.Degraded).health("web", "asia", MonitorStatus.Degraded).build();
        assertThat(table.profile("web").failOpen()).isTrue();
        assertThat(route(table, "web", client)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "100.64.0.0/24, us",   // the known region is listed between two unknown ones
        "101.0.0.0/24,  asia", // the known region is listed last
    })
    void anUnknownEstimateLosesToAnyKnownOne(String client, String expected) {
        assertThat(route(TABLE, "web", client)).isEqualTo(expected);
        assertThat(answer(TABLE, "web", client).scope()).isEqualTo(24);
    }

    @ParameterizedTest(name = "{0} -> /{1}")
    @CsvSource({
        "8.8.8.0/24,               24",
        "8.8.8.8/32,               24",
        "8.8.0.0/20,               20",
        "2001:db8:1234:5600::/56,  48",
        "2001:db8:1234::/48,       48",
        "2001:db8::/32,            32",
    })
    void withNoEstimateAtAllTheStableHashChoosesAndTheScopeIsTheHashLength(String client, int scope) {
        RoutingTestWorld.Answer first = answer(TABLE, "web", client);
        assertThat(first.endpoint()).isNotNull();
        assertThat(first.scope()).isEqualTo(scope);
        RoutingTable rebuilt = world("").build();
        for (int i = 0; i < 5; i++) {
            assertThat(answer(TABLE, "web", client)).isEqualTo(first);
            assertThat(answer(rebuilt, "web", client)).isEqualTo(first);
        }
    }

    @Test
    void withNoEstimateAtAllDifferentNetworksAreSpreadOverEveryRegion() {
        Map<String, Long> counts = randomNetworks(7, 300, "8.0.0.0/8", 24).stream()
                .collect(Collectors.groupingBy(n -> route(TABLE, "web", n), Collectors.counting()));
        assertThat(counts).containsOnlyKeys("eu", "us", "asia");
        assertThat(counts.values()).allMatch(c -> c > 60);
    }

    @Test
    void hostsOfOneSlash24GetTheSameAnswerAsTheSlash24() {
        for (IpPrefix network : randomNetworks(8, 100, "8.0.0.0/8", 24)) {
            String expected = route(TABLE, "web", network);
            IpPrefix host = IpPrefix.ofIpv4(network.ipv4() | 0x5A, 32);
            assertThat(route(TABLE, "web", host)).as("%s", host).isEqualTo(expected);
        }
    }

    // --- ties -------------------------------------------------------------------------------

    private static final String TIE = """
            - name: web
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: www}
              endpoints:
                - {name: eu, target: 192.0.2.1, endpointLocation: westeurope}
                - {name: ne, target: 192.0.2.2, endpointLocation: northeurope}
                - {name: us, target: 192.0.2.3, endpointLocation: eastus}
            """;

    private static RoutingTable tieWorld(double westeurope, double northeurope) {
        return RoutingTestWorld.profiles(TIE)
                .latency("10.0.0.0/8", "westeurope", westeurope)
                .latency("10.0.0.0/8", "northeurope", northeurope)
                .latency("10.0.0.0/8", "eastus", 50)
                .build();
    }

    @Test
    void aTieIsBrokenTheSameWayOnEveryCallAndEveryBuild() {
        RoutingTable table = tieWorld(20, 20);
        RoutingTable rebuilt = tieWorld(20, 20);
        for (IpPrefix network : randomNetworks(11, 200, "10.0.0.0/8", 24)) {
            String first = route(table, "web", network);
            assertThat(first).isIn("eu", "ne");
            for (int i = 0; i < 3; i++) {
                assertThat(route(table, "web", network)).as("%s", network).isEqualTo(first);
            }
            assertThat(route(rebuilt, "web", network)).as("%s rebuilt", network).isEqualTo(first);
        }
    }

    @Test
    void aTieIsBrokenDifferentlyForDifferentClientNetworks() {
        RoutingTable table = tieWorld(20, 20);
        Map<String, Long> counts = randomNetworks(12, 1000, "10.0.0.0/8", 24).stream()
                .collect(Collectors.groupingBy(n -> route(table, "web", n), Collectors.counting()));
        assertThat(counts).containsOnlyKeys("eu", "ne");
        assertThat(counts.get("eu")).isBetween(400L, 600L);
    }

    @ParameterizedTest(name = "westeurope {0} ms, northeurope {1} ms -> /{2}")
    @CsvSource({
        "20.0, 20.0, 24", // the hash decided: the answer holds for the client's /24 only
        "20.0, 20.1, 8",  // 0.1 ms apart is not a tie: the /8 figure decided
        "20.1, 20.0, 8",
    })
    void scopeWidensToTheHashLengthOnlyWhenTheHashDecided(double westeurope, double northeurope, int scope) {
        RoutingTable table = tieWorld(westeurope, northeurope);
        for (IpPrefix network : randomNetworks(13, 50, "10.0.0.0/8", 24)) {
            assertThat(answer(table, "web", network.toString()).scope()).isEqualTo(scope);
        }
    }

    @ParameterizedTest(name = "westeurope {0} ms, northeurope {1} ms -> {2}")
    @CsvSource({
        "20.0, 20.1, eu",
        "20.1, 20.0, ne",
    })
    void aDifferenceOfOneTenthOfAMillisecondDecides(double westeurope, double northeurope, String expected) {
        RoutingTable table = tieWorld(westeurope, northeurope);
        for (IpPrefix network : randomNetworks(14, 200, "10.0.0.0/8", 24)) {
            assertThat(route(table, "web", network)).isEqualTo(expected);
        }
    }

    // --- several endpoints in one region ----------------------------------------------------

    private static RoutingTable sharedRegion(String eu2Status, MonitorStatus eu2Health, String eu3Status) {
        return RoutingTestWorld.profiles("""
                        - name: web
                          trafficRoutingMethod: Performance
                          dnsConfig: {relativeName: www}
                          endpoints:
                            - {name: eu1, target: 192.0.2.1, endpointLocation: westeurope}
                            - {name: us, target: 192.0.2.3, endpointLocation: eastus}
                            - {name: eu2, target: 192.0.2.2, endpointLocation: westeurope, endpointStatus: %s}
                            - {name: eu3, target: 192.0.2.4, endpointLocation: westeurope, endpointStatus: %s}
                        """.formatted(eu2Status, eu3Status))
                .latency("10.0.0.0/8", "westeurope", 20)
                .latency("10.0.0.0/8", "eastus", 50)
                .health("web", "eu2", eu2Health)
                .build();
    }

    /** eu1 and eu2 in westeurope (the fastest), eu3 there too but disabled. */
    private static RoutingTable twoInWesteurope() {
        return sharedRegion("Enabled", MonitorStatus.Online, "Disabled");
    }

    private static final List<IpPrefix> FIVE_HUNDRED = randomNetworks(21, 500, "10.0.0.0/8", 24);

    private static Map<IpPrefix, String> routes(RoutingTable table) {
        Map<IpPrefix, String> out = new HashMap<>();
        for (IpPrefix network : FIVE_HUNDRED) {
            out.put(network, route(table, "web", network));
        }
        return out;
    }

    @Test
    void endpointsOfTheFastestRegionShareItsClientsEachNetworkAlwaysGoingToTheSameOne() {
        Map<IpPrefix, String> first = routes(twoInWesteurope());
        assertThat(routes(twoInWesteurope())).isEqualTo(first);
        Map<String, Long> counts = first.values().stream().collect(Collectors.groupingBy(e -> e, Collectors.counting()));
        assertThat(counts).containsOnlyKeys("eu1", "eu2");
        assertThat(counts.get("eu1")).isBetween(200L, 300L);
    }

    @ParameterizedTest(name = "{0} -> /{1}")
    @CsvSource({
        "10.1.2.0/24, 24",
        "10.1.2.3/32, 24",
        "10.1.0.0/16, 16",
    })
    void endpointsSharingARegionAreChosenByHashSoTheScopeIsTheHashLength(String client, int scope) {
        assertThat(answer(twoInWesteurope(), "web", client).scope()).isEqualTo(scope);
    }

    @ParameterizedTest(name = "eu2 {0}, probes say {1}")
    @CsvSource({
        "Disabled, Online",
        "Enabled,  Degraded",
    })
    void removingAnEndpointMovesOnlyTheClientsThatHadIt(String eu2Status, MonitorStatus eu2Health) {
        Map<IpPrefix, String> before = routes(twoInWesteurope());
        Map<IpPrefix, String> after = routes(sharedRegion(eu2Status, eu2Health, "Disabled"));
        for (IpPrefix network : FIVE_HUNDRED) {
            String expected = before.get(network).equals("eu2") ? "eu1" : before.get(network);
            assertThat(after.get(network)).as("%s", network).isEqualTo(expected);
        }
    }

    @Test
    void addingAnEndpointTakesClientsOnlyFromTheOthersNeverShufflesThem() {
        Map<IpPrefix, String> before = routes(twoInWesteurope());
        Map<IpPrefix, String> after = routes(sharedRegion("Enabled", MonitorStatus.Online, "Enabled"));
        long toEu3 = 0;
        for (IpPrefix network : FIVE_HUNDRED) {
            if (!after.get(network).equals(before.get(network))) {
                assertThat(after.get(network)).as("%s moved", network).isEqualTo("eu3");
                toEu3++;
            }
        }
        assertThat(toEu3).isBetween(120L, 215L); // about a third
    }

    /** See WeightedRoutingTest: "c0" and "an" have equal String hash codes, so they would get equal seeds. */
    @Test
    void endpointsSharingARegionWhoseNamesCollideUnderStringHashCodeStillShareClients() {
        RoutingTable table = RoutingTestWorld.profiles("""
                        - name: web
                          trafficRoutingMethod: Performance
                          dnsConfig: {relativeName: www}
                          endpoints:
                            - {name: c0, target: 192.0.2.1, endpointLocation: westeurope}
                            - {name: an, target: 192.0.2.2, endpointLocation: westeurope}
                        """)
                .latency("10.0.0.0/8", "westeurope", 20)
                .build();
        Map<String, Long> counts = FIVE_HUNDRED.stream()
                .collect(Collectors.groupingBy(n -> route(table, "web", n), Collectors.counting()));
        assertThat(counts).containsOnlyKeys("c0", "an");
    }

    /**
     * The query path allocates nothing on any evidence path: a measured client, one with an
     * aggregate and a distance estimate (203.0.113.0/24), and one with only the distance model.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"81.2.69.0/24", "1.0.16.0/24", "203.0.113.0/24", "198.18.0.0/24", "198.18.7.0/24"})
    void routingAllocatesNothingOnAnyEvidencePath(String client) {
        IpPrefix network = IpPrefix.parse(client);
        Profile web = TABLE.profile("web");
        RoutingContext context = new RoutingContext();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 1000; i++) { // load the classes and make every lazy holder first
            context.reset(network);
            Router.route(TABLE, web, context, Trace.NONE);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            context.reset(network);
            Router.route(TABLE, web, context, Trace.NONE);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A location object per query would be 400 KB.
        assertThat(allocated).as("bytes allocated by 10,000 decisions for %s", client).isLessThan(4096);
    }

    // --- the scope must hold for every network inside it -------------------------------------

    /**
     * RFC 7871: a resolver caches the answer for the whole client network at the scope length and
     * gives it to every client inside. So every network inside {@code client/scope} must get the
     * same answer. Here 81.2.69.0/24 (eastus 10 ms) sits inside the 81.2.0.0/16 entry (westeurope 30 ms), and
     * 81.3.69.0/24 (eastus 10 ms) inside the 81.3.64.0/20 aggregate, which westeurope wins.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "81.2.69.0/24",
        "81.2.70.0/24",  // the /20 aggregate around 81.2.69.0/24 beats the covering /16 entry
        "81.2.200.0/24", // matched by the covering 81.2.0.0/16 entry
        "81.3.69.0/24",
        "81.3.72.0/24",  // no entry: the /20 aggregate
        "81.3.200.0/24", // no entry: the /16 aggregate
    })
    void everyNetworkInsideTheAnswersScopeGetsTheSameAnswer(String client) {
        RoutingTable table = RoutingTestWorld.profiles(WEB.formatted(""))
                .latency("81.2.0.0/16", "westeurope", 30)
                .latency("81.2.0.0/16", "eastus", 40)
                .latency("81.2.69.0/24", "westeurope", 90)
                .latency("81.2.69.0/24", "eastus", 10)
                .latency("81.3.69.0/24", "westeurope", 90, 100)
                .latency("81.3.69.0/24", "eastus", 10, 100)
                .latency("81.3.70.0/24", "westeurope", 30, 1000)
                .latency("81.3.70.0/24", "eastus", 40, 1000)
                .build();
        RoutingTestWorld.Answer answer = answer(table, "web", client);
        IpPrefix scoped = IpPrefix.parse(client).truncate(answer.scope());
        List<String> different = new ArrayList<>();
        int inside = 1 << Math.max(0, 24 - scoped.length());
        for (int i = 0; i < inside; i++) {
            IpPrefix network = IpPrefix.ofIpv4(scoped.ipv4() | i << 8, 24);
            String endpoint = route(table, "web", network);
            if (!answer.endpoint().equals(endpoint)) {
                different.add(network + " -> " + endpoint);
            }
        }
        assertThat(different).as("%s answers %s with scope /%d", client, answer.endpoint(), answer.scope()).isEmpty();
    }

    /**
     * Subnet overrides, as Azure's: {@code eu} also lists 24.0.0.0/24 (New Jersey, where eastus is
     * fastest) and the range 1.0.16.0 - 1.0.16.127 (half of Tokyo's /24). A client the override holds
     * goes to {@code eu} while it is available; when it is not, latency decides as for everyone else.
     */
    @ParameterizedTest(name = "{0}: eu {1} -> {2} /{3}")
    @CsvSource(delimiter = '|', textBlock = """
            24.0.0.0/24    | Online           | eu   | 24
            24.0.0.77/32   | Online           | eu   | 24
            24.0.0.77/32   | CheckingEndpoint | eu   | 24
            1.0.16.0/25    | Online           | eu   | 25
            1.0.16.5/32    | Online           | eu   | 25
            24.0.0.0/24    | Degraded         | us   | 24
            24.0.0.77/32   | Degraded         | us   | 24
            1.0.16.5/32    | Degraded         | asia | 25
            24.0.0.0/24    | Disabled         | us   | 24
            1.0.16.128/25  | Online           | asia | 25
            1.0.16.0/24    | Online           | asia | 24
            81.2.69.0/24   | Online           | eu   | 24
            81.2.69.0/24   | Degraded         | us   | 24
            """)
    void aSubnetOverrideAnswersWhileItsEndpointIsAvailableElseLatencyDecides(String client, MonitorStatus eu,
                                                                            String expected, int scope) {
        String overrides = ", subnets: [24.0.0.0/24, {first: 1.0.16.0, last: 1.0.16.127}]";
        RoutingTable table = eu == MonitorStatus.Disabled
                ? world(overrides + ", endpointStatus: Disabled").build()
                : world(overrides).health("web", "eu", eu).build();
        assertThat(answer(table, "web", client)).isEqualTo(new RoutingTestWorld.Answer(expected, RoutingOutcome.ANSWER, scope));
        Decision.Step step = explain(table, "web", client).steps().get(0);
        if (expected.equals("eu") && eu != MonitorStatus.Degraded && !client.startsWith("81.")) {
            assertThat(step.reason()).isEqualTo(Reason.SUBNET_OVERRIDE.text());
            assertThat(step.estimates()).as("no latency lookup").isEmpty();
        } else {
            assertThat(step.reason()).isNotEqualTo(Reason.SUBNET_OVERRIDE.text());
        }
    }

    @Test
    void whenEveryEndpointIsDegradedTheOverrideStillHolds() {
        RoutingTable table = world(", subnets: [24.0.0.0/24]").health("web", "eu", MonitorStatus.Degraded)
                .health("web", "us", MonitorStatus.Degraded).health("web", "asia", MonitorStatus.Degraded).build();
        assertThat(table.profile("web").failOpen()).isTrue();
        assertThat(answer(table, "web", "24.0.0.0/24")).isEqualTo(new RoutingTestWorld.Answer("eu", RoutingOutcome.ANSWER, 24));
    }
}
