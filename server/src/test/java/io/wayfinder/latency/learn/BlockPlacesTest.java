package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RecordingLocator;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BlockPlaces}: a probed block's place, whether it is placed together, and its networks out
 * of town are what its probes say ({@link Anchors#probeBlock}, {@link Anchors#place},
 * {@link DarkBlend#placedTogether}), whether looked up now or carried from the rebuild before;
 * carried, they cost no lookup; another locator, or a block the last rebuild did not ask for, is
 * looked up again.
 */
class BlockPlacesTest {
    /** Frankfurt, and places 100 km (out of town) and 1,000 km (a wrong row) from it. */
    private static final String HERE = "50.1,8.7";
    private static final String NEAR = "50.1,10.1";
    private static final String FAR = "41.4,2.2";

    /** 10.1.0.0/20 placed by its /24s, two out of town; 10.2 by three /24s at one point; 10.3 by its /20; 10.4 not at all. */
    private static final List<String> ROWS = List.of(
            "10.1.0.0/24," + HERE, "10.1.1.0/24," + HERE, "10.1.2.0/24," + NEAR, "10.1.5.0/24," + HERE,
            "10.1.9.0/24," + NEAR, "10.1.12.0/24," + FAR,
            "10.2.0.0/24," + HERE, "10.2.4.0/24," + HERE, "10.2.8.0/24," + HERE,
            "10.3.0.0/20," + HERE);
    private static final String[] BLOCKS = {"10.1.0.0/20", "10.2.0.0/20", "10.3.0.0/20", "10.4.0.0/20"};

    @TempDir
    Path dir;

    /** Counts its lookups; answers as {@code rows}. */
    private static RecordingLocator counting(GeoLocator rows) {
        return new RecordingLocator(rows::locate);
    }

    @Test
    void aBlockLookedUpNowIsWhatItsProbesSay() throws IOException {
        GeoLocator geo = Samples.geolocation(dir, ROWS);
        BlockPlaces places = BlockPlaces.after(null, geo);
        for (String block : BLOCKS) {
            assertSameAsItsProbes(places, places.find(key(block)), geo, key(block));
        }
        assertThat(places.lookups).isEqualTo(BLOCKS.length);
        // The cases the rows were made for, so that a wrong cache has something to get wrong.
        int byNetworks = places.find(key("10.1.0.0/20"));
        assertThat(places.outTo(byNetworks) - places.outFrom(byNetworks)).isEqualTo(2);
        assertThat(places.together(places.find(key("10.2.0.0/20")))).isTrue();
        assertThat(places.placed(places.find(key("10.3.0.0/20")))).isTrue();
        assertThat(places.placed(places.find(key("10.4.0.0/20")))).isFalse();
    }

    @Test
    void aCarriedBlockCostsNoLookupAndIsWhatItsProbesSay() throws IOException {
        GeoLocator rows = Samples.geolocation(dir, ROWS);
        RecordingLocator geo = counting(rows);
        BlockPlaces first = BlockPlaces.after(null, geo);
        for (int i : new int[] {2, 0, 3, 1}) { // not in key order: the carried ones are sorted
            first.find(key(BLOCKS[i]));
        }
        geo.asked.clear();
        BlockPlaces second = BlockPlaces.after(first, geo);
        // Asked in another order than the first rebuild did: found by key, not by position.
        int[] entries = new int[BLOCKS.length];
        for (int i = BLOCKS.length - 1; i >= 0; i--) {
            entries[i] = second.find(key(BLOCKS[i]));
        }
        assertThat(geo.asked).isEmpty();
        assertThat(second.lookups).isZero();
        for (int i = 0; i < BLOCKS.length; i++) {
            assertSameAsItsProbes(second, entries[i], rows, key(BLOCKS[i]));
        }
        // And carried again, by the rebuild after (what it holds is its own, not the first's).
        BlockPlaces third = BlockPlaces.after(second, geo);
        assertSameAsItsProbes(third, third.find(key("10.1.0.0/20")), rows, key("10.1.0.0/20"));
        assertThat(geo.asked).isEmpty();
    }

    @Test
    void anotherLocatorIsAskedAgainAndItsAnswersTaken() throws IOException {
        BlockPlaces first = BlockPlaces.after(null, Samples.geolocation(dir, ROWS));
        first.find(key("10.1.0.0/20"));
        first.find(key("10.3.0.0/20"));
        // A reload: 10.3.0.0/20 has moved 1,000 km, 10.1's networks are all at home.
        GeoLocator rows = Samples.geolocation(dir, List.of("10.1.0.0/20," + HERE, "10.3.0.0/20," + FAR));
        RecordingLocator reloaded = counting(rows);
        BlockPlaces second = BlockPlaces.after(first, reloaded);
        int moved = second.find(key("10.3.0.0/20"));
        int home = second.find(key("10.1.0.0/20"));
        assertThat(second.lookups).isEqualTo(2);
        assertThat(second.latitude(moved)).isEqualTo(41.4);
        assertThat(second.outTo(home) - second.outFrom(home)).isZero();
        assertSameAsItsProbes(second, moved, rows, key("10.3.0.0/20"));
        assertSameAsItsProbes(second, home, rows, key("10.1.0.0/20"));
    }

    @Test
    void onlyTheBlocksTheLastRebuildAskedForAreCarried() throws IOException {
        GeoLocator rows = Samples.geolocation(dir, ROWS);
        RecordingLocator geo = counting(rows);
        BlockPlaces first = BlockPlaces.after(null, geo);
        first.find(key("10.1.0.0/20"));
        first.find(key("10.2.0.0/20"));
        BlockPlaces second = BlockPlaces.after(first, geo);
        second.find(key("10.2.0.0/20"));
        second.find(key("10.3.0.0/20")); // new: looked up
        assertThat(second.lookups).isEqualTo(1);
        geo.asked.clear();
        BlockPlaces third = BlockPlaces.after(second, geo);
        assertSameAsItsProbes(third, third.find(key("10.1.0.0/20")), rows, key("10.1.0.0/20")); // not asked by the second
        third.find(key("10.3.0.0/20"));
        assertThat(third.lookups).isEqualTo(1);
        assertThat(geo.asked).isNotEmpty().allMatch(p -> p.toString().startsWith("10.1."));
    }

    /** Entry e against the block's probes, looked up directly: to the bit. */
    private static void assertSameAsItsProbes(BlockPlaces places, int e, GeoLocator geo, long block) {
        Anchors.Probes probes = Anchors.probeBlock(geo, block, new Anchors.Probes(), Anchors.BLOCK_PROBES);
        double[] where = Anchors.place(probes);
        assertThat(places.placed(e)).isEqualTo(where != null);
        if (where == null) {
            assertThat(places.outTo(e)).isEqualTo(places.outFrom(e));
            return;
        }
        assertThat(places.latitude(e)).isEqualTo(where[0]);
        assertThat(places.longitude(e)).isEqualTo(where[1]);
        assertThat(places.together(e)).isEqualTo(DarkBlend.placedTogether(probes, NetworkKeys.length(block), where));
        assertThat(places.spread(e)).isEqualTo(DarkBlend.placedSpread(probes, NetworkKeys.length(block), where));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < probes.count; i++) {
            GeoLocation at = probes.answer[i];
            if (probes.newFinerRow(i, NetworkKeys.length(block))) {
                double km = Anchors.roughKm(at.latitude(), at.longitude(), where[0], where[1]);
                if (km >= Anchors.MIN_OWN_PLACE_KM && km <= Anchors.MAX_OWN_PLACE_KM) {
                    expected.add(NetworkKeys.of(at.network()) + " " + at.latitude() + " " + at.longitude());
                }
            }
        }
        List<String> out = new ArrayList<>();
        for (int j = places.outFrom(e); j < places.outTo(e); j++) {
            out.add(places.outKey(j) + " " + places.outLatitude(j) + " " + places.outLongitude(j));
        }
        assertThat(out).containsExactlyElementsOf(expected);
    }

    private static long key(String block) {
        return NetworkKeys.of(IpPrefix.parse(block));
    }
}
