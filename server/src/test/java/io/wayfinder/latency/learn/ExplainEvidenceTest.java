package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.latency.LatencyRows;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LatencyLearning.Evidence;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Explain reads a network's cells back from the learner's store, as of the published rebuild's
 * instant, instead of a copy of every cell kept beside the table: what it shows must be what the
 * table was written from, after the first rebuild and after later ones (the cells decayed to the
 * later instant, new samples folded in, the prior of the cells' variances moved, the static table
 * folded in again).
 */
class ExplainEvidenceTest {
    private static final List<String> REGIONS = List.of("westeurope", "northeurope", "eastus", "westus2");
    private static final Duration HALF_LIFE = Duration.ofDays(7);

    /** The defaults without hysteresis: every figure is the estimate of its rebuild, rounded to the table's tenths. */
    private static LearningParameters noHysteresis() {
        LearningParameters d = LearningParameters.DEFAULTS;
        return new LearningParameters(HALF_LIFE, d.ipv4Levels(), d.ipv6Levels(), d.changeMinSamples(), d.changeSigmas(),
                d.changeMinMs(), d.holdBack(), 0, 0, d.staticSamples(), d.maxPendingSamples());
    }

    private static String network(int block, int n) {
        return "10." + (16 * block) + "." + n + ".0/24";
    }

    private static LatencyTable staticTable() {
        LatencyTableBuilder csv = new LatencyTableBuilder();
        csv.add(Samples.net(network(0, 1)), "westeurope", 40, 1); // also measured
        csv.add(Samples.net(network(1, 200)), "eastus", 90, 1); // only the CSV knows it
        return csv.build();
    }

    /**
     * Every network and region: explain's estimate is the table's figure (hysteresis off), an own
     * cell's sample count is the one expected, and the served figure is the table's.
     */
    private static void explainMatchesTheTable(Samples s, Map<String, Double> expectedSamples) {
        explainMatchesTheTable(s, expectedSamples, 3);
    }

    private static void explainMatchesTheTable(Samples s, Map<String, Double> expectedSamples, int blocks) {
        int own = 0;
        for (int block = 0; block < blocks; block++) {
            for (int n = 0; n <= 200; n += n < 30 ? 1 : 170) {
                for (String region : REGIONS) {
                    String client = network(block, n);
                    Evidence e = s.learner.explain(Samples.net(client), region);
                    double table = s.table(client, region);
                    assertThat(e.tableMs()).as("%s %s served", client, region).isEqualTo(table);
                    if (!e.kind().equals("model")) {
                        assertThat(LatencyRows.rounded(e.estimateMs())).as("%s %s: %s", client, region, e).isEqualTo(table);
                    }
                    Double expected = expectedSamples.get(client + " " + region);
                    if (expected != null) {
                        own++;
                        assertThat(e.kind()).as("%s %s", client, region).isEqualTo("own");
                        assertThat(e.effectiveSamples()).as("%s %s", client, region).isCloseTo(expected, within(1e-3));
                    } else if (e.kind().equals("own")) {
                        throw new AssertionError(client + " " + region + " has no samples but explain says " + e);
                    }
                }
            }
        }
        assertThat(own).isEqualTo(expectedSamples.size());
    }

