package io.wayfinder.latency.learn;

import java.util.Arrays;
import java.util.Locale;

/**
 * How likely an own cell of a few samples owes its height to a spike rather than to its path,
 * given how far above its borrowed prediction it sits: learned at every rebuild from the trust
 * search's held-out cells, and used to let such a cell fall back to what it would borrow.
 *
 * <h2>Why</h2>
 * RTT noise has a heavy upper tail (a retransmit or a queue adds 20-300 ms to one sample in fifty
 * in the routing-quality world, and far more than the jitter scale to a few more): with one or two
 * samples no winsorising can tell a spike from the path, and the precision-weighted shrinkage
 * ({@code λ = v / (v + P)}) moves a cell only part of the way back, whatever its distance. In the
 * benchmark the cells of one sample whose region was truly the fastest but lost to another sat 27-38
 * ms above the truth on average: a third of the measured networks' misses with both regions
 * measured, and most of their extra RTT. The right figure for such a cell is the posterior mean
 * under a noise law with a spike component, {@code ŷ + (1 - π(z)) · (shrunk - ŷ)}, where {@code π}
 * is the probability that the cell is a spike given its standardised residual
 * {@code z = (y - ŷ) / √(v + P)}.
 *
 * <h2>How π is learned (no noise law assumed)</h2>
 * Noise is one-sided: nothing takes delay away, so below its prediction a cell's residual is the
 * body of the noise alone, and above it the body plus the spikes. Over held-out cells (their
 * prediction fitted without them, so a spike has not pulled it), the density of residuals at
 * {@code -z} therefore estimates the body's at {@code +z}, and {@code π(z) = 1 - f(-z) / f(z)}
 * (the mirror estimate), in bins of {@value #BIN}, kept non-decreasing in z (a cell further above
 * is never less likely a spike). Separately for cells of about 1, 2 and 3 or more samples'
 * weight, up to {@code changeMinSamples}: from there on a cell's median-centred winsorising bounds
 * a spike, and limited translation ({@link LearnedLatency#shrink}) keeps what it says. A bucket
 * with fewer than {@value #MIN_CELLS} held-out cells learns nothing (π = 0: the cell is shrunk as
 * before).
 *
 * <p>Below its prediction a cell is never taken for a spike (π = 0): that is where a network
 * that truly differs, a better peering, shows.
 */
final class SpikeOdds {
    /** Width of a bin of z. */
    static final double BIN = 0.5;
    /** Bins above (and below) zero; residuals further out fall in the last. */
    static final int BINS = 24;
    /** Weight buckets: about one sample, about two, three or more (below {@code changeMinSamples}). */
    static final int BUCKETS = 3;
    /** Held-out cells a bucket needs before it learns anything. */
    static final int MIN_CELLS = 200;

    /** Per bucket and bin of z ≥ 0: π; all zero for {@link #NONE}. */
    private final double[][] spike;
    private final int fewSamples;

    /** Per bucket, the square of the lowest z with odds above zero; infinite where none are. */
    private final double[] lowestZSquared = new double[BUCKETS];

    private SpikeOdds(double[][] spike, int fewSamples) {
        this.spike = spike;
        this.fewSamples = fewSamples;
        for (int b = 0; b < BUCKETS; b++) {
            lowestZSquared[b] = Double.POSITIVE_INFINITY;
            for (int i = 0; i < BINS; i++) {
                if (spike[b][i] > 0) {
                    lowestZSquared[b] = (i * BIN) * (i * BIN);
                    break;
                }
            }
        }
    }

    /** Nothing learned: no cell is taken for a spike. */
    static final SpikeOdds NONE = new SpikeOdds(new double[BUCKETS][BINS], 0);

    /**
     * The probability that a cell of this weight, {@code z} of its standard deviations above its
     * borrowed prediction, is a spike; 0 from {@code changeMinSamples}' weight ({@link #few}) and
     * below the prediction.
     */
    double probability(double z, double weight) {
        if (!few(weight, fewSamples) || !(z > 0)) {
            return 0;
        }
        return spike[bucket(weight)][Math.min(BINS - 1, (int) (z / BIN))];
    }

    /**
     * The bucket of a cell of this weight if it may be taken for a spike at all (few samples, and
     * odds above zero learned for its bucket), else -1: the fit's weighing
     * ({@link BorrowingModel#weighSpikes}) looks only at such cells.
     */
    int bucketOf(double weight) {
        // few(weight, fewSamples) without Math.round: a positive weight rounds below n iff it is below n - 0.5.
        if (!(weight < fewSamples - 0.5)) {
            return -1;
        }
        int b = bucket(weight);
        return lowestZSquared[b] == Double.POSITIVE_INFINITY ? -1 : b;
    }

    /**
     * The square of the lowest z at which a cell of the bucket has odds above zero: below it
     * {@link #probabilityInBucket} is 0, so the fit compares squared residuals with it
     * instead of taking a square root for every cell.
     */
    double lowestZSquared(int bucket) {
        return lowestZSquared[bucket];
    }

