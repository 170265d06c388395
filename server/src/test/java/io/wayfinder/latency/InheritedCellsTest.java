package io.wayfinder.latency;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.Parts;
import io.wayfinder.net.PartsOnThreads;
import io.wayfinder.net.PrefixMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InheritedCellsTest {
    private static final List<String> REGIONS = List.of("eastus", "westeurope", "southeastasia");

    /**
     * Nested rows (/8s over some /16s, /20s, /24s and /28s, figures with gaps) give every prefix the
     * same figures and source lengths whether added in map order and filled in parts on threads at
     * once, in map order on one thread, shuffled (filled by length), or by length (parents first
     * but not in map order: filled in row order, in parts).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void everyOrderAndSplitInheritsTheSame(long seed) {
        Random random = new Random(seed);
        List<IpPrefix> prefixes = nested(random);
        char[][] figures = new char[prefixes.size()][REGIONS.size()];
        for (char[] row : figures) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextInt(3) == 0 ? LatencyTable.NONE : LatencyTable.encode(random.nextInt(3000) / 10.0);
            }
        }
        PartsOnThreads threads = new PartsOnThreads();
        List<Integer> mapOrder = new ArrayList<>();
        for (int i = 0; i < prefixes.size(); i++) {
            mapOrder.add(i);
        }
        List<Integer> shuffled = new ArrayList<>(mapOrder);
        Collections.shuffle(shuffled, random);
        LatencyTable split = table(prefixes, figures, mapOrder, threads);
        LatencyTable one = table(prefixes, figures, mapOrder, Parts.SEQUENTIAL);
        LatencyTable byLength = table(prefixes, figures, shuffled, threads);
        List<Integer> parentsFirst = new ArrayList<>(shuffled);
        parentsFirst.sort(Comparator.comparingInt(i -> prefixes.get(i).length()));
        LatencyTable shorterFirst = table(prefixes, figures, parentsFirst, threads);
        assertThat(threads.partsRun()).isPositive();

        int inherited = 0;
        for (IpPrefix prefix : prefixes) {
            int a = split.lookup(prefix);
            int b = one.lookup(prefix);
            int c = byLength.lookup(prefix);
            int d = shorterFirst.lookup(prefix);
            for (int column = 0; column < REGIONS.size(); column++) {
                assertThat(split.tenths(a, column)).as("%s column %d", prefix, column)
                        .isEqualTo(one.tenths(b, column)).isEqualTo(byLength.tenths(c, column))
                        .isEqualTo(shorterFirst.tenths(d, column));
                assertThat(split.sourceLength(a, column)).as("%s column %d", prefix, column)
                        .isEqualTo(one.sourceLength(b, column)).isEqualTo(byLength.sourceLength(c, column))
                        .isEqualTo(shorterFirst.sourceLength(d, column));
                if (split.sourceLength(a, column) != prefix.length() && split.tenths(a, column) != LatencyTable.MISSING) {
                    inherited++;
                }
            }
        }
        assertThat(inherited).as("figures inherited").isGreaterThan(1_000);
    }

    /**
     * Every row from a cut on has its parent at or after the cut (else the parts would race for
     * it): in map order, where the cuts fall at top-level rows near the middle, and with the rows
     * added by length (parents still first), where a top-level /16 in the middle is no cut.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void noRowAfterACutHasItsParentBeforeIt(long seed) {
        Random random = new Random(seed);
        List<IpPrefix> prefixes = nested(random);
        int[] mapOrder = checkedCuts(prefixes);
        for (int p = 1; p < Parts.SPLIT; p++) {
            assertThat(mapOrder[p]).as("cut %d near its target", p).isBetween(prefixes.size() * p / Parts.SPLIT / 2,
                    prefixes.size() * p / Parts.SPLIT);
        }
        List<IpPrefix> byLength = new ArrayList<>(prefixes);
        Collections.shuffle(byLength, random);
        byLength.sort(Comparator.comparingInt(IpPrefix::length));
        checkedCuts(byLength);
    }

    /** The cuts of a map of these prefixes, added in this order, checked; returns them. */
    private static int[] checkedCuts(List<IpPrefix> prefixes) {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        prefixes.forEach(builder::add);
        PrefixMap map = builder.build();
        int[] bounds = InheritedCells.cuts(map, prefixes.size());
        assertThat(bounds).hasSize(Parts.SPLIT + 1).isSorted();
        assertThat(bounds[0]).isZero();
        assertThat(bounds[Parts.SPLIT]).isEqualTo(prefixes.size());
        for (int p = 1; p < Parts.SPLIT; p++) {
            int cut = bounds[p];
            for (int e = cut; e < prefixes.size(); e++) {
                assertThat(map.parent(e)).as("parent of row %d after cut %d", e, cut)
                        .satisfiesAnyOf(parent -> assertThat(parent).isEqualTo(PrefixMap.NO_ENTRY),
                                parent -> assertThat(parent).isGreaterThanOrEqualTo(cut));
            }
        }
        return bounds;
    }

    /** IPv4 prefixes in map order: a few /8s, /16s (some inside the /8s), /20s, /24s and /28s inside those. */
    private static List<IpPrefix> nested(Random random) {
        TreeSet<IpPrefix> out = new TreeSet<>(Comparator.comparingLong((IpPrefix p) -> p.ipv4() & 0xFFFF_FFFFL)
                .thenComparingInt(IpPrefix::length));
        for (int i = 0; i < 4; i++) {
            out.add(IpPrefix.ofIpv4(random.nextInt(256) << 24, 8));
        }
        for (int i = 0; i < 300; i++) {
            IpPrefix slash16 = IpPrefix.ofIpv4(random.nextInt(1 << 16) << 16, 16);
            out.add(slash16);
            for (int j = random.nextInt(4); j > 0; j--) {
                IpPrefix slash20 = IpPrefix.ofIpv4(slash16.ipv4() | random.nextInt(16) << 12, 20);
                out.add(slash20);
                for (int k = random.nextInt(8); k > 0; k--) {
                    IpPrefix slash24 = IpPrefix.ofIpv4(slash20.ipv4() | random.nextInt(16) << 8, 24);
                    out.add(slash24);
                    if (random.nextInt(5) == 0) {
                        out.add(IpPrefix.ofIpv4(slash24.ipv4() | random.nextInt(16) << 4, 28));
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static LatencyTable table(List<IpPrefix> prefixes, char[][] figures, List<Integer> order, Parts parts) {
        LatencyRows rows = new LatencyRows(REGIONS, 16).splitOver(parts);
        for (int i : order) {
            IpPrefix prefix = prefixes.get(i);
            int row = rows.add(false, 0, prefix.ipv4() & 0xFFFF_FFFFL, prefix.length());
            for (int c = 0; c < REGIONS.size(); c++) {
                if (figures[i][c] != LatencyTable.NONE) {
                    rows.set(row, c, LatencyTable.tenthsOf(figures[i][c]) / 10.0);
                }
            }
        }
        return rows.build();
    }
}
