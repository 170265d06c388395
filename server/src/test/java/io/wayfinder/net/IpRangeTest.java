package io.wayfinder.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inclusive address ranges, as Azure's {@code subnets} give them: the prefixes that cover one
 * (checked address by address, and against the IPAddress library for the fewest), and the union of
 * several (checked against a bit set of the addresses they hold).
 */
class IpRangeTest {

    // ---------------------------------------------------------------- prefixes()

    @ParameterizedTest(name = "{0} - {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0        | 10.0.0.255      | 10.0.0.0/24
            10.0.0.7        | 10.0.0.7        | 10.0.0.7/32
            10.0.0.1        | 10.0.0.6        | 10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32
            10.0.0.255      | 10.0.1.0        | 10.0.0.255/32 10.0.1.0/32
            192.0.2.0       | 192.0.3.127     | 192.0.2.0/24 192.0.3.0/25
            0.0.0.0         | 255.255.255.255 | 0.0.0.0/0
            0.0.0.1         | 255.255.255.255 | 0.0.0.1/32 0.0.0.2/31 0.0.0.4/30 0.0.0.8/29 0.0.0.16/28 0.0.0.32/27 0.0.0.64/26 0.0.0.128/25 0.0.1.0/24 0.0.2.0/23 0.0.4.0/22 0.0.8.0/21 0.0.16.0/20 0.0.32.0/19 0.0.64.0/18 0.0.128.0/17 0.1.0.0/16 0.2.0.0/15 0.4.0.0/14 0.8.0.0/13 0.16.0.0/12 0.32.0.0/11 0.64.0.0/10 0.128.0.0/9 1.0.0.0/8 2.0.0.0/7 4.0.0.0/6 8.0.0.0/5 16.0.0.0/4 32.0.0.0/3 64.0.0.0/2 128.0.0.0/1
            255.255.255.254 | 255.255.255.255 | 255.255.255.254/31
            128.0.0.0       | 255.255.255.254 | 128.0.0.0/2 192.0.0.0/3 224.0.0.0/4 240.0.0.0/5 248.0.0.0/6 252.0.0.0/7 254.0.0.0/8 255.0.0.0/9 255.128.0.0/10 255.192.0.0/11 255.224.0.0/12 255.240.0.0/13 255.248.0.0/14 255.252.0.0/15 255.254.0.0/16 255.255.0.0/17 255.255.128.0/18 255.255.192.0/19 255.255.224.0/20 255.255.240.0/21 255.255.248.0/22 255.255.252.0/23 255.255.254.0/24 255.255.255.0/25 255.255.255.128/26 255.255.255.192/27 255.255.255.224/28 255.255.255.240/29 255.255.255.248/30 255.255.255.252/31 255.255.255.254/32
            2001:db8::      | 2001:db8::ff    | 2001:db8::/120
            2001:db8::ffff:ffff:ffff:ffff | 2001:db8:0:1:: | 2001:db8::ffff:ffff:ffff:ffff/128 2001:db8:0:1::/128
            2001:db8:0:0:8000:: | 2001:db8:0:1:7fff:ffff:ffff:ffff | 2001:db8:0:0:8000::/65 2001:db8:0:1::/65
            ::              | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ::/0
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe | ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127
            """)
    void coversARangeWithTheFewestPrefixesInAddressOrder(String first, String last, String expected) {
        assertThat(range(first, last).prefixes()).extracting(IpPrefix::toString)
                .containsExactly(expected.split(" "));
    }

    @Test
    void smallRandomIpv4RangesAreCoveredExactlyAddressByAddress() {
        Random random = new Random(41);
        for (int i = 0; i < 150; i++) {
            long base = (random.nextLong() & 0xFFFF_FFFFL) & ~0xFFFL; // a /20, so that the addresses can be listed
            long first = base + random.nextInt(4096);
            long last = Math.min(base + 4095, first + random.nextInt(4096));
            List<IpPrefix> cover = range(v4(first), v4(last)).prefixes();
            for (long a = base; a < base + 4096; a++) {
                long address = a;
                long holders = cover.stream().filter(p -> p.contains(IpPrefix.ofIpv4((int) address, 32))).count();
                assertThat(holders).as("%s in %s-%s by %s", v4(a), v4(first), v4(last), cover)
                        .isEqualTo(a >= first && a <= last ? 1 : 0);
            }
        }
    }

    @Test
    void randomIpv4RangesAreCoveredExactlyByTheFewestPrefixes() {
        Random random = new Random(42);
        for (int i = 0; i < 3_000; i++) {
            long a = random.nextLong() & 0xFFFF_FFFFL;
            // Mostly short spans, some across most of the space.
            long b = random.nextInt(4) == 0 ? random.nextLong() & 0xFFFF_FFFFL
                    : Math.min(0xFFFF_FFFFL, a + (random.nextLong() & ((1L << random.nextInt(33)) - 1)));
            IpRange range = range(v4(Math.min(a, b)), v4(Math.max(a, b)));
            checkCoverAgainstOracle(range);
        }
    }

    @Test
    void randomIpv6RangesAreCoveredExactlyByTheFewestPrefixes() {
        Random random = new Random(43);
        BigInteger space = BigInteger.ONE.shiftLeft(128);
        for (int i = 0; i < 300; i++) {
            BigInteger a = new BigInteger(128, random);
            BigInteger span = new BigInteger(random.nextInt(129), random);
            BigInteger b = a.add(span).min(space.subtract(BigInteger.ONE));
            if (random.nextInt(5) == 0) {
                // Around the boundary between the two 64-bit halves.
                a = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(random.nextInt(1000) + 1)).add(a.shiftRight(64).shiftLeft(64));
                b = a.add(BigInteger.valueOf(random.nextInt(5000)));
            }
            checkCoverAgainstOracle(range(v6(a), v6(b)));
        }
    }

    /**
     * Exact: the prefixes follow one another without gap or overlap from first to last. Fewest: the
     * same blocks as the IPAddress library's span (a range's fewest-prefix cover is unique).
     */
    private static void checkCoverAgainstOracle(IpRange range) {
        List<IpPrefix> cover = range.prefixes();
        BigInteger next = number(range.first());
        for (IpPrefix p : cover) {
            assertThat(number(p)).as("%s: %s starts where the previous prefix ended", range, p).isEqualTo(next);
            next = number(p).add(BigInteger.ONE.shiftLeft(p.maxLength() - p.length()));
        }
        assertThat(next.subtract(BigInteger.ONE)).as("%s ends at last", range).isEqualTo(number(range.last()));

        IPAddress lower = new IPAddressString(range.first().addressText()).getAddress();
        IPAddress upper = new IPAddressString(range.last().addressText()).getAddress();
        List<String> oracle = Arrays.stream(lower.spanWithRange(upper).spanWithPrefixBlocks())
                .map(block -> block.getLower().withoutPrefixLength().toCanonicalString() + "/"
                        + (block.getPrefixLength() == null ? block.getBitCount() : block.getPrefixLength()))
                .toList();
        assertThat(cover).as("%s", range).extracting(IpPrefix::toString).containsExactlyElementsOf(oracle);
    }

    // ---------------------------------------------------------------- union()

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0-10.0.0.9 10.0.0.5-10.0.0.20          | 10.0.0.0-10.0.0.20
            10.0.0.5-10.0.0.20 10.0.0.0-10.0.0.9          | 10.0.0.0-10.0.0.20
            10.0.0.0-10.0.0.9 10.0.0.10-10.0.0.20         | 10.0.0.0-10.0.0.20
            10.0.0.0-10.0.0.9 10.0.0.11-10.0.0.20         | 10.0.0.0-10.0.0.9 10.0.0.11-10.0.0.20
            10.0.0.0-10.0.0.255 10.0.0.7-10.0.0.7         | 10.0.0.0-10.0.0.255
            10.0.0.0-10.0.0.255 10.0.0.0-10.0.0.255       | 10.0.0.0-10.0.0.255
            10.0.0.0-10.0.0.9 10.0.0.20-10.0.0.30 10.0.0.10-10.0.0.19 | 10.0.0.0-10.0.0.30
            10.0.0.0-10.0.0.100 10.0.0.10-10.0.0.20 10.0.0.30-10.0.0.110 | 10.0.0.0-10.0.0.110
            255.255.255.0-255.255.255.255 255.255.255.255-255.255.255.255 | 255.255.255.0-255.255.255.255
            0.0.0.0-0.0.0.0 0.0.0.1-0.0.0.1               | 0.0.0.0-0.0.0.1
            2001:db8::-2001:db8::ffff:ffff:ffff:ffff 2001:db8:0:1::-2001:db8:0:1::5 | 2001:db8::-2001:db8:0:1::5
            2001:db8::1-2001:db8::9 10.0.0.10-10.0.0.20 10.0.0.0-10.0.0.9 | 10.0.0.0-10.0.0.20 2001:db8::1-2001:db8::9
            0.0.0.10-0.0.0.20 ::a-::14                     | 0.0.0.10-0.0.0.20 ::a-::14
            255.255.255.255-255.255.255.255 ::-::          | 255.255.255.255-255.255.255.255 ::-::
            """)
    void mergesOverlappingAndAdjacentRangesAndKeepsFamiliesApart(String ranges, String expected) {
        List<IpRange> in = Arrays.stream(ranges.split(" ")).map(IpRangeTest::range).toList();
        assertThat(IpRange.union(in)).extracting(IpRange::toString).containsExactly(expected.split(" "));
    }

