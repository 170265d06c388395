package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RecordingLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a rebuild carries from the one before ({@link NetworkPlaces}, {@link BlockPlaces}) changes
 * what it costs, not what it writes: a learner that carries its geolocation answers writes, row for
 * row and figure for figure, the table of one given a new locator with the same rows (which looks
 * everything up again); and a locator with other rows is asked again, its answers taken.
 */
class CarriedPlacesTableTest {
    private static final double[] A = {50.5, 9.7};
    /** 262 km west of A: out of town. */
    private static final double[] WEST = {50.5, 6.0};

    @TempDir
    Path dir;

    @Test
    void aRebuildThatCarriesItsAnswersWritesTheTableOfOneThatLooksThemUpAgain() throws IOException {
        GeoLocator rows = Samples.geolocation(dir, rows(WEST));
        Samples carrying = world();
        Samples asking = world();
        RecordingLocator geo = new RecordingLocator(rows::locate);
        carrying.estimator = carrying.learner.rebuild(carrying.now, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        asking.estimator = asking.learner.rebuild(asking.now, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        assertThat(figures(carrying)).isEqualTo(figures(asking));

        // The same new samples for both, then the second rebuild: one carries, the other starts over.
        for (Samples s : new Samples[] {carrying, asking}) {
            s.advance(Duration.ofMinutes(5));
            s.add("10.1.1.0/24", "westeurope", 30, 1, 20);
            s.add("10.1.33.0/24", "uaenorth", 70, 1, 20);
        }
        geo.asked.clear();
        carrying.estimator = carrying.learner.rebuild(carrying.now, LatencyTable.empty(), geo, RegionCatalogue.builtIn());
        RecordingLocator reloaded = new RecordingLocator(rows::locate);
        asking.estimator = asking.learner.rebuild(asking.now, LatencyTable.empty(), reloaded, RegionCatalogue.builtIn());

        // The dark block's probes and the networks' own places were carried, not asked again.
        assertThat(geo.asked.size()).isLessThan(reloaded.asked.size());
        assertThat(geo.asked).doesNotContain(Samples.net("10.1.70.0/24"));
        assertThat(reloaded.asked).contains(Samples.net("10.1.70.0/24"));
        assertThat(figures(carrying)).isEqualTo(figures(asking));
        // The case the world was made for: the dark block's network out of town has a row of its own.
        assertThat(outOfTown(carrying)).isLessThan(-3.5);
    }

    @Test
    void aLocatorWithOtherRowsIsAskedAgainAndItsAnswersTaken() throws IOException {
        Samples s = world();
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), Samples.geolocation(dir, rows(WEST)), RegionCatalogue.builtIn());
        assertThat(outOfTown(s)).isLessThan(-3.5);
        // A reload: the network west of town is placed in town now. Its row goes with the old answers.
        RecordingLocator reloaded = new RecordingLocator(Samples.geolocation(dir, rows(A))::locate);
        s.advance(Duration.ofMinutes(5));
        s.estimator = s.learner.rebuild(s.now, LatencyTable.empty(), reloaded, RegionCatalogue.builtIn());
        assertThat(reloaded.asked).contains(Samples.net("10.1.70.0/24"));
        assertThat(outOfTown(s)).isCloseTo(0, within(1e-9));
    }

    /** Three measured /20s at A (by their /20 rows); a dark /20 placed by its /24s at A, one of them at {@code seventy}. */
    private static List<String> rows(double[] seventy) {
        List<String> rows = new ArrayList<>();
        for (String a : new String[] {"10.1.0", "10.1.16", "10.1.32"}) {
            rows.add(a + ".0/20," + A[0] + "," + A[1]);
        }
        rows.add("10.1.65.0/24," + A[0] + "," + A[1]);
        rows.add("10.1.66.0/24,50.55,9.75");
        rows.add("10.1.67.0/24," + A[0] + "," + A[1]);
        rows.add("10.1.70.0/24," + seventy[0] + "," + seventy[1]);
        return rows;
    }

    /**
     * The measured /20s' samples: four /24s each, to two regions (the same for every learner: one
     * seed). Without hysteresis, so that a second rebuild publishes what it computed, not the
     * first one's figures within the dead band: a wrong carried answer shows.
     */
    private static Samples world() {
        LearningParameters d = LearningParameters.DEFAULTS;
        Samples s = new Samples(new LearningParameters(d.halfLife(), d.ipv4Levels(), d.ipv6Levels(), d.changeMinSamples(),
                d.changeSigmas(), d.changeMinMs(), d.holdBack(), 0, 0, d.staticSamples(), d.maxPendingSamples()), 12);
        for (String a : new String[] {"10.1.0", "10.1.16", "10.1.32"}) {
            String[] parts = a.split("\\.");
            for (int i = 0; i < 4; i++) {
                String network = parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + i) + ".0/24";
                s.add(network, "westeurope", 22 + 3 * i, 1, 20);
                s.add(network, "uaenorth", 60 + 3 * i, 1, 20);
            }
        }
        return s;
    }

    /** How much nearer West Europe than the UAE the out-of-town /24 is than its dark /20, ms. */
    private static double outOfTown(Samples s) {
        double block = s.table("10.1.64.0/24", "westeurope") - s.table("10.1.64.0/24", "uaenorth");
        return s.table("10.1.70.0/24", "westeurope") - s.table("10.1.70.0/24", "uaenorth") - block;
    }

    /** Every row's prefix length and figures, in table order. */
    private static List<Long> figures(Samples s) {
        LatencyTable t = s.estimator.table();
        List<Long> out = new ArrayList<>();
        out.add((long) t.prefixCount());
        for (int e = 0; e < t.prefixCount(); e++) {
            out.add((long) t.entryLength(e));
            for (int c = 0; c < t.columnCount(); c++) {
                out.add((long) t.tenths(e, c));
            }
        }
        return out;
    }
}
