package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RecordingLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A block placed by its networks' rows sits at the median of all of them, not of three: a block
 * whose first and middle networks lie out of town (two in five of its networks here) is placed in
 * town, both a dark block by its probes ({@link Anchors#place}) and a measured block's anchor by
 * its networks' kept places ({@link Anchors#medianPlace}).
 */
class MedianPlaceTest {
    private static final int[][] LEVELS = {{20, 16}, {40, 32}};
    /** The town, and a suburb 170 km north of it. */
    private static final double[] TOWN = {50.5, 8.7};
    private static final double[] OUT = {52.0, 8.7};

    /** 10.x.0.0/24 and 10.x.2.0/24 out of town, 10.x.1, 10.x.3 and 10.x.4 in town, nothing else. */
    private static RecordingLocator twoOutOfFive() {
        return new RecordingLocator(client -> {
            int c = (int) (client.lo() >>> 8 & 0xFF);
            if (client.length() != 24 || c > 4) {
                return GeoLocation.unknown(client);
            }
            double[] at = c == 0 || c == 2 ? OUT : TOWN;
            return new GeoLocation(at[0], at[1], "DE", client);
        });
    }

    private static Observations networks(String... prefixes) {
        int n = prefixes.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = NetworkKeys.of(IpPrefix.parse(prefixes[i]));
        }
        return new Observations(1, n, keys, new int[n + 1], new byte[0], new float[0], new float[0], new float[0], new int[0],
                LEVELS);
    }

    @Test
    void aDarkBlockIsPlacedAtTheMedianOfAllItsNetworksRows() {
        GeoLocator geo = twoOutOfFive();
        long block = NetworkKeys.of(IpPrefix.parse("10.2.0.0/20"));
        double[] all = Anchors.place(Anchors.probeBlock(geo, block, new Anchors.Probes(), Anchors.BLOCK_PROBES));
        assertThat(all[0]).isCloseTo(TOWN[0], within(1e-9));
        assertThat(all[1]).isCloseTo(TOWN[1], within(1e-9));
        // The first three rows found (two of them out of town) would have placed it out of town.
        assertThat(Anchors.locateBlock(geo, block)[0]).isCloseTo(OUT[0], within(1e-9));
    }

    @Test
    void aMeasuredBlocksAnchorIsTheMedianOfItsNetworksKeptPlaces() {
        RecordingLocator geo = twoOutOfFive();
        Observations obs = networks("10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24", "10.1.4.0/24");
        List<String> regions = List.of("westeurope");
        NetworkPlaces places = NetworkPlaces.of(obs, geo, null, 100);
        Anchors anchors = Anchors.of(obs, regions, geo, RegionCatalogue.builtIn(), places);
        assertThat(anchors.lat[anchors.ofNetwork[0]]).isCloseTo(TOWN[0], within(1e-4));
        // Its networks in town are at its anchor: none of them gets a μ row of its own; the two out of town do.
        assertThat(anchors.ownRows).isEqualTo(2);
        // Without kept places: first, middle and last looked up, two of them out of town.
        Anchors three = Anchors.of(obs, regions, geo, RegionCatalogue.builtIn(), null);
        assertThat(three.lat[three.ofNetwork[0]]).isCloseTo(OUT[0], within(1e-4));
    }

    @Test
    void theMedianWaitsUntilEveryNetworkIsLookedUpAndNeedsThreePlaced() {
        RecordingLocator geo = twoOutOfFive();
        Observations obs = networks("10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24", "10.1.4.0/24");
        NetworkPlaces partly = NetworkPlaces.of(obs, geo, null, 4);
        assertThat(Anchors.medianPlace(partly, 0, 5)).isNull(); // the last waits for its turn
        double[] four = Anchors.medianPlace(partly, 0, 4);
        assertThat(four[0]).isCloseTo(51.25, within(1e-5)); // an even count: the middle two's mean
        assertThat(four[1]).isCloseTo(TOWN[1], within(1e-5));
        Observations sparse = networks("10.1.1.0/24", "10.1.3.0/24", "10.1.9.0/24");
        assertThat(Anchors.medianPlace(NetworkPlaces.of(sparse, geo, null, 100), 0, 3)).isNull(); // two placed
        assertThat(Anchors.medianPlace(null, 0, 5)).isNull();
    }
}
