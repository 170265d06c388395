package io.wayfinder.geo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes tiny MaxMind DB (MMDB format 2.0) files for tests, so geolocation code can be exercised
 * against real {@code com.maxmind.db.Reader} lookups without downloading a database or needing
 * MaxMind's Perl/Go writers.
 *
 * <p>Format reference: https://maxmind.github.io/MaxMind-DB/. The file is three parts: a binary
 * search tree keyed on address bits, a 16-byte zero separator followed by the data section, and a
 * metadata map after the {@code "\xAB\xCD\xEFMaxMind.com"} marker.
 *
 * <p>Semantics worth knowing when writing assertions:
 *
 * <ul>
 *   <li>Longest prefix wins, independent of insertion order. A shorter prefix's data is copied
 *       into every tree record that branches away from a longer prefix nested inside it, so a
 *       lookup in such an area reports the prefix length of the tree node where it stopped, not
 *       the shorter prefix's length (e.g. with 81.0.0.0/8 and 81.2.69.0/24 inserted, 81.2.70.1
 *       resolves to the /8's data with network 81.2.70.0/23). Real MaxMind databases behave the
 *       same way.
 *   <li>In an {@code ipVersion == 6} database IPv4 prefixes are stored under {@code ::/96}, which
 *       is where the reader starts IPv4 lookups. The {@code ::ffff:0:0/96} and {@code 2002::/16}
 *       aliases that MaxMind's own writer adds are not written.
 *   <li>Inserting the same prefix twice keeps the last data.
 * </ul>
 *
 * <p>Value mapping (Java type to MMDB type): {@link String} to utf8_string, {@link Double} to
 * double, {@link Float} to float, non-negative {@link Integer} to uint32, non-negative {@link
 * Long} to uint64, negative Integer/Long to int32, {@link Boolean} to boolean, {@code Map<String,
 * ?>} to map and {@link List} to array. The Java type, not the magnitude, picks the width so a
 * test controls exactly what the reader will decode (uint32 comes back as Long, uint64 as
 * BigInteger).
 */
public final class MmdbTestWriter {

  // MMDB data-section type numbers (spec, "Output Data Section").
  private static final int TYPE_UTF8_STRING = 2;
  private static final int TYPE_DOUBLE = 3;
  private static final int TYPE_UINT16 = 5;
  private static final int TYPE_UINT32 = 6;
  private static final int TYPE_MAP = 7;
  private static final int TYPE_INT32 = 8;
  private static final int TYPE_UINT64 = 9;
  private static final int TYPE_ARRAY = 11;
  private static final int TYPE_BOOLEAN = 14;
  private static final int TYPE_FLOAT = 15;

  private static final byte[] METADATA_MARKER = {
    (byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
    'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
  };
  private static final int DATA_SECTION_SEPARATOR_SIZE = 16;

  // Only numeric literals: InetAddress.getByName would otherwise resolve a typo'd hostname via
  // DNS, making a unit test depend on the network.
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f.:]+");

  private final String databaseType;
  private final int ipVersion;
  private final TrieNode root = new TrieNode();
  private final List<String> languages = new ArrayList<>(List.of("en"));
  private final Map<String, String> description = new LinkedHashMap<>();
  private Integer pinnedRecordSize; // null: smallest of 24/28/32 that fits
  private long buildEpoch = Instant.now().getEpochSecond();

  /**
   * @param databaseType value of the {@code database_type} metadata key, e.g. "DBIP-City-Lite" or
   *     "GeoLite2-City"; readers may branch on it
   * @param ipVersion 4 (IPv4-only tree, 32 levels) or 6 (128 levels; IPv4 lives under ::/96)
   */
  public MmdbTestWriter(String databaseType, int ipVersion) {
    if (ipVersion != 4 && ipVersion != 6) {
      throw new IllegalArgumentException("ipVersion must be 4 or 6, got " + ipVersion);
    }
    this.databaseType = Objects.requireNonNull(databaseType, "databaseType");
    this.ipVersion = ipVersion;
    description.put("en", "Wayfinder test database");
  }

  /**
   * Associates {@code data} with a network. Host bits must be zero ("81.2.69.0/24", not
   * "81.2.69.1/24") so that a typo cannot silently widen or move a test network; a bare address
   * means a single host (/32 or /128).
   *
   * @throws IllegalArgumentException for a malformed network, an IPv6 network in an IPv4
   *     database, or a value type that has no MMDB encoding
   */
  public MmdbTestWriter insert(String cidr, Map<String, ?> data) {
    Objects.requireNonNull(data, "data");
    Prefix prefix = parsePrefix(cidr);
    // Encode now so that an unsupported value fails at the insert() call site, not in write().
    ByteArrayOutputStream encoded = new ByteArrayOutputStream();
    encode(data, encoded);

    TrieNode node = root;
    for (int depth = 0; depth < prefix.length; depth++) {
      int bit = bitAt(prefix.bits, depth);
      if (node.children[bit] == null) {
        node.children[bit] = new TrieNode();
      }
      node = node.children[bit];
    }
    node.data = encoded.toByteArray();
    return this;
  }

