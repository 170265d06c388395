package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SpikeOdds}: the odds that an own cell of few samples is a spike, learned from held-out
 * residuals by mirroring the side below the prediction (noise alone) onto the side above (noise
 * and spikes), and the figure an own cell gets with them.
 */
class SpikeOddsTest {
    private static final int CHANGE_MIN_SAMPLES = 5;

    /** Residuals of held-out one-sample cells: a symmetric body (sd 1) and, for a share of them, spikes 5-50 sds high. */
    private static SpikeOdds learned(double spikeShare, int cells) {
        Random random = new Random(11);
        SpikeOdds.Fitter fitter = new SpikeOdds.Fitter(CHANGE_MIN_SAMPLES);
        for (int i = 0; i < cells; i++) {
            double z = random.nextDouble() < spikeShare ? 5 + 45 * random.nextDouble() : random.nextGaussian();
            fitter.add(z, 1);
        }
        return fitter.fit();
    }

    @Test
    void aCellFarAboveItsPredictionIsTakenForASpikeAndOneNearItIsNot() {
        SpikeOdds odds = learned(0.03, 20_000);
        assertThat(odds.probability(0.3, 1)).isLessThan(0.1);
        assertThat(odds.probability(1.2, 1)).isLessThan(0.2);
        assertThat(odds.probability(6, 1)).isGreaterThan(0.9);
        assertThat(odds.probability(40, 1)).isGreaterThan(0.9);
    }

    @Test
    void furtherAboveIsNeverLessLikelyASpike() {
        SpikeOdds odds = learned(0.03, 20_000);
        double last = 0;
        for (double z = 0; z < 20; z += 0.1) {
            double p = odds.probability(z, 1);
            assertThat(p).isGreaterThanOrEqualTo(last);
            last = p;
        }
    }

    @Test
    void belowItsPredictionOrWithEnoughSamplesACellIsNeverASpike() {
        SpikeOdds odds = learned(0.03, 20_000);
        assertThat(odds.probability(-30, 1)).isZero();
        assertThat(odds.probability(30, CHANGE_MIN_SAMPLES)).isZero();
        assertThat(odds.probability(30, 40)).isZero();
    }

    @Test
    void theFitsShortcutsGiveTheSameOdds() {
        // BorrowingModel weighs only cells of a bucket with odds, and only from the lowest z with
        // odds above zero, comparing squares: the same probability as the figures' look-up.
        Random random = new Random(5);
        SpikeOdds.Fitter fitter = new SpikeOdds.Fitter(CHANGE_MIN_SAMPLES);
        for (int i = 0; i < 60_000; i++) {
            fitter.add(random.nextDouble() < 0.03 ? 5 + 45 * random.nextDouble() : random.nextGaussian(), 1 + i % 3);
        }
        SpikeOdds odds = fitter.fit();
        for (double weight : new double[] {1, 1.4, 2, 3, 4.4}) {
            int bucket = odds.bucketOf(weight);
            assertThat(bucket).isEqualTo(SpikeOdds.bucket(weight));
            double lowest = Math.sqrt(odds.lowestZSquared(bucket));
            assertThat(odds.probability(lowest + 1e-9, weight)).isPositive();
            if (lowest > 0) {
                assertThat(odds.probability(lowest - 0.01, weight)).isZero();
            }
            for (double z = -3; z < 60; z += 0.07) {
                assertThat(odds.probabilityInBucket(z, bucket)).isEqualTo(odds.probability(z, weight));
            }
        }
        assertThat(odds.bucketOf(CHANGE_MIN_SAMPLES)).isEqualTo(-1);
        assertThat(odds.bucketOf(4.6)).isEqualTo(-1); // five whole samples (a replaced state, decayed)
        assertThat(SpikeOdds.NONE.bucketOf(1)).isEqualTo(-1);
        assertThat(learned(0.03, 20_000).bucketOf(2)).isEqualTo(-1); // nothing learned for two samples
        assertThat(learned(0.03, SpikeOdds.MIN_CELLS - 1).bucketOf(1)).isEqualTo(-1);
    }

    @Test
    void withoutSpikesOrWithTooFewCellsNothingIsTakenForOne() {
        assertThat(learned(0, 20_000).probability(3, 1)).isLessThan(0.5);
        assertThat(learned(0.03, SpikeOdds.MIN_CELLS - 1).probability(30, 1)).isZero();
        assertThat(SpikeOdds.NONE.probability(30, 1)).isZero();
    }

