package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.latency.learn.LatencyLearning.Evidence;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-cell statistic: decay, robustness to spikes, effective sample count, bounded intake. */
class CellStatisticTest {

    @Test
    void aSamplesWeightHalvesEveryHalfLife() {
        Samples s = new Samples(1);
        s.add("10.0.0.0/24", "westeurope", 30, 0, 40);
        s.rebuild();
        assertThat(s.learner.explain(Samples.net("10.0.0.7/32"), "westeurope").effectiveSamples()).isCloseTo(40, within(0.01));
        s.advance(Duration.ofDays(7)).rebuild();
        Evidence week = s.learner.explain(Samples.net("10.0.0.0/24"), "westeurope");
        assertThat(week.effectiveSamples()).isCloseTo(20, within(0.1));
        assertThat(week.ageMillis()).isEqualTo(Duration.ofDays(7).toMillis());
        s.advance(Duration.ofDays(7)).rebuild();
        assertThat(s.learner.explain(Samples.net("10.0.0.0/24"), "westeurope").effectiveSamples()).isCloseTo(10, within(0.1));
    }

    @Test
    void newSamplesOutweighOldOnesByTheirAge() {
        Samples s = new Samples(2);
        s.add("10.0.0.0/24", "westeurope", 40, 0, 10);
        s.advance(Duration.ofDays(14)); // the old ten now weigh 2.5
        s.add("10.0.0.0/24", "westeurope", 30, 0, 3);
        s.rebuild();
        // A change needs 5 recent samples: these 3 merge, weighted 3 against 2.5.
        Evidence e = s.learner.explain(Samples.net("10.0.0.0/24"), "westeurope");
        assertThat(e.effectiveSamples()).isCloseTo(5.5, within(0.05));
        assertThat(s.learner.store().mean(0)).isCloseTo((40 * 2.5 + 30 * 3) / 5.5, within(0.05));
    }

    @Test
    void spikesMoveTheEstimateLittle() {
        Samples s = new Samples(3);
        // 200 samples around 30 ms with sd 4, 10% of them spikes of +200 to +400 ms.
        for (int i = 0; i < 200; i++) {
            double x = 30 + 4 * s.random.nextGaussian();
            if (i % 10 == 3) {
                x += 200 + 200 * s.random.nextDouble();
            }
            s.addOne("10.0.0.0/24", "westeurope", x);
            if (i % 20 == 19) {
                s.advance(Duration.ofMinutes(1)).rebuild();
            }
        }
        double mean = s.learner.store().mean(0);
        // A plain mean would be about 60 ms; the winsorised one stays within a few ms of 30
        // (each spike counts at most three standard deviations above the centre).
        assertThat(mean).isBetween(29.0, 33.5);
    }

    @Test
    void aGroupsMeanIsClippedOneScaleAboveItsMedianAndThreeBelowItsSpreadThreeEitherWay() {
        Samples s = new Samples(9);
        // Two new cells, each a group centred on its own median (30 ms), scaled by the initial pooled sd (10 ms).
        for (int i = 0; i < 5; i++) {
            s.addOne("10.0.0.0/24", "westeurope", 30);
            s.addOne("10.0.1.0/24", "westeurope", 30);
        }
        s.addOne("10.0.0.0/24", "westeurope", 70);
        s.addOne("10.0.1.0/24", "westeurope", 5);
        s.learner.fold(s.now);
        CellStore store = s.learner.store();
        // Above: 70 counts as 40 in the mean (one scale up; three would let it count as 60), and as
        // 60 in the spread (three scales up: 30 x5 and 60 have mean 35 and M2 5 x 25 + 625).
        assertThat(store.mean(0)).isCloseTo((5 * 30 + 40) / 6.0, within(1e-4));
        assertThat(store.m2(0)).isCloseTo(750, within(1e-2));
        // Below: 5 is within three scales of the median and counts in full in both.
        assertThat(store.mean(1)).isCloseTo((5 * 30 + 5) / 6.0, within(1e-4));
        double m = (5 * 30 + 5) / 6.0;
        assertThat(store.m2(1)).isCloseTo(5 * (30 - m) * (30 - m) + (5 - m) * (5 - m), within(1e-2));
    }

    @Test
    void aFewSamplesMergingIntoTheLongTermMeanAreClippedThreeScalesEitherWay() {
        LearningParameters p = cap(1_000_000);
        Samples s = new Samples(p, 10);
        s.add("10.0.0.0/24", "westeurope", 30, 0, 2); // an immature cell: the next few samples merge around its mean
        s.learner.fold(s.now);
        s.addOne("10.0.0.0/24", "westeurope", 45);
        s.learner.fold(s.now);
        // Scale: (3 x 100 + 0) / (3 + 1) = 75 ms², 8.66 ms; 45 is within three of them above 30 and counts in full.
        assertThat(s.learner.store().mean(0)).isCloseTo((2 * 30 + 45) / 3.0, within(1e-4));
    }

    @Test
    void aSpikeAsTheFirstSampleIsForgotten() {
        Samples s = new Samples(4);
        s.addOne("10.0.0.0/24", "westeurope", 400);
        s.rebuild();
        for (int i = 0; i < 6; i++) {
            s.advance(Duration.ofMinutes(1)).add("10.0.0.0/24", "westeurope", 30, 3, 10).rebuild();
        }
        assertThat(s.learner.store().mean(0)).isBetween(25.0, 40.0);
    }