  /**
   * Pins the search-tree record size; by default the smallest size that can address every node
   * and data record is chosen, which is always 24 for test-sized databases.
   */
  public MmdbTestWriter recordSize(int bits) {
    if (bits != 24 && bits != 28 && bits != 32) {
      throw new IllegalArgumentException("record size must be 24, 28 or 32, got " + bits);
    }
    this.pinnedRecordSize = bits;
    return this;
  }

  /** Sets {@code build_epoch} (seconds since the Unix epoch); fix it for byte-identical output. */
  public MmdbTestWriter buildEpoch(long epochSeconds) {
    if (epochSeconds < 0) {
      throw new IllegalArgumentException("build epoch must not be negative: " + epochSeconds);
    }
    this.buildEpoch = epochSeconds;
    return this;
  }

  /** Replaces the {@code languages} metadata array (default: "en"). */
  public MmdbTestWriter languages(String... locales) {
    languages.clear();
    languages.addAll(List.of(locales));
    return this;
  }

  /** Adds or replaces one entry of the {@code description} metadata map. */
  public MmdbTestWriter description(String language, String text) {
    description.put(Objects.requireNonNull(language), Objects.requireNonNull(text));
    return this;
  }

  /** Writes the database to {@code file}, replacing it, and returns {@code file}. */
  public Path write(Path file) throws IOException {
    Files.write(file, toBytes());
    return file;
  }

