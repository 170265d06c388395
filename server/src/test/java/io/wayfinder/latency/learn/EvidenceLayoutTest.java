package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layout of a rebuild's evidence on two lanes (written from both ends, the second half moved
 * down) is the layout of one pass, byte for byte: networks of the store and of the static table,
 * some in both, one at the cut, and networks whose cells are all too old to count left out.
 */
class EvidenceLayoutTest {
    private static final int NOW = Decay.minute(1_796_000_000_000L);

    @AfterEach
    void allLanes() {
        Lanes.use(Lanes.COUNT);
    }

    private static Observations layout(int lanes, CellStore store, StaticCells statics) {
        Lanes.use(lanes);
        return EvidenceLayout.of(store, statics, NOW, 6, 25, FloorExcess.NONE, LearningParameters.DEFAULTS);
    }

    @Test
    void twoLanesLayTheEvidenceOutAsOne() {
        SplittableRandom random = new SplittableRandom(3);
        CellStore store = new CellStore();
        LatencyTableBuilder csv = new LatencyTableBuilder();
        int networks = 3 * EvidenceLayout.MIN_PARALLEL_NETWORKS;
        for (int i = 0; i < networks; i++) {
            // Added in no order (the layout sorts them), IPv6 among them.
            int n = (int) ((i * 7919L) % networks);
            IpPrefix prefix = n % 10 == 0 ? IpPrefix.parse("2001:db8:" + Integer.toHexString(n) + "::/48")
                    : IpPrefix.parse("10." + (n >> 8 & 0xff) + "." + (n & 0xff) + ".0/24");
            int network = store.network(NetworkKeys.of(prefix));
            boolean stale = n % 13 == 0; // every cell a year old: the network drops out
            for (int r = 0; r < 6; r++) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                int cell = store.cell(network, r);
                double w = 1 + random.nextInt(20);
                store.set(cell, w, 10 + 100 * random.nextDouble(), w * random.nextDouble() * 9,
                        stale ? NOW - 525_600 : NOW - random.nextInt(20_000));
            }
            if (n % 17 == 0) {
                csv.add(prefix, "r" + random.nextInt(6), 10 + random.nextInt(90), 1);
            }
        }
        csv.add(IpPrefix.parse("172.16.0.0/24"), "r2", 44, 1); // only the static table knows these
        csv.add(IpPrefix.parse("10.200.0.0/16"), "r1", 55, 1);
        StaticCells statics = StaticCells.of(csv.build(), name -> Integer.parseInt(name.substring(1)));

        Observations one = layout(1, store, statics);
        Observations two = layout(2, store, statics);
        assertThat(one.networks).isGreaterThan(networks * 4 / 5).isLessThan(networks);
        assertThat(two.networks).isEqualTo(one.networks);
        assertThat(two.cells).isEqualTo(one.cells);
        assertThat(two.netKey).isEqualTo(one.netKey);
        assertThat(two.cellStart).isEqualTo(one.cellStart);
        for (int c = 0; c < one.cells; c++) {
            assertThat(two.cellRegion[c]).isEqualTo(one.cellRegion[c]);
            assertThat(two.y[c]).isEqualTo(one.y[c]);
            assertThat(two.v[c]).isEqualTo(one.v[c]);
            assertThat(two.weight[c]).isEqualTo(one.weight[c]);
            assertThat(two.ageMinutes[c]).isEqualTo(one.ageMinutes[c]);
        }
        for (int n = 1; n < one.networks; n++) {
            assertThat(Observations.sortKey(one.netKey[n])).isGreaterThan(Observations.sortKey(one.netKey[n - 1]));
        }
    }
}
