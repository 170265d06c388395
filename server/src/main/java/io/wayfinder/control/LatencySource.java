package io.wayfinder.control;

import io.wayfinder.latency.LatencyEstimator;

/**
 * Where the latency estimator that routing reads comes from, asked by the {@link SnapshotPublisher}
 * each time it applies a configuration (on the control thread, so it must not block).
 *
 * <p>Two answers exist: {@link #CONFIGURED}, the table of the configuration's own sources (the CSV
 * files, reloaded with it); and the {@link LatencyLearningService}, which keeps serving what it
 * learned, whatever the configuration, and rebuilds from the new sources soon after. Between two
 * configurations, an estimator posted with {@link SnapshotPublisher#latencyChanged} is served.
 */
@FunctionalInterface
public interface LatencySource {

    /**
     * The estimator to serve with a configuration about to be applied.
     *
     * @param next    the configuration, loaded (its sources' own estimator is {@code next.sources().estimator()})
     * @param serving the estimator served now; null before the first configuration
     */
    LatencyEstimator estimatorFor(LoadedConfig next, LatencyEstimator serving);

    /** The configuration's own latency sources: what routing reads when nothing is learned. */
    LatencySource CONFIGURED = (next, serving) -> next.sources().estimator();
}
