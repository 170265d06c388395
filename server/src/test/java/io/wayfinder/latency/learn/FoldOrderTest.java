package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A fold's result depends on each cell's samples and their order, not on how the cells' samples
 * are interleaved in the journal: samples that come client by client (each cell's together, folded
 * in place) and the same samples interleaved (sorted by cell first) leave the same cells, bit for
 * bit, and hold back the same samples; whether into an empty store or into mature cells.
 */
class FoldOrderTest {
    private static final int MINUTE = 29_000_000;
    private static final double PRIOR = 4;
    private static final int NETWORKS = 300;
    private static final int REGIONS = 7;

    /** One sample of a cell: the cell (network, region) and its RTT and minute. */
    private record Sample(int network, int region, float rtt, int minute) {
    }

    /** Each network's samples together, its regions in ascending order, each region's together. */
    private static List<List<Sample>> cells(long seed) {
        Random random = new Random(seed);
        List<List<Sample>> cells = new ArrayList<>();
        for (int n = 0; n < NETWORKS; n++) {
            for (int r = 0; r < REGIONS; r++) {
                int count = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 2 : 9);
                List<Sample> cell = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    float rtt = (float) (20 + 10 * r + n % 13 + 3 * Math.exp(0.8 * random.nextGaussian())
                            + (random.nextInt(20) == 0 ? 150 : 0));
                    cell.add(new Sample(n, r, rtt, MINUTE - random.nextInt(600)));
                }
                if (count > 0) {
                    cells.add(cell);
                }
            }
        }
        return cells;
    }

    private static Journal inOrder(List<List<Sample>> cells) {
        Journal journal = new Journal(16);
        cells.forEach(cell -> cell.forEach(s -> append(journal, s)));
        return journal;
    }

    /** The same samples, each cell's in its order, but the cells' samples dealt out in turns. */
    private static Journal interleaved(List<List<Sample>> cells, long seed) {
        List<List<Sample>> queues = new ArrayList<>();
        cells.forEach(cell -> queues.add(new ArrayList<>(cell)));
        Collections.shuffle(queues, new Random(seed));
        Journal journal = new Journal(16);
        while (!queues.isEmpty()) {
            for (var it = queues.iterator(); it.hasNext(); ) {
                List<Sample> q = it.next();
                append(journal, q.remove(0));
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
        return journal;
    }

    private static void append(Journal journal, Sample s) {
        journal.append(key(s.network), s.region, s.rtt, s.minute, Integer.MAX_VALUE);
    }

    private static long key(int n) {
        return NetworkKeys.of(false, 0, 0x0A000000L + ((long) n << 8), 24);
    }

    /** What a fold left: every cell's state by (network key, region), the samples held back, the counts. */
    private record Outcome(Map<String, String> cells, List<String> heldBack, List<Integer> counts) {
    }

    private static Outcome fold(CellStore store, Journal journal) {
        Fold fold = new Fold(LearningParameters.DEFAULTS);
        Journal kept = new Journal(16);
        fold.fold(journal, store, MINUTE, PRIOR, kept, 1_000_000);
        Map<String, String> cells = new TreeMap<>();
        for (int n = 0; n < store.networkCount(); n++) {
            for (int c = store.firstCell(n); c != CellStore.NONE; c = store.nextCell(c)) {
                cells.put(Long.toHexString(store.networkKey(n)) + "/" + store.region(c),
                        Float.floatToIntBits((float) store.weight(c)) + " " + Float.floatToIntBits((float) store.mean(c)) + " "
                                + Float.floatToIntBits((float) store.m2(c)) + " " + store.minute(c) + " " + (int) store.gapCode(c));
            }
        }
        List<String> heldBack = new ArrayList<>();
        for (int i = 0; i < kept.size; i++) {
            heldBack.add(Long.toHexString(kept.key[i]) + "/" + kept.regionIndex(i) + " " + kept.rttMs[i] + " " + kept.minute[i]);
        }
        Collections.sort(heldBack);
        return new Outcome(cells, heldBack, List.of(fold.merged, fold.replaced, fold.heldBack, fold.changedCells));
    }

    /** A store whose cells are mature (many samples each), as after weeks of learning. */
    private static CellStore mature() {
        CellStore store = new CellStore();
        fold(store, inOrder(cells(7)));
        fold(store, inOrder(cells(8)));
        fold(store, inOrder(cells(9)));
        return store;
    }

    @Test
    void samplesClientByClientAndInterleavedFoldAlikeIntoAnEmptyStore() {
        List<List<Sample>> cells = cells(1);
        Outcome together = fold(new CellStore(), inOrder(cells));
        Outcome dealt = fold(new CellStore(), interleaved(cells, 2));
        assertThat(together.cells()).hasSize(cells.size());
        assertThat(dealt).isEqualTo(together);
    }

    @Test
    void samplesClientByClientAndInterleavedFoldAlikeIntoMatureCells() {
        List<List<Sample>> cells = cells(1);
        Outcome together = fold(mature(), inOrder(cells));
        Outcome dealt = fold(mature(), interleaved(cells, 3));
        assertThat(together.heldBack()).isNotEmpty(); // a few samples on mature cells wait for more
        assertThat(together.counts().get(0)).isPositive();
        assertThat(dealt).isEqualTo(together);
    }

    @Test
    void aClientThatComesBackOrARegionThatComesBackWithinARunIsFoldedWhole() {
        List<List<Sample>> cells = cells(4);
        Outcome expected = fold(new CellStore(), inOrder(cells));
        // Network 0's samples again at the end, after every other network's: its key comes back.
        List<List<Sample>> keyBack = new ArrayList<>(cells);
        List<List<Sample>> first = new ArrayList<>();
        while (!keyBack.isEmpty() && keyBack.get(0).get(0).network() == 0) {
            first.add(keyBack.remove(0));
        }
        List<List<Sample>> split = new ArrayList<>();
        for (List<Sample> cell : first) {
            split.add(cell.subList(0, (cell.size() + 1) / 2));
        }
        split.addAll(keyBack);
        for (List<Sample> cell : first) {
            if (cell.size() > 1) {
                split.add(cell.subList((cell.size() + 1) / 2, cell.size()));
            }
        }
        assertThat(fold(new CellStore(), inOrder(split))).isEqualTo(expected);
        // Within one network's run, a region's samples split around another region's: a spike, then
        // the other region, then the rest (folded apart, the spike would be the cell's first mean).
        int n = NETWORKS;
        List<Sample> spiky = List.of(new Sample(n, 0, 240, MINUTE), new Sample(n, 0, 40, MINUTE), new Sample(n, 0, 41, MINUTE),
                new Sample(n, 0, 39, MINUTE), new Sample(n, 0, 40, MINUTE));
        List<Sample> other = List.of(new Sample(n, 1, 50, MINUTE), new Sample(n, 1, 51, MINUTE));
        List<List<Sample>> whole = new ArrayList<>(cells);
        whole.add(spiky);
        whole.add(other);
        List<List<Sample>> regionBack = new ArrayList<>(cells);
        regionBack.add(spiky.subList(0, 1));
        regionBack.add(other);
        regionBack.add(spiky.subList(1, spiky.size()));
        assertThat(fold(new CellStore(), inOrder(regionBack))).isEqualTo(fold(new CellStore(), inOrder(whole)));
    }
}
