package io.wayfinder.metrics;

import java.util.List;

/**
 * What latency learning reports to the metrics (with {@code latency.learn}): samples in, rebuilds
 * and the size of the learned table. Read at scrape time.
 */
public interface LearningStats {
    /** Samples that passed the checks and that the learner took. */
    long samplesAccepted();

    /** Samples that passed the checks but that the learner dropped (too many waiting for a rebuild). */
    long samplesDropped();

    /** The labels of {@link #samplesRejected}, in order. */
    List<String> rejectionReasons();

    /** Samples rejected for a reason of {@link #rejectionReasons}. */
    long samplesRejected(String reason);

    /** Rebuilds published, and rebuilds that failed (the previous table kept serving). */
    long rebuilds(boolean failed);

    /** How long the last rebuild took, in seconds; 0 before the first. */
    double lastRebuildSeconds();

    /** When the last rebuild started, Unix epoch milliseconds; 0 before the first. */
    long lastRebuildMillis();

    /** Networks in the learned table (with own or borrowed data), and network-region cells with own samples. */
    long networks();

    long cells();

    /** Checkpoints that could not be written (each logged). */
    long failedCheckpoints();
}
