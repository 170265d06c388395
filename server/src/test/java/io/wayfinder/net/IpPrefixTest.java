package io.wayfinder.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpPrefixTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            81.2.69.0/24             | 81.2.69.0/24        | false | 24
            0.0.0.0/0                | 0.0.0.0/0           | false | 0
            255.255.255.255/32       | 255.255.255.255/32  | false | 32
            192.0.2.1                | 192.0.2.1/32        | false | 32
            '  10.0.0.0/8  '         | 10.0.0.0/8          | false | 8
            2001:db8::/32            | 2001:db8::/32       | true  | 32
            2001:DB8::/32            | 2001:db8::/32       | true  | 32
            2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1/128 | true | 128
            [2001:db8::1]            | 2001:db8::1/128     | true  | 128
            ::/0                     | ::/0                | true  | 0
            ::                       | ::/128              | true  | 128
            ::1                      | ::1/128             | true  | 128
            1:0:0:1:0:0:0:1          | 1:0:0:1::1/128      | true  | 128
            2001:db8:0:0:1:0:0:1     | 2001:db8::1:0:0:1/128 | true | 128
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128 | true | 128
            2001:db8:8000::/33       | 2001:db8:8000::/33  | true  | 33
            2001:db8:0:0:8000::/65   | 2001:db8:0:0:8000::/65 | true | 65
            2001:db8:0:0:1:0:0:0     | 2001:db8:0:0:1::/128 | true | 128
            """)
    void parsesAndFormatsLiterals(String text, String formatted, boolean ipv6, int length) {
        IpPrefix prefix = IpPrefix.parse(text);

        assertThat(prefix.toString()).isEqualTo(formatted);
        assertThat(prefix.ipv6()).isEqualTo(ipv6);
        assertThat(prefix.length()).isEqualTo(length);
        assertThat(prefix.maxLength()).isEqualTo(ipv6 ? 128 : 32);
        assertThat(IpPrefix.parse(prefix.toString())).isEqualTo(prefix);
    }

    @Test
    void formatsLikeTheIpAddressLibraryAndParsesItsOutputBack() {
        Random random = new Random(20261127L);
        for (int i = 0; i < 2_000; i++) {
            byte[] bytes = randomAddress(random, random.nextBoolean() ? 4 : 16);
            int length = random.nextInt(bytes.length * 8 + 1);
            IpPrefix prefix = IpPrefix.fromBytes(bytes, length);
            IPAddress oracle = oracleAddress(bytes).toPrefixBlock(length);

            String expected = oracle.getLower().withoutPrefixLength().toCanonicalString() + "/" + length;
            assertThat(prefix.toString()).as("format of %s", expected).isEqualTo(expected);
            // IPv6 fully expanded (no "::"), to parse what the formatter never produces.
            String text = bytes.length == 4 ? oracle.toCanonicalString() : oracle.toFullString();
            assertThat(IpPrefix.parse(text)).as("parse of %s", text).isEqualTo(prefix);
            assertThat(prefix.addressBytes()).isEqualTo(oracle.getLower().getBytes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1/24", "11.0.0.0/7", "192.168.1.128/24", "1.2.3.4/0", "2001:db8::1/64",
            "2001:db9::/31", "::1/127", "8000::/0", "::ffff:1.2.3.4/104"})
    void hostBitsBeyondTheLengthAreRejected(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text)
                .hasMessageContaining("host bits");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/33     | prefix length must be 0-32
            10.0.0.0/-1     | prefix length must be 0-32
            2001:db8::/129  | prefix length must be 0-128
            10.0.0.0/       | is not a number
            10.0.0.0/x      | is not a number
            10.0.0.0/8/8    | is not a number
            10.0.0.0/8.0    | is not a number
            """)
    void badLengthsAreRejected(String text, String message) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text)
                .hasMessageContaining(message);
    }

    /** "localhost" would resolve (hosts file, no network needed): rejecting it proves nothing was resolved. */
    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "localhost/32", "wayfinder.invalid", "1.2.3", "256.1.1.1",
            "1.2.3.4.5", "", "  ", "2001:db8::g", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0",
            "0x0a.0.0.1"})
    void nonLiteralsAreRejectedWithoutALookup(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text.strip().split("/")[0] + "'");
    }

    @Test
    void ipv4MappedIpv6StaysIpv6() {
        IpPrefix mapped = IpPrefix.parse("::ffff:81.2.69.7");

        assertThat(mapped.ipv6()).isTrue();
        assertThat(mapped.length()).isEqualTo(128);
        assertThat(mapped.addressBytes()).hasSize(16);
        assertThat(mapped).isEqualTo(IpPrefix.parse("::ffff:5102:4507"));
        assertThat(mapped).isNotEqualTo(IpPrefix.parse("81.2.69.7"));
        assertThat(IpPrefix.parse("::ffff:0:0/96").contains(mapped)).isTrue();
        assertThat(IpPrefix.parse("81.2.69.0/24").contains(mapped)).isFalse();
    }

    /**
     * RFC 4291 §2.2 form 3: the last 32 bits of any IPv6 address may be written as a dotted quad,
     * and that notation must not change which address is meant.
     */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::1.2.3.4               | ::102:304
            ::0.0.0.1               | ::1
            ::ffff:1.2.3.4          | ::ffff:102:304
            0:0:0:0:0:ffff:1.2.3.4  | ::ffff:102:304
            64:ff9b::192.0.2.33     | 64:ff9b::c000:221
            2001:db8::1.2.3.4       | 2001:db8::102:304
            ::ffff:0:1.2.3.4        | ::ffff:0:102:304
            """)
    void dottedQuadSuffixMeansTheSameAddressAsHex(String dotted, String hex) {
        assertThat(IpPrefix.parse(dotted)).isEqualTo(IpPrefix.parse(hex));
    }

    @Test
    void familiesAreDistinctEvenWithTheSameBits() {
        IpPrefix v4 = IpPrefix.parse("10.0.0.0/8");
        IpPrefix v6 = IpPrefix.parse("::a00:0/104");

        assertThat(v4.lo()).isEqualTo(v6.lo());
        assertThat(v4).isNotEqualTo(v6);
        assertThat(v4.contains(v6)).isFalse();
        assertThat(v6.contains(v4)).isFalse();
        assertThat(v4.compareTo(v6)).isNegative();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8       | 10.1.2.0/24       | true
            10.0.0.0/8       | 10.0.0.0/8        | true
            10.0.0.0/8       | 10.255.255.255    | true
            10.0.0.0/8       | 11.0.0.0          | false
            10.0.0.0/8       | 9.255.255.255     | false
            10.1.2.0/24      | 10.0.0.0/8        | false
            10.1.2.0/24      | 10.1.0.0/16       | false
            0.0.0.0/0        | 255.255.255.255   | true
            0.0.0.0/0        | ::/0              | false
            255.255.255.255/32 | 255.255.255.255 | true
            128.0.0.0/1      | 127.255.255.255   | false
            2001:db8::/32    | 2001:db8:ffff::/48 | true
            2001:db8::/32    | 2001:db9::/48     | false
            ::/0             | ffff::1           | true
            ::/0             | 0.0.0.0/0         | false
            2001:db8::/64    | 2001:db8::ffff:ffff:ffff:ffff | true
            2001:db8::/64    | 2001:db8:0:1::    | false
            2001:db8::/127   | 2001:db8::1       | true
            2001:db8::/127   | 2001:db8::2       | false
            2001:db8::1/128  | 2001:db8::1       | true
            """)
    void containsIsPrefixInclusion(String outer, String inner, boolean expected) {
        assertThat(IpPrefix.parse(outer).contains(IpPrefix.parse(inner))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} to /{1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.2.3           | 24  | 10.1.2.0/24
            10.1.2.3           | 0   | 0.0.0.0/0
            10.1.2.3           | 32  | 10.1.2.3/32
            255.255.255.255    | 1   | 128.0.0.0/1
            10.1.2.0/24        | 30  | 10.1.2.0/24
            2001:db8:1:2:3:4:5:6 | 48 | 2001:db8:1::/48
            2001:db8:1:2:3:4:5:6 | 64 | 2001:db8:1:2::/64
            2001:db8:1:2:3:4:5:6 | 65 | 2001:db8:1:2::/65
            2001:db8:1:2:8000::  | 65 | 2001:db8:1:2:8000::/65
            2001:db8:1:2:3:4:5:6 | 127 | 2001:db8:1:2:3:4:5:6/127
            2001:db8:1:2:3:4:5:7 | 127 | 2001:db8:1:2:3:4:5:6/127
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 0 | ::/0
            """)
    void truncateKeepsTheLeadingBits(String prefix, int length, String expected) {
        assertThat(IpPrefix.parse(prefix).truncate(length)).isEqualTo(IpPrefix.parse(expected));
    }

    @Test
    void containsAndTruncateAgreeWithTheIpAddressLibrary() {
        Random random = new Random(7L);
        for (int i = 0; i < 2_000; i++) {
            int size = random.nextBoolean() ? 4 : 16;
            byte[] a = randomAddress(random, size);
            byte[] b = random.nextInt(3) == 0 ? randomAddress(random, size) : shareLeadingBits(random, a);
            int lengthA = random.nextInt(size * 8 + 1);
            int lengthB = random.nextInt(size * 8 + 1);
            IpPrefix pa = IpPrefix.fromBytes(a, lengthA);
            IpPrefix pb = IpPrefix.fromBytes(b, lengthB);
            IPAddress oa = oracleAddress(a).toPrefixBlock(lengthA);
            IPAddress ob = oracleAddress(b).toPrefixBlock(lengthB);

            assertThat(pa.contains(pb)).as("%s contains %s", oa, ob).isEqualTo(oa.contains(ob));
            int cut = random.nextInt(size * 8 + 1);
            IPAddress expected = oa.toPrefixBlock(Math.min(cut, lengthA));
            assertThat(pa.truncate(cut).addressBytes()).isEqualTo(expected.getLower().getBytes());
            assertThat(pa.truncate(cut).length()).isEqualTo(Math.min(cut, lengthA));
        }
    }

    @Test
    void firstAndLastAddressesBoundTheNetwork() {
        IpPrefix v4 = IpPrefix.parse("10.0.0.0/8");
        IpPrefix v6 = IpPrefix.parse("2001:db8::/64");

        assertThat(v4.lastHi()).isZero();
        assertThat(v4.lastLo()).isEqualTo(0x0AFF_FFFFL);
        assertThat(v6.lastHi()).isEqualTo(v6.hi());
        assertThat(v6.lastLo()).isEqualTo(-1L);
        assertThat(IpPrefix.parse("2001:db8::/48").lastHi()).isEqualTo(0x2001_0db8_0000_ffffL);
    }

    @ParameterizedTest(name = "ofIpv4 {0}/{1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.2.3        | 8   | 10.0.0.0/8
            255.255.255.255 | 32  | 255.255.255.255/32
            255.255.255.255 | 31  | 255.255.255.254/31
            128.1.1.1       | 1   | 128.0.0.0/1
            """)
    void factoriesClearHostBits(String address, int length, String expected) {
        IpPrefix host = IpPrefix.parse(address);

        assertThat(IpPrefix.ofIpv4(host.ipv4(), length)).isEqualTo(IpPrefix.parse(expected));
        assertThat(IpPrefix.fromBytes(host.addressBytes(), length)).isEqualTo(IpPrefix.parse(expected));
    }

    @Test
    void ofIpv6ClearsHostBitsInBothHalves() {
        assertThat(IpPrefix.ofIpv6(-1L, -1L, 70)).isEqualTo(IpPrefix.parse("ffff:ffff:ffff:ffff:fc00::/70"));
        assertThat(IpPrefix.ofIpv6(-1L, -1L, 10)).isEqualTo(IpPrefix.parse("ffc0::/10"));
    }

    @ParameterizedTest(name = "new IpPrefix({0}, {1}, {2}, {3})")
    @CsvSource(delimiter = '|', textBlock = """
            false | 0 | 0          | 33
            false | 0 | 0          | -1
            true  | 0 | 0          | 129
            false | 1 | 0          | 8
            false | 0 | 4294967296 | 32
            false | 0 | 1          | 31
            true  | 0 | 1          | 127
            true  | 1 | 0          | 63
            """)
    void constructorRejectsInconsistentValues(boolean ipv6, long hi, long lo, int length) {
        assertThatThrownBy(() -> new IpPrefix(ipv6, hi, lo, length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fromBytesRejectsOtherSizes() {
        assertThatThrownBy(() -> IpPrefix.fromBytes(new byte[5], 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5");
    }

    @Test
    void orderIsIpv4FirstThenAddressThenShorterFirst() {
        assertThat(java.util.stream.Stream.of("2001:db8::/32", "10.0.0.0/16", "::/0", "10.0.0.0/8", "9.0.0.0/8",
                        "128.0.0.0/1", "2001:db8::/48")
                .map(IpPrefix::parse).sorted().map(IpPrefix::toString))
                .containsExactly("9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "128.0.0.0/1", "::/0", "2001:db8::/32",
                        "2001:db8::/48");
    }

    static byte[] randomAddress(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        if (size == 16) {
            // Runs of zero groups, so that "::" compression is exercised.
            for (int group = 0; group < 8; group++) {
                if (random.nextInt(3) == 0) {
                    bytes[2 * group] = 0;
                    bytes[2 * group + 1] = 0;
                }
            }
        }
        return bytes;
    }

    private static byte[] shareLeadingBits(Random random, byte[] a) {
        byte[] b = a.clone();
        int keep = random.nextInt(a.length * 8 + 1);
        for (int bit = keep; bit < a.length * 8; bit++) {
            if (random.nextBoolean()) {
                b[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            }
        }
        return b;
    }

    static IPAddress oracleAddress(byte[] bytes) {
        return bytes.length == 4 ? new IPv4Address(bytes) : new IPv6Address(bytes);
    }

    @ParameterizedTest(name = "/{0}")
    @ValueSource(ints = {24, 20})
    void hashesOfAMillionPrefixesSpreadOverHashMapBuckets(int length) {
        // 2^20 distinct prefixes of one length, as a big latency table holds them, in a HashMap
        // of 2^21 buckets (the low bits of h ^ (h >>> 16)). The record's own hash left the low
        // 32-L bits constant: those keys fell into 65,536 buckets, and lookups into trees.
        java.util.BitSet buckets = new java.util.BitSet(1 << 21);
        for (int i = 0; i < 1 << 20; i++) {
            int h = IpPrefix.ofIpv4(i << (32 - length), length).hashCode();
            buckets.set((h ^ (h >>> 16)) & ((1 << 21) - 1));
        }
        // Uniform hashing fills 1 - e^-0.5 of them: about 825,000.
        assertThat(buckets.cardinality()).isGreaterThan(800_000);
    }

    @Test
    void equalPrefixesHashAlikeAndTheFamiliesApart() {
        assertThat(IpPrefix.parse("81.2.69.0/24").hashCode()).isEqualTo(IpPrefix.parse("81.2.69.0/24").hashCode());
        assertThat(IpPrefix.parse("10.0.0.0/8")).isNotEqualTo(IpPrefix.parse("::a00:0/104"));
        assertThat(IpPrefix.parse("10.0.0.0/8").hashCode()).isNotEqualTo(IpPrefix.parse("::a00:0/104").hashCode());
    }
}
