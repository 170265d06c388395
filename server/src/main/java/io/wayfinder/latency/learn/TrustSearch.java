package io.wayfinder.latency.learn;

import io.wayfinder.latency.learn.BorrowingModel.Trust;
import io.wayfinder.time.CpuYield;

/**
 * Learns how much to trust each level of the {@link BorrowingModel} from held-out data, rather
 * than from a fixed order: a share of the cells is hidden, the model is fitted on the rest with a
 * candidate {@link Trust}, and the candidate that predicts the hidden cells best wins.
 *
 * <p>The error of a prediction ŷ of a hidden cell with mean y and sampling variance v is
 * {@code (y - ŷ)² - v}: y is itself noisy, and subtracting its known variance makes the average an
 * unbiased estimate of the error against the truth (so noisy cells neither dominate nor are
 * thrown away). Hiding a cell asks exactly the question borrowing answers: what is this network's
 * RTT to a region it was not measured to (its other cells still give its offset), or, for a
 * network with one cell, what does its block say.
 *
 * <p>The search is coordinate-wise over the log of each variance (×1/16, ×1/4, ×4, ×16, and "off":
 * a level switched off contributes nothing), twice from the initial values and once from the
 * previous rebuild's after that: the variances move slowly, and each rebuild hides another fold
 * (a rotating one of five), so over five rebuilds every cell has been held out once. Fitted on a
 * sample of whole neighbourhoods ({@link Observations#sample}), since the variances are global.
 *
 * <p>The held-out error is also kept per class of prediction (by the most specific level that
 * had data for the region): the uncertainty an estimate of that class reports, and the prior
 * variance an own cell is shrunk with.
 */
final class TrustSearch {
    static final int FOLDS = 5;
    /** Sweeps of each candidate's fit: as many as the full fit's ({@link LearnedLatency#SWEEPS}), so that the trust suits it. */
    static final int SWEEPS = LearnedLatency.SWEEPS;
    static final double OFF = 1e-4;
    private static final double[] STEPS = {1.0 / 16, 1.0 / 4, 4, 16};
    private static final double MIN_CLASS_VARIANCE = 0.25;

    /**
     * @param classVariance per class (block level 0..levels-1, then the distance model): the
     *                      held-out error variance of predictions of that class, ms²
     * @param classCells    the held-out cells behind each
     * @param heldOutError  the overall held-out error variance at the chosen trust
     * @param spikes        how likely an own cell of few samples is a spike, from the same held-out cells
     */
    record Result(Trust trust, double[] classVariance, long[] classCells, double heldOutError, int evaluations,
                  long heldOutCells, SpikeOdds spikes) {
    }

    private TrustSearch() {
    }

    static boolean heldOut(long networkKey, int region, int fold) {
        return Long.remainderUnsigned(NetworkKeys.mix(networkKey * 0x9E37_79B9L + region + 1), FOLDS) == fold;
    }

