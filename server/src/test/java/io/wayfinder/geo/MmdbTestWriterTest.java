package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Metadata;
import com.maxmind.db.Network;
import com.maxmind.db.Networks;
import com.maxmind.db.Reader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks {@link MmdbTestWriter} output against the real MaxMind reader, which is the only opinion
 * about the format that matters for the code under test.
 */
// The reader hands back raw Map/List types; the casts below mirror what production code does.
@SuppressWarnings({"unchecked", "rawtypes"})
class MmdbTestWriterTest {

  private static final Map<String, Object> LONDON =
      Map.of("latitude", 51.5143f, "longitude", -0.0912f, "country_code", "GB", "city", "London");
  private static final Map<String, Object> UK_WIDE = Map.of("country_code", "GB");

  @TempDir Path tempDir;

  @Test
  void dbIpLiteFlatLayoutWithFloatCoordinates() throws IOException {
    Path file =
        new MmdbTestWriter("DBIP-City-Lite", 6)
            .buildEpoch(1_700_000_000L)
            .insert("81.2.69.0/24", LONDON)
            .write(tempDir.resolve("dbip-city-lite.mmdb"));

    try (Reader reader = new Reader(file.toFile())) {
      Map<String, Object> city = reader.get(ip("81.2.69.160"), Map.class);

      assertThat(city).containsEntry("country_code", "GB").containsEntry("city", "London");
      // MMDB float (type 15) decodes to java.lang.Float in a Map, not Double.
      assertThat(city.get("latitude")).isInstanceOf(Float.class).isEqualTo(51.5143f);
      assertThat(city.get("longitude")).isInstanceOf(Float.class).isEqualTo(-0.0912f);

      Metadata metadata = reader.getMetadata();
      assertThat(metadata.databaseType()).isEqualTo("DBIP-City-Lite");
      assertThat(metadata.ipVersion()).isEqualTo(6);
      assertThat(metadata.recordSize()).isEqualTo(24);
      assertThat(metadata.binaryFormatMajorVersion()).isEqualTo(2);
      assertThat(metadata.binaryFormatMinorVersion()).isZero();
      assertThat(metadata.buildEpoch()).isEqualTo(BigInteger.valueOf(1_700_000_000L));
      assertThat(metadata.languages()).containsExactly("en");
      assertThat(metadata.description()).containsEntry("en", "Wayfinder test database");
      // One node per bit of ::81.2.69.0/120 above the leaf record.
      assertThat(metadata.nodeCount()).isEqualTo(120);
    }
  }

  @Test
  void maxMindCityNestedLayout() throws IOException {
    MmdbTestWriter writer =
        new MmdbTestWriter("GeoLite2-City", 6)
            .languages("en", "de")
            .insert(
                "2001:db8::/32",
                Map.of(
                    "city", Map.of("geoname_id", 2759794, "names", Map.of("en", "Amsterdam")),
                    "country", Map.of("iso_code", "NL", "names", Map.of("de", "Niederlande")),
                    "location",
                        Map.of("latitude", 52.37, "longitude", 4.89, "accuracy_radius", 20),
                    "subdivisions", List.of(Map.of("iso_code", "NH"))));

    try (Reader reader = open(writer)) {
      Map<String, Object> city = reader.get(ip("2001:db8:1234::1"), Map.class);

      Map<String, Object> location = (Map<String, Object>) city.get("location");
      assertThat(location.get("latitude")).isInstanceOf(Double.class).isEqualTo(52.37);
      assertThat(location.get("longitude")).isInstanceOf(Double.class).isEqualTo(4.89);
      assertThat(location.get("accuracy_radius")).isEqualTo(20L);
      assertThat((Map<String, Object>) city.get("country")).containsEntry("iso_code", "NL");
      assertThat(((Map<String, Object>) city.get("city")).get("geoname_id")).isEqualTo(2759794L);
      assertThat((List<Object>) city.get("subdivisions")).containsExactly(Map.of("iso_code", "NH"));
      assertThat(reader.getMetadata().languages()).containsExactly("en", "de");
    }
  }

  @Test
  void ipv4NetworksLiveUnderTheIpv4SubtreeOfAnIpv6Tree() throws IOException {
    MmdbTestWriter writer = new MmdbTestWriter("DBIP-City-Lite", 6).insert("81.2.69.0/24", LONDON);

    try (Reader reader = open(writer)) {
      // An IPv4 lookup starts at ::/96, and reports its prefix in IPv4 terms.
      DatabaseRecord<Map> v4 = reader.getRecord(ip("81.2.69.1"), Map.class);
      assertThat(v4.data()).containsEntry("city", "London");
      assertThat(cidr(v4.network())).isEqualTo("81.2.69.0/24");

      // The same network seen through its IPv4-compatible IPv6 form (::81.2.69.1) proves where
      // it was stored; IPv4-mapped ::ffff:a.b.c.d is not aliased by this writer.
      DatabaseRecord<Map> compatible = reader.getRecord(ip("::5102:4501"), Map.class);
      assertThat(compatible.data()).containsEntry("city", "London");
      assertThat(compatible.network().prefixLength()).isEqualTo(96 + 24);

      assertThat(reader.get(ip("81.2.70.1"), Map.class)).isNull();
    }
  }