    @Test
    void addDropsAndCountsBeyondThePendingCap() {
        LearningParameters small = new LearningParameters(LearningParameters.DEFAULT_HALF_LIFE, java.util.List.of(20, 16),
                java.util.List.of(40, 32), 5, 4, 5, Duration.ofHours(1), 1, 3, 5, 100);
        Samples s = new Samples(small, 5);
        s.add("10.0.0.0/24", "westeurope", 30, 1, 80);
        s.add("10.0.1.0/24", "westeurope", 30, 1, 80);
        assertThat(s.learner.pendingSamples()).isEqualTo(100);
        assertThat(s.learner.coverage().droppedSamples()).isEqualTo(60);
        s.rebuild();
        assertThat(s.learner.pendingSamples()).isZero();
    }

    private static LearningParameters cap(int maxPending) {
        return new LearningParameters(LearningParameters.DEFAULT_HALF_LIFE, java.util.List.of(20, 16),
                java.util.List.of(40, 32), 5, 4, 5, Duration.ofHours(1), 1, 3, 5, maxPending);
    }

    /** Ten networks with ten samples each to westeurope: mature cells, whose next few samples a fold holds back. */
    private static Samples tenMatureNetworks(int maxPending) {
        Samples s = new Samples(cap(maxPending), 8);
        for (int n = 0; n < 10; n++) {
            s.add("10.0." + n + ".0/24", "westeurope", 30, 1, 10);
            s.learner.fold(s.now);
        }
        s.rebuild();
        return s;
    }

    @Test
    void heldBackSamplesDoNotCountAgainstTheCapOfNewOnes() {
        Samples s = tenMatureNetworks(100);
        for (int n = 0; n < 10; n++) {
            s.add("10.0." + n + ".0/24", "westeurope", 30, 1, 3); // too few to test a change: held back
        }
        s.advance(Duration.ofMinutes(1)).rebuild();
        assertThat(s.learner.pendingSamples()).isEqualTo(30);
        s.add("10.1.0.0/24", "westeurope", 30, 1, 100);
        assertThat(s.learner.coverage().droppedSamples()).isZero();
        assertThat(s.learner.pendingSamples()).isEqualTo(130);
    }

    @Test
    void heldBackSamplesAreBoundedByTheCapAndTheRestMerged() {
        Samples s = tenMatureNetworks(30);
        double before = s.learner.store().weight(0);
        for (int round = 0; round < 5; round++) {
            for (int n = 0; n < 10; n++) {
                s.add("10.0." + n + ".0/24", "westeurope", 30, 1, 2);
            }
            s.learner.fold(s.now);
            // Each cell holds its recent samples back while they are fewer than five, but never more than 30 in all.
            assertThat(s.learner.pendingSamples()).isLessThanOrEqualTo(30);
        }
        assertThat(s.learner.coverage().droppedSamples()).isZero();
        double weight = 0;
        for (int c = 0; c < s.learner.store().cellCount(); c++) {
            weight += s.learner.store().weight(c);
        }
        // 100 samples before, 100 added: what is not pending was merged, none lost.
        assertThat(weight + s.learner.pendingSamples()).isCloseTo(200, within(0.01));
        assertThat(s.learner.store().weight(0)).isGreaterThan(before);
    }

    @Test
    void aFoldIsDueOnceAnEighthOfTheCapOfNewSamplesWaitsAndAsManyAsAreHeldBack() {
        Samples s = tenMatureNetworks(80); // a fold is due at 10 new samples
        assertThat(s.learner.foldDue()).isFalse();
        s.add("10.1.0.0/24", "westeurope", 30, 1, 9);
        assertThat(s.learner.foldDue()).isFalse();
        s.add("10.1.0.0/24", "westeurope", 30, 1, 1);
        assertThat(s.learner.foldDue()).isTrue();
        s.learner.fold(s.now);
        assertThat(s.learner.foldDue()).isFalse();
        for (int n = 0; n < 10; n++) {
            s.add("10.0." + n + ".0/24", "westeurope", 30, 1, 4); // 40 held back at the fold
        }
        s.learner.fold(s.now);
        assertThat(s.learner.pendingSamples()).isEqualTo(40);
        s.add("10.2.0.0/24", "westeurope", 30, 1, 39);
        assertThat(s.learner.foldDue()).isFalse(); // a fold would go over the 40 held back for 39 new ones
        s.add("10.2.0.0/24", "westeurope", 30, 1, 1);
        assertThat(s.learner.foldDue()).isTrue();
    }

    @Test
    void aLongerNetworkIsLearnedAsItsSlash24AndSlash48() {
        Samples s = new Samples(6);
        s.add("10.1.2.77/32", "westeurope", 30, 0, 5);
        s.add("10.1.2.0/26", "westeurope", 30, 0, 5);
        s.add("2001:db8:1:2:3::/80", "westeurope", 50, 0, 5);
        s.rebuild();
        assertThat(s.learner.store().networkCount()).isEqualTo(2);
        assertThat(s.learner.explain(Samples.net("10.1.2.9/32"), "westeurope").effectiveSamples()).isCloseTo(10, within(0.01));
        assertThat(s.learner.explain(Samples.net("2001:db8:1::/48"), "westeurope").effectiveSamples()).isCloseTo(5, within(0.01));
    }
}
