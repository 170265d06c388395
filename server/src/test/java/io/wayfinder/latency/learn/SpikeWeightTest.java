package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.latency.learn.BorrowingModel.Trust;
import io.wayfinder.net.IpPrefix;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BorrowingModel#weighSpikes}: in the fit, a cell of few samples far above its prediction
 * counts by its odds of not being a spike, so that one spike does not move the difference between
 * regions that its whole block borrows; cells of enough samples, and cells below their
 * prediction, count as before.
 */
class SpikeWeightTest {
    private static final int REGIONS = 2;
    private static final int CHANGE_MIN_SAMPLES = 5;
    private static final int[][] LEVELS = {{20, 16}, {40, 32}};
    /** The /20's true difference for region 1, over the distance model. */
    private static final double BLOCK_EFFECT = 5;

    /** Odds learned as the trust search learns them: held-out residuals, 3% of them spikes 5-50 deviations high. */
    private static SpikeOdds odds() {
        Random random = new Random(11);
        SpikeOdds.Fitter fitter = new SpikeOdds.Fitter(CHANGE_MIN_SAMPLES);
        for (int i = 0; i < 20_000; i++) {
            fitter.add(random.nextDouble() < 0.03 ? 5 + 45 * random.nextDouble() : random.nextGaussian(), 1);
        }
        return fitter.fit();
    }

    /**
     * One /20 of 13 networks: twelve measured to both regions, the last only to region 0 (so its
     * region 1 is borrowed from the /20); the first network's region-1 cell is 150 ms high, of
     * {@code samples} samples.
     */
    private static Observations block(int samples) {
        return block(samples, 1);
    }

    /** {@link #block(int)} with every other cell of {@code others} samples. */
    private static Observations block(int samples, int others) {
        int networks = 13;
        long[] netKey = new long[networks];
        int[] start = new int[networks + 1];
        int cells = 12 * REGIONS + 1;
        byte[] region = new byte[cells];
        float[] y = new float[cells];
        float[] v = new float[cells];
        float[] weight = new float[cells];
        int[] age = new int[cells];
        Random random = new Random(3);
        int c = 0;
        for (int n = 0; n < networks; n++) {
            netKey[n] = NetworkKeys.of(IpPrefix.ofIpv4((10 << 24) | (n << 8), 24));
            start[n] = c;
            double lastMile = 2 + 8 * random.nextDouble();
            for (int r = 0; r < (n < 12 ? REGIONS : 1); r++, c++) {
                region[c] = (byte) r;
                weight[c] = n == 0 && r == 1 ? samples : others;
                v[c] = 9 / weight[c];
                y[c] = (float) (mu(r) + lastMile + (r == 1 ? BLOCK_EFFECT : 0) + random.nextGaussian()
                        + (n == 0 && r == 1 ? 150 : 0));
            }
        }
        start[networks] = c;
        return new Observations(REGIONS, networks, netKey, start, region, y, v, weight, age, LEVELS);
    }

    private static double mu(int r) {
        return 20 + 10 * r;
    }

    /** The borrowed figure of the last network for region 1, less its own offset: the /20's difference. */
    private static double borrowedDifference(Observations obs, boolean weigh) {
        BorrowingModel model = model(obs, weigh);
        model.fit(TRUST, null, 3);
        int last = obs.networks - 1;
        return (model.predict(last, 1) - mu(1)) - (model.predict(last, 0) - mu(0));
    }

    private static final Trust TRUST = new Trust(new double[] {100, 100}, new double[] {64, 100}, 100, 1);

    /** A model of the observations over the distance model {@link #mu}, weighing spikes or not. */
    private static BorrowingModel model(Observations obs, boolean weigh) {
        int[] anchor = new int[obs.networks];
        float[] mu = new float[obs.networks * REGIONS];
        for (int n = 0; n < obs.networks; n++) {
            mu[n * REGIONS] = (float) mu(0);
            mu[n * REGIONS + 1] = (float) mu(1);
        }
        BorrowingModel model = new BorrowingModel(obs, anchor, mu, null);
        if (weigh) {
            model.weighSpikes(odds(), 4);
        }
        return model;
    }