    @Test
    void eachWeightLearnsApart() {
        SpikeOdds.Fitter fitter = new SpikeOdds.Fitter(CHANGE_MIN_SAMPLES);
        Random random = new Random(12);
        for (int i = 0; i < 20_000; i++) {
            fitter.add(random.nextDouble() < 0.05 ? 10 + 10 * random.nextDouble() : random.nextGaussian(), 1);
            fitter.add(random.nextGaussian(), 3); // three samples: winsorising has dealt with the spikes
            fitter.add(random.nextGaussian(), 3);
        }
        SpikeOdds odds = fitter.fit();
        assertThat(odds.probability(12, 1)).isGreaterThan(0.9);
        assertThat(odds.probability(2, 3)).isLessThan(0.2);
        assertThat(odds.probability(12, 3)).isLessThan(odds.probability(12, 1));
    }

    @Test
    void aChangeDeclaredFromChangeMinSamplesIsNeverTakenForASpikeOnceDecayed() {
        SpikeOdds.Fitter fitter = new SpikeOdds.Fitter(CHANGE_MIN_SAMPLES);
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            fitter.add(random.nextDouble() < 0.05 ? 10 + 10 * random.nextDouble() : random.nextGaussian(), 4);
        }
        SpikeOdds odds = fitter.fit();
        assertThat(odds.probability(12, 4)).isGreaterThan(0.9);
        // Five samples over the last hour, at a 7-day half-life: a weight of 4.98, a 50 ms rise.
        assertThat(odds.probability(12, CHANGE_MIN_SAMPLES * Math.pow(2, -1.0 / (7 * 24)))).isZero();
    }

    @Test
    void aChangeDeclaredFromChangeMinSamplesKeepsLimitedTranslationOnceDecayed() {
        // 12 ms towards the prediction, one standard error (1 ms) at most once a change's worth of samples is in.
        double decayed = CHANGE_MIN_SAMPLES * Math.pow(2, -1.0 / (7 * 24));
        assertThat(LearnedLatency.shrink(12, 1, decayed, CHANGE_MIN_SAMPLES)).isEqualTo(1);
        assertThat(LearnedLatency.shrink(12, 1, 40, CHANGE_MIN_SAMPLES)).isEqualTo(1);
        assertThat(LearnedLatency.shrink(12, 1, 4, CHANGE_MIN_SAMPLES)).isEqualTo(12);
    }

    @Test
    void aSpikeFallsBackToWhatTheCellWouldBorrowAndTheRestAreShrunkAsBefore() {
        SpikeOdds odds = learned(0.03, 20_000);
        double v = 4;
        double p = 5;
        // One sample 150 ms above a prediction of 20 ms (z = 50): the borrowed figure.
        assertThat(odds.figure(170, v, p, 20, 1, CHANGE_MIN_SAMPLES)).isCloseTo(20, within(150 * 0.05));
        // Near the prediction: the precision-weighted shrinkage, untouched, the own variance
        // counted OWN_VARIANCE_FACTOR (4) times: λ = 16 / 21.
        double k = SpikeOdds.OWN_VARIANCE_FACTOR;
        double near = 21;
        double shrunk = near - k * v / (k * v + p) * (near - 20);
        assertThat(shrunk).isCloseTo(21 - 16.0 / 21, within(1e-9));
        assertThat(odds.figure(near, v, p, 20, 1, CHANGE_MIN_SAMPLES)).isCloseTo(shrunk, within(0.05));
        // Enough samples to declare a change: limited translation, as without spike odds.
        double far = 170;
        double limited = far - LearnedLatency.shrink(k * v / (k * v + p) * (far - 20), v, 40, CHANGE_MIN_SAMPLES);
        assertThat(odds.figure(far, v, p, 20, 40, CHANGE_MIN_SAMPLES)).isEqualTo(limited);
        assertThat(SpikeOdds.NONE.figure(far, v, p, 20, 1, CHANGE_MIN_SAMPLES))
                .isEqualTo(far - LearnedLatency.shrink(k * v / (k * v + p) * (far - 20), v, 1, CHANGE_MIN_SAMPLES));
    }
}
