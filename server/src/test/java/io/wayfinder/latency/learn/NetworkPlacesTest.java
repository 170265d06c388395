package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.RecordingLocator;
import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link NetworkPlaces}: a network is looked up in the geolocation once, when a rebuild first sees
 * it, and keeps its place through the rebuilds after (matched by key), at most a budget of lookups a
 * rebuild; another locator starts over. And {@link Anchors#roughKm}, the test every placed network
 * goes through against its anchor at every rebuild.
 */
class NetworkPlacesTest {
    private static final int[][] LEVELS = {{20, 16}, {40, 32}};

    /** Places 10.a.b.0/24 at latitude a % 80 + b / 100, longitude b; counts its lookups; knows nothing of 10.9.0.0/16. */
    private static RecordingLocator counting() {
        return new RecordingLocator(client -> {
            int a = (int) (client.lo() >>> 16 & 0xFF);
            int b = (int) (client.lo() >>> 8 & 0xFF);
            return a == 9 ? GeoLocation.unknown(client) : new GeoLocation(a % 80 + b / 100.0, b, "DE", client);
        });
    }

    private static Observations networks(String... prefixes) {
        int n = prefixes.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = NetworkKeys.of(IpPrefix.parse(prefixes[i]));
        }
        int[] start = new int[n + 1];
        return new Observations(1, n, keys, start, new byte[0], new float[0], new float[0], new float[0], new int[0], LEVELS);
    }

    @Test
    void aNetworkIsLookedUpOnceAndKeepsItsPlaceThroughLaterRebuilds() {
        RecordingLocator geo = counting();
        NetworkPlaces first = NetworkPlaces.of(networks("10.1.2.0/24", "10.1.5.0/24", "10.9.1.0/24"), geo, null, 100);
        assertThat(first.lookups).isEqualTo(3);
        assertThat(first.lat[1]).isCloseTo(1.05f, within(1e-6f));
        assertThat(first.lon[1]).isEqualTo(5f);
        assertThat(first.placed(2)).isFalse(); // no row: not placed, and not asked again below

        geo.asked.clear();
        NetworkPlaces second = NetworkPlaces.of(networks("10.1.1.0/24", "10.1.5.0/24", "10.2.7.0/24", "10.9.1.0/24"), geo,
                first, 100);
        assertThat(geo.asked).containsExactly(IpPrefix.parse("10.1.1.0/24"), IpPrefix.parse("10.2.7.0/24"));
        assertThat(second.lookups).isEqualTo(2);
        assertThat(second.lat[1]).isCloseTo(1.05f, within(1e-6f)); // 10.1.5.0/24, carried from the first
        assertThat(second.lat[2]).isCloseTo(2.07f, within(1e-6f));
        assertThat(second.placed(3)).isFalse();
    }

    @Test
    void atMostTheBudgetIsLookedUpARebuildFirstNetworksFirst() {
        RecordingLocator geo = counting();
        Observations obs = networks("10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24", "10.1.4.0/24", "10.1.5.0/24");
        NetworkPlaces first = NetworkPlaces.of(obs, geo, null, 2);
        assertThat(first.lookups).isEqualTo(2);
        assertThat(first.placed(0)).isTrue();
        assertThat(first.placed(1)).isTrue();
        assertThat(first.placed(2)).isFalse();

        NetworkPlaces second = NetworkPlaces.of(obs, geo, first, 2);
        NetworkPlaces third = NetworkPlaces.of(obs, geo, second, 2);
        assertThat(second.lookups).isEqualTo(2);
        assertThat(third.lookups).isEqualTo(1);
        assertThat(geo.asked).hasSize(5).doesNotHaveDuplicates();
        for (int n = 0; n < 5; n++) {
            assertThat(third.placed(n)).isTrue();
        }
    }

    @Test
    void onTheLanesTheSameNetworksAreLookedUpEachOnce() {
        int count = 3 * NetworkPlaces.MIN_PARALLEL_LOOKUPS;
        String[] prefixes = new String[count];
        for (int i = 0; i < count; i++) {
            int a = 1 + i / 256;
            prefixes[i] = "10." + (a >= 9 ? a + 1 : a) + "." + (i % 256) + ".0/24"; // not 10.9: it has no row
        }
        Observations obs = networks(prefixes);
        RecordingLocator geo = counting();
        NetworkPlaces first = NetworkPlaces.of(obs, geo, null, 2 * NetworkPlaces.MIN_PARALLEL_LOOKUPS);
        assertThat(first.lookups).isEqualTo(2 * NetworkPlaces.MIN_PARALLEL_LOOKUPS);
        assertThat(geo.asked).hasSize(first.lookups).doesNotHaveDuplicates();
        for (int n = 0; n < count; n++) {
            assertThat(first.placed(n)).as("network %d", n).isEqualTo(n < first.lookups);
        }
        NetworkPlaces second = NetworkPlaces.of(obs, geo, first, count);
        assertThat(second.lookups).isEqualTo(count - first.lookups);
        assertThat(geo.asked).hasSize(count).doesNotHaveDuplicates();
        int a = 2 + (count - 1) / 256;
        assertThat(second.lat[count - 1]).isCloseTo((float) (a % 80 + (count - 1) % 256 / 100.0), within(1e-5f));
    }

    @Test
    void theSameNetworksAllLookedUpShareTheLastRebuildsPlaces() {
        RecordingLocator geo = counting();
        String[] prefixes = {"10.1.1.0/24", "10.1.2.0/24", "10.9.1.0/24"};
        NetworkPlaces first = NetworkPlaces.of(networks(prefixes), geo, null, 100);
        geo.asked.clear();
        NetworkPlaces second = NetworkPlaces.of(networks(prefixes), geo, first, 100); // equal keys, another array
        assertThat(geo.asked).isEmpty();
        assertThat(second.lookups).isZero();
        assertThat(second.lat).isSameAs(first.lat);
        assertThat(second.lon).isSameAs(first.lon);
        assertThat(second.placed(2)).isFalse();
        // One network replaced by another (the same count): its own place, not the one it replaced.
        NetworkPlaces third = NetworkPlaces.of(networks("10.1.1.0/24", "10.1.7.0/24", "10.9.1.0/24"), geo, second, 100);
        assertThat(third.lat).isNotSameAs(first.lat);
        assertThat(third.lookups).isEqualTo(1);
        assertThat(third.lon[1]).isEqualTo(7f);
        // Another locator: not shared, asked again.
        RecordingLocator reloaded = counting();
        NetworkPlaces fourth = NetworkPlaces.of(networks("10.1.1.0/24", "10.1.7.0/24", "10.9.1.0/24"), reloaded, third, 100);
        assertThat(fourth.lat).isNotSameAs(third.lat);
        assertThat(reloaded.asked).hasSize(3);
    }

    @Test
    void networksStillWaitingForTheirTurnAreNotShared() {
        RecordingLocator geo = counting();
        Observations obs = networks("10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24");
        NetworkPlaces first = NetworkPlaces.of(obs, geo, null, 2);
        NetworkPlaces second = NetworkPlaces.of(obs, geo, first, 2);
        assertThat(second.lat).isNotSameAs(first.lat);
        assertThat(second.lookups).isEqualTo(1);
        assertThat(second.placed(2)).isTrue();
        assertThat(first.placed(2)).isFalse(); // the first rebuild's places stay as they were
        NetworkPlaces third = NetworkPlaces.of(obs, geo, second, 2);
        assertThat(third.lat).isSameAs(second.lat);
        assertThat(geo.asked).hasSize(3);
    }

    @Test
    void anotherLocatorStartsOver() {
        Observations obs = networks("10.1.1.0/24", "10.1.2.0/24");
        NetworkPlaces first = NetworkPlaces.of(obs, counting(), null, 100);
        RecordingLocator reloaded = counting();
        NetworkPlaces second = NetworkPlaces.of(obs, reloaded, first, 100);
        assertThat(reloaded.asked).hasSize(2);
        assertThat(second.lookups).isEqualTo(2);
    }

    @Test
    void aSampleOfTheNetworksTakesTheirPlacesWithoutLookups() {
        RecordingLocator geo = counting();
        NetworkPlaces all = NetworkPlaces.of(networks("10.1.1.0/24", "10.1.2.0/24", "10.1.3.0/24"), geo, null, 100);
        geo.asked.clear();
        NetworkPlaces sample = NetworkPlaces.of(networks("10.1.2.0/24", "10.4.4.0/24"), geo, all, 0);
        assertThat(geo.asked).isEmpty();
        assertThat(sample.lat[0]).isCloseTo(1.02f, within(1e-6f));
        assertThat(sample.placed(1)).isFalse();
    }

    @ParameterizedTest(name = "({0}, {1}) to ({2}, {3})")
    @CsvSource({
        "50.1, 8.7, 53.6, 10.0", // Frankfurt to Hamburg
        "50.1, 8.7, 50.3, 8.9",
        "-33.9, 151.2, -35.3, 149.1", // Sydney to Canberra
        "64.1, -21.9, 65.7, -18.1", // far north
        "1.3, 179.8, 1.0, -179.5", // across the antimeridian
        "40.7, -74.0, 42.4, -71.1", // New York to Boston
    })
    void roughKmIsWithinAPercentOfTheGreatCircleUpToAThousandKilometres(double lat1, double lon1, double lat2, double lon2) {
        double exact = GreatCircle.kilometres(lat1, lon1, lat2, lon2);
        assertThat(exact).isLessThan(1000);
        assertThat(Anchors.roughKm(lat1, lon1, lat2, lon2)).isCloseTo(exact, within(0.01 * exact + 0.01));
    }
}
