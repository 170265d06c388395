package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dark /20's row leans towards its /16's as far as measured /20s held out at the same distance
 * from their /16's others say its own geolocation misleads ({@link DarkBlend}).
 */
class DarkBlendTest {
    /** Frankfurt-ish: where every /16's measured /20s truly are. */
    private static final double[] A = {50.5, 9.7};

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"0, 0", "99.9, 0", "100, 1", "250, 2", "1500, 4", "8000, 7", "20000, 7"})
    void bandsDoubleFromTheMetroOutwards(double km, int band) {
        assertThat(DarkBlend.band(km)).isEqualTo(band);
    }

    @Test
    void aSixteenWithoutAPlacedMeasuredBlockHasABandOfItsOwn() {
        assertThat(DarkBlend.band(Double.POSITIVE_INFINITY)).isEqualTo(DarkBlend.BANDS - 1);
        assertThat(DarkBlend.nearestKm(0, 0, new double[] {Double.NaN, 5}, new double[] {0, 0}, 0, 2, 1))
                .isEqualTo(Double.POSITIVE_INFINITY);
    }

    /**
     * In one band, 30 held-out blocks whose target is their own row and 20 whose target is their
     * /16's row (a wrong place): the weight that minimises the squared error is 0.6, whatever the
     * rows' common offsets (only differences between regions count). A band with fewer than
     * {@link DarkBlend#MIN_BLOCKS} held-out blocks keeps the block's own row.
     */
    @Test
    void theWeightIsTheShareOfHeldOutBlocksTheirOwnRowPredicts() {
        DarkBlend.Learner learner = new DarkBlend.Learner();
        double[] own = {10, 30, 50};
        double[] coarse = {40, 20, 35};
        for (int i = 0; i < 50; i++) {
            double[] truth = i < 30 ? shifted(own, 7) : shifted(coarse, -3);
            learner.add(1500, truth, own, coarse, 3);
        }
        for (int i = 0; i < DarkBlend.MIN_BLOCKS - 1; i++) {
            learner.add(50, coarse, own, coarse, 3);
        }
        DarkBlend blend = learner.result();
        assertThat(blend.weight(1500)).isCloseTo(0.6, within(1e-9));
        assertThat(blend.weight(50)).isEqualTo(1.0);
        assertThat(blend.weight(5000)).isEqualTo(1.0);
    }

    @Test
    void theWeightStaysWithinZeroAndOne() {
        DarkBlend.Learner learner = new DarkBlend.Learner();
        double[] own = {10, 30};
        double[] coarse = {30, 10};
        for (int i = 0; i < DarkBlend.MIN_BLOCKS; i++) {
            learner.add(300, new double[] {50, 10}, own, coarse, 2); // beyond the coarse row
            learner.add(3000, new double[] {0, 40}, own, coarse, 2); // beyond the own row
        }
        DarkBlend blend = learner.result();
        assertThat(blend.weight(300)).isEqualTo(0.0);
        assertThat(blend.weight(3000)).isEqualTo(1.0);
    }

    /**
     * 21 /16s, each with three measured /20s at A and one geolocated in Iberia, 1,300-1,900 km
     * away, each in a 1° cell of its own, that behaves as if at A (placed wrongly): West Europe 10
     * ms faster than North Europe, where the distance model in Iberia makes North Europe the faster.
     * /16 10.99 has three measured /20s at A and a dark /20 placed in Iberia too. Held out, the
     * Iberian blocks teach that at that distance the /16's row predicts best, so the dark /20's
     * row is its /16's, not the distance model's in Iberia (which was what it got before).
     */
    @Test
    void aDarkBlockFarFromItsSixteensMeasuredBlocksLeansTowardsTheSixteensRow() throws IOException {
        Samples s = new Samples(5);
        List<String> rows = new ArrayList<>();
        double[] lats = {39.5, 40.5, 41.5};
        double[] lons = {-8.3, -7.3, -6.3, -5.1, -4.1, -2.9, -1.9};
        int sixteen = 1;
        for (double lat : lats) {
            for (double lon : lons) {
                for (int third : new int[] {0, 16, 32}) {
                    lit(s, rows, "10." + sixteen + "." + third, A);
                }
                lit(s, rows, "10." + sixteen + ".48", new double[] {lat, lon});
                sixteen++;
            }
        }
        for (int third : new int[] {0, 16, 32}) {
            lit(s, rows, "10.99." + third, A);
        }
        rows.add("10.99.64.0/20,38.5,-5.1");
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        double sixteenRow = s.table("10.99.241.0/24", "westeurope") - s.table("10.99.241.0/24", "northeurope");
        double dark = s.table("10.99.65.0/24", "westeurope") - s.table("10.99.65.0/24", "northeurope");
        assertThat(sixteenRow).isLessThan(-5);
        assertThat(dark).isCloseTo(sixteenRow, within(2.0));
    }

    /**
     * Blocks placed by their networks' rows together get one weight of their own, at any
     * distance: 30 held-out blocks whose own row is right and 20 placed together whose /16's row
     * is right, all 1,500 km from their /16's others: the band's weight is 0.6, the weight of
     * blocks placed together 0. With fewer than {@link DarkBlend#MIN_TOGETHER_BLOCKS} such
     * blocks held out, they take their band's.
     */
    @Test
    void blocksPlacedTogetherLearnAWeightOfTheirOwn() {
        double[] own = {10, 30, 50};
        double[] coarse = {40, 20, 35};
        DarkBlend.Learner learner = new DarkBlend.Learner();
        DarkBlend.Learner few = new DarkBlend.Learner();
        for (int i = 0; i < 50; i++) {
            boolean together = i >= 30;
            double[] truth = together ? shifted(coarse, -3) : shifted(own, 7);
            learner.add(1500, together, truth, own, coarse, 3);
            few.add(1500, together && i < 30 + DarkBlend.MIN_TOGETHER_BLOCKS - 1, truth, own, coarse, 3);
        }
        DarkBlend blend = learner.result();
        assertThat(blend.weight(1500)).isCloseTo(0.6, within(1e-9));
        assertThat(blend.weight(1500, false)).isCloseTo(0.6, within(1e-9));
        assertThat(blend.weight(1500, true)).isCloseTo(0.0, within(1e-9));
        assertThat(blend.weight(50, true)).isCloseTo(0.0, within(1e-9));
        assertThat(few.result().weight(1500, true)).isCloseTo(0.6, within(1e-9));
    }

    /**
     * Blocks placed by their networks' rows spread over a metro get one weight of their own 100 km
     * or more from their /16's others: 30 held-out blocks placed so whose own row is right and 20
     * others (one row each) whose /16's row is right, all 1,500 km away: the band's weight is 0.6,
     * the spread blocks' 1; within 100 km a spread block takes its band's. With fewer than
     * {@link DarkBlend#MIN_BLOCKS} spread blocks held out that far, their band's.
     */
    @Test
    void blocksPlacedSpreadLearnAWeightOfTheirOwnAwayFromTheirSixteen() {
        double[] own = {10, 30, 50};
        double[] coarse = {40, 20, 35};
        DarkBlend.Learner learner = new DarkBlend.Learner();
        DarkBlend.Learner few = new DarkBlend.Learner();
        for (int i = 0; i < 50; i++) {
            boolean spread = i < 30;
            double[] truth = spread ? shifted(own, 7) : shifted(coarse, -3);
            learner.add(1500, false, spread, truth, own, coarse, 3);
            few.add(1500, false, spread && i < DarkBlend.MIN_BLOCKS - 1, truth, own, coarse, 3);
            learner.add(50, false, spread, shifted(coarse, 1), own, coarse, 3); // near: no part of the spread weight
        }
        DarkBlend blend = learner.result();
        assertThat(blend.weight(1500)).isCloseTo(0.6, within(1e-9));
        assertThat(blend.weight(1500, false, false)).isCloseTo(0.6, within(1e-9));
        assertThat(blend.weight(1500, false, true)).isCloseTo(1.0, within(1e-9));
        assertThat(blend.weight(50, false, true)).isCloseTo(0.0, within(1e-9));
        assertThat(few.result().weight(1500, false, true)).isCloseTo(0.6, within(1e-9));
    }

    /** Spread: three or more rows of its networks, finer than the block, some 30 km or more from its place. */
    @ParameterizedTest
    @CsvSource({
        "'50.5 9.7, 50.51 9.71, 50.49 9.69', 24, false",
        "'50.5 9.7, 48.5 9.7', 24, false",
        "'50.5 9.7, 50.51 9.71, 50.49 9.69, 48.5 9.7', 24, true",
        "'50.5 9.7, 48.5 9.7, 50.49 9.69', 20, false",
    })
    void placedSpreadNeedsThreeOfItsNetworksRowsSomeOutOfTown(String places, int sourceLength, boolean spread) {
        Anchors.Probes probes = probes(places, sourceLength);
        assertThat(DarkBlend.placedSpread(probes, 20, A)).isEqualTo(spread);
    }

    /**
     * A block's probes answered by the source's rows at {@code places} ("lat lon, lat lon, ..."):
     * each a row of its own /24 (10.1.i.0/24), or, with {@code sourceLength} 20, the block's row.
     */
    private static Anchors.Probes probes(String places, int sourceLength) {
        Anchors.Probes probes = new Anchors.Probes();
        String[] each = places.split(",");
        for (int i = 0; i < each.length; i++) {
            String[] latLon = each[i].trim().split(" ");
            io.wayfinder.net.IpPrefix network = sourceLength == 20 ? Samples.net("10.1.0.0/20") : Samples.net("10.1." + i + ".0/24");
            probes.answer[i] = new io.wayfinder.geo.GeoLocation(Double.parseDouble(latLon[0]), Double.parseDouble(latLon[1]), "",
                    network, sourceLength);
        }
        probes.count = each.length;
        return probes;
    }

    /**
     * Placed together: three or more rows of its networks, finer than the block, all within
     * {@link Anchors#MIN_OWN_PLACE_KM} of its place; a row for the whole block, or one network
     * out of town, is not.
     */
    @ParameterizedTest
    @CsvSource({
        "'50.5 9.7, 50.51 9.71, 50.49 9.69', 24, true",
        "'50.5 9.7, 50.51 9.71', 24, false",
        "'50.5 9.7, 50.51 9.71, 50.49 9.69, 48.5 9.7', 24, false",
        "'50.5 9.7, 50.51 9.71, 50.49 9.69', 20, false",
    })
    void placedTogetherNeedsThreeOfItsNetworksRowsNearItsPlace(String places, int sourceLength, boolean together) {
        Anchors.Probes probes = probes(places, sourceLength);
        assertThat(DarkBlend.placedTogether(probes, 20, A)).isEqualTo(together);
    }

    /**
     * /16 10.99's dark /20 is placed by three of its /24s together at Q, 300 km west of A, where
     * the measured /20s of /16s 10.60-10.63 (one each; their others at A) show West Europe 12 ms
     * slower (Q's roads). Too few held-out blocks lie that far from their /16's others to learn a
     * weight, so by distance alone its own row (with Q's roads) would stand. But 21 held-out /20s placed together (their /24s at one point in Iberia) behave as if
     * at A, their /16's place: blocks placed together take their /16's row.
     */
    @Test
    void aDarkBlockPlacedTogetherTakesItsSixteensRowWhenHeldOutOnesSaySo() throws IOException {
        Samples s = new Samples(6);
        List<String> rows = new ArrayList<>();
        double[] q = {50.5, 5.5};
        for (int sixteen = 1; sixteen <= 21; sixteen++) {
            for (int third : new int[] {0, 16, 32}) {
                lit(s, rows, "10." + sixteen + "." + third, A);
            }
            s.litBlock(new ArrayList<>(), "10." + sixteen + ".48", A, 0); // truly at A...
            double lat = 39.5 + (sixteen - 1) / 7;
            double lon = new double[] {-8.3, -7.3, -6.3, -5.1, -4.1, -2.9, -1.9}[(sixteen - 1) % 7];
            for (int i = 0; i < 4; i++) { // ...but its /24s placed together in Iberia, each /16's in a 1° cell of its own
                rows.add("10." + sixteen + "." + (48 + i) + ".0/24," + (lat + 0.01 * i) + "," + lon);
            }
        }
        for (int sixteen = 60; sixteen < 64; sixteen++) {
            for (int third : new int[] {0, 16, 32}) {
                lit(s, rows, "10." + sixteen + "." + third, A);
            }
            s.litBlock(rows, "10." + sixteen + ".48", q, 12);
        }
        for (int third : new int[] {0, 16, 32}) {
            lit(s, rows, "10.99." + third, A);
        }
        for (int i = 1; i <= 3; i++) {
            rows.add("10.99." + (64 + i) + ".0/24," + (q[0] + 0.01 * i) + "," + q[1]);
        }
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        double sixteenRow = s.table("10.99.241.0/24", "westeurope") - s.table("10.99.241.0/24", "northeurope");
        double dark = s.table("10.99.64.0/24", "westeurope") - s.table("10.99.64.0/24", "northeurope");
        assertThat(sixteenRow).isLessThan(-5);
        // -9.2 against the /16's -11.2 (the weight learned: 0.2); by distance alone, -1.2.
        assertThat(dark).isCloseTo(sixteenRow, within(3.0));
    }

    private static double[] shifted(double[] row, double by) {
        double[] out = row.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    /** A measured /20 geolocated at a place: four /24s, each with its last mile, many samples; truly at A. */
    private static void lit(Samples s, List<String> rows, String prefix, double[] place) {
        s.litBlock(rows, prefix, place, 0);
    }
}