  @Test
  void ipv6Prefix() throws IOException {
    MmdbTestWriter writer =
        new MmdbTestWriter("DBIP-City-Lite", 6)
            .insert("2001:db8::/32", Map.of("country_code", "NL"))
            .insert("2a02:c7c::/32", UK_WIDE);

    try (Reader reader = open(writer)) {
      DatabaseRecord<Map> nl = reader.getRecord(ip("2001:db8:ffff::1"), Map.class);
      assertThat(nl.data()).containsEntry("country_code", "NL");
      assertThat(nl.network().prefixLength()).isEqualTo(32);
      assertThat(nl.network().networkAddress()).isEqualTo(ip("2001:db8::"));

      assertThat(reader.get(ip("2a02:c7c:1::1"), Map.class)).isEqualTo(UK_WIDE);
      assertThat(reader.get(ip("2001:db9::1"), Map.class)).isNull();
      assertThat(reader.get(ip("81.2.69.1"), Map.class)).isNull();
    }
  }

  /**
   * With 81.0.0.0/8 and 81.2.69.0/24 inserted, the tree has a node for every bit of the /24's
   * path; the /8's data fills each record that branches off that path. The reader reports the
   * prefix length of the record where its walk stopped, so outside the /24 the /8's data comes
   * back with the network of that branching record (here /9 to /24), never with /8 itself.
   */
  @ParameterizedTest(name = "broad prefix inserted first: {0}")
  @ValueSource(booleans = {true, false})
  void longestPrefixWinsRegardlessOfInsertionOrder(boolean broadFirst) throws IOException {
    MmdbTestWriter writer = new MmdbTestWriter("DBIP-City-Lite", 6);
    if (broadFirst) {
      writer.insert("81.0.0.0/8", UK_WIDE).insert("81.2.69.0/24", LONDON);
    } else {
      writer.insert("81.2.69.0/24", LONDON).insert("81.0.0.0/8", UK_WIDE);
    }

    try (Reader reader = open(writer)) {
      DatabaseRecord<Map> inside = reader.getRecord(ip("81.2.69.200"), Map.class);
      assertThat(inside.data()).isEqualTo(LONDON);
      assertThat(cidr(inside.network())).isEqualTo("81.2.69.0/24");

      // Branches off the /24's path at its last bit, at bit 23, at bit 15 and at bit 9.
      assertLookup(reader, "81.2.68.1", UK_WIDE, "81.2.68.0/24");
      assertLookup(reader, "81.2.70.1", UK_WIDE, "81.2.70.0/23");
      assertLookup(reader, "81.1.0.1", UK_WIDE, "81.0.0.0/15");
      assertLookup(reader, "81.200.0.1", UK_WIDE, "81.128.0.0/9");

      assertThat(reader.get(ip("82.0.0.1"), Map.class)).isNull();
    }
  }

  /** The pushed-down records tile the /8 exactly: no gaps, no overlaps, one /24 exception. */
  @Test
  void pushedDownDataTilesTheShorterPrefix() throws Exception {
    MmdbTestWriter writer =
        new MmdbTestWriter("Test-IPv4", 4)
            .insert("81.2.69.0/24", LONDON)
            .insert("81.0.0.0/8", UK_WIDE);

    List<String> networks = new ArrayList<>();
    long addresses = 0;
    try (Reader reader = open(writer)) {
      Networks<Map> iterator = reader.networks(Map.class);
      while (iterator.hasNext()) {
        DatabaseRecord<Map> record = iterator.next();
        networks.add(cidr(record.network()));
        boolean isTheSlash24 = cidr(record.network()).equals("81.2.69.0/24");
        assertThat(record.data()).isEqualTo(isTheSlash24 ? LONDON : UK_WIDE);
        addresses += 1L << (32 - record.network().prefixLength());
      }
    }

    // One sibling record per depth 9..24 along the /24's path, plus the /24 itself.
    assertThat(networks).hasSize(17).contains("81.128.0.0/9", "81.2.69.0/24", "81.2.68.0/24");
    assertThat(addresses).isEqualTo(1L << 24);
  }

