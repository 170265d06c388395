package io.wayfinder.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated internet is what its documentation says: reproducible, with the promised shares of
 * unmeasured networks, bad routes and wrong geolocation, and samples that scatter above the truth
 * with a right skew. A generator that drifted from its description would make the benchmark's
 * figures mean something else.
 */
class GeneratedInternetTest {
    private static GeneratedInternet world;

    @BeforeAll
    static void generate() {
        world = GeneratedInternet.generate(GeneratedInternet.Params.standard(3, 20_000));
    }

    @Test
    void theSameSeedGivesTheSameWorldAndSamples() {
        GeneratedInternet again = GeneratedInternet.generate(GeneratedInternet.Params.standard(3, 20_000));
        assertThat(again.networkCount()).isEqualTo(world.networkCount());
        for (int n = 0; n < world.networkCount(); n += 97) {
            assertThat(again.networkAddress(n)).isEqualTo(world.networkAddress(n));
            assertThat(again.trueRttMs(n, 5)).isEqualTo(world.trueRttMs(n, 5));
        }
        assertThat(samples(again, 0, 300)).isEqualTo(samples(world, 0, 300));
        assertThat(samples(world, 1, 300)).as("another round draws new noise").isNotEqualTo(samples(world, 0, 300));
    }

    @Test
    void networksAreDistinctUnicastSlash24sInTheirBlocks() {
        Set<Integer> seen = new HashSet<>();
        for (int n = 0; n < world.networkCount(); n++) {
            int address = world.networkAddress(n);
            assertThat(address & 0xff).isZero();
            assertThat(seen.add(address)).isTrue();
            int first = address >>> 24;
            assertThat(first).isBetween(1, 223).isNotIn(10, 127);
            int block = world.blockOf(n);
            assertThat(n).isBetween(world.blockStart(block), world.blockEnd(block) - 1);
            assertThat(world.networkAddress(world.blockStart(block)) >>> 12).isEqualTo(address >>> 12);
        }
    }

    @Test
    void aboutAQuarterOfNetworksAreNeverMeasuredAndAThirdOfPairsMissing() {
        long measured = 0;
        long pairs = 0;
        for (int n = 0; n < world.networkCount(); n++) {
            if (world.measured(n)) {
                measured++;
                pairs += world.regionsMeasured(n);
            }
        }
        // 15% of blocks dark, then 15% of the rest's networks: 72% measured; regions measured 30-100%: 65%.
        assertThat((double) measured / world.networkCount()).isBetween(0.67, 0.77);
        assertThat((double) pairs / (measured * world.regionCount())).isBetween(0.6, 0.7);
    }

    @Test
    void samplesLieAboveTheTruthWithARightSkewAndSomeSpikes() {
        java.util.Map<Integer, Integer> index = new java.util.HashMap<>();
        for (int n = 0; n < world.blockEnd(199); n++) {
            index.put(world.networkAddress(n), n);
        }
        List<Double> excess = new ArrayList<>();
        world.samples(0, 0, 1000, null, 0, 200,
                (ip, region, rtt, time) -> excess.add(rtt - world.trueRttMs(index.get(ip & 0xffffff00), region)));
        double[] e = excess.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        assertThat(e[0]).as("no sample below the true RTT (rounded to 0.01 ms)").isGreaterThanOrEqualTo(-0.005);
        double median = e[e.length / 2];
        double mean = Arrays.stream(e).average().orElseThrow();
        assertThat(median).isBetween(1.0, 4.0); // jitter scales 0.3-5 ms, median 2.65
        assertThat(mean).as("right-skewed: the mean well above the median").isGreaterThan(median + 1.5);
        long spikes = Arrays.stream(e).filter(x -> x > 20 + 25).count();
        assertThat((double) spikes / e.length).isBetween(0.005, 0.04);
    }

    @Test
    void badRoutesAndWrongGeolocationHaveThePromisedShares() {
        String text = world.describe();
        assertThat(text).contains("20 regions");
        double bad = percentAfter(text, "pairs badly routed");
        double wrong = percentAfter(text, "blocks geolocated wrongly");
        assertThat(bad).isBetween(2.0, 9.0);
        assertThat(wrong).isBetween(3.0, 7.0);
    }

    @Test
    void theTruthIsTheFastestRegion() {
        int[] fastest = world.fastest(null);
        for (int n = 0; n < world.networkCount(); n += 101) {
            for (int r = 0; r < world.regionCount(); r++) {
                assertThat(world.trueRttMs(n, r)).isGreaterThanOrEqualTo(world.trueRttMs(n, fastest[n]));
            }
        }
    }

    @Test
    void aCongestionSlowsOneRegionForATenthOfTheNetworksItServes() {
        int[] fastest = world.fastest(null);
        int region = world.congestibleRegion(fastest, 50);
        GeneratedInternet.Congestion event = world.congestion(region, 50, 0.1, fastest, 1);
        long serves = Arrays.stream(fastest).filter(f -> f == region).count();
        long slowed = 0;
        for (int n = 0; n < world.networkCount(); n++) {
            boolean hit = event.blocks().get(world.blockOf(n));
            double delta = world.trueRttMs(n, region, event) - world.trueRttMs(n, region);
            assertThat(delta).isCloseTo(hit ? 50 : 0, org.assertj.core.data.Offset.offset(1e-9));
            if (hit && fastest[n] == region) {
                slowed++;
            }
        }
        assertThat((double) slowed / serves).isBetween(0.1, 0.15);
    }

    private static String samples(GeneratedInternet w, int round, int limit) {
        StringBuilder out = new StringBuilder();
        w.samples(round, 0, 1000, null, 0, 10, (ip, region, rtt, time) -> {
            if (out.length() < limit * 40) {
                out.append(ip).append(',').append(region).append(',').append(rtt).append(',').append(time).append(';');
            }
        });
        return out.toString();
    }

    /** The percentage in the parenthesis that follows {@code marker}: "(4.8%)". */
    private static double percentAfter(String text, String marker) {
        int at = text.indexOf(marker);
        int open = text.indexOf('(', at);
        int close = text.indexOf("%)", open);
        return Double.parseDouble(text.substring(open + 1, close));
    }
}