    @Test
    void explainShowsWhatTheTableWasWrittenFromAfterEachRebuild() {
        Samples s = new Samples(noHysteresis(), 17);
        Map<String, Double> samples = new HashMap<>();
        for (int block = 0; block < 3; block++) {
            double blockMs = 20 + 25 * block;
            for (int n = 0; n < 30; n++) {
                for (int r = 0; r < REGIONS.size(); r++) {
                    int count = (n + r + block) % 4 == 0 ? 0 : 2 + (n * 7 + r) % 9; // some cells of eight samples and more
                    if (count > 0) {
                        s.add(network(block, n), REGIONS.get(r), blockMs + 15 * r + n % 5, 3, count);
                        samples.put(network(block, n) + " " + REGIONS.get(r), (double) count);
                    }
                }
            }
        }
        samples.merge(network(0, 1) + " westeurope", (double) LearningParameters.DEFAULTS.staticSamples(), Double::sum);
        samples.put(network(1, 200) + " eastus", (double) LearningParameters.DEFAULTS.staticSamples());
        s.rebuild(staticTable());
        explainMatchesTheTable(s, samples);
        double priorBefore = s.learner.priorVariance();

        // Three days on: every cell of samples weighs 2^(-3/7) of what it did (a static figure
        // does not decay); a few networks get new samples like their old ones, some to regions
        // they had none for; the prior of the cells' variances moves with the weights.
        s.advance(Duration.ofDays(3));
        double decay = Math.pow(2, -3.0 / 7);
        int fixed = LearningParameters.DEFAULTS.staticSamples();
        samples.replaceAll((k, w) -> k.startsWith(network(1, 200)) ? w
                : k.equals(network(0, 1) + " westeurope") ? (w - fixed) * decay + fixed : w * decay);
        for (int n = 0; n < 30; n += 3) {
            for (int r = 0; r < REGIONS.size(); r++) {
                String region = REGIONS.get(r);
                s.add(network(2, n), region, 70 + 15 * r + n % 5, 3, 6);
                String key = network(2, n) + " " + region;
                Double before = samples.get(key);
                samples.put(key, before == null ? 6 : before + 6);
            }
        }
        s.rebuild(staticTable());
        assertThat(s.learner.priorVariance()).isNotEqualTo(priorBefore);
        explainMatchesTheTable(s, samples);
        Evidence aged = s.learner.explain(Samples.net(network(1, 1)), "northeurope");
        assertThat(aged.ageMillis()).isEqualTo(Duration.ofDays(3).toMillis());
        assertThat(s.learner.explain(Samples.net(network(2, 3)), "eastus").ageMillis()).isZero();
    }

    /**
     * With enough cells to calibrate the floors ({@link FloorExcess#MIN_CELLS}), the table's
     * figures are the means moved towards the floors: explain must read them back the same way,
     * with the calibration of the rebuild it explains.
     */
    @Test
    void explainShowsTheFloorsEstimateOnceTheFloorsAreCalibrated() {
        Samples s = new Samples(noHysteresis(), 23);
        Map<String, Double> samples = new HashMap<>();
        int blocks = 12;
        for (int block = 0; block < blocks; block++) {
            for (int n = 0; n < 30; n++) {
                for (int r = 0; r < REGIONS.size(); r++) {
                    int count = 2 + (n * 5 + r + block) % 12;
                    s.add(network(block, n), REGIONS.get(r), 20 + 4 * block + 15 * r + n % 5, 4, count);
                    samples.put(network(block, n) + " " + REGIONS.get(r), (double) count);
                }
            }
        }
        s.rebuild();
        assertThat(s.learner.floorExcess().calibrated()).as("floors calibrated").isTrue();
        explainMatchesTheTable(s, samples, blocks);

        s.advance(Duration.ofDays(2));
        double decay = Math.pow(2, -2.0 / 7);
        samples.replaceAll((k, w) -> w * decay);
        s.rebuild();
        explainMatchesTheTable(s, samples, blocks);
    }

    @Test
    void samplesFoldedInBetweenRebuildsShowInTheEvidence() {
        Samples s = new Samples(noHysteresis(), 5);
        for (int n = 0; n < 30; n++) {
            s.add(network(0, n), "westeurope", 30, 2, 4);
        }
        s.rebuild();
        assertThat(s.learner.explain(Samples.net(network(0, 2)), "westeurope").effectiveSamples()).isCloseTo(4, within(1e-3));
        s.add(network(0, 2), "westeurope", 30, 2, 3);
        s.learner.fold(s.now);
        Evidence e = s.learner.explain(Samples.net(network(0, 2)), "westeurope");
        assertThat(e.kind()).isEqualTo("own");
        assertThat(e.effectiveSamples()).isCloseTo(7, within(1e-3));
    }
}