  @Test
  void uncoveredAddressIsNotFound() throws IOException {
    MmdbTestWriter writer = new MmdbTestWriter("DBIP-City-Lite", 6).insert("81.2.69.0/24", LONDON);

    try (Reader reader = open(writer)) {
      assertThat(reader.get(ip("10.0.0.1"), Map.class)).isNull();
      assertThat(reader.get(ip("2001:db8::1"), Map.class)).isNull();
      // getRecord still answers, with null data; the network is the empty record's extent.
      DatabaseRecord<Map> miss = reader.getRecord(ip("10.0.0.1"), Map.class);
      assertThat(miss.data()).isNull();
      assertThat(cidr(miss.network())).isEqualTo("0.0.0.0/2");
    }
  }

  @Test
  void emptyDatabaseIsReadable() throws IOException {
    try (Reader reader = open(new MmdbTestWriter("Empty", 6))) {
      assertThat(reader.getMetadata().nodeCount()).isEqualTo(1);
      assertThat(reader.get(ip("81.2.69.1"), Map.class)).isNull();
      assertThat(reader.get(ip("2001:db8::1"), Map.class)).isNull();
    }
  }

  @Test
  void ipv4OnlyDatabase() throws IOException {
    MmdbTestWriter writer =
        new MmdbTestWriter("Test-IPv4", 4)
            .insert("81.2.69.0/24", LONDON)
            .insert("192.0.2.1", Map.of("country_code", "ZZ"));

    try (Reader reader = open(writer)) {
      assertThat(reader.getMetadata().ipVersion()).isEqualTo(4);
      DatabaseRecord<Map> london = reader.getRecord(ip("81.2.69.77"), Map.class);
      assertThat(london.data()).isEqualTo(LONDON);
      assertThat(cidr(london.network())).isEqualTo("81.2.69.0/24");
      assertLookup(reader, "192.0.2.1", Map.of("country_code", "ZZ"), "192.0.2.1/32");
      assertThat(reader.get(ip("192.0.2.2"), Map.class)).isNull();
    }
    assertThatThrownBy(() -> writer.insert("2001:db8::/32", UK_WIDE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("IPv4 database");
  }

  @Test
  void everySupportedValueTypeRoundTrips() throws IOException {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("string", "Zürich");
    data.put("string_29_to_284_bytes", "x".repeat(100));
    data.put("string_285_plus_bytes", "é".repeat(400));
    data.put("double", -33.8688);
    data.put("float", 151.2093f);
    data.put("uint32", 4_000_000);
    data.put("uint32_zero", 0);
    data.put("int32", -5);
    data.put("negative_long", -7L);
    data.put("uint64", Long.MAX_VALUE);
    data.put("true", true);
    data.put("false", false);
    data.put("array", List.of("a", 1, 2.5));
    data.put("big_array", Collections.nCopies(300, 1));
    data.put("empty_map", Map.of());

    try (Reader reader = open(new MmdbTestWriter("Types", 4).insert("0.0.0.0/0", data))) {
      Map<String, Object> read = reader.get(ip("203.0.113.9"), Map.class);

      assertThat(read.get("string")).isEqualTo("Zürich");
      assertThat(read.get("string_29_to_284_bytes")).isEqualTo("x".repeat(100));
      assertThat(read.get("string_285_plus_bytes")).isEqualTo("é".repeat(400));
      assertThat(read.get("double")).isEqualTo(-33.8688);
      assertThat(read.get("float")).isEqualTo(151.2093f);
      // The reader widens unsigned types: uint32 to Long, uint64 to BigInteger.
      assertThat(read.get("uint32")).isEqualTo(4_000_000L);
      assertThat(read.get("uint32_zero")).isEqualTo(0L);
      assertThat(read.get("int32")).isEqualTo(-5);
      assertThat(read.get("negative_long")).isEqualTo(-7);
      assertThat(read.get("uint64")).isEqualTo(BigInteger.valueOf(Long.MAX_VALUE));
      assertThat(read.get("true")).isEqualTo(true);
      assertThat(read.get("false")).isEqualTo(false);
      assertThat((List<Object>) read.get("array")).containsExactly("a", 1L, 2.5);
      assertThat((List<Object>) read.get("big_array")).hasSize(300).containsOnly(1L);
      assertThat((Map<String, Object>) read.get("empty_map")).isEmpty();
    }
  }

  @ParameterizedTest(name = "record size {0}")
  @ValueSource(ints = {24, 28, 32})
  void everyRecordSizeIsReadable(int recordSize) throws IOException {
    MmdbTestWriter writer =
        new MmdbTestWriter("DBIP-City-Lite", 6)
            .recordSize(recordSize)
            .insert("81.0.0.0/8", UK_WIDE)
            .insert("81.2.69.0/24", LONDON)
            .insert("2001:db8::/32", Map.of("country_code", "NL"));

    try (Reader reader = open(writer)) {
      assertThat(reader.getMetadata().recordSize()).isEqualTo(recordSize);
      assertThat(reader.get(ip("81.2.69.1"), Map.class)).isEqualTo(LONDON);
      assertThat(reader.get(ip("81.9.9.9"), Map.class)).isEqualTo(UK_WIDE);
      assertThat(reader.get(ip("2001:db8::1"), Map.class)).containsEntry("country_code", "NL");
      assertThat(reader.get(ip("10.0.0.1"), Map.class)).isNull();
    }
  }

  /**
   * Small databases never need a record value of 2^24 or more, so only a data section past 16 MiB
   * exercises the 28-bit layout's shared middle byte and the automatic width choice. Identical
   * data is stored once, so the sibling pairs 2/8+3/8 and 4/8+5/8 each get one record below 2^24
   * (high nibble 0) and one above (high nibble 1), on opposite sides: a nibble mix-up between the
   * left and right record would send one of them to the wrong place.
   */
  @Test
  void recordValuesAbove24BitsUseWiderRecords() throws IOException {
    Map<String, Object> early = Map.of("n", 0); // written before the blob: small offset
    Map<String, Object> late = Map.of("n", 3); // written after the blob: offset past 2^24
    MmdbTestWriter writer =
        new MmdbTestWriter("Large", 4)
            .insert("0.0.0.0/8", early)
            .insert("1.0.0.0/8", Map.of("blob", "x".repeat(1 << 24)))
            .insert("2.0.0.0/8", early)
            .insert("3.0.0.0/8", late)
            .insert("4.0.0.0/8", late)
            .insert("5.0.0.0/8", early);

    try (Reader reader = open(writer)) {
      assertThat(reader.getMetadata().recordSize()).isEqualTo(28);
      assertLargeDatabase(reader);
    }
    try (Reader reader = open(writer.recordSize(32))) {
      assertLargeDatabase(reader);
    }
    assertThatThrownBy(() -> writer.recordSize(24).toBytes())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("24-bit");
  }

  private static void assertLargeDatabase(Reader reader) throws IOException {
    for (String address : List.of("0.1.1.1", "2.1.1.1", "5.1.1.1")) {
      assertThat(reader.get(ip(address), Map.class)).as(address).isEqualTo(Map.of("n", 0L));
    }
    for (String address : List.of("3.1.1.1", "4.1.1.1")) {
      assertThat(reader.get(ip(address), Map.class)).as(address).isEqualTo(Map.of("n", 3L));
    }
    assertThat((String) reader.get(ip("1.1.1.1"), Map.class).get("blob")).hasSize(1 << 24);
    assertThat(reader.get(ip("6.1.1.1"), Map.class)).isNull();
  }

  @Test
  void outputIsDeterministic() {
    MmdbTestWriter a =
        new MmdbTestWriter("DBIP-City-Lite", 6)
            .buildEpoch(1L)
            .insert("81.0.0.0/8", UK_WIDE)
            .insert("81.2.69.0/24", LONDON);
    MmdbTestWriter b =
        new MmdbTestWriter("DBIP-City-Lite", 6)
            .buildEpoch(1L)
            .insert("81.2.69.0/24", new HashMap<>(LONDON))
            .insert("81.0.0.0/8", UK_WIDE);

    assertThat(a.toBytes()).isEqualTo(b.toBytes());
  }

  @Test
  void rejectsMistakesAtInsert() {
    MmdbTestWriter writer = new MmdbTestWriter("DBIP-City-Lite", 6);

    assertThatThrownBy(() -> writer.insert("81.2.69.1/24", UK_WIDE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host bits");
    assertThatThrownBy(() -> writer.insert("81.2.69.0/33", UK_WIDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.insert("example.com/24", UK_WIDE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> writer.insert("81.2.69.0/24", Map.of("when", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no MMDB encoding");
    assertThatThrownBy(() -> new MmdbTestWriter("X", 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertLookup(
      Reader reader, String address, Map<String, Object> data, String network) throws IOException {
    DatabaseRecord<Map> record = reader.getRecord(ip(address), Map.class);
    assertThat(record.data()).as("data for %s", address).isEqualTo(data);
    assertThat(cidr(record.network())).as("network for %s", address).isEqualTo(network);
  }

  private static Reader open(MmdbTestWriter writer) throws IOException {
    return new Reader(new ByteArrayInputStream(writer.toBytes()));
  }

  private static String cidr(Network network) {
    return network.networkAddress().getHostAddress() + "/" + network.prefixLength();
  }

  /** Literals only, so no lookup ever touches DNS. */
  private static InetAddress ip(String literal) throws IOException {
    return InetAddress.getByName(literal);
  }
}
