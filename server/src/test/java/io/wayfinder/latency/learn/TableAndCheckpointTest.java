package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.Evidence;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table a rebuild writes (rows, columns, the static table folded in, the estimator's answers) and the checkpoint. */
class TableAndCheckpointTest {
    @TempDir
    Path dir;

    private static Samples twoBlocks(long seed) {
        Samples s = new Samples(seed);
        for (int n = 0; n < 6; n++) {
            s.add("10.1." + n + ".0/24", "westeurope", 20 + n, 3, 20);
            s.add("10.1." + n + ".0/24", "eastus", 90 + n, 3, 20);
            s.add("2001:db8:" + n + "::/48", "westeurope", 30 + n, 3, 20);
        }
        return s;
    }

    @Test
    void everyMeasuredNetworkHasAFullRowAndEveryBlockARow() {
        Samples s = twoBlocks(1);
        LatencyTable t = s.rebuild().table();
        assertThat(t.regions()).containsExactlyInAnyOrder("westeurope", "eastus");
        List<String> prefixes = new ArrayList<>();
        t.prefixes().forEachEntry((e, v6, hi, lo, len) -> prefixes.add(new IpPrefix(v6, hi, lo, len).toString()));
        assertThat(prefixes).contains("10.1.0.0/16", "10.1.0.0/20", "10.1.5.0/24", "2001:db8::/32", "2001:db8::/40",
                "2001:db8:5::/48");
        assertThat(prefixes).hasSize(6 + 6 + 4);
        // Full rows: the IPv6 networks were never measured to East US and still have a figure,
        // their own offset plus the distance model's difference (no block knows East US).
        assertThat(s.table("2001:db8:3::/48", "eastus")).isPositive();
        assertThat(s.table("10.1.3.0/24", "westeurope")).isCloseTo(23, within(2.0));
        assertThat(s.table("10.1.3.0/24", "eastus")).isCloseTo(93, within(2.0));
    }

    @Test
    void theEstimatorAnswersFromTheRows() {
        Samples s = twoBlocks(2);
        LatencyEstimator estimator = s.rebuild();
        LatencyTable t = estimator.table();
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        lookup.reset(IpPrefix.parse("10.1.2.0/24"));
        estimator.estimate(lookup, t.column("westeurope"), 52.37, 4.9);
        assertThat(lookup.evidence()).isEqualTo(Evidence.MEASURED);
        assertThat(lookup.rttMs()).isCloseTo(22, within(2.0));
        lookup.reset(IpPrefix.parse("10.1.9.0/24"));
        estimator.estimate(lookup, t.column("westeurope"), 52.37, 4.9);
        // The /20's row is the most specific entry holding the client: one lookup, as for a measured network.
        assertThat(lookup.evidence()).isEqualTo(Evidence.MEASURED);
        assertThat(lookup.evidenceLength()).isEqualTo(20);
        assertThat(lookup.rttMs()).isCloseTo(22.5, within(2.0));
        lookup.reset(IpPrefix.parse("10.200.0.0/24"));
        estimator.estimate(lookup, t.column("westeurope"), 52.37, 4.9);
        assertThat(lookup.evidence()).isEqualTo(Evidence.NONE); // no geolocation in this test: nothing known
    }

    @Test
    void theStaticTableIsFoldedInAsObservations() throws Exception {
        LatencyTableBuilder csv = new LatencyTableBuilder();
        csv.add(IpPrefix.parse("10.1.0.0/24"), "westeurope", 40, 1); // the learner also measures this one
        csv.add(IpPrefix.parse("10.7.7.7/32"), "westeurope", 25, 1); // only the CSV knows this one (as its /24)
        csv.add(IpPrefix.parse("10.7.7.9/32"), "westeurope", 35, 1);
        csv.add(IpPrefix.parse("10.8.0.0/16"), "westeurope", 50, 1); // a shorter prefix: a network of its own
        LatencyTable staticTable = csv.build();
        Samples s = new Samples(3);
        s.add("10.1.0.0/24", "westeurope", 20, 0, 20);
        s.rebuild(staticTable);
        // 20 samples at 20 ms and one CSV figure worth 5 samples at 40 ms.
        assertThat(s.learner.explain(IpPrefix.parse("10.1.0.0/24"), "westeurope").effectiveSamples()).isCloseTo(25, within(0.01));
        assertThat(s.learner.store().mean(0)).isCloseTo(20, within(0.01)); // the store keeps only samples
        assertThat(s.table("10.1.0.0/24", "westeurope")).isCloseTo(24, within(0.5));
        assertThat(s.table("10.7.7.0/24", "westeurope")).isCloseTo(30, within(0.5));
        assertThat(s.learner.explain(IpPrefix.parse("10.7.7.0/24"), "westeurope").ageMillis()).isEqualTo(-1);
        assertThat(s.table("10.8.200.0/24", "westeurope")).isCloseTo(50, within(0.5));
        // A second rebuild folds the same static table in again, never twice.
        s.advance(Duration.ofMinutes(1)).rebuild(staticTable);
        assertThat(s.learner.explain(IpPrefix.parse("10.1.0.0/24"), "westeurope").effectiveSamples()).isCloseTo(25, within(0.01));
    }

    @Test
    void aCheckpointReadsBackExactly() throws IOException {
        Samples s = twoBlocks(4);
        s.rebuild();
        s.add("10.1.1.0/24", "eastus", 95, 3, 2); // pending: held back, and still in the journal
        s.add("10.3.0.0/24", "westeurope", 33, 3, 7); // pending: not folded yet
        Path file = dir.resolve("latency.bin");
        s.learner.checkpoint(file);
        LearnedLatency back = LearnedLatency.restore(file, LearningParameters.DEFAULTS);
        CellStore a = s.learner.store();
        CellStore b = back.store();
        assertThat(b.networkCount()).isEqualTo(a.networkCount());
        assertThat(b.cellCount()).isEqualTo(a.cellCount());
        for (int n = 0; n < a.networkCount(); n++) {
            int m = b.findNetwork(a.networkKey(n));
            for (int c = a.firstCell(n); c != CellStore.NONE; c = a.nextCell(c)) {
                int d = b.findCell(m, a.region(c));
                assertThat(b.weight(d)).isEqualTo(a.weight(c));
                assertThat(b.mean(d)).isEqualTo(a.mean(c));
                assertThat(b.m2(d)).isEqualTo(a.m2(c));
                assertThat(b.minute(d)).isEqualTo(a.minute(c));
            }
        }
        assertThat(back.pendingSamples()).isEqualTo(s.learner.pendingSamples()).isEqualTo(9);
        assertThat(back.priorVariance()).isEqualTo(s.learner.priorVariance());
        assertThat(back.rebuilds()).isEqualTo(s.learner.rebuilds());
        assertThat(back.regionNames()).isEqualTo(s.learner.regionNames());
        // The same rebuild from either gives the same estimates (the original's table also keeps
        // some old figures by hysteresis, which a restored learner starts without; and its fit
        // starts warm from its last one, where the restored one's starts from zero: five sweeps
        // from zero leave this small world's effects a few tenths of a millisecond short of where
        // more sweeps take them), and two learners restored from the file the same tables.
        s.learner.rebuild(s.now, LatencyTable.empty(), GeoLocator.NONE, RegionCatalogue.builtIn());
        LatencyTable two = back.rebuild(s.now, LatencyTable.empty(), GeoLocator.NONE, RegionCatalogue.builtIn()).table();
        for (String client : List.of("10.1.1.0/24", "10.3.0.0/24", "2001:db8:2::/48", "10.1.200.0/24")) {
            for (String region : List.of("westeurope", "eastus")) {
                LatencyLearning.Evidence restored = back.explain(IpPrefix.parse(client), region);
                LatencyLearning.Evidence original = s.learner.explain(IpPrefix.parse(client), region);
                assertThat(restored.estimateMs()).isCloseTo(original.estimateMs(), within(0.5));
                assertThat(restored.withTableMs(0)).usingRecursiveComparison().ignoringFields("estimateMs")
                        .isEqualTo(original.withTableMs(0));
            }
        }
        LearnedLatency third = LearnedLatency.restore(file, LearningParameters.DEFAULTS);
        LatencyTable three = third.rebuild(s.now, LatencyTable.empty(), GeoLocator.NONE, RegionCatalogue.builtIn()).table();
        assertThat(figures(three)).isEqualTo(figures(two));
    }

    private static List<String> figures(LatencyTable t) {
        List<String> out = new ArrayList<>();
        PrefixMap map = t.prefixes();
        map.forEachEntry((e, v6, hi, lo, len) -> {
            for (int c = 0; c < t.columnCount(); c++) {
                out.add(new IpPrefix(v6, hi, lo, len) + " " + t.regions().get(c) + " " + t.tenths(e, c));
            }
        });
        out.sort(null);
        return out;
    }

    @Test
    void aDamagedCheckpointIsRefusedWithAClearError() throws IOException {
        Samples s = twoBlocks(5);
        s.rebuild();
        Path file = dir.resolve("latency.bin");
        s.learner.checkpoint(file);
        byte[] good = Files.readAllBytes(file);
        assertThat(Files.exists(dir.resolve("latency.bin.tmp"))).isFalse();

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(file, flipped);
        assertThatThrownBy(() -> LearnedLatency.restore(file, LearningParameters.DEFAULTS))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("damaged");

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 20));
        assertThatThrownBy(() -> LearnedLatency.restore(file, LearningParameters.DEFAULTS))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged");

        byte[] other = good.clone();
        other[0] = 'X';
        Files.write(file, other);
        assertThatThrownBy(() -> LearnedLatency.restore(file, LearningParameters.DEFAULTS))
                .isInstanceOf(IOException.class).hasMessageContaining("not a Wayfinder latency checkpoint");

        byte[] newer = good.clone();
        newer[11] = 9; // the version's low byte
        Files.write(file, newer);
        assertThatThrownBy(() -> LearnedLatency.restore(file, LearningParameters.DEFAULTS))
                .isInstanceOf(IOException.class).hasMessageContaining("version 9");
    }
}