    @Test
    void unionHoldsTheSameAddressesAsItsInputsInTheFewestRanges() {
        Random random = new Random(44);
        int size = 256; // addresses 10.0.0.0 - 10.0.0.255, few enough to list
        for (int i = 0; i < 2_000; i++) {
            BitSet expected = new BitSet(size);
            List<IpRange> in = new ArrayList<>();
            for (int k = random.nextInt(6) + 1; k > 0; k--) {
                int first = random.nextInt(size);
                int last = Math.min(size - 1, first + random.nextInt(random.nextBoolean() ? 8 : 64));
                in.add(range(v4(0x0A00_0000L + first), v4(0x0A00_0000L + last)));
                expected.set(first, last + 1);
            }
            // The fewest ranges holding exactly these addresses are the runs of set bits.
            List<String> runs = new ArrayList<>();
            for (int from = expected.nextSetBit(0); from >= 0; from = expected.nextSetBit(expected.nextClearBit(from))) {
                runs.add(v4(0x0A00_0000L + from) + "-" + v4(0x0A00_0000L + Math.min(size, expected.nextClearBit(from)) - 1));
            }
            assertThat(IpRange.union(in)).as("%s", in).extracting(IpRange::toString).containsExactlyElementsOf(runs);
        }
    }

    // ---------------------------------------------------------------- rejected

