package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A network whose block the geolocation places by one row, but which lies 200 km out of town, is
 * placed by its own cells ({@link CellPlaces}): its figure for a region it was never measured to
 * moves by as much as its place moves that region's distance, while its block's networks in town
 * keep the block's place.
 */
class CellPlacesTest {
    /** Kassel-ish: the block's metro, where the source places the whole /20. */
    private static final double[] METRO = {51.3, 9.5};
    /** Leipzig-ish, 200 km east: where one of its networks really is. */
    private static final double[] EAST = {51.34, 12.37};
    private static final String[] MEASURED = {"northeurope", "westeurope", "uksouth", "francecentral",
        "germanywestcentral", "switzerlandnorth", "norwayeast", "swedencentral", "italynorth"};
    /** Measured by the networks in town only: 250 km nearer Leipzig than Kassel. */
    private static final String UNMEASURED = "polandcentral";
    private static final double MS_PER_KM = 0.017;

    @TempDir
    Path dir;

    @Test
    void aNetworkOutOfTownIsPlacedByItsCellsAndBorrowsAtItsPlace() throws IOException {
        Samples s = new Samples(7);
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        List<String> rows = List.of("10.2.0.0/20," + METRO[0] + "," + METRO[1]);
        for (int i = 0; i < 8; i++) {
            String net = "10.2." + i + ".0/24";
            for (String region : MEASURED) {
                s.add(net, region, rtt(catalogue, METRO, region, 3 + i), 0.3, 10);
            }
            s.add(net, UNMEASURED, rtt(catalogue, METRO, UNMEASURED, 3 + i), 0.3, 10);
        }
        // Two more, measured to every region but Poland Central: one in town, one out of it.
        for (String region : MEASURED) {
            s.add("10.2.8.0/24", region, rtt(catalogue, EAST, region, 5), 0.3, 10);
            s.add("10.2.9.0/24", region, rtt(catalogue, METRO, region, 5), 0.3, 10);
        }
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), catalogue);

        double outOfTown = s.table("10.2.8.0/24", UNMEASURED) - s.table("10.2.8.0/24", "westeurope");
        double inTown = s.table("10.2.9.0/24", UNMEASURED) - s.table("10.2.9.0/24", "westeurope");
        double truth = rtt(catalogue, EAST, UNMEASURED, 0) - rtt(catalogue, EAST, "westeurope", 0);
        double blocks = rtt(catalogue, METRO, UNMEASURED, 0) - rtt(catalogue, METRO, "westeurope", 0);
        assertThat(blocks - truth).as("what the place changes").isGreaterThan(4);
        assertThat(inTown).isCloseTo(blocks, within(0.5));
        assertThat(outOfTown).isCloseTo(truth, within(1.0));

        CellPlaces places = s.learner.cellPlaces();
        Observations obs = s.learner.observations(s.now);
        int east = Observations.indexOf(obs.netKey, obs.networks, NetworkKeys.of(Samples.net("10.2.8.0/24")));
        assertThat(places.placed(east)).isTrue();
        assertThat(GreatCircle.kilometres(places.lat[east], places.lon[east], EAST[0], EAST[1])).isLessThan(60);
        for (int i : new int[] {0, 3, 7, 9}) {
            int n = Observations.indexOf(obs.netKey, obs.networks, NetworkKeys.of(Samples.net("10.2." + i + ".0/24")));
            assertThat(places.placed(n)).as("10.2.%d.0/24 in town", i).isFalse();
        }
        // Explain says where its figures were evaluated, and why.
        LatencyLearning.Evidence explained = s.learner.explain(Samples.net("10.2.8.0/24"), UNMEASURED);
        assertThat(explained.kind()).isEqualTo("borrowed");
        assertThat(explained.borrowedFrom()).contains("distance model at its own place").contains("by its own cells");
        assertThat(s.learner.explain(Samples.net("10.2.9.0/24"), UNMEASURED).borrowedFrom()).doesNotContain("own place");
        // A second rebuild on the same samples keeps the place.
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows), catalogue);
        assertThat(s.table("10.2.8.0/24", UNMEASURED) - s.table("10.2.8.0/24", "westeurope")).isCloseTo(outOfTown, within(0.3));
    }

    /** The world's law: a last mile plus fibre at the usual route inflation. */
    private static double rtt(RegionCatalogue catalogue, double[] at, String region, double lastMile) {
        var r = catalogue.find(region).orElseThrow();
        return lastMile + MS_PER_KM * GreatCircle.kilometres(at[0], at[1], r.latitude(), r.longitude());
    }
}
