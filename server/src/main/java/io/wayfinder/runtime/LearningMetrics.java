package io.wayfinder.runtime;

import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.control.MeasurementCheck;
import io.wayfinder.metrics.LearningStats;
import java.util.Arrays;
import java.util.List;

/** The learning service's counters as the metrics read them. */
record LearningMetrics(LatencyLearningService service) implements LearningStats {
    private static final List<String> REASONS = Arrays.stream(MeasurementCheck.Reason.values())
            .map(MeasurementCheck.Reason::label).toList();

    @Override
    public long samplesAccepted() {
        return service.accepted();
    }

    @Override
    public long samplesDropped() {
        return service.dropped();
    }

    @Override
    public List<String> rejectionReasons() {
        return REASONS;
    }

    @Override
    public long samplesRejected(String reason) {
        return service.rejected(MeasurementCheck.Reason.values()[REASONS.indexOf(reason)]);
    }

    @Override
    public long rebuilds(boolean failed) {
        return failed ? service.failedRebuilds() : service.rebuilds();
    }

    @Override
    public double lastRebuildSeconds() {
        LatencyLearningService.Rebuild r = service.lastRebuild();
        return r == null ? 0 : r.took().toNanos() / 1e9;
    }

    @Override
    public long lastRebuildMillis() {
        LatencyLearningService.Rebuild r = service.lastRebuild();
        return r == null ? 0 : r.at().toEpochMilli();
    }

    @Override
    public long networks() {
        LatencyLearningService.Rebuild r = service.lastRebuild();
        return r == null ? 0 : r.networks();
    }

    @Override
    public long cells() {
        LatencyLearningService.Rebuild r = service.lastRebuild();
        return r == null ? 0 : r.cells();
    }

    @Override
    public long failedCheckpoints() {
        return service.failedCheckpoints();
    }
}
