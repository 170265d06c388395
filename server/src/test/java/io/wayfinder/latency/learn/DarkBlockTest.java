package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of dark finest blocks (a /20 with no measured network, in a /16 with some): located by
 * their /24s when the geolocation source has no row for the /20's first address, so that they
 * get their own place's regional differences rather than their /16's row.
 */
class DarkBlockTest {
    /**
     * Two places 70 km apart, in different 1° cells, B the nearer to both regions: the distance
     * model cannot make West Europe slower from B (its slope is at least light in fibre).
     */
    private static final double[] A = {50.5, 9.7};
    private static final double[] B = {50.5, 8.7};

    @TempDir
    Path dir;

    @Test
    void aBlockIsLocatedByItsNetworksWhenItsFirstAddressHasNoRow() throws IOException {
        GeoLocator geo = Samples.geolocation(dir, List.of("10.1.66.0/24," + B[0] + "," + B[1], "10.1.70.0/24," + B[0] + "," + B[1],
                "10.1.75.0/24," + B[0] + "," + B[1], "10.1.90.0/24,0,0", "10.1.95.0/24,0,0", "10.1.120.0/24,0,0",
                "10.3.1.0/24,0,0", "10.3.2.0/24,0,0", "10.4.0.0/24," + A[0] + "," + A[1], "10.4.9.0/24,0,0"));
        long block = NetworkKeys.of(Samples.net("10.1.64.0/20"));
        double[] where = Anchors.locateBlock(geo, block);
        // Three of its sixteen /24s (64-79) have rows; the other rows lie in the next /20.
        assertThat(where).isNotNull();
        assertThat(where[0]).isCloseTo(B[0], within(1e-6));
        assertThat(where[1]).isCloseTo(B[1], within(1e-6));
        assertThat(Anchors.locateBlock(geo, NetworkKeys.of(Samples.net("10.1.0.0/20")))).isNull();
        // Two rows are not enough to outvote a wrong one: the block keeps its /16's row...
        assertThat(Anchors.locateBlock(geo, NetworkKeys.of(Samples.net("10.3.0.0/20")))).isNull();
        // ...unless its first address has a row, which places it, as a lookup of the block does.
        assertThat(Anchors.locateBlock(geo, NetworkKeys.of(Samples.net("10.4.0.0/20")))).containsExactly(A[0], A[1]);
        // The median of the first three found: one wrong row among three does not move it.
        GeoLocator oneWrong = Samples.geolocation(dir, List.of("10.2.1.0/24," + A[0] + "," + A[1], "10.2.2.0/24,0,0",
                "10.2.3.0/24," + A[0] + "," + A[1], "10.2.4.0/24,0,0", "10.2.5.0/24,0,0"));
        double[] median = Anchors.locateBlock(oneWrong, NetworkKeys.of(Samples.net("10.2.0.0/20")));
        assertThat(median[0]).isCloseTo(A[0], within(1e-6));
    }

    /**
     * West Europe is 12 ms slower from place B than from place A (its roads), North Europe the same
     * from both. /16 10.1 has five measured /20s at A and one at B, 10.2 three at B, 10.3 two at
     * each. 10.1's dark /20 at B, which the geolocation source places only by three of its /24s, gets
     * a row of its own, with B's difference between the regions: not its /16's row (mostly A's),
     * which a dark /20 the source cannot place at all falls under.
     */
    @Test
    void aDarkBlockPlacedOnlyByItsNetworksGetsItsOwnPlacesRow() throws IOException {
        Samples s = new Samples(11);
        List<String> rows = new ArrayList<>();
        for (String a : new String[] {"10.1.0", "10.1.16", "10.1.32", "10.1.80", "10.1.96", "10.3.0", "10.3.16"}) {
            lit(s, rows, a, A);
        }
        for (String b : new String[] {"10.1.48", "10.2.0", "10.2.16", "10.2.32", "10.3.32", "10.3.48"}) {
            lit(s, rows, b, B);
        }
        rows.add("10.1.66.0/24," + B[0] + "," + B[1]);
        rows.add("10.1.70.0/24," + B[0] + "," + B[1]);
        rows.add("10.1.75.0/24," + B[0] + "," + B[1]);
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        double placed = s.table("10.1.65.0/24", "westeurope") - s.table("10.1.65.0/24", "northeurope");
        double unplaced = s.table("10.1.241.0/24", "westeurope") - s.table("10.1.241.0/24", "northeurope");
        // The /16's row: West Europe faster, as from A (five of its six measured /20s; -10 ms there).
        assertThat(unplaced).isLessThan(-3);
        // The dark /20's row: towards B's +2 ms (0.2 ms here, the place's part shrunk by one
        // pseudo-block), far from the /16's. Before its /24s were looked up, it had the /16's row.
        // (What fitting the place's part apart adds shows at scale: DarkDiagnosisTest.)
        assertThat(placed).isGreaterThan(-1);
        assertThat(placed - unplaced).isGreaterThan(3);
    }

