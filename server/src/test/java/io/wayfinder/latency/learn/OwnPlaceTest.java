package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measured network's borrowed figures take the distance model at its own geolocation, not only
 * at its /20's ({@link Anchors#muRowOf}: a network 30-500 km from its /20 is fitted and predicted with the distance model at its own place): a network 300 km north of its metro is that
 * much farther from Milan relative to Amsterdam.
 */
class OwnPlaceTest {
    /** Frankfurt-ish: the /20's metro. */
    private static final double[] METRO = {50.5, 9.7};
    /** 300 km north (Hamburg-ish): a network out of town. */
    private static final double[] NORTH = {53.2, 9.7};
    /** 15 km north: in town, within {@link Anchors#MIN_OWN_PLACE_KM}. */
    private static final double[] NEAR = {50.63, 9.7};
    /** Madrid-ish, 1,450 km away: a wrong row rather than a suburb. */
    private static final double[] FAR = {40.4, -3.7};

    @TempDir
    Path dir;

    @Test
    void aNetworkOutOfTownBorrowsItsRegionalDifferencesAtItsOwnPlace() throws IOException {
        Samples s = new Samples(3);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String net = "10.1." + i + ".0/24";
            rows.add(net + "," + METRO[0] + "," + METRO[1]);
            s.add(net, "westeurope", 20 + 2 * i, 0.5, 20);
            s.add(net, "italynorth", 25 + 2 * i, 0.5, 20);
        }
        // Three networks measured to West Europe only, with the same samples: their Italy North is borrowed.
        String[] twins = {"10.1.4.0/24", "10.1.5.0/24", "10.1.6.0/24", "10.1.7.0/24"};
        double[][] places = {METRO, NORTH, FAR, NEAR};
        for (int i = 0; i < twins.length; i++) {
            rows.add(twins[i] + "," + places[i][0] + "," + places[i][1]);
            for (int k = 0; k < 10; k++) {
                s.addOne(twins[i], "westeurope", 24);
            }
        }
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), RegionCatalogue.builtIn());

        double inTown = s.table("10.1.4.0/24", "italynorth") - s.table("10.1.4.0/24", "westeurope");
        double outOfTown = s.table("10.1.5.0/24", "italynorth") - s.table("10.1.5.0/24", "westeurope");
        double wrongRow = s.table("10.1.6.0/24", "italynorth") - s.table("10.1.6.0/24", "westeurope");
        double inTownToo = s.table("10.1.7.0/24", "italynorth") - s.table("10.1.7.0/24", "westeurope");
        // 300 km farther from Milan and 60 km nearer Amsterdam: at least light in fibre, 0.01 ms/km.
        assertThat(outOfTown - inTown).isGreaterThan(3);
        // Beyond 500 km from its /20 a row is taken for an error: the /20's place stands.
        assertThat(wrongRow).isCloseTo(inTown, within(0.2));
        // Within 30 km of it, the /20's place stands too (a difference too small to pay for).
        assertThat(inTownToo).isCloseTo(inTown, within(0.2));
        // Explain borrows as the rebuild did.
        LatencyLearning.Evidence explained = s.learner.explain(Samples.net("10.1.5.0/24"), "italynorth");
        assertThat(explained.kind()).isEqualTo("borrowed");
        assertThat(explained.estimateMs()).isCloseTo(explained.tableMs(), within(0.1));
        // The figure it was measured to stays its own.
        assertThat(s.table("10.1.5.0/24", "westeurope")).isCloseTo(s.table("10.1.4.0/24", "westeurope"), within(0.2));
    }
}