  /** Serializes the database; the writer stays usable and can be extended and written again. */
  public byte[] toBytes() {
    // Node numbers are needed before any record can be written, because data records are
    // addressed as node_count + 16 + data offset.
    List<TrieNode> treeNodes = new ArrayList<>();
    numberTreeNodes(root, treeNodes);
    long nodeCount = treeNodes.size();

    long[][] records = new long[treeNodes.size()][2];
    ByteArrayOutputStream dataSection = new ByteArrayOutputStream();
    Map<ByteBuffer, Long> dataOffsets = new HashMap<>();
    fillRecords(root, null, records, nodeCount, dataSection, dataOffsets);

    long maxRecord = nodeCount;
    for (long[] pair : records) {
      maxRecord = Math.max(maxRecord, Math.max(pair[0], pair[1]));
    }
    int recordSize = chooseRecordSize(maxRecord);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (long[] pair : records) {
      writeNode(out, recordSize, pair[0], pair[1]);
    }
    out.writeBytes(new byte[DATA_SECTION_SEPARATOR_SIZE]);
    out.writeBytes(dataSection.toByteArray());
    out.writeBytes(METADATA_MARKER);
    encode(metadata(nodeCount, recordSize), out);
    return out.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------
  // Search tree

  /** A node of the in-memory prefix trie; {@code data} is set where a prefix was inserted. */
  private static final class TrieNode {
    final TrieNode[] children = new TrieNode[2];
    byte[] data;
    int index = -1; // position in the MMDB search tree, if this trie node becomes a tree node

    boolean hasChildren() {
      return children[0] != null || children[1] != null;
    }
  }

  /**
   * Only trie nodes that branch further become MMDB tree nodes; a childless trie node is an
   * inserted prefix whose data is stored directly in its parent's record. The root is always a
   * node because a reader needs at least one (an empty database is root with two empty records).
   */
  private static void numberTreeNodes(TrieNode node, List<TrieNode> order) {
    node.index = order.size();
    order.add(node);
    for (TrieNode child : node.children) {
      if (child != null && child.hasChildren()) {
        numberTreeNodes(child, order);
      }
    }
  }

  /**
   * Computes both records of every tree node. {@code inherited} is the data of the longest
   * inserted prefix above {@code node}; it fills every record whose subtree has no more specific
   * insert, which is how a shorter prefix keeps answering around a nested longer one.
   */
  private static void fillRecords(
      TrieNode node,
      byte[] inherited,
      long[][] records,
      long nodeCount,
      ByteArrayOutputStream dataSection,
      Map<ByteBuffer, Long> dataOffsets) {
    byte[] here = node.data != null ? node.data : inherited;
    for (int bit = 0; bit < 2; bit++) {
      TrieNode child = node.children[bit];
      long record;
      if (child != null && child.hasChildren()) {
        record = child.index;
        fillRecords(child, here, records, nodeCount, dataSection, dataOffsets);
      } else {
        byte[] data = child != null ? child.data : here;
        record = data == null ? nodeCount : dataRecord(data, nodeCount, dataSection, dataOffsets);
      }
      records[node.index][bit] = record;
    }
  }

  /**
   * Stores {@code data} once (identical records share one copy, as pushed-down data is repeated
   * in many records) and returns the record value that points at it. The spec resolves a record
   * as {@code (record - node_count) - 16} bytes into the data section, hence the inverse here.
   */
  private static long dataRecord(
      byte[] data,
      long nodeCount,
      ByteArrayOutputStream dataSection,
      Map<ByteBuffer, Long> offsets) {
    long offset =
        offsets.computeIfAbsent(
            ByteBuffer.wrap(data),
            key -> {
              long at = dataSection.size();
              dataSection.writeBytes(data);
              return at;
            });
    return nodeCount + DATA_SECTION_SEPARATOR_SIZE + offset;
  }

  private int chooseRecordSize(long maxRecord) {
    if (pinnedRecordSize != null) {
      if (maxRecord >= 1L << pinnedRecordSize) {
        throw new IllegalStateException(
            "record value " + maxRecord + " does not fit a " + pinnedRecordSize + "-bit record");
      }
      return pinnedRecordSize;
    }
    for (int size : new int[] {24, 28, 32}) {
      if (maxRecord < 1L << size) {
        return size;
      }
    }
    throw new IllegalStateException("record value " + maxRecord + " exceeds 32 bits");
  }

  /**
   * Records are big-endian. 28-bit nodes are the odd one out: 7 bytes where the middle byte's
   * high nibble holds the top 4 bits of the left record and its low nibble those of the right.
   */
  private static void writeNode(ByteArrayOutputStream out, int recordSize, long left, long right) {
    switch (recordSize) {
      case 24 -> {
        writeBigEndian(out, left, 3);
        writeBigEndian(out, right, 3);
      }
      case 28 -> {
        writeBigEndian(out, left & 0xFFFFFF, 3);
        out.write((int) (((left >>> 24) & 0x0F) << 4 | ((right >>> 24) & 0x0F)));
        writeBigEndian(out, right & 0xFFFFFF, 3);
      }
      case 32 -> {
        writeBigEndian(out, left, 4);
        writeBigEndian(out, right, 4);
      }
      default -> throw new IllegalStateException("record size " + recordSize);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Networks

  private record Prefix(byte[] bits, int length) {}

  private Prefix parsePrefix(String cidr) {
    Objects.requireNonNull(cidr, "cidr");
    int slash = cidr.indexOf('/');
    String literal = slash < 0 ? cidr : cidr.substring(0, slash);
    if (!IP_LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("not an IP literal: " + cidr);
    }
    byte[] address;
    try {
      address = InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + cidr, e);
    }
    int maxLength = address.length * 8;
    int length;
    try {
      length = slash < 0 ? maxLength : Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad prefix length: " + cidr, e);
    }
    if (length < 0 || length > maxLength) {
      throw new IllegalArgumentException("prefix length out of range: " + cidr);
    }
    for (int bit = length; bit < maxLength; bit++) {
      if (bitAt(address, bit) != 0) {
        throw new IllegalArgumentException("host bits set in " + cidr);
      }
    }

    if (address.length == 16 && ipVersion == 4) {
      throw new IllegalArgumentException("IPv6 network in an IPv4 database: " + cidr);
    }
    if (address.length == 4 && ipVersion == 6) {
      // The reader looks IPv4 addresses up from the node reached by 96 zero bits (::/96).
      byte[] v6 = new byte[16];
      System.arraycopy(address, 0, v6, 12, 4);
      return new Prefix(v6, length + 96);
    }
    return new Prefix(address, length);
  }

  private static int bitAt(byte[] address, int index) {
    return (address[index / 8] >>> (7 - index % 8)) & 1;
  }

  // ---------------------------------------------------------------------------------------------
  // Data section encoding

  /** Marks the metadata integers the spec types as uint16, which no Java value maps to. */
  private record Uint16(int value) {}

  private Map<String, Object> metadata(long nodeCount, int recordSize) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("binary_format_major_version", new Uint16(2));
    metadata.put("binary_format_minor_version", new Uint16(0));
    metadata.put("build_epoch", buildEpoch); // Long, hence uint64 as the spec requires
    metadata.put("database_type", databaseType);
    metadata.put("description", new LinkedHashMap<>(description));
    metadata.put("ip_version", new Uint16(ipVersion));
    metadata.put("languages", new ArrayList<>(languages));
    metadata.put("node_count", Math.toIntExact(nodeCount)); // Integer, hence uint32
    metadata.put("record_size", new Uint16(recordSize));
    return metadata;
  }

  private static void encode(Object value, ByteArrayOutputStream out) {
    if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeControl(out, TYPE_UTF8_STRING, utf8.length);
      out.writeBytes(utf8);
    } else if (value instanceof Double d) {
      writeControl(out, TYPE_DOUBLE, 8);
      writeBigEndian(out, Double.doubleToLongBits(d), 8);
    } else if (value instanceof Float f) {
      writeControl(out, TYPE_FLOAT, 4);
      writeBigEndian(out, Float.floatToIntBits(f) & 0xFFFFFFFFL, 4);
    } else if (value instanceof Integer i) {
      if (i >= 0) {
        writeUnsigned(out, TYPE_UINT32, i);
      } else {
        writeInt32(out, i);
      }
    } else if (value instanceof Long l) {
      if (l >= 0) {
        writeUnsigned(out, TYPE_UINT64, l);
      } else if (l >= Integer.MIN_VALUE) {
        writeInt32(out, l.intValue());
      } else {
        throw new IllegalArgumentException("MMDB has no signed type wider than int32: " + l);
      }
    } else if (value instanceof Uint16 u) {
      writeUnsigned(out, TYPE_UINT16, u.value());
    } else if (value instanceof Boolean b) {
      // A boolean has no payload: the value is carried in the size field.
      writeControl(out, TYPE_BOOLEAN, b ? 1 : 0);
    } else if (value instanceof Map<?, ?> map) {
      // Sorted keys make the output independent of Map.of's randomized iteration order, so the
      // same inserts always produce the same bytes.
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach(
          (k, v) -> {
            if (!(k instanceof String key)) {
              throw new IllegalArgumentException("MMDB map keys must be strings: " + k);
            }
            sorted.put(key, v);
          });
      writeControl(out, TYPE_MAP, sorted.size());
      sorted.forEach(
          (k, v) -> {
            encode(k, out);
            encode(v, out);
          });
    } else if (value instanceof List<?> list) {
      writeControl(out, TYPE_ARRAY, list.size());
      list.forEach(element -> encode(element, out));
    } else {
      throw new IllegalArgumentException(
          "no MMDB encoding for "
              + (value == null ? "null" : value.getClass().getName() + " (" + value + ")"));
    }
  }

