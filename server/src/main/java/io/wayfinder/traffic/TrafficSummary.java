package io.wayfinder.traffic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One profile's heavy hitters over time: at most {@code capacity} client networks, each with its
 * decayed query count, merged from the event loops' interval sketches off the query path.
 *
 * <p><b>Merge</b> (Cafaro, Pulimeno and Tempesta, "A parallel space saving algorithm for frequent
 * items and the Hurwitz zeta distribution", 2016: Space-Saving summaries merge by adding counts):
 * a network in both adds its counts and errors; a network new to a full summary could have had up
 * to the summary's smallest count {@code m} before (it was not counted), so it comes in at
 * {@code count + m} with error {@code error + m}, as Space-Saving itself would have counted it;
 * then the {@code capacity} largest are kept. A network the interval's sketch does not hold may
 * still have been counted there and dropped, at most the smallest count of its set when that set
 * was full: it adds that much to its count and its error ({@link #addFloors}). So every count is an
 * upper bound, and the count less its error a lower bound, of the decayed queries.
 *
 * <p><b>Decay</b>: before each merge every count, error and RTT weight is multiplied by
 * {@code 2^(-elapsed / halfLife)}, so a count is a sum of queries each weighted by its age (a query
 * now counts 1, one a half-life old 0.5). Old traffic fades, and a network busy last month does not
 * hold a place a network busy today needs. Ordering is unchanged by decay, so Space-Saving's
 * argument holds on the decayed counts.
 *
 * <p>Not thread-safe: {@link TrafficView} holds its lock around every use.
 */
final class TrafficSummary {
    /** Counts below this after decay are dropped: less than one query's worth of evidence. */
    static final double NEGLIGIBLE = 0.5;

    /** One network of the profile: what Traffic View knows of it. */
    static final class Entry {
        final long network;
        double queries;
        double error;
        /** Milliseconds times weight, and the weight, of the queries that had an estimated RTT. */
        double rttMsWeighted;
        double rttWeight;
        String endpoint;
        String region;
        byte addressKind;
        long addressHi;
        long addressLo;
        long lastSeenMillis;

        Entry(long network) {
            this.network = network;
        }

        /** The mean estimated RTT of its queries, or NaN when none had one. */
        double rttMs() {
            return rttWeight > 0 ? rttMsWeighted / rttWeight : Double.NaN;
        }

        /** At least this many of its queries are surely its own: the count less its error. */
        double guaranteed() {
            return queries - error;
        }

        Entry copy() {
            Entry e = new Entry(network);
            e.queries = queries;
            e.error = error;
            e.rttMsWeighted = rttMsWeighted;
            e.rttWeight = rttWeight;
            e.endpoint = endpoint;
            e.region = region;
            e.addressKind = addressKind;
            e.addressHi = addressHi;
            e.addressLo = addressLo;
            e.lastSeenMillis = lastSeenMillis;
            return e;
        }
    }

    private final int capacity;
    private final Map<Long, Entry> entries = new HashMap<>();
    /** Every query of the profile the sketches counted, decayed alike. */
    double total;
    /** Networks dropped to make room, since start. */
    long evicted;

    TrafficSummary(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return entries.size();
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    /** Multiplies every count by {@code factor} (0 < factor <= 1) and drops what became negligible. */
    void decay(double factor) {
        if (factor >= 1) {
            return;
        }
        total *= factor;
        entries.values().removeIf(e -> {
            e.queries *= factor;
            e.error *= factor;
            e.rttMsWeighted *= factor;
            e.rttWeight *= factor;
            return e.queries < NEGLIGIBLE;
        });
    }

    /** Folds the slots of one interval's sketch that belong to this profile. */
    void merge(TrafficSketch sketch, int[] slots, int count, long nowMillis) {
        double least = entries.size() >= capacity ? smallest() : 0;
        for (int k = 0; k < count; k++) {
            int i = slots[k];
            Entry e = entries.get(sketch.networks[i]);
            if (e == null) {
                e = new Entry(sketch.networks[i]);
                e.queries = least;
                e.error = least;
                entries.put(e.network, e);
            }
            e.queries += sketch.counts[i];
            e.error += sketch.errors[i];
            total += sketch.counts[i];
            if (sketch.rttCounts[i] > 0) {
                e.rttMsWeighted += sketch.rttTenths[i] / 10.0;
                e.rttWeight += sketch.rttCounts[i];
            }
            if (sketch.endpoints[i] != null) {
                e.endpoint = sketch.endpoints[i];
                e.region = sketch.regions[i];
            }
            byte kind = sketch.addressKinds[i];
            if (kind == TrafficSketch.RESOLVER || kind > e.addressKind) {
                e.addressKind = kind;
                e.addressHi = sketch.addressHi[i];
                e.addressLo = sketch.addressLo[i];
            }
            e.lastSeenMillis = nowMillis;
        }
        trimTo(capacity);
    }

    /** What the sketch may have counted of this profile's networks and dropped (see the class comment). */
    void addFloors(TrafficSketch sketch, String profile) {
        for (Entry e : entries.values()) {
            int floor = sketch.floor(e.network, profile);
            if (floor > 0) {
                e.queries += floor;
                e.error += floor;
            }
        }
    }

    /** Keeps the {@code max} networks of most queries. */
    void trimTo(int max) {
        if (entries.size() > max) {
            List<Entry> all = new ArrayList<>(entries.values());
            all.sort(BY_QUERIES);
            for (Entry e : all.subList(max, all.size())) {
                entries.remove(e.network);
                evicted++;
            }
        }
    }

    /** Restores an entry read from the data directory. */
    void restore(Entry e) {
        entries.put(e.network, e);
    }

    private double smallest() {
        double min = Double.POSITIVE_INFINITY;
        for (Entry e : entries.values()) {
            min = Math.min(min, e.queries);
        }
        return min;
    }

    /** Most queries first; ties by network, so that an order is the same every time. */
    static final Comparator<Entry> BY_QUERIES = Comparator.comparingDouble((Entry e) -> -e.queries)
            .thenComparingLong(e -> e.network);
}
