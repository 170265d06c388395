package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The learner (being written on branch i11-learn; this is its shape, for the service to compile against). */
public final class LearnedLatency implements LatencyLearning {
    private final LearningParameters parameters;

    public LearnedLatency(LearningParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * Reads a {@link #checkpoint} back.
     *
     * @throws IOException naming the file and what is wrong when it is damaged, truncated or of
     *                     another version
     */
    public static LearnedLatency restore(Path file, LearningParameters parameters) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    public LearningParameters parameters() {
        return parameters;
    }

    @Override
    public int add(List<Measurement> batch) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public LatencyEstimator rebuild(Instant now, LatencyTable staticTable, GeoLocator geo, RegionCatalogue catalogue) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public void checkpoint(Path file) throws IOException {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Evidence explain(IpPrefix client, String region) {
        throw new UnsupportedOperationException("not yet");
    }

    @Override
    public Coverage coverage() {
        throw new UnsupportedOperationException("not yet");
    }
}
