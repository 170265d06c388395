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

/**
 * What Wayfinder has learned of internet latency from measurements, and the tables it builds from
 * it. The contract between the learner (package {@code latency.learn}) and the service that feeds
 * and schedules it (package {@code control}).
 *
 * <p>Threads: {@link #add} is called from request threads, concurrently and often; {@link #rebuild},
 * {@link #checkpoint} and the views from one learning thread (never the control thread, never the
 * query path). A rebuild works on what was added before it started.
 */
public interface LatencyLearning {

    /** Takes validated measurements. Cheap and thread-safe; memory stays bounded (see the implementation). */
    void add(List<Measurement> batch);

    /**
     * Builds the estimator routing reads: learned estimates for every network with evidence, the
     * static table's figures (the configured CSV sources, combined with what was learned), and the
     * fitted distance model for the rest. Off the query path; may take seconds at 10 M networks.
     *
     * @param staticTable the table of the configured latency sources (possibly empty)
     */
    LatencyEstimator rebuild(Instant now, LatencyTable staticTable, GeoLocator geo, RegionCatalogue catalogue);

    /** Writes what was learned to a file, whole or not at all (temporary file, fsync, rename). */
    void checkpoint(Path file) throws IOException;

    /** What the learner holds for a client network and a region, for explain and the API. */
    Evidence explain(IpPrefix client, String region);

    /** Networks with own data, borrowed data or only the model; samples and ages per region. */
    Coverage coverage();

    /** The learned evidence behind one estimate. */
    record Evidence(String region, IpPrefix network, double estimateMs, double uncertaintyMs, String kind,
                    double effectiveSamples, long ageMillis, String borrowedFrom) {
    }

    /** A summary of what the learner holds. */
    record Coverage(long networksWithOwnData, long networksWithBorrowedData, long networksModelOnly,
                    List<RegionCoverage> regions) {
    }

    /** One region's samples and the ages of its networks' data (percentiles, milliseconds). */
    record RegionCoverage(String region, long samples, long networks, long ageP50Millis, long ageP90Millis) {
    }
}
