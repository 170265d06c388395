package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeoLocationTest {
    private static final IpPrefix NETWORK = IpPrefix.parse("192.0.2.0/24");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(textBlock = """
            US, US-CA
            AU, AU-ACT
            UA, UA-43
            FR, FR-75C
            GB, GB-ENG
            US, ''
            '', ''
            """)
    void subdivisionsOfTheirCountryAreAccepted(String country, String subdivision) {
        GeoLocation location = new GeoLocation(1, 2, country, subdivision, NETWORK, 24);

        assertThat(location.subdivision()).isEqualTo(subdivision);
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @CsvSource(textBlock = """
            US, CA
            US, CA-QC
            US, us-ca
            US, US_CA
            US, US-
            US, US-CALI
            '', US-CA
            USA, USA-CA
            """)
    void aSubdivisionThatIsNotAnIsoCodeOfTheCountryIsRejected(String country, String subdivision) {
        assertThatThrownBy(() -> new GeoLocation(1, 2, country, subdivision, NETWORK, 24))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("subdivision '" + subdivision + "'");
    }

    @Test
    void theOlderConstructorsAndUnknownHaveNoSubdivision() {
        assertThat(new GeoLocation(1, 2, "US", NETWORK).subdivision()).isEmpty();
        assertThat(new GeoLocation(1, 2, "US", NETWORK, 16).subdivision()).isEmpty();
        assertThat(new GeoLocation(1, 2, null, null, NETWORK, 16).subdivision()).isEmpty();
        assertThat(GeoLocation.unknown(NETWORK).subdivision()).isEmpty();
    }

    @Test
    void holdingForKeepsTheSubdivision() {
        GeoLocation location = new GeoLocation(1, 2, "US", "US-CA", NETWORK, 24);

        GeoLocation moved = location.holdingFor(IpPrefix.parse("192.0.2.0/25"));

        assertThat(moved.subdivision()).isEqualTo("US-CA");
        assertThat(moved.network()).isEqualTo(IpPrefix.parse("192.0.2.0/25"));
        assertThat(moved.sourceLength()).isEqualTo(24);
    }
}
