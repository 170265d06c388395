package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.latency.LatencyTable.AggregateLevel;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LatencyTableTest {

    @ParameterizedTest(name = "{0} ms x {1} and {2} ms x {3} = {4} tenths")
    @CsvSource(textBlock = """
            10,   1,  40,  3,  325
            10,   1,  20,  1,  150
            100,  9,   0,  1,  900
            12.3, 2,  12.3, 5, 123
            50,  1000, 10, 1,  500
            """)
    void duplicatesMergeIntoTheSampleWeightedMean(double rtt1, int samples1, double rtt2, int samples2, int tenths) {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("10.1.2.0/24"), "eastus", rtt1, samples1)
                .add(p("10.1.2.0/24"), "eastus", rtt2, samples2)
                .build();
        int entry = table.lookup(p("10.1.2.3"));

        assertThat(table.prefixCount()).isEqualTo(1);
        assertThat(table.tenths(entry, table.column("eastus"))).isEqualTo((short) tenths);
        assertThat(table.totalSamples()).isEqualTo(samples1 + samples2);
    }

    @Test
    void aPrefixAndRegionSeenThreeTimesAveragesAllThree() {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("2001:db8:1::/48"), "westeurope", 30, 2)
                .add(p("2001:db8:1::/48"), "eastus", 90, 1)
                .add(p("2001:db8:1::/48"), "westeurope", 60, 1)
                .add(p("2001:db8:1::/48"), "WestEurope", 10, 1)
                .build();
        int entry = table.lookup(p("2001:db8:1:2::1"));

        assertThat(table.tenths(entry, table.column("westeurope"))).isEqualTo((short) 325); // (60+60+10)/4
        assertThat(table.tenths(entry, table.column("eastus"))).isEqualTo((short) 900);
    }

    @Test
    void regionNamesAreCaseInsensitiveColumns() {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("10.0.0.0/8"), " EastUS ", 10, 1)
                .add(p("11.0.0.0/8"), "eastus", 20, 1)
                .build();

        assertThat(table.regions()).containsExactly("eastus");
        assertThat(table.column("EASTUS")).isZero();
        assertThat(table.column("westeurope")).isEqualTo(-1);
        assertThat(table.columnCount()).isEqualTo(1);
    }

    /**
     * /8 measures eastus and westeurope, the /16 inside it only eastus, the /24 inside that only
     * northeurope: each row inherits, per region, from the nearest covering prefix that has a figure.
     */
    @ParameterizedTest(name = "{0} {1}: {2} tenths from /{3}")
    @CsvSource(textBlock = """
            10.1.2.0/24, eastus,      200, 16
            10.1.2.0/24, westeurope,  800, 8
            10.1.2.0/24, northeurope,  50, 24
            10.1.2.0/24, southindia,   -1, 0
            10.1.0.0/16, eastus,      200, 16
            10.1.0.0/16, westeurope,  800, 8
            10.1.0.0/16, northeurope,  -1, 0
            10.0.0.0/8,  eastus,      500, 8
            10.0.0.0/8,  westeurope,  800, 8
            10.0.0.0/8,  northeurope,  -1, 0
            10.9.0.0/16, eastus,      500, 8
            """)
    void rowsInheritFromCoveringPrefixesPerRegion(String prefix, String region, int tenths, int sourceLength) {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("10.1.2.0/24"), "northeurope", 5, 1)
                .add(p("10.1.0.0/16"), "eastus", 20, 1)
                .add(p("10.0.0.0/8"), "eastus", 50, 1)
                .add(p("10.0.0.0/8"), "westeurope", 80, 1)
                .add(p("10.9.0.0/16"), "westeurope", 80, 1)
                .add(p("192.0.2.0/24"), "southindia", 150, 1)
                .build();
        int entry = table.lookup(p(prefix));
        int column = table.column(region);

        assertThat(table.entryLength(entry)).isEqualTo(p(prefix).length());
        assertThat(table.tenths(entry, column)).isEqualTo((short) tenths);
        if (tenths != LatencyTable.MISSING) {
            assertThat(table.sourceLength(entry, column)).isEqualTo(sourceLength);
            assertThat(table.ownsFigure(entry, column)).isEqualTo(sourceLength == p(prefix).length());
        }
    }

    @Test
    void inheritanceSkipsAGenerationThatHasNoFigure() {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("2001:db8::/32"), "eastus", 70, 1)
                .add(p("2001:db8:1::/48"), "westeurope", 20, 1)
                .add(p("2001:db8:1:2::/64"), "westeurope", 10, 1)
                .build();
        int entry = table.lookup(p("2001:db8:1:2::1"));

        assertThat(table.entryLength(entry)).isEqualTo(64);
        assertThat(table.tenths(entry, table.column("eastus"))).isEqualTo((short) 700);
        assertThat(table.sourceLength(entry, table.column("eastus"))).isEqualTo(32);
        assertThat(table.entryLength(table.entryParent(entry))).isEqualTo(48);
    }

    @Test
    void figuresOfOneFamilyNeverCoverTheOther() {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("0.0.0.0/0"), "eastus", 70, 1)
                .add(p("::ffff:10.0.0.0/104"), "westeurope", 20, 1)
                .build();
        int entry = table.lookup(p("::ffff:10.1.2.3"));

        assertThat(table.tenths(entry, table.column("eastus"))).isEqualTo(LatencyTable.MISSING);
        assertThat(table.lookup(p("10.1.2.3"))).isNotEqualTo(entry);
    }

    /** Host routes are as valid as any other prefix: a /32 and a /128 keep their own figures and lengths. */
    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1/32", "2001:db8::1/128", "2001:db8::/127", "2001:db8::/120"})
    void hostPrefixesOfBothFamiliesKeepTheirFigures(String host) {
        IpPrefix prefix = p(host);
        IpPrefix around = prefix.truncate(prefix.ipv6() ? 32 : 16);
        LatencyTable table = new LatencyTableBuilder()
                .add(around, "eastus", 90, 1)
                .add(prefix, "eastus", 5, 1)
                .build();
        int entry = table.lookup(prefix);
        int column = table.column("eastus");

        assertThat(table.entryLength(entry)).isEqualTo(prefix.length());
        assertThat(table.tenths(entry, column)).isEqualTo((short) 50);
        assertThat(table.sourceLength(entry, column)).isEqualTo(prefix.length());
        IpPrefix next = prefix.ipv6() ? IpPrefix.ofIpv6(prefix.lastHi(), prefix.lastLo() + 1, 128)
                : IpPrefix.ofIpv4((int) prefix.lastLo() + 1, 32);
        assertThat(table.tenths(table.lookup(next), column)).as("just after %s", prefix).isEqualTo((short) 900);
    }

    /**
     * Figures are kept to a tenth of a millisecond below 500 ms and to the millisecond above, up to
     * the largest the reader accepts; a short once clamped everything above 3,276.6 ms.
     */
    @ParameterizedTest(name = "{0} ms -> {1} tenths")
    @CsvSource(textBlock = """
            0,        0
            0.04,     0
            0.05,     1
            12.34,    123
            12.36,    124
            499.9,    4999
            499.94,   4999
            499.96,   5000
            500,      5000
            500.4,    5000
            500.6,    5010
            3276.6,   32770
            3276.7,   32770
            5000,     50000
            9000,     90000
            10000,    100000
            59999.4,  599990
            60000,    600000
            """)
    void figuresAreKeptToATenthBelow500MsAndToTheMillisecondAbove(double ms, int tenths) {
        LatencyTable table = new LatencyTableBuilder().add(p("10.0.0.0/8"), "eastus", ms, 1).build();

        assertThat(table.tenths(0, 0)).isEqualTo(tenths);
        assertThat(LatencyTable.tenthsOf(LatencyTable.encode(ms))).isEqualTo(tenths);
    }

    /** Every code but the one for "no figure" stands for a figure, and codes keep the order of figures. */
    @Test
    void codesAreOrderedLikeTheFiguresTheyStandFor() {
        int previous = -1;
        for (int code = 0; code < LatencyTable.NONE; code++) {
            int tenths = LatencyTable.tenthsOf((char) code);
            assertThat(tenths).as("code %d", code).isGreaterThan(previous);
            previous = tenths;
        }
        assertThat(previous).isGreaterThanOrEqualTo(LatencyTable.MAX_RTT_MS * 10);
        assertThat(LatencyTable.tenthsOf(LatencyTable.NONE)).isEqualTo(LatencyTable.MISSING);
    }

    @ParameterizedTest(name = "rtt {0}, samples {1}")
    @CsvSource(textBlock = """
            -1,        1, rtt
            -0.001,    1, rtt
            NaN,       1, rtt
            Infinity,  1, rtt
            60000.5,   1, above the largest figure kept
            10,        0, samples
            10,       -5, samples
            """)
    void impossibleMeasurementsAreRejected(double rtt, int samples, String message) {
        LatencyTableBuilder builder = new LatencyTableBuilder();

        assertThatThrownBy(() -> builder.add(p("10.0.0.0/8"), "eastus", rtt, samples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(builder.prefixCount()).isZero();
    }

    @Test
    void levelsAreKeptMostSpecificFirstPerFamily() {
        LatencyTable table = new LatencyTableBuilder()
                .aggregation(new int[] {8, 24, 16}, new int[] {32, 48, 40}, 1)
                .build();

        assertThat(table.levels(false).stream().map(AggregateLevel::length)).containsExactly(24, 16, 8);
        assertThat(table.levels(true).stream().map(AggregateLevel::length)).containsExactly(48, 40, 32);
    }

    @Test
    void defaultLevelsAreSlash20And16AndSlash40And32() {
        LatencyTable table = LatencyTable.empty();

        assertThat(table.levels(false).stream().map(AggregateLevel::length)).containsExactly(20, 16);
        assertThat(table.levels(true).stream().map(AggregateLevel::length)).containsExactly(40, 32);
        assertThat(table.prefixCount()).isZero();
        assertThat(table.lookup(p("10.0.0.1"))).isEqualTo(PrefixMap.NO_ENTRY);
    }

    @ParameterizedTest(name = "v4 {0}, v6 {1}, minSamples {2}")
    @CsvSource(delimiter = '|', textBlock = """
            33      | 32   | 1  | /33
            -1      | 32   | 1  | /-1
            16      | 129  | 1  | /129
            16      | 32   | 0  | minSamples
            """)
    void badAggregationSettingsAreRejected(int v4, int v6, int minSamples, String message) {
        assertThatThrownBy(() -> new LatencyTableBuilder().aggregation(new int[] {v4}, new int[] {v6}, minSamples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} IPv4 and {1} IPv6 levels")
    @CsvSource(textBlock = """
            17, 1
            1,  17
            """)
    void moreThanSixteenLevelsPerFamilyAreRejected(int v4, int v6) {
        int[] v4Levels = java.util.stream.IntStream.range(0, v4).map(i -> 32 - i).toArray();
        int[] v6Levels = java.util.stream.IntStream.range(0, v6).map(i -> 128 - i).toArray();

        assertThatThrownBy(() -> new LatencyTableBuilder().aggregation(v4Levels, v6Levels, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16");
    }

    /** Samples of eastus under 10.1.0.0/16, spread over two /24s; the block exists once they reach 10. */
    @ParameterizedTest(name = "{0} + {1} samples -> aggregate {2}")
    @CsvSource(textBlock = """
            4, 5,  false
            5, 5,  true
            1, 9,  true
            9, 30, true
            """)
    void aggregatesNeedMinSamples(int samplesA, int samplesB, boolean expected) {
        LatencyTable table = new LatencyTableBuilder()
                .aggregation(new int[] {16}, new int[] {32}, 10)
                .add(p("10.1.1.0/24"), "eastus", 10, samplesA)
                .add(p("10.1.2.0/24"), "eastus", 40, samplesB)
                .build();
        AggregateLevel level = table.levels(false).get(0);
        int block = level.lookup(p("10.1.99.0/24"));

        if (!expected) {
            assertThat(block).isEqualTo(PrefixMap.NO_ENTRY);
            return;
        }
        double mean = (10.0 * samplesA + 40.0 * samplesB) / (samplesA + samplesB);
        assertThat(level.tenths(block, table.column("eastus"))).isEqualTo((int) Math.round(mean * 10));
        assertThat(level.samples(block, table.column("eastus"))).isEqualTo(samplesA + samplesB);
        assertThat(level.lookup(p("10.2.0.0/16"))).isEqualTo(PrefixMap.NO_ENTRY);
    }

    @Test
    void anAggregateHoldsOnlyTheRegionsThatReachMinSamples() {
        LatencyTable table = new LatencyTableBuilder()
                .aggregation(new int[] {16}, new int[] {32}, 10)
                .add(p("10.1.1.0/24"), "eastus", 10, 12)
                .add(p("10.1.1.0/24"), "westeurope", 90, 9)
                .build();
        AggregateLevel level = table.levels(false).get(0);
        int block = level.lookup(p("10.1.0.0/16"));

        assertThat(level.blockCount()).isEqualTo(1);
        assertThat(level.tenths(block, table.column("eastus"))).isEqualTo((short) 100);
        assertThat(level.tenths(block, table.column("westeurope"))).isEqualTo(LatencyTable.MISSING);
        assertThat(level.samples(block, table.column("westeurope"))).isEqualTo(9);
    }

    /**
     * Entries at least as long as the level count toward it (a /16 feeds the /16 level), shorter
     * ones never do, and only own figures count, not inherited ones.
     */
    @ParameterizedTest(name = "level /{0}: {1} tenths from {2} samples")
    @CsvSource(textBlock = """
            24, 100, 10
            20, 100, 10
            16, 400, 40
            12, 400, 40
            8,  300, 80
            4,  300, 80
            """)
    void aggregatesSumOwnFiguresOfEntriesAtLeastAsLongAsTheLevel(int length, int tenths, int samples) {
        LatencyTable table = new LatencyTableBuilder()
                .aggregation(new int[] {length}, new int[] {32}, 1)
                .add(p("10.1.2.0/24"), "eastus", 10, 10)
                .add(p("10.1.0.0/16"), "eastus", 50, 30)
                .add(p("10.0.0.0/8"), "eastus", 20, 40)
                .add(p("10.1.2.0/24"), "westeurope", 1, 1)
                .build();
        AggregateLevel level = table.levels(false).get(0);
        int block = level.lookup(p("10.1.2.0/24"));

        assertThat(level.tenths(block, table.column("eastus"))).isEqualTo((short) tenths);
        assertThat(level.samples(block, table.column("eastus"))).isEqualTo(samples);
    }

    @Test
    void ipv6Slash48EntriesAggregateIntoTheirSlash32() {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("2001:db8:1::/48"), "westeurope", 20, 6)
                .add(p("2001:db8:100::/48"), "westeurope", 30, 4)
                .add(p("2001:db9:1::/48"), "westeurope", 99, 4)
                .build();
        AggregateLevel slash32 = table.levels(true).stream().filter(l -> l.length() == 32).findFirst().orElseThrow();
        AggregateLevel slash40 = table.levels(true).stream().filter(l -> l.length() == 40).findFirst().orElseThrow();
        int column = table.column("westeurope");

        int block = slash32.lookup(p("2001:db8:ffff::/48"));
        assertThat(slash32.tenths(block, column)).isEqualTo((short) 240);
        assertThat(slash32.samples(block, column)).isEqualTo(10);
        assertThat(slash32.lookup(p("2001:db9::"))).isEqualTo(PrefixMap.NO_ENTRY); // 4 samples < 10
        assertThat(slash40.lookup(p("2001:db8::"))).isEqualTo(PrefixMap.NO_ENTRY); // 6 of the 10 samples
        assertThat(slash40.lookup(p("2001:db8:100::"))).isEqualTo(PrefixMap.NO_ENTRY); // 4 of them
        assertThat(slash32.lookup(p("10.0.0.0"))).isEqualTo(PrefixMap.NO_ENTRY);
    }

    @Test
    void sampleReturnsMeasurementsAsAddedSpreadEvenly() {
        LatencyTableBuilder builder = new LatencyTableBuilder();
        for (int i = 0; i < 10; i++) {
            builder.add(IpPrefix.ofIpv4(0x0A00_0000 + (i << 8), 24), "eastus", i, 1 + i);
        }

        List<LatencyTableBuilder.Measurement> all = builder.sample(100);
        List<LatencyTableBuilder.Measurement> some = builder.sample(5);

        assertThat(all).hasSize(10);
        assertThat(all.get(3)).isEqualTo(new LatencyTableBuilder.Measurement(p("10.0.3.0/24"), "eastus", 3));
        assertThat(some).extracting(LatencyTableBuilder.Measurement::rttMs).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0);
        assertThat(builder.sample(0)).isEmpty();
    }

    @Test
    void aSampleKeepsWhatItPickedWhenMoreIsAddedAfter() {
        LatencyTableBuilder builder = new LatencyTableBuilder();
        for (int i = 0; i < 60; i++) { // past the builder's first arrays (64 measurements), so they are regrown
            builder.add(IpPrefix.ofIpv4(0x0A00_0000 + (i << 8), 24), "eastus", i, 1);
        }
        List<LatencyTableBuilder.Measurement> sample = builder.sample(3);
        List<LatencyTableBuilder.Measurement> before = List.copyOf(sample);

        for (int i = 0; i < 100; i++) {
            builder.add(IpPrefix.ofIpv4(0x0B00_0000 + (i << 8), 24), "westeurope", 500 + i, 1);
        }

        assertThat(sample).isEqualTo(before);
        assertThat(sample).extracting(LatencyTableBuilder.Measurement::rttMs).containsExactly(0.0, 20.0, 40.0);
    }

    private static IpPrefix p(String text) {
        return IpPrefix.parse(text);
    }

    /**
     * Both ways to a table (CSV measurements through the builder, and rows as the learner's
     * TableWriter writes them) keep the direct IPv4 index from the threshold on, and not below it.
     */
    @Test
    void bothBuildersKeepTheDirectIndexFromTheirThresholdOn() {
        int n = LatencyTable.DIRECT_INDEX_MIN_IPV4_PREFIXES;
        LatencyRows rows = new LatencyRows(List.of("eastus"), n);
        LatencyRows fewer = new LatencyRows(List.of("eastus"), n);
        for (int i = 0; i < n; i++) {
            long address = 0x0A00_0000L + ((long) i << 8);
            rows.set(rows.add(false, 0, address, 24), 0, 10 + i % 50);
            if (i > 0) {
                fewer.set(fewer.add(false, 0, address, 24), 0, 10 + i % 50);
            }
        }
        LatencyTable learned = rows.build();
        assertThat(learned.prefixes().hasDirectIpv4Index()).isTrue();
        assertThat(fewer.build().prefixes().hasDirectIpv4Index()).isFalse();
        int slot = learned.prefixes().directIpv4(0x0A00_0105);
        assertThat(PrefixMap.directEntry(slot)).isEqualTo(learned.lookup(p("10.0.1.5")));
        assertThat(PrefixMap.directHolding(slot)).isEqualTo(24);

        LatencyTableBuilder measured = new LatencyTableBuilder().add(p("10.1.2.0/24"), "eastus", 10, 1);
        assertThat(measured.build().prefixes().hasDirectIpv4Index()).isFalse();
        assertThat(measured.directIndexFrom(1).build().prefixes().hasDirectIpv4Index()).isTrue();
        assertThat(new LatencyRows(List.of("eastus"), 1).directIndexFrom(0).build().prefixes().hasDirectIpv4Index()).isTrue();
    }

    /**
     * The direct index marks an entry whose row settles every region on its own: all figures known
     * and none shorter than the longest aggregate level (/20 by default). An entry with a gap, or
     * with a figure inherited from a /16 (an aggregate /20 could be more specific), is not marked.
     */
    @Test
    void theDirectIndexMarksOnlyRowsThatSettleEveryRegion() {
        LatencyTable table = new LatencyTableBuilder()
                .add(p("10.1.0.0/24"), "eastus", 10, 1).add(p("10.1.0.0/24"), "westeurope", 20, 1)
                .add(p("10.1.1.0/24"), "eastus", 10, 1)
                .add(p("10.2.0.0/16"), "westeurope", 30, 1).add(p("10.2.0.0/24"), "eastus", 10, 1)
                .add(p("10.3.0.0/20"), "westeurope", 30, 1).add(p("10.3.0.0/24"), "eastus", 10, 1)
                .directIndexFrom(0).build();
        PrefixMap map = table.prefixes();
        assertThat(PrefixMap.directMarked(map.directIpv4(0x0A01_0005))).as("both own").isTrue();
        assertThat(PrefixMap.directMarked(map.directIpv4(0x0A01_0105))).as("westeurope missing").isFalse();
        assertThat(PrefixMap.directMarked(map.directIpv4(0x0A02_0005))).as("westeurope from the /16").isFalse();
        assertThat(PrefixMap.directMarked(map.directIpv4(0x0A03_0005))).as("westeurope from the /20").isTrue();
        assertThat(PrefixMap.directEntry(map.directIpv4(0x0A01_0005))).isEqualTo(table.lookup(p("10.1.0.5")));

        LatencyTable withoutLevels = new LatencyTableBuilder().aggregation(new int[0], new int[0], 10)
                .add(p("10.2.0.0/16"), "westeurope", 30, 1).add(p("10.2.0.0/24"), "eastus", 10, 1)
                .directIndexFrom(0).build();
        assertThat(PrefixMap.directMarked(withoutLevels.prefixes().directIpv4(0x0A02_0005)))
                .as("inherited, and no aggregate to beat it").isTrue();
    }
}
