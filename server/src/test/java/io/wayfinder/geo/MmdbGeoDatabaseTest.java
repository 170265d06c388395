package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MmdbGeoDatabaseTest {

    @TempDir
    Path dir;

    /** MaxMind City layout: nested location and country maps, coordinates as doubles. */
    private static Map<String, Object> city(double latitude, double longitude, String country) {
        return Map.of(
                "city", Map.of("names", Map.of("en", "Somewhere")),
                "country", Map.of("iso_code", country, "names", Map.of("en", country)),
                "location", Map.of("latitude", latitude, "longitude", longitude, "accuracy_radius", 20));
    }

    /** DB-IP Lite as packaged by ip-location-db: flat keys, coordinates as 32-bit floats. */
    private static Map<String, Object> flat(float latitude, float longitude, String country) {
        return Map.of("city", "Somewhere", "country_code", country, "latitude", latitude, "longitude", longitude);
    }

    private Path cityDatabase(int ipVersion) throws IOException {
        MmdbTestWriter writer = new MmdbTestWriter("GeoLite2-City", ipVersion)
                .insert("81.0.0.0/8", city(50, 0, "GB"))
                .insert("81.2.69.0/24", city(51.5142, -0.0931, "GB"))
                .insert("1.0.16.0/20", city(35.69, 139.69, "JP"))
                .insert("192.0.2.0/24", Map.of("country", Map.of("iso_code", "ZZ")));
        if (ipVersion == 6) {
            writer.insert("2001:db8::/32", city(52.37, 4.9, "NL"))
                    .insert("2001:db8:1::/48", city(-33.87, 151.21, "AU"));
        }
        return writer.write(dir.resolve("city-v" + ipVersion + ".mmdb"));
    }

    private Path flatDatabase(int ipVersion) throws IOException {
        MmdbTestWriter writer = new MmdbTestWriter("DBIP-City-Lite", ipVersion)
                .insert("81.2.69.0/24", flat(51.5143f, -0.0912f, "GB"))
                .insert("1.0.16.0/20", flat(35.6895f, 139.6917f, "JP"));
        if (ipVersion == 6) {
            writer.insert("2001:db8::/32", flat(52.37f, 4.9f, "NL"));
        }
        return writer.write(dir.resolve("dbip-v" + ipVersion + ".mmdb"));
    }

    @ParameterizedTest(name = "IPv{0} tree: {1} -> {2}")
    @CsvSource(textBlock = """
            6, 81.2.69.7,       81.2.69.0/24,    51.5142, -0.0931, GB
            4, 81.2.69.7,       81.2.69.0/24,    51.5142, -0.0931, GB
            6, 81.2.69.0/24,    81.2.69.0/24,    51.5142, -0.0931, GB
            6, 1.0.16.1,        1.0.16.0/20,     35.69,   139.69,  JP
            4, 1.0.31.255,      1.0.16.0/20,     35.69,   139.69,  JP
            6, 2001:db8:1:2::1, 2001:db8:1::/48, -33.87,  151.21,  AU
            6, 2001:db8:8000::1, 2001:db8:8000::/33, 52.37, 4.9,   NL
            """)
    void cityLayoutIsRead(int ipVersion, String address, String network, double latitude, double longitude,
                          String country) throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(ipVersion))) {
            GeoLocation location = db.locate(IpPrefix.parse(address));

            assertThat(location.latitude()).isEqualTo(latitude);
            assertThat(location.longitude()).isEqualTo(longitude);
            assertThat(location.countryCode()).isEqualTo(country);
            assertThat(location.network()).isEqualTo(IpPrefix.parse(network));
            assertThat(location.sourceLength()).isEqualTo(IpPrefix.parse(network).length());
        }
    }

    @ParameterizedTest(name = "IPv{0} tree: {1} -> {2}")
    @CsvSource(textBlock = """
            6, 81.2.69.7,     81.2.69.0/24,  51.5143, -0.0912,  GB
            4, 81.2.69.255,   81.2.69.0/24,  51.5143, -0.0912,  GB
            6, 1.0.16.1,      1.0.16.0/20,   35.6895, 139.6917, JP
            6, 2001:db8::1,   2001:db8::/32, 52.37,   4.9,      NL
            """)
    void dbIpFlatLayoutWithFloatCoordinatesIsRead(int ipVersion, String address, String network, double latitude,
                                                  double longitude, String country) throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(flatDatabase(ipVersion))) {
            GeoLocation location = db.locate(IpPrefix.parse(address));

            assertThat(location.latitude()).isCloseTo(latitude, within(1e-4));
            assertThat(location.longitude()).isCloseTo(longitude, within(1e-4));
            assertThat(location.countryCode()).isEqualTo(country);
            assertThat(location.network()).isEqualTo(IpPrefix.parse(network));
        }
    }

    /** MaxMind writes the part of the ISO 3166-2 code after the hyphen; a bad one costs only the subdivision. */
    @ParameterizedTest(name = "{0} {1} -> ''{2}''")
    @CsvSource(textBlock = """
            US, CA,    US-CA
            US, ca,    US-CA
            GB, ENG,   GB-ENG
            AU, NSW,   AU-NSW
            FR, 75C,   FR-75C
            US, Calif, ''
            US, '',    ''
            US, C_A,   ''
            """)
    void cityLayoutSubdivisionIsTheCountryAndItsIsoCode(String country, String isoCode, String subdivision) {
        Map<String, Object> data = new HashMap<>(city(1, 2, country));
        data.put("subdivisions", List.of(Map.of("iso_code", isoCode, "names", Map.of("en", "Somewhere")),
                Map.of("iso_code", "XX")));

        GeoLocation location = MmdbGeoDatabase.toLocation(data, IpPrefix.parse("192.0.2.0/24"), 24);

        assertThat(location.countryCode()).isEqualTo(country);
        assertThat(location.subdivision()).isEqualTo(subdivision);
    }

    /** DB-IP names the subdivision in state1, spelt as in the real database. */
    @ParameterizedTest(name = "{0} {1} -> ''{2}''")
    @CsvSource(textBlock = """
            US, California,      US-CA
            CA, Quebec,          CA-QC
            CA, Yukon,           CA-YT
            AU, ACT,             AU-ACT
            AU, New South Wales, AU-NSW
            GB, England,         GB-ENG
            UA, Crimea,          UA-43
            UA, Sebastopol City, UA-40
            JP, Tokyo,           ''
            CA, California,      ''
            US, '',              ''
            """)
    void flatLayoutSubdivisionIsCodedFromItsName(String country, String state1, String subdivision) {
        Map<String, Object> data = new HashMap<>(flat(1f, 2f, country));
        data.put("state1", state1);
        data.put("state2", "");

        GeoLocation location = MmdbGeoDatabase.toLocation(data, IpPrefix.parse("192.0.2.0/24"), 24);

        assertThat(location.subdivision()).isEqualTo(subdivision);
    }

    @Test
    void recordsWithoutASubdivisionHaveNone() {
        IpPrefix holds = IpPrefix.parse("192.0.2.0/24");

        assertThat(MmdbGeoDatabase.toLocation(city(1, 2, "US"), holds, 24).subdivision()).isEmpty();
        assertThat(MmdbGeoDatabase.toLocation(flat(1f, 2f, "US"), holds, 24).subdivision()).isEmpty();
        Map<String, Object> noList = new HashMap<>(city(1, 2, "US"));
        noList.put("subdivisions", List.of());
        assertThat(MmdbGeoDatabase.toLocation(noList, holds, 24).subdivision()).isEmpty();
    }

    @ParameterizedTest(name = "{0} layout")
    @CsvSource(textBlock = """
            MaxMind City, GeoLite2-City
            DB-IP flat,   DBIP-City-Lite
            """)
    void subdivisionsAreReadFromADatabaseFile(String layout, String databaseType) throws IOException {
        Map<String, Object> california = new HashMap<>();
        if (databaseType.startsWith("GeoLite2")) {
            california.putAll(city(37.42, -122.08, "US"));
            california.put("subdivisions", List.of(Map.of("iso_code", "CA")));
        } else {
            california.putAll(flat(37.42f, -122.08f, "US"));
            california.put("state1", "California");
        }
        Path file = new MmdbTestWriter(databaseType, 6).insert("8.8.8.0/24", california)
                .write(dir.resolve("subdivisions.mmdb"));

        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(file)) {
            GeoLocation location = db.locate(IpPrefix.parse("8.8.8.8"));

            assertThat(location.countryCode()).isEqualTo("US");
            assertThat(location.subdivision()).isEqualTo("US-CA");
            assertThat(location.holdingFor(IpPrefix.parse("8.8.8.0/25")).subdivision()).isEqualTo("US-CA");
        }
    }

    /**
     * A record that cannot be decoded (a file damaged after the checks at load) is an unknown
     * location holding only for the client, not an exception on the query path; other records
     * still answer.
     */
    @Test
    void aRecordThatCannotBeDecodedIsAnUnknownLocation() throws IOException {
        Path file = new MmdbTestWriter("GeoLite2-City", 6)
                .insert("81.2.69.0/24", city(51.5142, -0.0931, "GB"))
                .insert("1.0.16.0/20", CorruptMmdb.markedCity(35.69, 139.69, "JP"))
                .write(dir.resolve("damaged.mmdb"));
        CorruptMmdb.breakValuesMarked(file);

        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(file)) {
            GeoLocation damaged = db.locate(IpPrefix.parse("1.0.16.0/24"));

            assertThat(damaged.known()).isFalse();
            assertThat(damaged.network()).isEqualTo(IpPrefix.parse("1.0.16.0/24"));
            assertThat(db.locate(IpPrefix.parse("81.2.69.7")).countryCode()).isEqualTo("GB");
        }
    }

    /** Damage that the checks at load reach (every record here) rejects the file, naming it. */
    @Test
    void aDatabaseWhoseRecordsCannotBeDecodedIsRejectedAtOpen() throws IOException {
        Path file = new MmdbTestWriter("GeoLite2-City", 6)
                .insert("0.0.0.0/1", CorruptMmdb.markedCity(1, 2, "ZZ"))
                .insert("128.0.0.0/1", CorruptMmdb.markedCity(3, 4, "ZZ"))
                .write(dir.resolve("damaged.mmdb"));
        CorruptMmdb.breakValuesMarked(file);

        assertThatThrownBy(() -> MmdbGeoDatabase.open(file).close())
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("cannot be decoded");
    }

    /** A file cut short (a copy in progress) is rejected at open, naming it. */
    @Test
    void aTruncatedDatabaseIsRejectedAtOpen() throws IOException {
        Path whole = cityDatabase(6);
        byte[] bytes = Files.readAllBytes(whole);
        Path file = Files.write(dir.resolve("half.mmdb"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> MmdbGeoDatabase.open(file).close())
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ": not a readable MaxMind DB file");
    }

    /**
     * The answer holds for the record's network, or for the client's own network where that is
     * shorter (a client shorter than the record is looked up at its first address).
     */
    @ParameterizedTest(name = "IPv{0} tree: {1} holds for {2}")
    @CsvSource(textBlock = """
            6, 81.2.69.0/24,   81.2.69.0/24,  24
            6, 81.2.69.0/26,   81.2.69.0/24,  24
            6, 81.2.0.0/16,    81.2.0.0/16,   18
            4, 1.0.16.0/22,    1.0.16.0/20,   20
            6, 2001:db8:1::/64, 2001:db8:1::/48, 48
            6, 2001:db8::/40,  2001:db8::/40, 48
            """)
    void theAnswerHoldsForTheShorterOfRecordAndClient(int ipVersion, String client, String holds, int sourceLength)
            throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(ipVersion))) {
            GeoLocation location = db.locate(IpPrefix.parse(client));

            assertThat(location.network()).isEqualTo(IpPrefix.parse(holds));
            assertThat(location.sourceLength()).isEqualTo(sourceLength);
        }
    }

    /**
     * Where a longer prefix is nested in a shorter one, the tree splits the shorter one and the
     * reader reports the split-off piece: still a network that contains the address, in its family.
     */
    @ParameterizedTest(name = "IPv{0} tree: {1} -> {2}")
    @CsvSource(textBlock = """
            6, 81.2.70.1,    81.2.70.0/23, 50, 0
            4, 81.2.70.1,    81.2.70.0/23, 50, 0
            6, 81.128.0.1,   81.128.0.0/9, 50, 0
            6, 2001:db8:2::, 2001:db8:2::/47, 52.37, 4.9
            """)
    void aSplitShorterPrefixReportsThePieceThatHoldsTheAddress(int ipVersion, String address, String network,
                                                              double latitude, double longitude) throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(ipVersion))) {
            GeoLocation location = db.locate(IpPrefix.parse(address));

            assertThat(location.network()).isEqualTo(IpPrefix.parse(network));
            assertThat(location.latitude()).isEqualTo(latitude);
            assertThat(location.longitude()).isEqualTo(longitude);
        }
    }

    /** Whatever the database and answer, the network it holds for contains the client and is of its family. */
    @ParameterizedTest(name = "IPv{0} tree: {1}")
    @CsvSource(textBlock = """
            6, 81.2.69.7
            6, 81.2.69.0/24
            6, 9.9.9.9
            6, 81.2.70.1
            6, 1.0.16.1
            6, 2001:db8:1:2::1
            6, ::5102:4507
            4, 81.2.69.7
            4, 81.200.0.1
            """)
    void reportedNetworkContainsTheAddress(int ipVersion, String address) throws IOException {
        IpPrefix asked = IpPrefix.parse(address);
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(ipVersion))) {
            GeoLocation location = db.locate(asked);

            assertThat(location.network().ipv6()).isEqualTo(asked.ipv6());
            assertThat(location.network().contains(asked)).as("%s contains %s", location.network(), asked).isTrue();
        }
    }

    /**
     * An IPv4-mapped client in an IPv6 database is answered from the IPv4 data (as the ::ffff:0:0/96
     * alias of real databases does); the network stays IPv6, ::ffff:81.2.69.0/120, so that its length
     * is an IPv6 length wherever it is used as a scope.
     */
    @Test
    void ipv4MappedAddressInAnIpv6DatabaseGetsAnIpv6Network() throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(6))) {
            GeoLocation location = db.locate(IpPrefix.parse("::ffff:81.2.69.7"));

            assertThat(location.known()).isTrue();
            assertThat(location.countryCode()).isEqualTo("GB");
            assertThat(location.network()).isEqualTo(IpPrefix.parse("::ffff:81.2.69.0/120"));
            assertThat(location.sourceLength()).isEqualTo(120);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "::ffff:81.2.69.7", "::/0", "::5102:4507"})
    void ipv6LookupsInAnIpv4OnlyDatabaseFindNothingAnywhere(String address) throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(4))) {
            GeoLocation location = db.locate(IpPrefix.parse(address));

            assertThat(location.known()).isFalse();
            assertThat(location.network()).isEqualTo(IpPrefix.parse("::/0"));
        }
    }

    @ParameterizedTest(name = "IPv{0} tree: {1}")
    @CsvSource(textBlock = """
            6, 9.9.9.9
            4, 9.9.9.9
            6, 2001:db9::1
            6, ::1
            # a record without coordinates (country only) is no location
            6, 192.0.2.1
            4, 192.0.2.1
            """)
    void addressesWithoutCoordinatesAreUnknown(int ipVersion, String address) throws IOException {
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(cityDatabase(ipVersion))) {
            GeoLocation location = db.locate(IpPrefix.parse(address));

            assertThat(location.known()).isFalse();
            assertThat(location.network().contains(IpPrefix.parse(address))).isTrue();
        }
    }

    @Test
    void emptyDatabaseLocatesNothing() throws IOException {
        Path file = new MmdbTestWriter("DBIP-City-Lite", 6).write(dir.resolve("empty.mmdb"));
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(file)) {
            assertThat(db.locate(IpPrefix.parse("81.2.69.7")).known()).isFalse();
            assertThat(db.locate(IpPrefix.parse("2001:db8::1")).known()).isFalse();
        }
    }

    @Test
    void describeNamesFileTypeAndVersion() throws IOException {
        Path file = flatDatabase(4);
        try (MmdbGeoDatabase db = MmdbGeoDatabase.open(file)) {
            assertThat(db.describe()).contains(file.toString()).contains("DBIP-City-Lite").contains("IPv4");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a CSV file       | prefix,latitude,longitude
            an empty file    | ''
            """)
    void aFileThatIsNotAnMmdbNamesTheFile(String what, String content) throws IOException {
        Path file = Files.writeString(dir.resolve("not.mmdb"), content);

        assertThatThrownBy(() -> MmdbGeoDatabase.open(file))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file + ": not a readable MaxMind DB file");
    }

    @Test
    void aMissingFileNamesTheFile() {
        Path file = dir.resolve("absent.mmdb");

        assertThatThrownBy(() -> MmdbGeoDatabase.open(file))
                .isInstanceOf(SourceFormatException.class)
                .hasMessageStartingWith(file.toString());
    }
}
