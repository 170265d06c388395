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
 * <p>Threads: {@link #add} is called from request threads, concurrently and often; {@link #rebuild}
 * and {@link #checkpoint} from one learning thread (never the control thread, never the query
 * path). {@link #explain} and {@link #coverage} may be called from any thread: they read what the
 * last rebuild published and never wait for a rebuild in progress. A rebuild works on what was
 * added before it started.
 *
 * <p>Create one with {@link LearnedLatency#LearnedLatency(LearningParameters)}, or read one back
 * with {@link LearnedLatency#restore(Path, LearningParameters)}.
 */
public interface LatencyLearning {

    /**
     * Takes validated measurements. Cheap and thread-safe; memory stays bounded: beyond
     * {@link LearningParameters#maxPendingSamples} samples waiting to be folded in, the rest of a
     * batch is dropped and counted ({@link Coverage#droppedSamples}).
     *
     * @return how many of the batch were taken (the others were dropped)
     */
    int add(List<Measurement> batch);

    /**
     * Whether so many samples wait that the learning thread should {@link #fold} them before the
     * next rebuild (any thread; cheap). A learner that folds only at rebuilds says false.
     */
    default boolean foldDue() {
        return false;
    }

    /**
     * Folds the samples waiting into what was learned, without building a table (learning thread,
     * like {@link #rebuild}): keeps the pending samples, and the fold a rebuild starts with, short
     * when samples arrive faster than rebuilds take them.
     */
    default void fold(Instant now) {
    }

    /**
     * Builds the estimator routing reads: learned estimates for every network with evidence, the
     * static table's figures (the configured CSV sources, combined with what was learned), and the
     * fitted distance model for the rest. Off the query path; may take seconds at 10 M networks.
     *
     * @param staticTable the table of the configured latency sources (possibly empty)
     */
    LatencyEstimator rebuild(Instant now, LatencyTable staticTable, GeoLocator geo, RegionCatalogue catalogue);

    /** Writes what was learned to a file, whole or not at all (temporary file, fsync, rename, fsync of the directory). */
    void checkpoint(Path file) throws IOException;

    /** What the learner holds for a client network and a region, for explain and the API. */
    Evidence explain(IpPrefix client, String region);

    /** Networks with own data, borrowed data or only the model; samples and ages per region; what was learned. */
    Coverage coverage();

    /**
     * The learned evidence behind one estimate.
     *
     * @param network          the network the estimate is for (the client's /24 or /48, or the block it borrows from)
     * @param estimateMs       the learner's estimate (NaN when it has none)
     * @param uncertaintyMs    its standard deviation, from the learned variance of its kind of evidence
     * @param kind             {@code own} (the network's own samples, shrunk towards what it would
     *                         borrow), {@code borrowed} (the network's own offset plus its block's or
     *                         the model's differences between regions), {@code block} (a block's
     *                         estimate, for a network without samples), {@code model} (the distance
     *                         model), or {@code none}
     * @param effectiveSamples the decayed effective sample count of the network's own cell (0 if none)
     * @param ageMillis        the age of its newest sample at the last rebuild (-1 if none)
     * @param borrowedFrom     what the differences between regions came from, e.g. {@code 10.1.0.0/16}
     *                         or {@code distance model}; empty for own evidence
     * @param tableMs          the figure the routing table publishes (after hysteresis; NaN when none)
     */
    record Evidence(String region, IpPrefix network, double estimateMs, double uncertaintyMs, String kind,
                    double effectiveSamples, long ageMillis, String borrowedFrom, double tableMs) {
        /** The same evidence beside another published figure. */
        public Evidence withTableMs(double ms) {
            return new Evidence(region, network, estimateMs, uncertaintyMs, kind, effectiveSamples, ageMillis, borrowedFrom, ms);
        }
    }

    /**
     * A summary of what the learner holds.
     *
     * @param trust          how much each level of evidence was trusted at the last rebuild, as
     *                       learned from held-out samples
     * @param pendingSamples samples accepted but not yet folded in
     * @param droppedSamples samples dropped since start because too many were pending
     */
    record Coverage(long networksWithOwnData, long networksWithBorrowedData, long networksModelOnly,
                    List<RegionCoverage> regions, List<LevelTrust> trust, long pendingSamples, long droppedSamples) {
    }

    /** One region's samples and the ages of its networks' data (percentiles, milliseconds). */
    record RegionCoverage(String region, long samples, long networks, long ageP50Millis, long ageP90Millis) {
    }

    /**
     * One level of evidence and how far it was trusted.
     *
     * @param level          e.g. {@code network offset}, {@code block /16 offset}, {@code block /16 x region},
     *                       {@code own cell}
     * @param sdMs           the learned standard deviation of the level's effects, in milliseconds
     * @param pseudoSamples  how many samples of a typical cell weigh as much as the level's prior
     * @param heldOutRmseMs  the error on held-out cells with this level as the most specific one
     * @param heldOutCells   how many held-out cells that error is over
     */
    record LevelTrust(String level, double sdMs, double pseudoSamples, double heldOutRmseMs, long heldOutCells) {
    }
}