    /** @param fewSamples a cell below this weight may be taken for a spike ({@code changeMinSamples}, {@link SpikeOdds}) */
    static Result search(Observations sample, int[] anchor, float[] mu, Trust start, int fold, int rounds, int fewSamples) {
        boolean[] hidden = new boolean[sample.cells];
        long hiddenCount = 0;
        for (int n = 0; n < sample.networks; n++) {
            CpuYield.every(n);
            for (int c = sample.cellStart[n]; c < sample.cellStart[n + 1]; c++) {
                hidden[c] = heldOut(sample.netKey[n], sample.region(c), fold);
                if (hidden[c]) {
                    hiddenCount++;
                }
            }
        }
        BorrowingModel model = new BorrowingModel(sample, anchor, mu, null);
        if (hiddenCount < 20) {
            return new Result(start, fallbackClasses(sample.levels, start), new long[sample.levels + 1], Double.NaN, 0, hiddenCount,
                    SpikeOdds.NONE);
        }
        Trust best = start;
        double bestError = error(model, sample, best, hidden);
        int evaluations = 1;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < best.coordinates(); i++) {
                boolean noise = i == best.coordinates() - 1;
                double current = best.get(i);
                Trust roundBest = best;
                double roundError = bestError;
                for (int s = 0; s <= STEPS.length; s++) {
                    double value = s < STEPS.length ? current * STEPS[s] : OFF;
                    if (noise) {
                        value = Math.max(MIN_CLASS_VARIANCE, Math.min(10_000, value));
                    } else {
                        value = Math.min(1e6, value);
                    }
                    if (value == current) {
                        continue;
                    }
                    Trust candidate = best.with(i, value);
                    double e = error(model, sample, candidate, hidden);
                    evaluations++;
                    if (e < roundError * 0.999) {
                        roundBest = candidate;
                        roundError = e;
                    }
                }
                best = roundBest;
                bestError = roundError;
            }
        }
        // The chosen trust's errors per class of prediction.
        model.fit(best, hidden, SWEEPS);
        int[][] counts = model.regionCounts(hidden);
        long[] cells = new long[sample.levels + 1];
        double[] variance = classVariances(model, sample, hidden, counts, bestError, cells);
        SpikeOdds spikes = spikeOdds(model, sample, hidden, counts, variance, fewSamples);
        return new Result(best, variance, cells, bestError, evaluations, hiddenCount, spikes);
    }

    /**
     * The held-out error variance per class of prediction. (Counting each cell by the odds that it
     * is not a spike, {@link SpikeOdds}, was tried: the smaller variances shrank own cells harder and
     * sent fewer of the routing-quality benchmark's measured networks to their fastest region,
     * 96.2% against 96.5%, and changed twice as many answers under unchanged noise.)
     */
    private static double[] classVariances(BorrowingModel model, Observations sample, boolean[] hidden, int[][] counts,
                                           double bestError, long[] cells) {
        double[] sum = new double[sample.levels + 1];
        java.util.Arrays.fill(cells, 0);
        for (int n = 0; n < sample.networks; n++) {
            CpuYield.every(n);
            for (int c = sample.cellStart[n]; c < sample.cellStart[n + 1]; c++) {
                if (!hidden[c]) {
                    continue;
                }
                int r = sample.region(c);
                int k = model.borrowLevel(n, r, hidden, counts);
                double d = sample.y[c] - model.predict(n, r);
                sum[k] += d * d - sample.v[c];
                cells[k]++;
            }
        }
        double[] variance = new double[sample.levels + 1];
        for (int k = 0; k <= sample.levels; k++) {
            // A class with too few cells borrows the overall error (or the next coarser class's).
            variance[k] = cells[k] >= 20 ? Math.max(MIN_CLASS_VARIANCE, sum[k] / cells[k]) : Double.NaN;
        }
        double overall = Math.max(MIN_CLASS_VARIANCE, bestError);
        for (int k = sample.levels; k >= 0; k--) {
            if (Double.isNaN(variance[k])) {
                variance[k] = k < sample.levels && !Double.isNaN(variance[k + 1]) ? variance[k + 1] : overall;
            }
        }
        return variance;
    }

    /** The held-out cells' residuals in their class's deviations: how often one of few samples is a spike. */
    private static SpikeOdds spikeOdds(BorrowingModel model, Observations sample, boolean[] hidden, int[][] counts,
                                       double[] variance, int fewSamples) {
        SpikeOdds.Fitter spikes = new SpikeOdds.Fitter(fewSamples);
        for (int n = 0; n < sample.networks; n++) {
            CpuYield.every(n);
            for (int c = sample.cellStart[n]; c < sample.cellStart[n + 1]; c++) {
                if (hidden[c]) {
                    int r = sample.region(c);
                    int k = model.borrowLevel(n, r, hidden, counts);
                    spikes.add((sample.y[c] - model.predict(n, r)) / Math.sqrt(sample.v[c] + variance[k]), sample.weight[c]);
                }
            }
        }
        return spikes.fit();
    }

    /** Before anything could be held out: the prior variances themselves. */
    static double[] fallbackClasses(int levels, Trust trust) {
        double[] out = new double[levels + 1];
        double sum = trust.noiseVariance() + trust.networkVariance();
        for (int k = levels; k >= 0; k--) {
            out[k] = sum + (k < levels ? 0 : 100);
        }
        for (int k = 0; k < levels; k++) {
            out[k] = trust.noiseVariance() + trust.regionVariance()[k];
        }
        return out;
    }

    private static double error(BorrowingModel model, Observations sample, Trust trust, boolean[] hidden) {
        model.fit(trust, hidden, SWEEPS);
        double sum = 0;
        long count = 0;
        for (int n = 0; n < sample.networks; n++) {
            CpuYield.every(n);
            for (int c = sample.cellStart[n]; c < sample.cellStart[n + 1]; c++) {
                if (hidden[c]) {
                    double d = sample.y[c] - model.predict(n, sample.region(c));
                    sum += d * d - sample.v[c];
                    count++;
                }
            }
        }
        return sum / count;
    }
}
