package io.wayfinder.latency.learn;

import io.wayfinder.net.IpPrefix;
import java.util.List;

/**
 * Diagnostics only (test sources): what the last rebuild's borrowing model predicts for a network,
 * its own cells apart, in the published table's region order, for tools outside the package
 * ({@code io.wayfinder.quality.MeasuredDiagnosis}).
 */
public final class ModelProbe {
    private final Published published;
    private final double[] row;

    public ModelProbe(LearnedLatency learner) {
        published = learner.published();
        row = new double[published.regions.size()];
    }

    public List<String> regions() {
        return published.regions;
    }

    /** The model's row for the network (μ + blocks + own offset), or null if the rebuild did not see it. */
    public double[] prediction(IpPrefix network) {
        int n = index(network);
        if (n < 0) {
            return null;
        }
        published.model.predictAll(n, row);
        return row.clone();
    }

    /** The block part alone (μ + the blocks from the finest level), without the network's own offset. */
    public double[] blockPrediction(IpPrefix network, int finestLevel) {
        int n = index(network);
        if (n < 0) {
            return null;
        }
        double[] out = new double[row.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = published.model.blockPrediction(n, r, finestLevel);
        }
        return out;
    }

    public String trust() {
        return LearnedLatency.describe(published.learned.trust()) + "; class variances "
                + java.util.Arrays.toString(published.learned.classVariance());
    }

    private int index(IpPrefix network) {
        return published.network(NetworkKeys.of(network));
    }
}
