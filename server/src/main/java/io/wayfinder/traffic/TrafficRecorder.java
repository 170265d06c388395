package io.wayfinder.traffic;

import io.wayfinder.net.IpPrefix;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One event loop's door into Traffic View: the query path records into the loop's active
 * {@link TrafficSketch}; the merge swaps it for a spare by running a task on the loop itself, so the
 * sketch is only ever touched by one thread at a time and the query path needs no lock, no atomic
 * and no volatile read.
 *
 * <pre>
 *   event loop:   record() -> active sketch            (every query)
 *   merge thread: handOff(spare) --task on the loop--> active := spare; the full one comes back
 *                 fold it into the summaries, clear it: it is the next spare
 * </pre>
 */
public final class TrafficRecorder {
    private final Executor loop;
    /** Written and read by the loop's thread only (and by the last merge, once the loop has stopped). */
    private TrafficSketch active;

    // The merge thread's own:
    /** The sketch the next hand-off gives the loop; null when it is out (in a hand-off under way). */
    TrafficSketch spare;
    /** A hand-off asked for and not yet taken, or null. */
    CompletableFuture<TrafficSketch> pending;

    TrafficRecorder(Executor loop, int sets) {
        this.loop = loop;
        this.active = new TrafficSketch(sets);
        this.spare = new TrafficSketch(sets);
    }

    /**
     * Counts one query of a profile (the loop's thread only).
     *
     * @param client    the client as routing saw it: the ECS network, or the resolver's address as a host prefix
     * @param ecs       whether {@code client} came from the query's ECS option
     * @param endpoint  the endpoint the profile chose, or null when it answered without one
     * @param region    that endpoint's region, or null
     * @param rttTenths the routing decision's estimated RTT in tenths of a millisecond, or -1 when it made none
     */
    public void record(IpPrefix client, boolean ecs, String profile, String endpoint, String region, int rttTenths) {
        active.record(NetworkKey.of(client), profile, !ecs, client.hi(), client.lo(), endpoint, region, rttTenths);
    }

    /** Asks the loop to swap its active sketch for {@code next}; completes with the full one. */
    CompletableFuture<TrafficSketch> handOff(TrafficSketch next) {
        CompletableFuture<TrafficSketch> out = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                TrafficSketch full = active;
                active = next;
                out.complete(full);
            });
        } catch (RejectedExecutionException e) { // the loop is shutting down
            out.completeExceptionally(e);
        }
        return out;
    }

    /** The active sketch, read by the last merge once the loop has stopped for good. */
    TrafficSketch activeAfterStop() {
        return active;
    }
}
