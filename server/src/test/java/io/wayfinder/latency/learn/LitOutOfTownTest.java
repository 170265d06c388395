package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measured /20's /24 without samples that the source places out of town gets a row of its own:
 * the block's, with the distance model moved to its place ({@code TableWriter.LitOutOfTown}).
 */
class LitOutOfTownTest {
    private static final double[] A = {50.5, 9.7};
    /** 262 km west of A: nearer West Europe, farther from the UAE. */
    private static final double[] WEST = {50.5, 6.0};

    @TempDir
    Path dir;

    /**
     * /20 10.1.64.0 has four measured /24s in town (A) and one measured 262 km west; the source
     * also places its unmeasured 10.1.70.0/24 there. That one gets a row of its own, the measured
     * one out of town keeps its own samples' row (not a second one), and the unmeasured /24s in
     * town or without a row take the block's.
     */
    @Test
    void anUnmeasuredNetworkOfAMeasuredBlockOutOfTownGetsTheDistanceModelAtItsOwnPlace() throws IOException {
        Samples s = new Samples(21);
        List<String> rows = blockInTown(s);
        rows.add("10.1.68.0/24," + WEST[0] + "," + WEST[1]);
        s.add("10.1.68.0/24", "westeurope", 40, 1, 20);
        s.add("10.1.68.0/24", "uaenorth", 50, 1, 20);
        rows.add("10.1.70.0/24," + WEST[0] + "," + WEST[1]);
        rows.add("10.1.72.0/24,50.55,9.75");
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        double block = s.table("10.1.79.0/24", "westeurope") - s.table("10.1.79.0/24", "uaenorth");
        assertThat(block).isNotNaN();
        assertThat(s.table("10.1.72.0/24", "westeurope") - s.table("10.1.72.0/24", "uaenorth")).isCloseTo(block, within(1e-9));
        // At least light in fibre's 0.01 ms/km on each region (the model's slope): 3.7 ms or more between the two.
        double out = s.table("10.1.70.0/24", "westeurope") - s.table("10.1.70.0/24", "uaenorth");
        assertThat(out - block).isLessThan(-3.5);
        // The measured network out of town keeps its own samples' row (West Europe 10 ms faster, the block 38 ms).
        assertThat(s.table("10.1.68.0/24", "westeurope") - s.table("10.1.68.0/24", "uaenorth")).isGreaterThan(-20);
        LatencyTable t = s.estimator.table();
        assertThat(t.lookup(IpPrefix.parse("10.1.70.0/24"))).isNotEqualTo(t.lookup(IpPrefix.parse("10.1.79.0/24")));
    }

    /**
     * A configured figure for a /22 inside the block (a network of its own, StaticCells) answers
     * its /24s: the one the source places out of town gets no row over it.
     */
    @Test
    void aNetworkInsideAConfiguredCoarserFigureKeepsIt() throws IOException {
        Samples s = new Samples(22);
        List<String> rows = blockInTown(s);
        rows.add("10.1.70.0/24," + WEST[0] + "," + WEST[1]);
        LatencyTable configured = new io.wayfinder.latency.LatencyTableBuilder()
                .add(IpPrefix.parse("10.1.68.0/22"), "westeurope", 80, 1)
                .add(IpPrefix.parse("10.1.68.0/22"), "uaenorth", 40, 1)
                .build();
        s.estimator = s.learner.rebuild(s.now, configured, Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        LatencyTable t = s.estimator.table();
        assertThat(t.lookup(IpPrefix.parse("10.1.70.0/24"))).isEqualTo(t.lookup(IpPrefix.parse("10.1.69.0/24")));
        assertThat(s.table("10.1.70.0/24", "westeurope") - s.table("10.1.70.0/24", "uaenorth")).isGreaterThan(0);
    }

    /**
     * Three lit /20s at A and /20 10.1.64.0's four measured /24s in town (A), each placed by a row
     * of its own; returns the geolocation rows, for the caller to add to.
     */
    private static List<String> blockInTown(Samples s) {
        List<String> rows = new ArrayList<>();
        for (String a : new String[] {"10.1.0", "10.1.16", "10.1.32"}) {
            s.litBlock(rows, a, A, 0);
        }
        for (int i = 0; i < 4; i++) {
            String network = "10.1." + (64 + i) + ".0/24";
            rows.add(network + "," + A[0] + "," + A[1]);
            s.add(network, "westeurope", 22 + 3 * i, 1, 20);
            s.add(network, "uaenorth", 60 + 3 * i, 1, 20);
        }
        return rows;
    }
}
