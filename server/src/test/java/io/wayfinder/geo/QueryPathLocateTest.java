package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GeoLocator#locate(IpPrefix, GeoLocator.Found)}, the query path's form, against
 * {@link GeoLocator#locate(IpPrefix)}: the same location and the same holding length, for random
 * CSV tables alone and combined, and without allocating where the sources do not.
 */
class QueryPathLocateTest {

    @Test
    void givesWhatLocateGivesForEverySourceAndClient() {
        Random random = new Random(7);
        for (int world = 0; world < 20; world++) {
            CsvGeoTable first = randomTable(random);
            CsvGeoTable second = randomTable(random);
            GeoLocator nullAnswering = new GeoLocator() {
                @Override
                public GeoLocation locate(IpPrefix client) {
                    return null;
                }

                @Override
                public String describe() {
                    return "null";
                }
            };
            List<GeoLocator> locators = List.of(first, GeoLocator.NONE, new CompositeGeoLocator(List.of(first, second)),
                    new CompositeGeoLocator(List.of(second, GeoLocator.NONE, first)),
                    new CompositeGeoLocator(List.of(first, nullAnswering)), new GeoCache(new CompositeGeoLocator(List.of(first, second)), 64));
            GeoLocator.Found found = new GeoLocator.Found();
            for (int i = 0; i < 300; i++) {
                IpPrefix client = randomClient(random);
                for (GeoLocator locator : locators) {
                    GeoLocation expected = GeoLocator.locateOrUnknown(locator, client);
                    locator.locate(client, found);
                    GeoLocation got = found.location();
                    String what = locator.describe() + " at " + client;
                    assertThat(found.holdingLength()).as(what).isEqualTo(expected.network().length());
                    assertThat(got.known()).as(what).isEqualTo(expected.known());
                    if (expected.known()) {
                        assertThat(List.of(got.latitude(), got.longitude(), got.countryCode(), got.subdivision(), got.sourceLength()))
                                .as(what).isEqualTo(List.of(expected.latitude(), expected.longitude(), expected.countryCode(),
                                        expected.subdivision(), expected.sourceLength()));
                    }
                }
            }
        }
    }

    @Test
    void aCsvTableAndACompositeOfThemAllocateNothing() {
        Random random = new Random(8);
        GeoLocator composite = new CompositeGeoLocator(List.of(randomTable(random), randomTable(random)));
        IpPrefix[] clients = new IpPrefix[1024];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = randomClient(random);
        }
        GeoLocator.Found found = new GeoLocator.Found();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 20; round++) {
            for (IpPrefix client : clients) {
                composite.locate(client, found);
                sum += found.holdingLength();
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isPositive();
        // 20,480 lookups; a location object each would be 800 KB.
        assertThat(allocated).as("bytes allocated by 20,480 lookups").isLessThan(4096);
    }

    private static CsvGeoTable randomTable(Random random) {
        List<GeoLocation> rows = new ArrayList<>();
        java.util.Set<IpPrefix> seen = new java.util.HashSet<>();
        for (int i = 0; i < 5 + random.nextInt(60); i++) {
            IpPrefix network = random.nextInt(4) == 0
                    ? IpPrefix.ofIpv6(0x2001_0db8_0000_0000L | (random.nextLong() & 0xFFFF_F000L), 0, 32 + random.nextInt(33))
                    : IpPrefix.ofIpv4(0x0A00_0000 | (random.nextInt() & 0x00FF_FF00), 8 + random.nextInt(23));
            if (seen.add(network)) {
                String country = random.nextBoolean() ? "GB" : "";
                rows.add(new GeoLocation(random.nextInt(180) - 90, random.nextInt(360) - 180, country,
                        !country.isEmpty() && random.nextBoolean() ? "GB-LND" : "", network, network.length()));
            }
        }
        return CsvGeoTable.of(rows);
    }

    private static IpPrefix randomClient(Random random) {
        if (random.nextInt(4) == 0) {
            return IpPrefix.ofIpv6(0x2001_0db8_0000_0000L | (random.nextLong() & 0xFFFF_FFFFL), random.nextLong(), 24 + random.nextInt(105));
        }
        int address = random.nextInt(8) == 0 ? random.nextInt() : 0x0A00_0000 | (random.nextInt() & 0x00FF_FFFF);
        return IpPrefix.ofIpv4(address, 8 + random.nextInt(25));
    }
}
