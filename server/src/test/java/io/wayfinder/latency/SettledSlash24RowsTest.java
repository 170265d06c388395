package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SettledSlash24RowsTest {
    private static final List<String> REGIONS = List.of("eastus", "westeurope", "southeastasia");

    /**
     * Random /24s over the whole space (and at the edges of the bitmap's words), some with a gap,
     * some with a /28 inside, under a few /16s: every /24 that is a table prefix of its own with a
     * row that settles has a row here with the table's own figures, found by its rank; every other
     * /24 has none.
     */
    @Test
    void everySettledSlash24AndNothingElseHasItsOwnRowByRank() {
        Random random = new Random(0x5E771EDL);
        LatencyTableBuilder builder = new LatencyTableBuilder().directIndexFrom(0);
        List<Integer> edges = List.of(0, 63, 64, 127, 128, (1 << 24) - 64, (1 << 24) - 1);
        List<Integer> slash24s = new ArrayList<>(edges);
        for (int i = 0; i < 20_000; i++) {
            slash24s.add(random.nextInt(1 << 24));
        }
        for (int slash24 : slash24s.stream().distinct().toList()) {
            IpPrefix prefix = IpPrefix.ofIpv4(slash24 << 8, 24);
            for (String region : REGIONS) {
                if (random.nextInt(20) > 0 || edges.contains(slash24)) {
                    builder.add(prefix, region, 1 + random.nextInt(3000) / 10.0, 1);
                }
            }
            if (random.nextInt(50) == 0 && !edges.contains(slash24)) {
                builder.add(IpPrefix.ofIpv4(slash24 << 8 | 0x40, 28), REGIONS.get(0), 5, 1);
            }
        }
        for (int i = 0; i < 20; i++) {
            builder.add(IpPrefix.ofIpv4(random.nextInt(1 << 16) << 16, 16), REGIONS.get(1), 80, 1);
        }
        LatencyTable table = builder.build();
        PrefixMap map = table.prefixes();

        int rows = 0;
        int lastRow = SettledSlash24Rows.NO_ROW;
        for (int slash24 = 0; slash24 < 1 << 24; slash24++) {
            int address = slash24 << 8 | 0x11;
            int row = table.settledRow(address);
            int entry = map.lookupIpv4(address);
            boolean ownAndSettled = entry != PrefixMap.NO_ENTRY && map.length(entry) == 24
                    && map.directIpv4(address) != PrefixMap.NOT_DIRECT && everyColumnOwn(table, entry);
            assertThat(row != SettledSlash24Rows.NO_ROW).as("row of /24 %d", slash24).isEqualTo(ownAndSettled);
            if (row != SettledSlash24Rows.NO_ROW) {
                assertThat(row).as("rows in address order").isEqualTo(lastRow + 1);
                lastRow = row;
                rows++;
                for (int c = 0; c < REGIONS.size(); c++) {
                    assertThat(table.settledTenths(row, c)).isEqualTo(table.tenths(entry, c));
                }
            }
        }
        assertThat(rows).as("settled /24s").isGreaterThan(10_000);
        assertThat(table.settledRow(0x11)).as("the first /24 of the space").isZero();
    }

    /**
     * Built in parts on threads at once (a learner's lanes), with settled /24s on both sides of the
     * parts' cut and at the bitmap's word edges: the same rows as built on one thread, and a row
     * number one more than the last at every settled /24 in address order, across the cut too.
     */
    @Test
    void builtInPartsOnThreadsTheRowsAreThoseOfOneThread() {
        Random random = new Random(0x5A2750L);
        int cut = 1 << 23;
        java.util.TreeSet<Integer> slash24s = new java.util.TreeSet<>(List.of(0, 63, 64, cut - 65, cut - 64,
                cut - 1, cut, cut + 1, cut + 63, cut + 64, (1 << 24) - 1));
        while (slash24s.size() < 20_000) {
            slash24s.add(random.nextInt(1 << 24));
        }
        io.wayfinder.net.PartsOnThreads threads = new io.wayfinder.net.PartsOnThreads();
        LatencyTable split = settledTable(slash24s, new LatencyRows(REGIONS, 16).splitOver(threads));
        LatencyTable whole = settledTable(slash24s, new LatencyRows(REGIONS, 16));
        assertThat(threads.partsRun()).as("parts run: the inheritance's, the direct index's, the rows' twice")
                .isEqualTo(4 * io.wayfinder.net.Parts.SPLIT);

        int lastRow = SettledSlash24Rows.NO_ROW;
        for (int slash24 = 0; slash24 < 1 << 24; slash24++) {
            int address = slash24 << 8;
            int row = split.settledRow(address);
            assertThat(row).as("row of /24 %d", slash24).isEqualTo(whole.settledRow(address));
            assertThat(split.prefixes().directIpv4(address)).isEqualTo(whole.prefixes().directIpv4(address));
            if (row != SettledSlash24Rows.NO_ROW) {
                assertThat(row).as("row of /24 %d after the last", slash24).isEqualTo(lastRow + 1);
                lastRow = row;
                for (int c = 0; c < REGIONS.size(); c++) {
                    assertThat(split.settledTenths(row, c)).isEqualTo(whole.settledTenths(row, c));
                }
            }
        }
        assertThat(lastRow + 1).as("settled /24s: all but the one in ten with a gap").isGreaterThan(15_000);
    }

    /** The /24s as rows in map order, one in ten with a column left without a figure (not settled). */
    private static LatencyTable settledTable(java.util.SortedSet<Integer> slash24s, LatencyRows rows) {
        Random random = new Random(0xF16L);
        for (int slash24 : slash24s) {
            int row = rows.add(false, 0, (long) slash24 << 8 & 0xFFFF_FFFFL, 24);
            int gap = random.nextInt(10) == 0 ? random.nextInt(REGIONS.size()) : -1;
            for (int c = 0; c < REGIONS.size(); c++) {
                if (c != gap) {
                    rows.set(row, c, 1 + random.nextInt(3000) / 10.0);
                }
            }
        }
        return rows.directIndexFrom(0).build();
    }

    /** With the default /20 and /16 aggregates, a settling row is a complete row of own figures. */
    private static boolean everyColumnOwn(LatencyTable table, int entry) {
        for (int c = 0; c < table.regions().size(); c++) {
            if (table.tenths(entry, c) == LatencyTable.MISSING || table.sourceLength(entry, c) != 24) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aTableWithoutTheDirectIndexHasNoSettledRows() {
        LatencyTable table = new LatencyTableBuilder().add(IpPrefix.parse("10.0.0.0/24"), "eastus", 10, 1).build();
        assertThat(table.prefixes().hasDirectIpv4Index()).isFalse();
        assertThat(table.settledRow(0x0A00_0001)).isEqualTo(SettledSlash24Rows.NO_ROW);
    }

    /** The batch pre-pass reads a settled /24's row, and otherwise the direct index's slot. */
    @Test
    void touchReadsTheSettledRowOrElseTheDirectSlot() {
        LatencyTable table = new LatencyTableBuilder().directIndexFrom(0)
                .add(IpPrefix.parse("10.0.0.0/24"), "eastus", 12.5, 1)
                .add(IpPrefix.parse("10.0.1.0/24"), "eastus", 30, 1).add(IpPrefix.parse("10.0.1.64/26"), "eastus", 40, 1)
                .build();
        LatencyEstimator estimator = new LatencyEstimator(table, null, null);
        assertThat(estimator.touch(0x0A00_0007)).isEqualTo(125);
        assertThat(estimator.touch(0x0A00_0107)).as("cut by the /26").isEqualTo(PrefixMap.NOT_DIRECT);
        assertThat(estimator.touch(0x0B00_0007)).isEqualTo(table.prefixes().directIpv4(0x0B00_0007));
    }
}