    @ParameterizedTest(name = "{0} - {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.2    | 10.0.0.1     | first (10.0.0.2) is after last (10.0.0.1)
            2001:db8::2 | 2001:db8::1  | first (2001:db8::2) is after last (2001:db8::1)
            10.0.0.1    | 2001:db8::1  | same family
            2001:db8::1 | 10.0.0.1     | same family
            10.0.0.0/24 | 10.0.1.255   | two addresses
            """)
    void rejectsARangeThatIsNotOneFamilyInOrder(String first, String last, String message) {
        assertThatThrownBy(() -> new IpRange(IpPrefix.parse(first), IpPrefix.parse(last)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"10.1.0.0/16, 10.1.0.0-10.1.255.255", "192.0.2.7/32, 192.0.2.7-192.0.2.7", "0.0.0.0/0, 0.0.0.0-255.255.255.255",
        "2001:db8::/32, 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "::/0, ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"})
    void theRangeOfAPrefixIsItsAddressesAndItsOwnCover(String prefix, String expected) {
        IpRange range = IpRange.of(IpPrefix.parse(prefix));
        assertThat(range).hasToString(expected);
        assertThat(range.prefixes()).containsExactly(IpPrefix.parse(prefix));
    }

    // ---------------------------------------------------------------- helpers

    private static IpRange range(String text) {
        String[] ends = text.split("-");
        return range(ends[0], ends[1]);
    }

    private static IpRange range(String first, String last) {
        return new IpRange(IpPrefix.parse(first), IpPrefix.parse(last));
    }

    private static String v4(long address) {
        return IpPrefix.ofIpv4((int) address, 32).addressText();
    }

    private static String v6(BigInteger address) {
        byte[] raw = address.toByteArray();
        byte[] bytes = new byte[16];
        int n = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - n, bytes, 16 - n, n);
        return IpPrefix.fromBytes(bytes, 128).addressText();
    }

    private static BigInteger number(IpPrefix p) {
        return new BigInteger(1, p.addressBytes());
    }
}
