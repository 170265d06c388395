package io.wayfinder.latency.learn;

import java.util.Arrays;

/**
 * How far a cell's floor (its lowest sample) typically sits below its winsorised mean, in noise
 * scales, as a function of how many samples it has: learned at every rebuild from all the cells,
 * and used to turn a floor into an estimate on the mean's level whatever the sample count.
 *
 * <h2>Why a floor</h2>
 * RTT noise is one-sided: queueing and retransmits add delay, nothing takes any away, so a path's
 * lowest samples sit nearest its true RTT and vary least. The mean of three samples of log-normal
 * queueing spreads by about twice as much as their minimum (0.75 against 0.37 scales, README "The
 * ceiling"), so a statistic built on the floor tells two regions apart with fewer samples. Real
 * stacks filter RTT the same way (TCP BBR's min-RTT filter).
 *
 * <h2>Why a correction by count</h2>
 * The minimum of ten samples sits lower than the minimum of two: comparing raw floors favours the
 * region with more samples. So the floor's estimate is {@code floor + scale · D(n)}, where
 * {@code D(n)} is the mean of {@code (mean - floor) / scale} over all cells with about n samples'
 * weight: it has the winsorised mean's expectation at every n (which itself depends only a little
 * on n, see the README), and close to the floor's variance. A cell's estimate takes it with a
 * share of {@value #FLOOR_SHARE}, the mean the rest ({@link #estimate}). {@code D} is
 * learned from the cells rather than derived from a noise law (no law is assumed: whatever the
 * shape of the queueing tail, its cells show it), kept non-decreasing in n, and {@code D(1) = 0}: a
 * single sample is its own mean and floor. The scale is the network's (its cells' spread pooled,
 * {@link Fold#networkScale}): a network's last-mile jitter is the same towards every region, and a
 * per-cell scale of two samples would be too noisy to correct by.
 *
 * <h2>Decay</h2>
 * A floor is as old as the sample that set it. As a cell's weight decays from {@code w} to
 * {@code w'}, its floor counts as the floor of fewer samples: its distance below the mean is scaled
 * by {@code D(w') / D(w)} ({@link #decayedGap}), so that old evidence fades towards the mean at the
 * pace of the half-life, and a cell whose weight has decayed to one sample is back at its mean.
 * (How the floor itself is kept, and follows a rise, is {@link Fold}'s.)
 *
 * <p>Until enough cells have been seen to learn {@code D} ({@value #MIN_CELLS}), there is no
 * correction and the estimate is the mean: a small learner behaves as before.
 */
final class FloorExcess {
    /** Counts are bucketed by whole samples' weight up to this; more count as this many. */
    static final int MAX_COUNT = 64;
    /** A bucket with fewer cells than this takes its neighbour's value (noise, not shape). */
    static final int MIN_BUCKET_CELLS = 30;
    /** Cells needed before the floor is used at all. */
    static final int MIN_CELLS = 1000;
    /**
     * The floor's share in the estimate, the mean's the rest. The floor alone (1) sent 0.1 point
     * more of the benchmark's networks to their fastest region (95.1% against 95.0%), but changed
     * the answers of 0.8-0.9% of the measured networks that nothing had slowed as a second round of
     * samples came in (against 0.6-0.7% before the floor, and 0.7% at 0.6): a new lowest sample
     * moves a floor by more than it moves a mean, and the hysteresis is set by the mean's
     * deviation. README, "How the table is learned".
     */
    static final double FLOOR_SHARE = 0.6;
    /** What one cell's ratio may contribute: beyond this many scales it is a damaged cell, not shape. */
    static final double MAX_RATIO = 6;

    /** {@code excess[n]}: D at a weight of n samples; {@code excess[0] = excess[1] = 0}. */
    private final double[] excess;
    private final boolean calibrated;

    private FloorExcess(double[] excess, boolean calibrated) {
        this.excess = excess;
        this.calibrated = calibrated;
    }

    /** No correction learned: every estimate is the mean. */
    static final FloorExcess NONE = new FloorExcess(new double[MAX_COUNT + 1], false);

    boolean calibrated() {
        return calibrated;
    }

    /**
     * Gathers cells one at a time (their weight as of their newest sample, mean minus floor in ms,
     * NaN for none, and their network's scale in ms) and learns D from them: no array per cell.
     */
    static final class Fitter {
        private final double[] sum = new double[MAX_COUNT + 1];
        private final int[] count = new int[MAX_COUNT + 1];
        private int used;

        void add(double weight, double gap, double scale) {
            if (Double.isNaN(gap) || !(scale > 0) || weight < 1.5) {
                return;
            }
            int b = bucket(weight);
            sum[b] += Math.min(MAX_RATIO, gap / scale);
            count[b]++;
            used++;
        }

        FloorExcess fit() {
            if (used < MIN_CELLS) {
                return NONE;
            }
            double[] d = new double[MAX_COUNT + 1];
            double last = 0;
            for (int b = 2; b <= MAX_COUNT; b++) {
                double v = count[b] >= MIN_BUCKET_CELLS ? sum[b] / count[b] : last;
                // More samples never leave the floor higher: a dip in a bucket is noise.
                last = Math.max(last, v);
                d[b] = last;
            }
            return new FloorExcess(d, true);
        }
    }

    /** D at a weight of w samples, interpolated between whole counts. */
    double at(double w) {
        if (!calibrated || w <= 1) {
            return 0;
        }
        if (w >= MAX_COUNT) {
            return excess[MAX_COUNT];
        }
        int lo = (int) w;
        double t = w - lo;
        return excess[lo] * (1 - t) + excess[lo + 1] * t;
    }

    /**
     * The distance between mean and floor once the cell's weight has decayed from {@code w} to
     * {@code wNow}: scaled by {@code D(wNow) / D(w)}, the floor fading towards the mean.
     */
    double decayedGap(double gap, double w, double wNow) {
        if (wNow >= w) {
            return gap;
        }
        double then = at(w);
        return then > 0 ? gap * at(wNow) / then : gap;
    }

    /**
     * A cell's estimate on the mean's level: {@code (1 - s) · mean + s · (floor + scale · D)}, with
     * {@code s =} {@value #FLOOR_SHARE}, the floor decayed to {@code wNow} and D taken there. Both
     * parts have the mean's expectation at every count; the floor's varies least. The mean itself
     * without a floor or a calibration.
     *
     * @param gap   mean minus floor (ms), as of weight {@code w}; NaN when the cell has no floor
     * @param scale the network's noise scale (ms)
     */
    double estimate(double mean, double gap, double w, double wNow, double scale) {
        if (!calibrated || Double.isNaN(gap)) {
            return mean;
        }
        return mean - FLOOR_SHARE * (decayedGap(gap, w, wNow) - scale * at(wNow));
    }

    static int bucket(double w) {
        return (int) Math.min(MAX_COUNT, Math.round(w));
    }

    @Override
    public String toString() {
        return calibrated ? "D(2, 5, 10, 40) = " + Arrays.toString(new double[] {at(2), at(5), at(10), at(40)}) : "uncalibrated";
    }
}