  /** Unsigned integers use only as many bytes as the value needs; zero has an empty payload. */
  private static void writeUnsigned(ByteArrayOutputStream out, int type, long value) {
    int bytes = (Long.SIZE - Long.numberOfLeadingZeros(value) + 7) / 8;
    writeControl(out, type, bytes);
    writeBigEndian(out, value, bytes);
  }

  /** Always 4 bytes: a shorter int32 is zero-padded by readers, which would lose the sign. */
  private static void writeInt32(ByteArrayOutputStream out, int value) {
    writeControl(out, TYPE_INT32, 4);
    writeBigEndian(out, value & 0xFFFFFFFFL, 4);
  }

  /**
   * Control byte: type in the top 3 bits and size in the low 5. Types above 7 are "extended": the
   * type bits are 0 and the following byte holds type - 7. Sizes of 29 and above spill into 1-3
   * extra bytes (after the extended type byte), each form biased past the previous one's range.
   */
  private static void writeControl(ByteArrayOutputStream out, int type, int size) {
    int typeBits = type <= 7 ? type : 0;
    int sizeBits;
    int extraBytes;
    long extra;
    if (size < 29) {
      sizeBits = size;
      extraBytes = 0;
      extra = 0;
    } else if (size < 29 + 256) {
      sizeBits = 29;
      extraBytes = 1;
      extra = size - 29;
    } else if (size < 285 + 65_536) {
      sizeBits = 30;
      extraBytes = 2;
      extra = size - 285;
    } else if (size < 65_821 + (1 << 24)) {
      sizeBits = 31;
      extraBytes = 3;
      extra = size - 65_821;
    } else {
      throw new IllegalArgumentException("value too large for MMDB: " + size + " bytes/entries");
    }
    out.write(typeBits << 5 | sizeBits);
    if (type > 7) {
      out.write(type - 7);
    }
    writeBigEndian(out, extra, extraBytes);
  }

  private static void writeBigEndian(ByteArrayOutputStream out, long value, int bytes) {
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xFF);
    }
  }
}
