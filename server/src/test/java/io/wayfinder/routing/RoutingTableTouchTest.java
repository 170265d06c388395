package io.wayfinder.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RoutingTable#readsRow}: true exactly when routing through the profile may read the
 * client's latency row: a Performance choice with something to compare, in the profile or a nested
 * one it can answer through, for a client of /24 or longer. {@link RoutingTable#touch} reads it.
 * The profiles are {@link RowReadingProfiles}, which the answer package's prefetch tests ask too.
 */
class RoutingTableTouchTest {
    private static final RoutingTable TABLE = RoutingTestWorld.profiles(RowReadingProfiles.YAML)
            .directIndexFrom(0)
            .latency("81.2.69.0/24", "westeurope", 10)
            .latency("81.2.69.0/24", "eastus", 80)
            .health(RowReadingProfiles.HEALTH)
            .build();
    private static final int CLIENT = IpPrefix.parse("81.2.69.7/32").ipv4();

    @Test
    void touchReadsTheEstimatorsRow() {
        assertThat(TABLE.touch(CLIENT)).as("the settled row's first figure").isNotZero().isEqualTo(TABLE.estimator().touch(CLIENT));
    }

    @ParameterizedTest(name = "{0}, client /{1}: reads the row: {2}")
    @CsvSource({
        "web, 32, true",
        "web, 24, true",
        "web, 23, false",      // the estimator's first read is then an interval search, not the row
        "web, 0, false",
        "one, 32, false",      // one endpoint: the same answer for every client
        "left-one, 32, false", // one of two left by health
        "off, 32, false",      // NXDOMAIN before any method runs
        "split, 32, false",
        "outer, 32, true",     // through the nested Performance profile
        "outer-one, 32, false",
        "alias, 32, false",    // a CNAME: the name it leads to is routed on its own
    })
    void readsTheRowExactlyWhenRoutingMayReadIt(String profile, int length, boolean reads) {
        assertThat(TABLE.readsRow(TABLE.profile(profile).index(), length)).isEqualTo(reads);
    }
}