    /**
     * A dark /20 placed by its /24s (three at A): its /24 that the source places 262 km west of A,
     * nearer West Europe and farther from the UAE, gets a row of its own, the block's with the
     * distance model moved to its place; the /24s in town, one placed 9,000 km away (an error, not
     * a suburb) and those without a row take the block's row.
     */
    @Test
    void aDarkBlocksNetworkOutOfTownGetsTheDistanceModelAtItsOwnPlace() throws IOException {
        Samples s = new Samples(12);
        List<String> rows = new ArrayList<>();
        for (String a : new String[] {"10.1.0", "10.1.16", "10.1.32"}) {
            rows.add(a + ".0/20," + A[0] + "," + A[1]);
            String[] parts = a.split("\\.");
            for (int i = 0; i < 4; i++) {
                String network = parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + i) + ".0/24";
                s.add(network, "westeurope", 22 + 3 * i, 1, 20);
                s.add(network, "uaenorth", 60 + 3 * i, 1, 20);
            }
        }
        double[] west = {50.5, 6.0};
        rows.add("10.1.65.0/24," + A[0] + "," + A[1]);
        rows.add("10.1.66.0/24,50.55,9.75");
        rows.add("10.1.67.0/24," + A[0] + "," + A[1]);
        rows.add("10.1.70.0/24," + west[0] + "," + west[1]);
        rows.add("10.1.72.0/24,0,0");
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        double block = s.table("10.1.64.0/24", "westeurope") - s.table("10.1.64.0/24", "uaenorth");
        assertThat(block).isNotNaN();
        for (String inTown : new String[] {"10.1.65.0/24", "10.1.66.0/24", "10.1.72.0/24", "10.1.79.0/24"}) {
            assertThat(s.table(inTown, "westeurope") - s.table(inTown, "uaenorth")).as(inTown).isCloseTo(block, within(1e-9));
        }
        // 171 km nearer West Europe, about 200 km farther from the UAE: at least light in fibre's
        // 0.01 ms/km on each (the model's slope), so at least 3.7 ms between the two.
        double out = s.table("10.1.70.0/24", "westeurope") - s.table("10.1.70.0/24", "uaenorth");
        assertThat(out - block).isLessThan(-3.5);
    }

    /** A block a source places by one row costs one lookup; one placed by its /24s, one per row or gap. */
    @Test
    void probesTakeAnAnswerAsFarAsItHolds() throws IOException {
        int[] lookups = {0};
        GeoLocator rows = Samples.geolocation(dir, List.of("10.1.0.0/20," + A[0] + "," + A[1], "10.2.1.0/24," + A[0] + "," + A[1],
                "10.2.2.0/24," + B[0] + "," + B[1], "10.2.8.0/24,0,0"));
        GeoLocator counting = new GeoLocator() {
            @Override
            public io.wayfinder.geo.GeoLocation locate(io.wayfinder.net.IpPrefix client) {
                lookups[0]++;
                return rows.locate(client);
            }

            @Override
            public String describe() {
                return "counting";
            }
        };
        Anchors.Probes whole = Anchors.probeBlock(counting, NetworkKeys.of(Samples.net("10.1.0.0/20")), new Anchors.Probes(),
                Anchors.BLOCK_PROBES);
        assertThat(whole.count).isEqualTo(16);
        assertThat(lookups[0]).isEqualTo(1);
        lookups[0] = 0;
        Anchors.Probes split = Anchors.probeBlock(counting, NetworkKeys.of(Samples.net("10.2.0.0/20")), new Anchors.Probes(),
                Anchors.BLOCK_PROBES);
        // 0, 1, 2, 3, 4-7 (nothing there: a /22), 8, 9, 10-11, 12-15: nine lookups, not sixteen.
        assertThat(lookups[0]).isEqualTo(9);
        for (int i = 0; i < 16; i++) {
            io.wayfinder.geo.GeoLocation direct = rows.locate(Samples.net("10.2." + i + ".0/24"));
            assertThat(split.answer[i].known()).as("probe " + i).isEqualTo(direct.known());
            if (direct.known()) {
                assertThat(split.answer[i].latitude()).isEqualTo(direct.latitude());
            }
        }
    }

    /** A measured /20 at a place: four /24s, each with its last mile, many samples to both regions. */
    private static void lit(Samples s, List<String> rows, String prefix, double[] place) {
        s.litBlock(rows, prefix, place, place == B ? 12 : 0); // B's roads: 12 ms more to westeurope
    }
}
