package io.wayfinder.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.quality.ApiRoutingQuality.Group;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The oracles of {@link QualityCeiling}: their estimators, and their ranking on a small world. */
class QualityCeilingTest {
    private static final QualityCeiling.NoiseLaw LAW = new QualityCeiling.NoiseLaw(0.8, 0.02, 20, 300, 0.01);
    private static GeneratedInternet world;
    private static int[] fastest;
    private static Map<String, int[]> choices;

    @BeforeAll
    static void chooseOnASmallWorld() {
        world = GeneratedInternet.generate(GeneratedInternet.Params.standard(1, 3_000));
        fastest = world.fastest(null);
        choices = QualityCeiling.choices(world, 2);
    }

    /** Samples of the world's own law, rounded as the world rounds them. */
    private static double[] samples(double truth, double jitter, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            double rtt = truth + jitter * Math.exp(0.8 * random.nextGaussian());
            if (random.nextDouble() < 0.02) {
                rtt += 20 + 280 * random.nextDouble();
            }
            out[i] = Math.round(rtt * 100) / 100.0;
        }
        return out;
    }

    @Test
    void theNormalCdfIsAccurateInTheTails() {
        assertThat(QualityCeiling.normalCdf(0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(QualityCeiling.normalCdf(1.959964)).isCloseTo(0.975, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(QualityCeiling.normalCdf(-6) / 9.865876e-10).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-5));
    }

    /**
     * With many samples, the MLE and the posterior find the truth within a few hundredths of a
     * millisecond, even with a prior 1 ms off; without samples, the posterior is the prior.
     */
    @Test
    void theEstimatorsFindTheTruthFromManySamples() {
        double truth = 42.3;
        double[] many = samples(truth, 1.5, 400, 7);
        assertThat(QualityCeiling.mle(many, many.length, 1.5, LAW)).isCloseTo(truth, org.assertj.core.data.Offset.offset(0.05));
        QualityCeiling.Posterior posterior = new QualityCeiling.Posterior();
        posterior.compute(truth + 1, 0.5, many, many.length, 1.5, LAW);
        assertThat(posterior.mean).isCloseTo(truth, org.assertj.core.data.Offset.offset(0.05));
        posterior.compute(truth, 0.5, new double[0], 0, 1.5, LAW);
        assertThat(posterior.mean).isCloseTo(truth, org.assertj.core.data.Offset.offset(0.01));
        assertThat(posterior.survival(truth)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(posterior.survival(truth + 0.5)).isCloseTo(0.1587, org.assertj.core.data.Offset.offset(0.01));
    }

    /**
     * Nearly noise-free samples (a jitter of 0.02 ms, no spikes) pin every pair: the fastest region,
     * always, wherever it leads by more than the grid's resolution (0.02 ms) can blur.
     */
    @Test
    void withoutNoiseTheOracleAlwaysFindsTheFastest() {
        QualityCeiling.NoiseLaw quiet = new QualityCeiling.NoiseLaw(0.8, 0, 20, 300, 0.01);
        int regions = world.regionCount();
        QualityCeiling.Posterior[] cells = new QualityCeiling.Posterior[regions];
        for (int r = 0; r < regions; r++) {
            cells[r] = new QualityCeiling.Posterior();
        }
        int hits = 0;
        int checked = 0;
        for (int n = 0; n < world.networkCount(); n += 7) {
            int block = world.blockOf(n);
            double[] mean = new double[regions];
            for (int r = 0; r < regions; r++) {
                double truth = world.trueRttMs(n, r);
                double[] exact = {Math.round((truth + 0.02) * 100) / 100.0}; // noise of 0.02 ms (jitter 0.02 x e^0)
                cells[r].compute(world.structuralRttMs(n, block, r), 0.5, exact, 1, 0.02, quiet);
                mean[r] = cells[r].mean;
            }
            double second = Double.POSITIVE_INFINITY;
            for (int r = 0; r < regions; r++) {
                second = r == fastest[n] ? second : Math.min(second, world.trueRttMs(n, r));
            }
            if (second - world.trueRttMs(n, fastest[n]) < 0.1) {
                continue;
            }
            checked++;
            hits += GeneratedInternet.argmin(mean) == fastest[n] && QualityCeiling.mostLikelyFastest(cells, regions) == fastest[n]
                    ? 1 : 0;
        }
        assertThat(checked).isGreaterThan(400);
        assertThat(hits).isEqualTo(checked);
    }

    /**
     * Structure alone misses only where the per-pair terms reorder near-ties: its share is the one
     * computed from the structure directly; samples can only add to it, and the Bayes oracle, which
     * uses both, does at least as well as either (on both scores, overall).
     */
    @Test
    void theOraclesRankAsTheyShould() {
        int agree = 0;
        for (int n = 0; n < world.networkCount(); n++) {
            double[] structural = new double[world.regionCount()];
            for (int r = 0; r < structural.length; r++) {
                structural[r] = world.structuralRttMs(n, world.blockOf(n), r);
            }
            agree += GeneratedInternet.argmin(structural) == fastest[n] ? 1 : 0;
        }
        QualityScore structure = score(QualityCeiling.STRUCTURE, Group.ALL);
        assertThat(structure.toFastest()).isEqualTo((double) agree / world.networkCount());
        assertThat(structure.toFastest()).isBetween(0.85, 0.995);
        QualityScore hit = score(QualityCeiling.BAYES_HIT, Group.ALL);
        QualityScore mean = score(QualityCeiling.BAYES_MEAN, Group.ALL);
        QualityScore mle = score(QualityCeiling.MLE, Group.ALL);
        assertThat(hit.toFastest()).isGreaterThanOrEqualTo(Math.max(structure.toFastest(), mle.toFastest()));
        assertThat(mean.meanExtraMs()).isLessThanOrEqualTo(Math.min(structure.meanExtraMs(), mle.meanExtraMs()));
        // Never-measured networks have no samples: the Bayes oracle's posterior is its prior, the structure.
        assertThat(score(QualityCeiling.BAYES_MEAN, Group.NEVER_MEASURED).toFastest())
                .isEqualTo(score(QualityCeiling.STRUCTURE, Group.NEVER_MEASURED).toFastest());
    }

    private static QualityScore score(String router, Group group) {
        return ApiRoutingQuality.score(world, fastest, choices.get(router), null).get(group);
    }
}