    /** {@link #probability(double, double)} for a cell of a bucket from {@link #bucketOf}. */
    double probabilityInBucket(double z, int bucket) {
        return z > 0 ? spike[bucket][Math.min(BINS - 1, (int) (z / BIN))] : 0;
    }

    /**
     * Whether a cell of this weight counts as few samples: fewer than {@code fewSamples} whole
     * ones. Rounded, because a state the fold replaced after a change holds {@code changeMinSamples}
     * samples decayed by up to {@code holdBack} (4.98 at an hour and a 7-day half-life): taken for
     * a spike, the rise the change detector had just declared would be undone (in the benchmark's
     * congestion event, networks with 5 new samples to the slowed region moved off it 94.0% of the
     * time against 95.0%).
     */
    static boolean few(double weight, int fewSamples) {
        return Math.round(weight) < fewSamples;
    }

    static int bucket(double weight) {
        return weight < 1.5 ? 0 : weight < 2.5 ? 1 : 2;
    }

    /**
     * How much more an own cell's sampling variance counts against its class's held-out variance
     * when it is shrunk: {@code λ = k v / (k v + p)}. The held-out variance {@code p} is mostly
     * spikes: in the routing-quality benchmark's first rebuild 107 ms² for the /20's class, where
     * the second, with more samples per cell, finds 11 ms²; one held-out cell in fifty of one
     * sample carries a spike of 20-300 ms, which this class's own cells meet in the spike odds
     * below, not in λ. And {@code v} of a cell of a few samples (its spread with the pooled prior)
     * says little of its error under one-sided noise. Measured (QuickQuality, seeds 1-3, own
     * cells' figures only): k = 0.3, 0.5, 1, 2, 4, 8 sent 96.43, 96.59, 96.79, 96.98, 97.07,
     * 97.06% of seed 1's measured networks to their fastest region, and changed 0.45, 0.38, 0.32,
     * 0.27, 0.28, 0.31% of their answers under a second round of unchanged noise; seeds 2 and 3
     * the same order (95.29 to 95.64%, 95.73 to 95.96% at 4). Nine tenths of the gain is in cells
     * below {@code changeMinSamples}; the rest is within limited translation's one standard error.
     * The deviations reported, the hysteresis and the spike odds' z keep {@code v} and {@code p}.
     */
    static final double OWN_VARIANCE_FACTOR = 4;

    /**
     * An own cell's figure: its estimate {@code y} (sampling variance {@code v}) shrunk towards
     * what it would borrow, {@code predicted} (its class's held-out variance {@code p}), by
     * precision ({@link LearnedLatency#shrink}, with {@link #OWN_VARIANCE_FACTOR}), then the rest
     * of the way by the odds that it is a spike. The table and explain both take it from here.
     */
    double figure(double y, double v, double p, double predicted, double weight, int changeMinSamples) {
        double lambda = OWN_VARIANCE_FACTOR * v / (OWN_VARIANCE_FACTOR * v + p);
        double shrunk = y - LearnedLatency.shrink(lambda * (y - predicted), v, weight, changeMinSamples);
        if (y <= predicted || !few(weight, fewSamples)) {
            return shrunk; // most cells: no square root
        }
        double pi = probability((y - predicted) / Math.sqrt(v + p), weight);
        return predicted + (1 - pi) * (shrunk - predicted);
    }

    /** Gathers held-out cells (their weight and standardised residual) one at a time; no array per cell. */
    static final class Fitter {
        private final int fewSamples;
        private final long[][] above = new long[BUCKETS][BINS];
        private final long[][] below = new long[BUCKETS][BINS];
        private final long[] cells = new long[BUCKETS];

        /** @param fewSamples cells of this weight or more are not counted ({@code changeMinSamples}) */
        Fitter(int fewSamples) {
            this.fewSamples = fewSamples;
        }

        void add(double z, double weight) {
            if (!few(weight, fewSamples) || Double.isNaN(z)) {
                return;
            }
            int b = bucket(weight);
            int bin = Math.min(BINS - 1, (int) (Math.abs(z) / BIN));
            (z >= 0 ? above : below)[b][bin]++;
            cells[b]++;
        }

        SpikeOdds fit() {
            double[][] spike = new double[BUCKETS][BINS];
            for (int b = 0; b < BUCKETS; b++) {
                if (cells[b] < MIN_CELLS) {
                    continue;
                }
                double last = 0;
                for (int i = 0; i < BINS; i++) {
                    // Half a cell on each side, so that an empty bin says "unknown", not "certain".
                    double pi = 1 - (below[b][i] + 0.5) / (above[b][i] + 0.5);
                    last = Math.max(last, Math.max(0, pi));
                    spike[b][i] = last;
                }
            }
            return new SpikeOdds(spike, fewSamples);
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("P(spike) at z = 2, 4, 8:");
        for (double[] row : spike) {
            out.append(String.format(Locale.ROOT, " %s", Arrays.toString(new double[] {
                Math.round(row[(int) (2 / BIN)] * 100) / 100.0, Math.round(row[(int) (4 / BIN)] * 100) / 100.0,
                Math.round(row[(int) (8 / BIN)] * 100) / 100.0})));
        }
        return out.toString();
    }
}
