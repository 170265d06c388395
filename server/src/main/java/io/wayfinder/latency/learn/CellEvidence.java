package io.wayfinder.latency.learn;

import java.util.Arrays;

/**
 * One network's cells as a rebuild sees them at one instant: its cells in the {@link CellStore}
 * decayed to that instant, with the static table's figures for the network folded in as
 * {@link LearningParameters#staticSamples} samples each.
 *
 * <p>Why a class of its own: the rebuild lays every network out through it ({@link
 * EvidenceLayout}), and explain reads one network back through it from the store, as
 * of the published rebuild's instant. Both run the same arithmetic in the same order, so explain
 * shows the figures the table was written from without the published state keeping a copy of
 * every cell (at ten million networks that copy was 1.6 GB, and a second rebuild, which builds its
 * own while the last one's is published, no longer fitted in 9 GB). A cell folded into since that
 * rebuild is read as it stands now (decayed to its newest sample when that is the later).
 *
 * <p>Not thread-safe: one per thread.
 */
final class CellEvidence {
    private final int nowMinute;
    private final Decay.Factors decay;
    private final double staticSamples;
    /** Moves each own cell's mean towards its floor's estimate of it; the rebuild's calibration. */
    private final FloorExcess floorExcess;
    /** The per-sample variance prior the networks' noise scales are taken with. */
    private final double priorVariance;
    /** Per region, the decayed weight (0 = no cell), the mean, the decayed M2 and the newest sample's minute. */
    private final double[] w;
    private final double[] mean;
    private final double[] m2;
    private final int[] newest;

    CellEvidence(int regions, int nowMinute, Decay.Factors decay, double staticSamples, FloorExcess floorExcess,
                 double priorVariance) {
        this.nowMinute = nowMinute;
        this.decay = decay;
        this.staticSamples = staticSamples;
        this.floorExcess = floorExcess;
        this.priorVariance = priorVariance;
        w = new double[regions];
        mean = new double[regions];
        m2 = new double[regions];
        newest = new int[regions];
    }

    /**
     * Takes network {@code own} of {@code store} and network {@code fixed} of {@code statics}
     * (either {@link CellStore#NONE}); every other region gets weight 0.
     */
    void gather(CellStore store, int own, CellStore statics, int fixed) {
        Arrays.fill(w, 0);
        if (own != CellStore.NONE) {
            double scale = Fold.networkScale(store, own, priorVariance);
            for (int k = store.firstCell(own); k != CellStore.NONE; k = store.nextCell(k)) {
                int r = store.region(k);
                double f = decay.of(nowMinute - store.minute(k));
                w[r] = store.weight(k) * f;
                // The mean moved towards the floor's estimate of it, which varies less (FloorExcess).
                mean[r] = floorExcess.estimate(store.mean(k), store.gap(k), store.weight(k), w[r], scale);
                m2[r] = store.m2(k) * f;
                newest[r] = store.minute(k);
            }
        }
        if (fixed != CellStore.NONE) {
            for (int k = statics.firstCell(fixed); k != CellStore.NONE; k = statics.nextCell(k)) {
                int r = statics.region(k);
                double ws = staticSamples;
                double ms = statics.mean(k);
                if (w[r] > 0) {
                    double total = w[r] + ws;
                    double delta = ms - mean[r];
                    m2[r] += delta * delta * w[r] * ws / total;
                    mean[r] += delta * ws / total;
                    w[r] = total;
                } else {
                    w[r] = ws;
                    mean[r] = ms;
                    m2[r] = 0;
                    newest[r] = Integer.MIN_VALUE;
                }
            }
        }
    }

    /** Whether region r is evidence: a cell whose weight has not decayed below {@link LearnedLatency#MIN_WEIGHT}. */
    boolean counts(int r) {
        return w[r] >= LearnedLatency.MIN_WEIGHT;
    }

    /** The cell's estimate, ms: its winsorised mean moved towards its floor ({@link FloorExcess}). */
    float y(int r) {
        return (float) mean[r];
    }

    /** The variance of the cell's mean, ms²: the per-sample variance (with {@code priorVariance} as its prior) over the weight. */
    float v(int r, double priorVariance) {
        return (float) (Fold.sampleVariance(w[r], m2[r], priorVariance) / w[r]);
    }

    /** The effective sample count. */
    float weight(int r) {
        return (float) w[r];
    }

    /** Minutes since the newest sample; -1 for a static figure alone. */
    int ageMinutes(int r) {
        return newest[r] == Integer.MIN_VALUE ? -1 : Math.max(0, nowMinute - newest[r]);
    }
}
