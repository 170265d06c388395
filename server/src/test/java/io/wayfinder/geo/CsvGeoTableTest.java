package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvGeoTableTest {
    private static final String TABLE = """
            # operator's own ranges
            prefix,latitude,longitude,country
            81.0.0.0/8,50,0,gb
            81.2.69.0/24,51.5142,-0.0931,GB

            81.2.69.128/25,51.45,-0.97
            2001:db8::/32,52.37,4.9,NL
            2001:db8:1::/48,-33.87,151.21,au
            0.0.0.0/0,0.5,0.5
            """;

    @TempDir
    Path dir;

    /**
     * The most specific row wins ({@code sourceLength}); the answer holds for the largest network
     * around the client in which every network of the client's length finds that same row.
     */
    @ParameterizedTest(name = "{0} -> row /{1}, holds for {2}")
    @CsvSource(textBlock = """
            81.2.69.7,        24, 81.2.69.0/25,     51.5142, -0.0931, GB
            81.2.69.0/24,     24, 81.2.69.0/24,     51.5142, -0.0931, GB
            81.2.69.0/25,     24, 81.2.69.0/25,     51.5142, -0.0931, GB
            81.2.69.200,      25, 81.2.69.128/25,   51.45,   -0.97,   ''
            81.2.70.1,        8,  81.2.70.0/23,     50,      0,       GB
            81.0.0.0/8,       8,  81.0.0.0/8,       50,      0,       GB
            82.0.0.1,         0,  82.0.0.0/7,       0.5,     0.5,     ''
            80.0.0.0/16,      0,  80.0.0.0/8,       0.5,     0.5,     ''
            2001:db8:2::1,    32, 2001:db8:2::/47,  52.37,   4.9,     NL
            2001:db8:1:ff::1, 48, 2001:db8:1::/48,  -33.87,  151.21,  AU
            """)
    void longestPrefixWinsAndTheAnswerHoldsWhereNothingMoreSpecificIs(String address, int sourceLength,
                                                                     String holds, double latitude,
                                                                     double longitude, String country)
            throws IOException {
        CsvGeoTable table = CsvGeoTable.read(write(TABLE));

        GeoLocation location = table.locate(IpPrefix.parse(address));

        assertThat(location.known()).isTrue();
        assertThat(location.sourceLength()).isEqualTo(sourceLength);
        assertThat(location.network()).isEqualTo(IpPrefix.parse(holds));
        assertThat(location.latitude()).isEqualTo(latitude);
        assertThat(location.longitude()).isEqualTo(longitude);
        assertThat(location.countryCode()).isEqualTo(country);
    }

    /** The fifth column is optional row by row; codes are read case-insensitively, like countries. */
    @ParameterizedTest(name = "{0} -> ''{1}''")
    @CsvSource(textBlock = """
            10.0.0.1,  US-CA
            10.1.0.1,  ''
            10.2.0.1,  AU-NSW
            10.3.0.1,  ''
            10.4.0.1,  ''
            """)
    void anOptionalFifthColumnGivesTheSubdivision(String address, String subdivision) throws IOException {
        CsvGeoTable table = CsvGeoTable.read(write("""
                prefix,latitude,longitude,country,subdivision
                10.0.0.0/16,37.42,-122.08,US,US-CA
                10.1.0.0/16,37.42,-122.08,US,
                10.2.0.0/16,-33.89,151.2,au,au-nsw
                10.3.0.0/16,51.5,-0.09,GB
                10.4.0.0/16,0.5,0.5
                """));

        GeoLocation location = table.locate(IpPrefix.parse(address));

        assertThat(location.known()).isTrue();
        assertThat(location.subdivision()).isEqualTo(subdivision);
    }

    @ParameterizedTest(name = "{0}: unknown, holds for {1}")
    @CsvSource(textBlock = """
            2001:db9::1,       2001:db9::/32
            ::ffff:81.2.69.7,  ::/3
            """)
    void addressesNoPrefixCoversAreUnknown(String address, String holds) throws IOException {
        GeoLocation location = CsvGeoTable.read(write(TABLE)).locate(IpPrefix.parse(address));

        assertThat(location.known()).isFalse();
        assertThat(location.network()).isEqualTo(IpPrefix.parse(holds));
    }

    @Test
    void sizeAndDescriptionCountThePrefixes() throws IOException {
        Path file = write(TABLE);
        CsvGeoTable table = CsvGeoTable.read(file);

        assertThat(table.size()).isEqualTo(6);
        assertThat(table.describe()).contains(file.toString()).contains("6 prefixes");
    }

    @ParameterizedTest(name = "[{index}] line {1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            prefix,latitude,longitude\\n10.0.0.0/8,91,0                  | 2 | latitude 91 is outside -90..90
            prefix,latitude,longitude\\n10.0.0.0/8,0,-180.5              | 2 | longitude -180.5 is outside -180..180
            prefix,latitude,longitude\\n10.0.0.0/8,north,0               | 2 | latitude 'north' is not a number
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,GBR               | 2 | country 'GBR' is not a two-letter ISO 3166 code
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,G1                | 2 | country 'G1' is not a two-letter
            prefix,latitude,longitude\\n# x\\n10.0.0.1/8,0,0             | 3 | host bits
            prefix,latitude,longitude\\nexample.com,0,0                  | 2 | 'example.com' is not an IPv4 or IPv6 address
            prefix,latitude,longitude\\n10.0.0.0/8,0                     | 2 | expected prefix,latitude,longitude[,country[,subdivision]], got 2 fields
            prefix,latitude,longitude\\n192.0.2.7,0,0                      | 2 | '192.0.2.7' has no prefix length: write 192.0.2.7/32 for one address
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,GB,GB-ENG,London  | 2 | got 6 fields
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,GB,London         | 2 | subdivision 'London' is not an ISO 3166-2 code of country GB
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,US,CA             | 2 | subdivision 'CA' is not an ISO 3166-2 code of country US (US-, then 1 to 3 letters or digits)
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,US,CA-QC          | 2 | subdivision 'CA-QC' is not an ISO 3166-2 code of country US
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,US,US-CALI        | 2 | subdivision 'US-CALI' is not an ISO 3166-2 code
            prefix,latitude,longitude\\n10.0.0.0/8,0,0,,US-CA            | 2 | subdivision 'US-CA' needs the row's country
            latitude,longitude,prefix\\n0,0,10.0.0.0/8                   | 1 | expected a header line starting with prefix,latitude,longitude
            prefix,latitude,longitude\\n10.0.0.0/8,1,1\\n\\n10.0.0.0/8,2,2 | 4 | prefix 10.0.0.0/8 appears more than once
            """)
    void errorsNameTheFileAndLine(String content, int line, String message) throws IOException {
        Path file = write(content.replace("\\n", "\n"));

        assertThatThrownBy(() -> CsvGeoTable.read(file))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void everyBadRowIsReportedWithItsLine() throws IOException {
        Path file = write("prefix,latitude,longitude\n10.0.0.0/8,91,0\n11.0.0.0/8,1,1\n12.0.0.1,1,1\n11.0.0.0/8,2,2\n");

        assertThatThrownBy(() -> CsvGeoTable.read(file))
                .isInstanceOfSatisfying(SourceFormatException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).isEqualTo(file + ":2: latitude 91 is outside -90..90"),
                        p -> assertThat(p).startsWith(file + ":4: '12.0.0.1' has no prefix length"),
                        p -> assertThat(p).isEqualTo(file + ":5: prefix 11.0.0.0/8 appears more than once")));
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path file = write("");

        assertThatThrownBy(() -> CsvGeoTable.read(file))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ": empty file");
    }

    @Test
    void headerOnlyLocatesNothing() throws IOException {
        CsvGeoTable table = CsvGeoTable.read(write("prefix,latitude,longitude\n"));

        assertThat(table.size()).isZero();
        assertThat(table.locate(IpPrefix.parse("10.0.0.1")).known()).isFalse();
        assertThat(table.locate(IpPrefix.parse("10.0.0.1")).network()).isEqualTo(IpPrefix.parse("0.0.0.0/0"));
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("geo.csv"), content);
    }
}
