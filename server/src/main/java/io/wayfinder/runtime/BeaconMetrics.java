package io.wayfinder.runtime;

import io.wayfinder.beacon.BeaconCounters;
import io.wayfinder.beacon.BeaconCounters.PostRejection;
import io.wayfinder.beacon.BeaconCounters.Timing;
import io.wayfinder.control.MeasurementCheck;
import io.wayfinder.metrics.BeaconStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The beacon's counters as the metrics read them. */
record BeaconMetrics(BeaconCounters counters) implements BeaconStats {
    private static final List<String> POST_REASONS = Arrays.stream(PostRejection.values()).map(PostRejection::label).toList();
    private static final List<String> TIMINGS = Arrays.stream(Timing.values()).map(Timing::label).toList();
    /** The measurements API's reasons, and {@code target}: a region the beacon was not told to measure. */
    private static final List<String> SAMPLE_REASONS;

    static {
        List<String> reasons = new ArrayList<>();
        for (MeasurementCheck.Reason r : MeasurementCheck.Reason.values()) {
            reasons.add(r.label());
        }
        reasons.add("target");
        SAMPLE_REASONS = List.copyOf(reasons);
    }

    @Override
    public long postsAccepted() {
        return counters.postsAccepted();
    }

    @Override
    public List<String> postRejectionReasons() {
        return POST_REASONS;
    }

    @Override
    public long postsRejected(String reason) {
        return counters.postsRejected(PostRejection.values()[POST_REASONS.indexOf(reason)]);
    }

    @Override
    public long postsRateLimited() {
        return counters.rateLimitedPosts();
    }

    @Override
    public List<String> timings() {
        return TIMINGS;
    }

    @Override
    public long samplesAccepted(String timing) {
        return counters.samplesAccepted(Timing.values()[TIMINGS.indexOf(timing)]);
    }

    @Override
    public List<String> sampleRejectionReasons() {
        return SAMPLE_REASONS;
    }

    @Override
    public long samplesRejected(String reason) {
        return counters.samplesRejected(reason);
    }

    @Override
    public long samplesDropped() {
        return counters.samplesDropped();
    }
}
