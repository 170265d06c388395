package io.wayfinder.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrefixMapTest {

    /** Nested, same-start, adjacent and isolated prefixes, with gaps between them. */
    private static final List<String> NESTED = List.of(
            "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.0.0.0/16", "10.0.0.0/24",
            "192.168.0.0/24", "192.168.1.0/24", "255.255.255.255/32", "0.0.0.0/32", "172.16.0.0/12",
            "2001:db8::/32", "2001:db8::/48", "2001:db8:0:1::/64", "2001:db8:ffff::/48",
            "::ffff:0:0/96", "::ffff:10.0.0.0/104", "fe80::/10");

    /** Both default routes, so that nothing is a gap. */
    private static final List<String> DEFAULTS = List.of(
            "0.0.0.0/0", "128.0.0.0/1", "255.255.255.255/32", "::/0", "8000::/1", "::ffff:0:0/96");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0          | 10.0.0.0/24
            10.0.0.255        | 10.0.0.0/24
            10.0.1.0          | 10.0.0.0/16
            10.0.255.255      | 10.0.0.0/16
            10.1.0.0          | 10.1.0.0/16
            10.1.2.0          | 10.1.2.0/24
            10.1.2.255        | 10.1.2.0/24
            10.1.3.0          | 10.1.0.0/16
            10.1.255.255      | 10.1.0.0/16
            10.2.0.0          | 10.0.0.0/8
            10.255.255.255    | 10.0.0.0/8
            9.255.255.255     | -
            11.0.0.0          | -
            0.0.0.0           | 0.0.0.0/32
            0.0.0.1           | -
            172.15.255.255    | -
            172.16.0.0        | 172.16.0.0/12
            172.31.255.255    | 172.16.0.0/12
            172.32.0.0        | -
            192.167.255.255   | -
            192.168.0.0       | 192.168.0.0/24
            192.168.0.255     | 192.168.0.0/24
            192.168.1.0       | 192.168.1.0/24
            192.168.1.255     | 192.168.1.0/24
            192.168.2.0       | -
            255.255.255.254   | -
            255.255.255.255   | 255.255.255.255/32
            ::                | -
            2001:db7:ffff:ffff:ffff:ffff:ffff:ffff | -
            2001:db8::        | 2001:db8::/48
            2001:db8:0:0:ffff:ffff:ffff:ffff | 2001:db8::/48
            2001:db8:0:1::    | 2001:db8:0:1::/64
            2001:db8:0:1:ffff:ffff:ffff:ffff | 2001:db8:0:1::/64
            2001:db8:0:2::    | 2001:db8::/48
            2001:db8:1::      | 2001:db8::/32
            2001:db8:fffe:ffff:ffff:ffff:ffff:ffff | 2001:db8::/32
            2001:db8:ffff::   | 2001:db8:ffff::/48
            2001:db8:ffff:ffff:ffff:ffff:ffff:ffff | 2001:db8:ffff::/48
            2001:db9::        | -
            ::ffff:10.1.2.3   | ::ffff:10.0.0.0/104
            ::ffff:11.0.0.0   | ::ffff:0:0/96
            ::ffff:9.255.255.255 | ::ffff:0:0/96
            ::fffe:ffff:ffff  | -
            ::1:0:0:0         | -
            ::a01:203         | -
            fe80::1           | fe80::/10
            febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | fe80::/10
            fec0::            | -
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | -
            """)
    void nestedPrefixesMatchTheMostSpecific(String address, String expected) {
        assertThat(lookup(NESTED, address)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0           | 0.0.0.0/0
            127.255.255.255   | 0.0.0.0/0
            128.0.0.0         | 128.0.0.0/1
            255.255.255.254   | 128.0.0.0/1
            255.255.255.255   | 255.255.255.255/32
            ::                | ::/0
            ::fffe:ffff:ffff  | ::/0
            ::ffff:0:0        | ::ffff:0:0/96
            ::ffff:255.255.255.255 | ::ffff:0:0/96
            ::1:0:0:0         | ::/0
            7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ::/0
            8000::            | 8000::/1
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 8000::/1
            """)
    void defaultRoutesCoverEverythingInTheirFamily(String address, String expected) {
        assertThat(lookup(DEFAULTS, address)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in a map of {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.1          | ::/0
            ::a00:1           | 0.0.0.0/0
            ::ffff:10.0.0.1   | 10.0.0.0/8
            10.0.0.1          | ::ffff:10.0.0.0/104
            ::a00:1           | 10.0.0.0/8
            """)
    void familiesNeverMatchEachOther(String address, String onlyPrefix) {
        assertThat(lookup(List.of(onlyPrefix), address)).isEqualTo("-");
    }

    @ParameterizedTest(name = "parent of {0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8          | -
            10.0.0.0/16         | 10.0.0.0/8
            10.0.0.0/24         | 10.0.0.0/16
            10.1.0.0/16         | 10.0.0.0/8
            10.1.2.0/24         | 10.1.0.0/16
            192.168.0.0/24      | -
            192.168.1.0/24      | -
            255.255.255.255/32  | -
            2001:db8::/32       | -
            2001:db8::/48       | 2001:db8::/32
            2001:db8:0:1::/64   | 2001:db8::/48
            2001:db8:ffff::/48  | 2001:db8::/32
            ::ffff:0:0/96       | -
            ::ffff:10.0.0.0/104 | ::ffff:0:0/96
            """)
    void parentIsTheMostSpecificOtherPrefixThatContainsIt(String prefix, String expectedParent) {
        PrefixMap map = build(NESTED);
        int entry = NESTED.indexOf(prefix);

        int parent = map.parent(entry);
        assertThat(parent == PrefixMap.NO_ENTRY ? "-" : NESTED.get(parent)).isEqualTo(expectedParent);
        assertThat(map.length(entry)).isEqualTo(IpPrefix.parse(prefix).length());
        assertThat(map.prefix(entry)).isEqualTo(IpPrefix.parse(prefix));
    }

    static Stream<Arguments> everyLength() {
        return Stream.concat(
                IntStream.rangeClosed(0, 32).mapToObj(l -> Arguments.of("10.0.0.0/8", "10.20.30.40", l)),
                IntStream.rangeClosed(0, 128).mapToObj(l -> Arguments.of("2001:db8::/32", "2001:db8:1:2:3:4:5:6", l)));
    }

    /** A prefix of each length, inside a /8 or /32 where it is longer: its own length, its bounds, and the parent around it. */
    @ParameterizedTest(name = "{1} truncated to /{2}")
    @MethodSource("everyLength")
    void everyPrefixLengthIsKeptAndMatchedExactlyOverItsRange(String outer, String address, int length) {
        IpPrefix prefix = IpPrefix.parse(address).truncate(length);
        IpPrefix around = IpPrefix.parse(outer);
        PrefixMap.Builder builder = new PrefixMap.Builder();
        int aroundEntry = length > around.length() ? builder.add(around) : PrefixMap.NO_ENTRY;
        int entry = builder.add(prefix);
        PrefixMap map = builder.build();

        assertThat(map.length(entry)).isEqualTo(length);
        assertThat(map.lookup(first(prefix))).as("first address of %s", prefix).isEqualTo(entry);
        assertThat(map.lookup(last(prefix))).as("last address of %s", prefix).isEqualTo(entry);
        if (length > around.length()) {
            assertThat(map.parent(entry)).isEqualTo(aroundEntry);
            for (IpPrefix outside : List.of(step(first(prefix), -1), step(last(prefix), +1))) {
                assertThat(map.lookup(outside)).as("%s, just outside %s", outside, prefix)
                        .isEqualTo(around.contains(outside) ? aroundEntry : PrefixMap.NO_ENTRY);
            }
        }
    }

    @Test
    void hostRoutesAtTheTopOfTheAddressSpace() {
        PrefixMap map = build(List.of("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::/128"));

        assertThat(map.lookup(IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isEqualTo(1);
        assertThat(map.lookup(IpPrefix.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))).isEqualTo(0);
        assertThat(map.lookup(IpPrefix.parse("::"))).isEqualTo(2);
        assertThat(map.lookup(IpPrefix.parse("::1"))).isEqualTo(0);
    }

    /**
     * How far an answer found for a client network may be reused: the shortest prefix around the
     * client inside which every network of the client's length lies in the same interval.
     */
    @ParameterizedTest(name = "{0} holds for /{1}")
    @CsvSource(textBlock = """
            10.1.2.7/32,         24
            10.1.2.0/24,         24
            10.1.3.0/24,         24
            10.1.128.0/24,       17
            10.1.0.0/16,         16
            10.128.0.0/16,       9
            11.0.0.0/24,         8
            12.0.0.0/24,         6
            64.0.0.0/24,         2
            255.255.255.255/32,  32
            2001:db8:0:1::/64,   64
            2001:db8:0:1::1/128, 64
            2001:db8:0:100::/56, 56
            2001:db8:1::/48,     48
            3000::/32,           4
            ffff::/16,           8
            """)
    void holdingLengthIsWhereEveryNetworkOfTheClientsLengthFindsTheSameInterval(String client, int holding) {
        PrefixMap map = build(NESTED);
        IpPrefix prefix = IpPrefix.parse(client);
        int interval = map.interval(prefix);

        assertThat(map.entryAt(interval)).isEqualTo(map.lookup(prefix));
        assertThat(map.holdingLength(interval, prefix)).isEqualTo(holding);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            10.0.0.0/8
            0.0.0.0/0
            ::/0
            2001:db8::1/128
            """)
    void anEmptyMapHoldsEverywhere(String client) {
        PrefixMap map = PrefixMap.empty();
        IpPrefix prefix = IpPrefix.parse(client);

        assertThat(map.holdingLength(map.interval(prefix), prefix)).isZero();
    }

    @Test
    void emptyMapHasNoEntries() {
        PrefixMap map = PrefixMap.empty();

        assertThat(map.entryCount()).isZero();
        assertThat(map.lookupIpv4(0)).isEqualTo(PrefixMap.NO_ENTRY);
        assertThat(map.lookupIpv4(-1)).isEqualTo(PrefixMap.NO_ENTRY);
        assertThat(map.lookupIpv6(0, 0)).isEqualTo(PrefixMap.NO_ENTRY);
        assertThat(map.lookupIpv6(-1, -1)).isEqualTo(PrefixMap.NO_ENTRY);
    }

    @ParameterizedTest(name = "{0} twice")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/8      | 10.0.0.0/8
            2001:db8::/32   | 2001:db8::/32
            0.0.0.0/0       | 0.0.0.0/0
            ::/0            | ::/0
            """)
    void duplicatePrefixIsRejectedWithItsName(String prefix, String message) {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        builder.add(IpPrefix.parse("192.0.2.0/24"));
        builder.add(IpPrefix.parse(prefix));
        builder.add(IpPrefix.parse("2001:db8:1::/48"));
        builder.add(IpPrefix.parse(prefix));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void sameBitsInTheTwoFamiliesAreNotDuplicates() {
        PrefixMap map = build(List.of("10.0.0.0/8", "::a00:0/104"));

        assertThat(map.lookup(IpPrefix.parse("10.1.1.1"))).isEqualTo(0);
        assertThat(map.lookup(IpPrefix.parse("::a01:101"))).isEqualTo(1);
    }

    @Test
    void withoutPrefixObjectsStillMatchesAndKeepsLengthsAndParents() {
        PrefixMap.Builder builder = new PrefixMap.Builder().withoutPrefixObjects();
        int outer = builder.add(IpPrefix.parse("10.0.0.0/8"));
        int inner = builder.add(IpPrefix.parse("10.1.0.0/16"));
        PrefixMap map = builder.build();

        assertThat(map.prefix(inner)).isNull();
        assertThat(map.lookup(IpPrefix.parse("10.1.2.3"))).isEqualTo(inner);
        assertThat(map.parent(inner)).isEqualTo(outer);
        assertThat(map.length(inner)).isEqualTo(16);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            true  | 10.1.0.0/16
            false | 10.1.0.0/16
            true  | 2001:db8::/32
            false | 2001:db8::/32
            """)
    void aPrefixAddedTwiceIsNamedWithOrWithoutPrefixObjects(boolean objects, String prefix) {
        PrefixMap.Builder builder = objects ? new PrefixMap.Builder() : new PrefixMap.Builder().withoutPrefixObjects();
        builder.add(IpPrefix.parse("10.0.0.0/8"));
        builder.add(IpPrefix.parse(prefix));
        IpPrefix again = IpPrefix.parse(prefix);
        builder.add(again.ipv6(), again.hi(), again.lo(), again.length());

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefix " + prefix + " appears more than once");
    }

    /**
     * Prefixes added in map order (no sort needed) give the map they give added in reverse (sorted):
     * each prefix finds itself, with the same parent, and the same intervals.
     */
    @Test
    void prefixesAddedInMapOrderGiveTheMapOfAnyOrder() {
        Random random = new Random(0x0DE7L);
        List<IpPrefix> prefixes = new ArrayList<>(randomPrefixes(random, false, 2_000));
        prefixes.addAll(randomPrefixes(random, true, 500));
        List<IpPrefix> mapOrder = new ArrayList<>(prefixes);
        mapOrder.sort((a, b) -> a.ipv6() != b.ipv6() ? (a.ipv6() ? 1 : -1)
                : a.hi() != b.hi() ? Long.compareUnsigned(a.hi(), b.hi())
                : a.lo() != b.lo() ? Long.compareUnsigned(a.lo(), b.lo()) : Integer.compare(a.length(), b.length()));
        PrefixMap.Builder any = new PrefixMap.Builder();
        prefixes.forEach(any::add);
        PrefixMap sorted = any.build();
        PrefixMap.Builder inOrder = new PrefixMap.Builder();
        mapOrder.forEach(inOrder::add);
        PrefixMap ordered = inOrder.build();

        assertThat(ordered.intervalCount()).isEqualTo(sorted.intervalCount());
        Map<IpPrefix, IpPrefix> parents = new HashMap<>();
        for (int e = 0; e < prefixes.size(); e++) {
            parents.put(sorted.prefix(e), sorted.parent(e) == PrefixMap.NO_ENTRY ? null : sorted.prefix(sorted.parent(e)));
        }
        for (int e = 0; e < mapOrder.size(); e++) {
            IpPrefix parent = ordered.parent(e) == PrefixMap.NO_ENTRY ? null : ordered.prefix(ordered.parent(e));
            assertThat(parent).as("parent of %s", mapOrder.get(e)).isEqualTo(parents.get(mapOrder.get(e)));
        }
        for (int i = 0; i < 20_000; i++) {
            IpPrefix host = probe(random, prefixes);
            int a = ordered.lookup(host);
            int b = sorted.lookup(host);
            assertThat(a == PrefixMap.NO_ENTRY ? null : ordered.prefix(a)).as("lookup of %s", host)
                    .isEqualTo(b == PrefixMap.NO_ENTRY ? null : sorted.prefix(b));
        }
    }

    @Test
    void withoutPrefixObjectsIsRefusedAfterAnAdd() {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        builder.add(IpPrefix.parse("10.0.0.0/8"));

        assertThatThrownBy(builder::withoutPrefixObjects).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void lookupOfAPrefixUsesItsFirstAddress() {
        PrefixMap map = build(List.of("10.0.0.0/8", "10.1.0.0/24"));

        assertThat(map.lookup(IpPrefix.parse("10.1.0.0/16"))).isEqualTo(1);
        assertThat(map.lookup(IpPrefix.parse("10.1.1.0/24"))).isEqualTo(0);
    }

    /**
     * A few thousand random prefixes per family, nested on purpose (children, same-start
     * longer prefixes, siblings), and 100k lookups mostly at and next to prefix boundaries,
     * against the IPAddress library's associative trie.
     */
    @ParameterizedTest(name = "index bits {0} (0: sized to the table)")
    @ValueSource(ints = {0, 4, 20, 24})
    void randomTablesAgreeWithTheIpAddressTrie(int indexBits) {
        Random random = new Random(0x5EED_2026L);
        List<IpPrefix> prefixes = new ArrayList<>();
        prefixes.addAll(randomPrefixes(random, false, 3_000));
        prefixes.addAll(randomPrefixes(random, true, 3_000));
        java.util.Collections.shuffle(prefixes, random);

        PrefixMap.Builder builder = new PrefixMap.Builder();
        IPv4AddressAssociativeTrie<Integer> v4 = new IPv4AddressAssociativeTrie<>();
        IPv6AddressAssociativeTrie<Integer> v6 = new IPv6AddressAssociativeTrie<>();
        Map<IpPrefix, Integer> entryOf = new HashMap<>();
        for (IpPrefix prefix : prefixes) {
            int entry = builder.add(prefix);
            entryOf.put(prefix, entry);
            var block = new IPAddressString(prefix.toString()).getAddress();
            if (prefix.ipv6()) {
                v6.put(block.toIPv6(), entry);
            } else {
                v4.put(block.toIPv4(), entry);
            }
        }
        PrefixMap map = builder.build(indexBits);

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            IpPrefix address = probe(random, prefixes);
            Integer expected;
            if (address.ipv6()) {
                var node = v6.longestPrefixMatchNode(new IPv6Address(address.addressBytes()));
                expected = node == null ? null : node.getValue();
            } else {
                var node = v4.longestPrefixMatchNode(new IPv4Address(address.ipv4()));
                expected = node == null ? null : node.getValue();
            }
            int want = expected == null ? PrefixMap.NO_ENTRY : expected;
            int got = map.lookup(address);
            if (got != want && failures.size() < 10) {
                failures.add(address.addressText() + ": expected " + name(prefixes, entryOf, want) + ", got "
                        + name(prefixes, entryOf, got));
            }
        }
        for (IpPrefix prefix : prefixes) {
            int entry = entryOf.get(prefix);
            IpPrefix parent = null;
            for (int l = prefix.length() - 1; l >= 0 && parent == null; l--) {
                if (entryOf.containsKey(prefix.truncate(l))) {
                    parent = prefix.truncate(l);
                }
            }
            int want = parent == null ? PrefixMap.NO_ENTRY : entryOf.get(parent);
            if (map.parent(entry) != want && failures.size() < 20) {
                failures.add("parent of " + prefix + ": expected " + parent + ", got "
                        + name(prefixes, entryOf, map.parent(entry)));
            }
            if (map.length(entry) != prefix.length() && failures.size() < 20) {
                failures.add("length of " + prefix + ": got " + map.length(entry));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(map.entryCount()).isEqualTo(prefixes.size());
    }

    /**
     * For random client networks of every length against a random nested table: the holding
     * length never exceeds the client's, every network of the client's length inside the holding
     * network finds the client's entry (checked at its ends and at random points), and one bit
     * less would take in an address of another interval (intervals are contiguous, so checking the
     * ends of the larger block is exact). Table prefixes stop at /127 here: host routes have
     * their own tests above.
     */
    @ParameterizedTest(name = "index bits {0} (0: sized to the table)")
    @ValueSource(ints = {0, 4, 24})
    void holdingLengthIsSafeAndMinimalOnRandomTables(int indexBits) {
        Random random = new Random(0x40_1D_2026L);
        List<IpPrefix> prefixes = new ArrayList<>();
        prefixes.addAll(randomPrefixes(random, false, 2_000).stream().filter(q -> q.length() < 32).toList());
        prefixes.addAll(randomPrefixes(random, true, 2_000).stream().filter(q -> q.length() < 128).toList());
        PrefixMap.Builder builder = new PrefixMap.Builder();
        prefixes.forEach(builder::add);
        PrefixMap map = builder.build(indexBits);

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 20_000 && failures.size() < 10; i++) {
            IpPrefix host = probe(random, prefixes);
            IpPrefix client = host.truncate(random.nextInt(host.maxLength() + 1));
            int interval = map.interval(client);
            int entry = map.entryAt(interval);
            int s = map.holdingLength(interval, client);
            int length = client.length();
            if (entry != map.lookup(client) || s < 0 || s > length) {
                failures.add(client + ": entry " + entry + ", holding /" + s);
                continue;
            }
            IpPrefix block = client.truncate(s);
            for (IpPrefix inside : List.of(firstNetwork(block, length), lastNetwork(block, length),
                    randomIn(random, block, length), randomIn(random, block, length))) {
                if (map.lookup(inside) != entry) {
                    failures.add(client + " holds for " + block + " but " + inside + " finds another entry");
                }
            }
            if (s > 0) {
                IpPrefix wider = client.truncate(s - 1);
                if (map.interval(firstNetwork(wider, length)) == interval
                        && map.interval(lastNetwork(wider, length)) == interval) {
                    failures.add(client + " holds for " + block + " but would for " + wider + " too");
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /**
     * The direct IPv4 index, forced on for random nested tables (prefixes of every length: /24s cut
     * by longer prefixes, /24s inside short ones, holes): for every /24 of the address space that
     * it settles, an IPv4 client of a random length from 24 to 32 at a random address in it gets the
     * search's entry and holding length; and at random /24+ clients near prefix boundaries as well.
     */
    @ParameterizedTest(name = "{0} IPv4 prefixes")
    @ValueSource(ints = {1, 300, 3_000})
    void theDirectIpv4IndexGivesTheSearchesEntryAndHoldingLength(int count) {
        Random random = new Random(0xD1EC7L + count);
        List<IpPrefix> prefixes = new ArrayList<>(randomPrefixes(random, false, count));
        prefixes.addAll(randomPrefixes(random, true, 50));
        PrefixMap.Builder builder = new PrefixMap.Builder();
        prefixes.forEach(builder::add);
        PrefixMap map = builder.build().withDirectIpv4Index();
        assertThat(map.hasDirectIpv4Index()).isTrue();

        List<String> failures = new ArrayList<>();
        int direct = 0;
        for (int slot = 0; slot < 1 << 24 && failures.size() < 10; slot++) {
            int entrySlot = map.directIpv4(slot << 8);
            if (entrySlot == PrefixMap.NOT_DIRECT) {
                continue;
            }
            direct++;
            IpPrefix client = IpPrefix.ofIpv4(slot << 8 | random.nextInt(256), 24 + random.nextInt(9));
            checkDirect(map, client, entrySlot, failures);
        }
        int cut = 0;
        for (int i = 0; i < 100_000 && failures.size() < 10; i++) {
            IpPrefix host = probe(random, prefixes);
            if (host.ipv6()) {
                continue;
            }
            IpPrefix client = host.truncate(24 + random.nextInt(9));
            int entrySlot = map.directIpv4(client.ipv4());
            if (entrySlot == PrefixMap.NOT_DIRECT) {
                cut++;
            } else {
                checkDirect(map, client, entrySlot, failures);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(direct).as("/24s the index settles").isGreaterThan((1 << 24) / 2);
        if (count > 1) {
            assertThat(cut).as("probes in /24s a boundary cuts").isGreaterThan(1_000);
        }
    }

    /** The owner's mark rides in each slot beside the entry, which it leaves as it was. */
    @Test
    void directSlotsCarryTheOwnersMarkOfTheirEntry() {
        Random random = new Random(0x3A7CL);
        PrefixMap.Builder builder = new PrefixMap.Builder();
        randomPrefixes(random, false, 3_000).forEach(builder::add);
        PrefixMap plain = builder.build().withDirectIpv4Index();
        PrefixMap marked = plain.withDirectIpv4Index(entry -> entry % 3 == 0);
        int checked = 0;
        for (int slot = 0; slot < 1 << 24; slot += 7) {
            int before = plain.directIpv4(slot << 8);
            int after = marked.directIpv4(slot << 8);
            if (before == PrefixMap.NOT_DIRECT) {
                assertThat(after).isEqualTo(PrefixMap.NOT_DIRECT);
                continue;
            }
            int entry = PrefixMap.directEntry(before);
            assertThat(PrefixMap.directEntry(after)).isEqualTo(entry);
            assertThat(PrefixMap.directHolding(after)).isEqualTo(PrefixMap.directHolding(before));
            assertThat(PrefixMap.directMarked(before)).isFalse();
            assertThat(PrefixMap.directMarked(after)).isEqualTo(entry != PrefixMap.NO_ENTRY && entry % 3 == 0);
            checked++;
        }
        assertThat(checked).isGreaterThan(1_000_000);
    }

    /**
     * The direct index is filled in slot ranges that may run on several threads, in any order: on
     * random tables, and on ones whose prefixes straddle or end at the ranges' cut (128.0.0.0, an
     * interval inside the /24 before it), every slot near the cut and a spread of the others hold
     * what a single pass over the intervals gives (a /24 inside one interval whose /24 and /32
     * clients hold the same gets its entry, mark and holding length; any other /24 none).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"random", "0.0.0.0/0", "127.255.255.128/25", "127.255.255.200/30 128.0.0.0/24",
        "127.0.0.0/8 128.0.0.0/9 128.0.0.8/29", "none"})
    void theDirectIndexSplitOverThreadsGivesEverySlotWhatOnePassGives(String table) {
        Set<IpPrefix> prefixes = new LinkedHashSet<>();
        if (table.equals("random")) {
            Random random = new Random(0x5B117L);
            prefixes.addAll(randomPrefixes(random, false, 3_000));
            for (String cut : List.of("127.255.255.0/24", "127.255.255.200/30", "128.0.0.0/9", "128.0.0.8/29")) {
                prefixes.add(IpPrefix.parse(cut));
            }
        } else if (!table.equals("none")) {
            for (String prefix : table.split(" ")) {
                prefixes.add(IpPrefix.parse(prefix));
            }
        }
        PrefixMap.Builder builder = new PrefixMap.Builder();
        prefixes.forEach(builder::add);
        PartsOnThreads threads = new PartsOnThreads();
        PrefixMap map = builder.build().withDirectIpv4Index(entry -> entry % 3 == 1, threads);
        assertThat(threads.partsRun()).isEqualTo(Parts.SPLIT);

        List<String> failures = new ArrayList<>();
        int cut = 1 << 23;
        IntStream slots = IntStream.concat(IntStream.range(cut - 2_048, cut + 2_048),
                IntStream.concat(IntStream.iterate(0, slot -> slot < 1 << 24, slot -> slot + 61),
                        IntStream.of((1 << 24) - 1)));
        slots.forEach(slot -> {
            int expected = onePassSlot(map, slot, entry -> entry % 3 == 1);
            if (map.directIpv4(slot << 8) != expected && failures.size() < 10) {
                failures.add("/24 " + slot + ": " + map.directIpv4(slot << 8) + ", one pass " + expected);
            }
        });
        assertThat(failures).isEmpty();
    }

    /** A direct slot as one pass over the intervals fills it, from the search alone. */
    private static int onePassSlot(PrefixMap map, int slot, java.util.function.IntPredicate marked) {
        IpPrefix first = IpPrefix.ofIpv4(slot << 8, 32);
        int interval = map.interval(first);
        if (map.interval(IpPrefix.ofIpv4(slot << 8 | 255, 32)) != interval) {
            return PrefixMap.NOT_DIRECT;
        }
        int h24 = map.holdingLength(interval, IpPrefix.ofIpv4(slot << 8, 24));
        if (h24 != map.holdingLength(interval, first)) {
            return PrefixMap.NOT_DIRECT;
        }
        int entry = map.entryAt(interval);
        boolean mark = entry != PrefixMap.NO_ENTRY && marked.test(entry);
        return (entry + 1) << 7 | (mark ? 1 << 6 : 0) | h24;
    }

    private static void checkDirect(PrefixMap map, IpPrefix client, int slot, List<String> failures) {
        int interval = map.interval(client);
        int entry = map.entryAt(interval);
        int holding = map.holdingLength(interval, client);
        if (PrefixMap.directEntry(slot) != entry || PrefixMap.directHolding(slot) != holding) {
            failures.add(client + ": direct entry " + PrefixMap.directEntry(slot) + " /" + PrefixMap.directHolding(slot)
                    + ", search " + entry + " /" + holding);
        }
    }

    /** An owner (the latency table) keeps the direct index from a threshold of IPv4 prefixes on, as counted here. */
    @ParameterizedTest(name = "{0} IPv4 prefixes, from {1}: {2}")
    @CsvSource({"0, 0, true", "5, 5, true", "5, 6, false", "5, 2147483647, false"})
    void theIpv4PrefixCountDecidesTheDirectIndexFromAThreshold(int count, int from, boolean built) {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        for (int i = 0; i < count; i++) {
            builder.add(IpPrefix.ofIpv4(0x0A00_0000 + (i << 8), 24));
        }
        builder.add(IpPrefix.parse("2001:db8::/32"));
        PrefixMap plain = builder.build();
        assertThat(plain.ipv4PrefixCount()).isEqualTo(count);
        PrefixMap map = plain.ipv4PrefixCount() >= from ? plain.withDirectIpv4Index() : plain;
        assertThat(map.hasDirectIpv4Index()).isEqualTo(built);
        assertThat(new PrefixMap.Builder().build().hasDirectIpv4Index()).isFalse();
        if (!built) {
            assertThat(map.directIpv4(0x0A00_0000)).isEqualTo(PrefixMap.NOT_DIRECT);
        }
    }

    @ParameterizedTest(name = "{0} intervals -> {1} bits")
    @CsvSource({"1, 16", "65536, 16", "131071, 16", "131072, 17", "2000001, 20", "16777216, 24", "20000001, 24"})
    void theIndexHasAboutOneSlotPerIntervalWithin16To24Bits(int intervals, int bits) {
        assertThat(PrefixMap.indexBits(intervals)).isEqualTo(bits);
    }

    /** The first network of the given length inside a block. */
    private static IpPrefix firstNetwork(IpPrefix block, int length) {
        return block.ipv6() ? IpPrefix.ofIpv6(block.hi(), block.lo(), length) : IpPrefix.ofIpv4(block.ipv4(), length);
    }

    /** The last network of the given length inside a block. */
    private static IpPrefix lastNetwork(IpPrefix block, int length) {
        return block.ipv6() ? IpPrefix.ofIpv6(block.lastHi(), block.lastLo(), length)
                : IpPrefix.ofIpv4((int) block.lastLo(), length);
    }

    private static String name(List<IpPrefix> prefixes, Map<IpPrefix, Integer> entryOf, int entry) {
        if (entry == PrefixMap.NO_ENTRY) {
            return "none";
        }
        for (Map.Entry<IpPrefix, Integer> e : entryOf.entrySet()) {
            if (e.getValue() == entry) {
                return e.getKey().toString();
            }
        }
        return "#" + entry;
    }

    /** Random prefixes of every length, a third of them derived from earlier ones so that they nest. */
    private static List<IpPrefix> randomPrefixes(Random random, boolean ipv6, int count) {
        int max = ipv6 ? 128 : 32;
        Set<IpPrefix> out = new LinkedHashSet<>();
        List<IpPrefix> list = new ArrayList<>();
        while (out.size() < count) {
            IpPrefix prefix;
            int kind = list.isEmpty() ? 0 : random.nextInt(4);
            if (kind == 0) {
                // Fresh: mostly in a few hot /8s (or 2001:db8::/29) so that lookups collide.
                int length = random.nextInt(max + 1);
                prefix = random.nextBoolean() ? randomIn(random, ipv6 ? IpPrefix.parse("2001:db8::/29")
                        : IpPrefix.parse("10.0.0.0/7"), length) : randomIn(random, everything(ipv6), length);
            } else {
                IpPrefix base = list.get(random.nextInt(list.size()));
                int length = base.length() + random.nextInt(max - base.length() + 1);
                if (kind == 1) {
                    prefix = randomIn(random, base, length); // a child somewhere inside
                } else if (kind == 2) {
                    prefix = sameStart(base, length); // same start, longer
                } else {
                    prefix = sibling(random, base); // the other half of the parent, or adjacent
                }
            }
            if (out.add(prefix)) {
                list.add(prefix);
            }
        }
        return list;
    }

    private static IpPrefix everything(boolean ipv6) {
        return ipv6 ? IpPrefix.parse("::/0") : IpPrefix.parse("0.0.0.0/0");
    }

    private static IpPrefix randomIn(Random random, IpPrefix base, int length) {
        if (length < base.length()) {
            return base.truncate(length);
        }
        if (!base.ipv6()) {
            long bits = base.lo() | (random.nextLong() & ~IpPrefix.ipv4Mask(base.length()) & 0xFFFF_FFFFL);
            return IpPrefix.ofIpv4((int) bits, length);
        }
        long hi = base.hi() | (random.nextLong() & ~IpPrefix.highMask(base.length()));
        long lo = base.lo() | (random.nextLong() & ~IpPrefix.lowMask(base.length()));
        return IpPrefix.ofIpv6(hi, lo, length);
    }

    private static IpPrefix sameStart(IpPrefix base, int length) {
        return base.ipv6() ? IpPrefix.ofIpv6(base.hi(), base.lo(), length) : IpPrefix.ofIpv4(base.ipv4(), length);
    }

    /** The prefix right after this one, of the same length (wrapping at the end of the space). */
    private static IpPrefix sibling(Random random, IpPrefix base) {
        IpPrefix after = step(last(base), +1);
        int length = base.length();
        return after.ipv6() ? IpPrefix.ofIpv6(after.hi(), after.lo(), length) : IpPrefix.ofIpv4(after.ipv4(), length);
    }

    /** A lookup address: a prefix's first or last address, the one just outside it, inside it, or anywhere. */
    private static IpPrefix probe(Random random, List<IpPrefix> prefixes) {
        IpPrefix prefix = prefixes.get(random.nextInt(prefixes.size()));
        return switch (random.nextInt(6)) {
            case 0 -> first(prefix);
            case 1 -> last(prefix);
            case 2 -> step(first(prefix), -1);
            case 3 -> step(last(prefix), +1);
            case 4 -> randomIn(random, prefix, prefix.maxLength());
            default -> randomIn(random, everything(prefix.ipv6()), prefix.maxLength());
        };
    }

    static IpPrefix first(IpPrefix prefix) {
        return prefix.ipv6() ? IpPrefix.ofIpv6(prefix.hi(), prefix.lo(), 128) : IpPrefix.ofIpv4(prefix.ipv4(), 32);
    }

    static IpPrefix last(IpPrefix prefix) {
        return prefix.ipv6() ? IpPrefix.ofIpv6(prefix.lastHi(), prefix.lastLo(), 128)
                : IpPrefix.ofIpv4((int) prefix.lastLo(), 32);
    }

    /** The host address {@code delta} (+1 or -1) away, wrapping around the family's address space. */
    static IpPrefix step(IpPrefix host, int delta) {
        if (!host.ipv6()) {
            return IpPrefix.ofIpv4(host.ipv4() + delta, 32);
        }
        long lo = host.lo() + delta;
        long hi = host.hi();
        if (delta > 0 && lo == 0) {
            hi++;
        } else if (delta < 0 && lo == -1L) {
            hi--;
        }
        return IpPrefix.ofIpv6(hi, lo, 128);
    }

    private static PrefixMap build(List<String> prefixes) {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        for (String prefix : prefixes) {
            builder.add(IpPrefix.parse(prefix));
        }
        return builder.build();
    }

    private static String lookup(List<String> prefixes, String address) {
        int entry = build(prefixes).lookup(IpPrefix.parse(address));
        return entry == PrefixMap.NO_ENTRY ? "-" : prefixes.get(entry);
    }
}