    @ParameterizedTest(name = "weighed {0}")
    @ValueSource(booleans = {false, true})
    void aWarmFitOfUnchangedDataStopsAfterOneSweep(boolean weigh) {
        // The cells are weighed before the first sweep, from the effects the warm start keeps: a
        // unit that has not changed converges at once, as without the weighing (which, weighing
        // only after a sweep, forced every unit to a second one).
        Observations obs = block(1);
        BorrowingModel previous = model(obs, weigh);
        previous.fit(TRUST, null, 60, 0, null, null);
        for (int rebuild = 0; rebuild < 3; rebuild++) {
            // Rebuilds of the same cells, each from the last: the weights settle with the effects.
            BorrowingModel next = model(obs, weigh);
            next.fit(TRUST, null, 60, 0, obs, previous);
            previous = next;
        }
        BorrowingModel warm = model(obs, weigh);
        assertThat(warm.fit(TRUST, null, 3, BorrowingModel.TOLERANCE_MS, obs, previous)).isEqualTo(1);
        for (int n = 0; n < obs.networks; n++) {
            for (int r = 0; r < REGIONS; r++) {
                assertThat(warm.predict(n, r)).isCloseTo(previous.predict(n, r), within(BorrowingModel.TOLERANCE_MS));
            }
        }
    }

    @ParameterizedTest(name = "warm {0}")
    @ValueSource(booleans = {false, true})
    void aWarmStartWeighsTheSpikeFromTheStart(boolean warmStart) {
        // From a previous fit of the same cells, one sweep already has the spike weighed away;
        // from zero, the first sweep counts it at its precision, its residual still unknown.
        Observations obs = block(1);
        BorrowingModel previous = model(obs, true);
        previous.fit(TRUST, null, 60, 0, null, null);
        BorrowingModel model = model(obs, true);
        model.fit(TRUST, null, 1, 0, warmStart ? obs : null, warmStart ? previous : null);
        int last = obs.networks - 1;
        double difference = (model.predict(last, 1) - mu(1)) - (model.predict(last, 0) - mu(0));
        if (warmStart) {
            assertThat(difference).isCloseTo(BLOCK_EFFECT, within(1.5));
        } else {
            assertThat(difference).isGreaterThan(BLOCK_EFFECT + 5);
        }
    }

    @ParameterizedTest(name = "warm {0}")
    @ValueSource(booleans = {false, true})
    void withNoCellThatCouldBeASpikeTheFitIsThePlainOneBitForBit(boolean warmStart) {
        // Every cell of changeMinSamples samples: nothing is weighed, and the weighing costs the
        // unit no sweep and changes no sum.
        Observations obs = block(CHANGE_MIN_SAMPLES, CHANGE_MIN_SAMPLES);
        BorrowingModel start = model(obs, false);
        start.fit(TRUST, null, 1);
        BorrowingModel plain = model(obs, false);
        BorrowingModel weighed = model(obs, true);
        Observations before = warmStart ? obs : null;
        BorrowingModel from = warmStart ? start : null;
        int plainSweeps = plain.fit(TRUST, null, 3, BorrowingModel.TOLERANCE_MS, before, from);
        assertThat(weighed.fit(TRUST, null, 3, BorrowingModel.TOLERANCE_MS, before, from)).isEqualTo(plainSweeps);
        assertThat(weighed.a).isEqualTo(plain.a);
        assertThat(weighed.effect[0]).isEqualTo(plain.effect[0]);
        assertThat(weighed.offset[0]).isEqualTo(plain.offset[0]);
    }

    @ParameterizedTest(name = "a spike of 1 sample, weighed {0}")
    @ValueSource(booleans = {false, true})
    void aSpikeOfOneSampleNoLongerMovesItsBlocksDifference(boolean weigh) {
        double difference = borrowedDifference(block(1), weigh);
        if (weigh) {
            assertThat(difference).isCloseTo(BLOCK_EFFECT, within(1.5));
        } else {
            assertThat(difference).isGreaterThan(BLOCK_EFFECT + 5); // what the weighing is for
        }
    }

    @ParameterizedTest(name = "weighed {0}")
    @ValueSource(booleans = {false, true})
    void aCellOfEnoughSamplesToDeclareAChangeIsNeverTakenForASpike(boolean weigh) {
        // A path that truly rose, seen by changeMinSamples samples: it keeps its pull on its block, weighed or not.
        assertThat(borrowedDifference(block(CHANGE_MIN_SAMPLES), weigh)).isGreaterThan(BLOCK_EFFECT + 10);
    }

    @ParameterizedTest(name = "weighed {0}")
    @ValueSource(booleans = {false, true})
    void withoutSpikeOddsNothingIsWeighed(boolean weigh) {
        Observations obs = block(1);
        int[] anchor = new int[obs.networks];
        float[] mu = new float[obs.networks * REGIONS];
        BorrowingModel plain = new BorrowingModel(obs, anchor, mu, null);
        BorrowingModel none = new BorrowingModel(obs, anchor, mu, null);
        none.weighSpikes(SpikeOdds.NONE, 4);
        Trust trust = new Trust(new double[] {100, 100}, new double[] {64, 100}, 100, 1);
        plain.fit(trust, null, 3);
        none.fit(trust, null, 3);
        assertThat(none.a).isEqualTo(plain.a);
        assertThat(none.effect[0]).isEqualTo(plain.effect[0]);
    }
}
