package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SettledWinnersTest {

    /** A table of random /24s over {@code regions} regions, some without a figure, many with figures that tie. */
    private static LatencyTable table(Random random, int regions, int slash24s) {
        LatencyTableBuilder builder = new LatencyTableBuilder().directIndexFrom(0);
        List<Integer> edges = List.of(0, 1, 63, 64, (1 << 24) - 2, (1 << 24) - 1);
        List<Integer> all = new ArrayList<>(edges);
        for (int i = 0; i < slash24s; i++) {
            all.add(random.nextInt(1 << 24));
        }
        for (int slash24 : all.stream().distinct().toList()) {
            IpPrefix prefix = IpPrefix.ofIpv4(slash24 << 8, 24);
            for (int r = 0; r < regions; r++) {
                if (random.nextInt(40 * regions) > 0 || edges.contains(slash24)) {
                    // Few distinct figures, so that ties are common; some above 500 ms (whole milliseconds).
                    double ms = random.nextInt(8) == 0 ? 500 + random.nextInt(3) : 10 + random.nextInt(4 * regions) * 0.5;
                    builder.add(prefix, "r" + r, ms, 1);
                }
            }
        }
        return builder.build();
    }

    /**
     * Every /24 of the space: the winner index names the column of the strictly lowest figure of a
     * settled /24's row, for columns in any order and any subset, and nothing for a /24 without a
     * settled row or whose lowest figure two columns share.
     */
    @Test
    void everySettledSlash24WithAStrictWinnerAndNothingElseIsNamed() {
        for (int regions : new int[] {3, 15, 16, 40}) {
            Random random = new Random(regions);
            LatencyTable table = table(random, regions, 20_000);
            int[] columns = IntStream.range(0, regions).filter(c -> c % 5 != 1).toArray();
            shuffle(columns, random);
            SettledWinners winners = table.settledWinners(columns);
            assertThat(winners.bytes()).as("%d regions: 4 bits a /24 up to 15 columns, else 8", regions)
                    .isEqualTo(columns.length <= 15 ? 1 << 23 : 1 << 24);
            int named = 0;
            int tiedOrUnsettled = 0;
            for (int slash24 = 0; slash24 < 1 << 24; slash24++) {
                int address = slash24 << 8 | 0x2A;
                int expected = strictWinner(table, address, columns);
                if (winners.winner(address) != expected) { // assertThat per /24 would take a minute
                    assertThat(winners.winner(address)).as("%d regions, /24 %d", regions, slash24).isEqualTo(expected);
                }
                if (expected != SettledWinners.NONE) {
                    named++;
                } else if (table.settledRow(address) != SettledSlash24Rows.NO_ROW) {
                    tiedOrUnsettled++;
                }
            }
            assertThat(named).as("%d regions: /24s named", regions).isEqualTo(winners.winnerCount()).isGreaterThan(5_000);
            assertThat(tiedOrUnsettled).as("%d regions: settled /24s with a tie", regions).isGreaterThan(100);
        }
    }

    /** The brute force: the settled row's figures, compared over the columns. */
    private static int strictWinner(LatencyTable table, int address, int[] columns) {
        int row = table.settledRow(address);
        if (row == SettledSlash24Rows.NO_ROW) {
            return SettledWinners.NONE;
        }
        int best = SettledWinners.NONE;
        int bestTenths = Integer.MAX_VALUE;
        int atBest = 0;
        for (int k = 0; k < columns.length; k++) {
            int tenths = table.settledTenths(row, columns[k]);
            if (tenths < bestTenths) {
                best = k;
                bestTenths = tenths;
                atBest = 1;
            } else if (tenths == bestTenths) {
                atBest++;
            }
        }
        return atBest == 1 ? best : SettledWinners.NONE;
    }

    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    @Test
    void oneIndexPerColumnListIsKeptWithTheTableUpToItsLimit() {
        LatencyTable table = table(new Random(7), 20, 2_000);
        SettledWinners first = table.settledWinners(new int[] {0, 1, 2});
        assertThat(table.settledWinners(new int[] {0, 1, 2})).as("the same list again").isSameAs(first);
        assertThat(table.settledWinners(new int[] {2, 1, 0})).as("another order is another list").isNotSameAs(first);
        for (int extra = 3; extra < 3 + LatencyTable.MAX_WINNER_LISTS - 2; extra++) {
            assertThat(table.settledWinners(new int[] {0, extra})).isNotNull();
        }
        assertThat(table.settledWinners(new int[] {1, 19})).as("over the limit: decide from the rows").isNull();
        assertThat(table.settledWinners(new int[] {0, 1, 2})).as("a list already kept").isSameAs(first);
    }

    @Test
    void thereIsNoIndexWhereARowCannotSettleTheComparison() {
        LatencyTable table = table(new Random(8), 4, 2_000);
        assertThat(table.settledWinners(new int[] {0, -1})).as("a region the table never measured").isNull();
        assertThat(table.settledWinners(new int[] {0, 4})).as("a column past the table's").isNull();
        assertThat(table.settledWinners(new int[] {2})).as("nothing to compare").isNull();
        LatencyTable small = new LatencyTableBuilder().add(IpPrefix.parse("10.0.0.0/24"), "eastus", 10, 1)
                .add(IpPrefix.parse("10.0.0.0/24"), "westus", 20, 1).build();
        assertThat(small.settledWinners(new int[] {0, 1})).as("a table without the direct index").isNull();
    }

    @Test
    void aWinnerIndexComparesTwoTo255Columns() {
        assertThatThrownBy(() -> SettledWinners.builder(1)).hasMessageContaining("2 to 255");
        assertThatThrownBy(() -> SettledWinners.builder(256)).hasMessageContaining("2 to 255");
        SettledWinners.Builder wide = SettledWinners.builder(255);
        wide.set(7, 254);
        wide.set(8, 0);
        SettledWinners built = wide.build();
        assertThat(built.winner(7 << 8)).isEqualTo(254);
        assertThat(built.winner(8 << 8 | 0xFF)).isZero();
        assertThat(built.winner(9 << 8)).isEqualTo(SettledWinners.NONE);
        SettledWinners.Builder narrow = SettledWinners.builder(15);
        narrow.set(10, 14);
        narrow.set(11, 3);
        SettledWinners nibbles = narrow.build();
        assertThat(nibbles.winner(10 << 8)).as("the low nibble").isEqualTo(14);
        assertThat(nibbles.winner(11 << 8)).as("the high nibble").isEqualTo(3);
        assertThat(nibbles.winner(12 << 8)).isEqualTo(SettledWinners.NONE);
    }
}
