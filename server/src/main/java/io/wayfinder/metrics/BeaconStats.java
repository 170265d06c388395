package io.wayfinder.metrics;

import java.util.List;

/**
 * What the real-user beacon's endpoint reports to the metrics (with {@code latency.learn}): posts
 * accepted, rejected whole by reason, and rate-limited; samples accepted by how browsers timed them
 * and rejected by the rule they broke. Read at scrape time.
 */
public interface BeaconStats {
    long postsAccepted();

    /** The labels of {@link #postsRejected}, in order. */
    List<String> postRejectionReasons();

    long postsRejected(String reason);

    /** Posts refused by the per-address rate limit. */
    long postsRateLimited();

    /** The labels of {@link #samplesAccepted}: how the browser timed the samples. */
    List<String> timings();

    long samplesAccepted(String timing);

    /** The labels of {@link #samplesRejected}, in order. */
    List<String> sampleRejectionReasons();

    long samplesRejected(String reason);

    /** Valid samples the learner did not take (too many waiting for its next rebuild). */
    long samplesDropped();
}
