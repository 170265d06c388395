package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyEstimatorTest {
    private static final RegionCatalogue REGIONS = RegionCatalogue.builtIn();
    private static final DistanceModel MODEL = new DistanceModel(0.02, 8, 100, 0.9, true);

    /**
     * Aggregation levels /20, /16, /8 and /40, /32, at least 10 samples. Row letters are used in
     * the comments of {@link #mostSpecificEvidenceWins}.
     */
    private static LatencyTable world() {
        return new LatencyTableBuilder()
                .aggregation(new int[] {20, 16, 8}, new int[] {40, 32}, 10)
                .add(p("10.0.0.0/8"), "eastus", 100, 1)           // A
                .add(p("10.1.0.0/16"), "westeurope", 30, 1)       // B
                .add(p("10.1.2.0/24"), "eastus", 12, 1)           // C
                .add(p("10.5.1.0/24"), "eastus", 20, 10)          // D
                .add(p("20.1.1.0/24"), "eastus", 40, 10)          // E
                .add(p("20.1.2.0/24"), "eastus", 60, 10)          // F
                .add(p("20.1.16.0/24"), "eastus", 80, 10)         // G
                .add(p("20.2.0.0/24"), "eastus", 200, 10)         // H
                .add(p("20.1.0.0/16"), "eastus", 10, 1)           // I
                .add(p("2001:db8:1::/48"), "eastus", 70, 5)       // J
                .add(p("2001:db8:2::/48"), "eastus", 90, 5)       // K
                .add(p("2001:db8:1:1::/64"), "westeurope", 25, 1) // L
                .build();
    }

    @ParameterizedTest(name = "{0} to {1}: {2} {3} ms from /{4}")
    @CsvSource(textBlock = """
            # own entry (C), also for a host inside it
            10.1.2.0/24,         eastus,     MEASURED,  12,   24, 0
            10.1.2.77/32,        eastus,     MEASURED,  12,   24, 0
            # inherited per region: westeurope from B, eastus from A
            10.1.2.0/24,         westeurope, COVERING,  30,   16, 0
            # A's /8 figure ties with the /8 aggregate (A+C+D = 12 samples): the table figure wins
            10.1.3.0/24,         eastus,     COVERING,  100,  8,  0
            # the /20 aggregate of D is longer than A's covering /8 figure
            10.5.2.0/24,         eastus,     AGGREGATE, 20,   20, 10
            10.5.1.0/24,         eastus,     MEASURED,  20,   24, 0
            # own /24 beats the /20 aggregate of E+F
            20.1.1.0/24,         eastus,     MEASURED,  40,   24, 0
            # the /20 aggregate (E+F) is longer than I's /16 figure
            20.1.3.0/24,         eastus,     AGGREGATE, 50,   20, 20
            # no /20 block here; I's /16 figure ties with the /16 aggregate and wins
            20.1.32.0/24,        eastus,     MEASURED,  10,   16, 0
            # no entry, no /20 or /16 block: the /8 aggregate (E+F+G+H+I)
            20.3.0.0/24,         eastus,     AGGREGATE, 92.9, 8,  41
            # an ECS /19 ignores the /20 aggregate inside it
            20.1.0.0/19,         eastus,     MEASURED,  10,   16, 0
            # IPv6: own /48, a /64 inheriting from its /48, the /64's own figure
            2001:db8:1::/56,     eastus,     MEASURED,  70,   48, 0
            2001:db8:1:1::/64,   eastus,     COVERING,  70,   48, 0
            2001:db8:1:1::/64,   westeurope, MEASURED,  25,   64, 0
            # the /40 and the /32 aggregates of J+K
            2001:db8:3::/48,     eastus,     AGGREGATE, 80,   40, 10
            2001:db8:100::/56,   eastus,     AGGREGATE, 80,   32, 10
            # an ECS /32 client: the /40 aggregate is longer than the client and ignored
            2001:db8::/32,       eastus,     AGGREGATE, 80,   32, 10
            """)
    void mostSpecificEvidenceWins(String client, String region, Evidence evidence, double ms, int length,
                                  int samples) {
        LatencyEstimator.Lookup lookup = estimate(world(), GeoLocator.NONE, client, region);

        assertThat(lookup.evidence()).isEqualTo(evidence);
        assertThat(lookup.rttMs()).isCloseTo(ms, within(0.05));
        assertThat(lookup.evidenceLength()).isEqualTo(length);
        assertThat(lookup.samples()).isEqualTo(samples);
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource(textBlock = """
            # A has no westeurope figure and B's single sample makes no aggregate
            10.9.0.0/24,        westeurope
            # families are separate: the IPv4-mapped form of C knows nothing
            ::ffff:10.1.2.0/120, eastus
            # a region the table never measured
            10.1.2.0/24,        southindia
            """)
    void nothingKnownAndNoGeolocationIsNoneAtInfinity(String client, String region) {
        LatencyEstimator.Lookup lookup = estimate(world(), GeoLocator.NONE, client, region);

        assertThat(lookup.evidence()).isEqualTo(Evidence.NONE);
        assertThat(lookup.rttMs()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(lookup.evidenceLength()).isZero();
        assertThat(lookup.samples()).isZero();
    }

    /** A /24 figure says nothing certain about the rest of an ECS /16 (RFC 7871 scope). */
    @ParameterizedTest(name = "client {0}: {1}")
    @CsvSource(textBlock = """
            10.1.0.0/16,    NONE,     0
            10.1.0.0/20,    NONE,     0
            10.1.0.0/24,    MEASURED, 5
            10.1.0.128/25,  MEASURED, 5
            """)
    void clientNetworkShorterThanTheEvidenceIgnoresIt(String client, Evidence evidence, double ms) {
        LatencyTable table = new LatencyTableBuilder().add(p("10.1.0.0/24"), "eastus", 5, 1).build();

        LatencyEstimator.Lookup lookup = estimate(table, GeoLocator.NONE, client, "eastus");

        assertThat(lookup.evidence()).isEqualTo(evidence);
        if (evidence != Evidence.NONE) {
            assertThat(lookup.rttMs()).isEqualTo(ms);
        }
    }

    /**
     * A /8 covers the whole of an ECS /16 client, so its figure applies, whether or not the /24 at
     * the client's first address has a figure of its own for the region.
     */
    @ParameterizedTest(name = "/24 measured {0}")
    @CsvSource(textBlock = """
            westeurope
            eastus
            """)
    void clientNetworkShorterThanItsEntryStillGetsTheCoveringFigure(String regionOfTheSlash24) {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("10.0.0.0/8"), "eastus", 50, 1)
                .add(p("10.1.0.0/24"), regionOfTheSlash24, 5, 1)
                .build();

        LatencyEstimator.Lookup lookup = estimate(table, GeoLocator.NONE, "10.1.0.0/16", "eastus");

        assertThat(lookup.evidence()).isEqualTo(Evidence.COVERING);
        assertThat(lookup.rttMs()).isEqualTo(50);
        assertThat(lookup.evidenceLength()).isEqualTo(8);
    }

    @ParameterizedTest(name = "client {0}: valid for /{1}")
    @CsvSource(textBlock = """
            # the answer is valid for the shorter of the located network and the client network
            81.2.69.0/24,  24
            81.2.69.7/32,  24
            81.2.69.0/26,  24
            81.2.0.0/16,   8
            82.0.0.0/16,   16
            """)
    void geolocatedClientWithoutTableEvidenceGetsTheDistanceModel(String client, int length) {
        FakeGeo geo = new FakeGeo().put("81.2.69.0/24", 51.5, -0.09).put("81.0.0.0/8", 51.5, -0.09)
                .put("82.0.0.0/24", 51.5, -0.09);
        Region eastus = REGIONS.find("eastus").orElseThrow();

        LatencyEstimator.Lookup lookup = estimate(world(), geo, client, "eastus");

        double km = GreatCircle.kilometres(51.5, -0.09, eastus.latitude(), eastus.longitude());
        assertThat(lookup.evidence()).isEqualTo(Evidence.DISTANCE);
        assertThat(lookup.rttMs()).isCloseTo(0.02 * km + 8, within(1e-9));
        assertThat(lookup.evidenceLength()).isEqualTo(length);
        assertThat(lookup.location().known()).isTrue();
        assertThat(lookup.location().countryCode()).isEqualTo("GB");
    }

    @Test
    void tableEvidenceIsPreferredToDistanceAndLeavesGeolocationAlone() {
        FakeGeo geo = new FakeGeo().put("10.0.0.0/8", 51.5, -0.09);

        LatencyEstimator.Lookup lookup = estimate(world(), geo, "10.1.2.0/24", "eastus");

        assertThat(lookup.evidence()).isEqualTo(Evidence.MEASURED);
        assertThat(geo.calls).isZero();
        assertThat(lookup.location()).isNull();
    }

    @Test
    void aRegionTheTableNeverMeasuredUsesDistanceEvenWhereTheClientIsMeasured() {
        FakeGeo geo = new FakeGeo().put("10.0.0.0/8", 51.5, -0.09);
        LatencyTable table = world();
        Region region = REGIONS.find("southindia").orElseThrow();
        LatencyEstimator estimator = new LatencyEstimator(table, geo, MODEL);
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        lookup.reset(p("10.1.2.0/24"));

        estimator.estimate(lookup, table.column("southindia"), region.latitude(), region.longitude());

        assertThat(table.column("southindia")).isEqualTo(-1);
        assertThat(lookup.evidence()).isEqualTo(Evidence.DISTANCE);
        assertThat(lookup.evidenceLength()).isEqualTo(8);
    }

    @Test
    void oneLookupServesSeveralRegionsAndGeolocatesOncePerClient() {
        FakeGeo geo = new FakeGeo().put("10.0.0.0/8", 51.5, -0.09).put("30.0.0.0/8", 40.7, -74.0);
        LatencyEstimator estimator = new LatencyEstimator(world(), geo, MODEL);
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();

        lookup.reset(p("10.9.0.0/24"));
        List<Evidence> first = new ArrayList<>();
        for (String region : List.of("eastus", "westeurope", "southindia", "westeurope")) {
            estimate(estimator, lookup, region);
            first.add(lookup.evidence());
        }
        lookup.reset(p("30.0.0.0/24"));
        estimate(estimator, lookup, "westeurope");
        double london = GreatCircle.kilometres(40.7, -74.0, 52.3667, 4.9);

        assertThat(first).containsExactly(Evidence.MEASURED, Evidence.DISTANCE, Evidence.DISTANCE, Evidence.DISTANCE);
        assertThat(lookup.client()).isEqualTo(p("30.0.0.0/24"));
        assertThat(lookup.rttMs()).isCloseTo(0.02 * london + 8, within(1e-6));
        assertThat(geo.calls).isEqualTo(2);
    }

    /**
     * Sixteen aggregation levels /31 down to /16 (the most the builder accepts): the last is the
     * only one with data. Every level must look up the client's own block.
     */
    @Test
    void everyAggregationLevelLooksUpTheClientsOwnBlock() {
        int[] levels = IntStream.rangeClosed(16, 31).toArray();
        LatencyTable table = new LatencyTableBuilder()
                .aggregation(levels, new int[] {32}, 10)
                .add(p("10.0.0.0/16"), "eastus", 10, 10)
                .add(p("20.0.0.0/16"), "eastus", 90, 10)
                .build();

        LatencyEstimator.Lookup lookup = estimate(table, GeoLocator.NONE, "20.0.5.0/24", "eastus");

        assertThat(table.levels(false)).hasSize(16);
        assertThat(lookup.evidence()).isEqualTo(Evidence.MEASURED);
        assertThat(lookup.rttMs()).isEqualTo(90);

        LatencyEstimator.Lookup ecs = estimate(table, GeoLocator.NONE, "20.0.0.0/15", "eastus");
        assertThat(ecs.evidence()).isEqualTo(Evidence.NONE);

        LatencyTable onlyAggregates = new LatencyTableBuilder()
                .aggregation(levels, new int[] {32}, 10)
                .add(p("10.0.1.0/24"), "eastus", 10, 10)
                .add(p("20.0.1.0/24"), "eastus", 90, 10)
                .build();
        LatencyEstimator.Lookup slash16 = estimate(onlyAggregates, GeoLocator.NONE, "20.0.0.0/16", "eastus");
        assertThat(slash16.evidence()).isEqualTo(Evidence.AGGREGATE);
        assertThat(slash16.evidenceLength()).isEqualTo(16);
        assertThat(slash16.rttMs()).as("the aggregate of 20.0.0.0/16, not of 10.0.0.0/16").isEqualTo(90);
    }

    /**
     * The lookup says for which network around the client everything it found holds: the table
     * entry's interval, each aggregate level consulted, and the geolocation when it was needed.
     * Table 10.0.0.0/8 and 10.1.2.0/24 (one sample each, so no aggregates), no geolocation.
     */
    @ParameterizedTest(name = "{0} to {1}: holds for /{2}")
    @CsvSource(textBlock = """
            10.1.2.0/24,  eastus,     24
            10.1.2.7/32,  eastus,     24
            10.1.3.0/24,  eastus,     24
            10.2.0.0/24,  eastus,     15
            10.2.0.0/16,  eastus,     15
            10.128.0.0/9, eastus,     9
            9.0.0.0/24,   eastus,     7
            # a region the table never measured: only the geolocation was consulted (nothing, anywhere)
            10.1.2.0/24,  westeurope, 0
            """)
    void theLookupSaysForWhichNetworkItsFindingsHold(String client, String region, int holding) {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("10.0.0.0/8"), "eastus", 100, 1)
                .add(p("10.1.2.0/24"), "eastus", 12, 1)
                .build();

        LatencyEstimator.Lookup lookup = estimate(table, GeoLocator.NONE, client, region);

        assertThat(lookup.holdingLength()).isEqualTo(holding);
    }

    private static LatencyEstimator.Lookup estimate(LatencyTable table, GeoLocator geo, String client, String region) {
        LatencyEstimator estimator = new LatencyEstimator(table, geo, MODEL);
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        lookup.reset(p(client));
        estimate(estimator, lookup, region);
        return lookup;
    }

    private static void estimate(LatencyEstimator estimator, LatencyEstimator.Lookup lookup, String region) {
        Region r = REGIONS.find(region).orElseThrow();
        estimator.estimate(lookup, estimator.table().column(region), r.latitude(), r.longitude());
    }

    private static IpPrefix p(String text) {
        return IpPrefix.parse(text);
    }

    /** Longest-prefix geolocation from a few hand-written networks; counts lookups. */
    static final class FakeGeo implements GeoLocator {
        private final Map<IpPrefix, GeoLocation> networks = new LinkedHashMap<>();
        int calls;

        FakeGeo put(String network, double latitude, double longitude) {
            IpPrefix prefix = IpPrefix.parse(network);
            networks.put(prefix, new GeoLocation(latitude, longitude, "GB", prefix));
            return this;
        }

        @Override
        public GeoLocation locate(IpPrefix address) {
            calls++;
            GeoLocation best = null;
            for (GeoLocation location : networks.values()) {
                if (location.network().contains(first(address))
                        && (best == null || location.network().length() > best.network().length())) {
                    best = location;
                }
            }
            // Like a real source, the answer holds at most for the client's own network.
            return best == null ? GeoLocation.unknown(address)
                    : best.holdingFor(address.truncate(Math.min(best.sourceLength(), address.length())));
        }

        private static IpPrefix first(IpPrefix address) {
            return address.ipv6() ? IpPrefix.ofIpv6(address.hi(), address.lo(), 128)
                    : IpPrefix.ofIpv4(address.ipv4(), 32);
        }

        @Override
        public String describe() {
            return "fake";
        }
    }
}
