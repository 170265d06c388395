package io.wayfinder.answer;

import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.RoutingPlan;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * How many answers each profile gave, by the endpoint it chose and the result: counted by the
 * query path without a lock or an allocation, read by name at scrape time.
 *
 * <p><b>Layout.</b> Each thread that answers (an event loop) has its own {@code long[]} per
 * configuration, a {@link Generation}, indexed by the routing plan's profile and endpoint indices:
 * {@code base[profile] + (endpoint + 1) * RESULTS + result}, where endpoint -1 is "no endpoint"
 * (the profile is disabled, or nothing answers this client). Only its thread writes it, with opaque
 * stores (a plain {@code mov} on x86, but never torn or kept in a register), so a scrape on another
 * thread reads a value that only grows. Not {@code LongAdder}: one array per thread needs no
 * cell-claiming CAS and is one cache line for a profile's endpoints.
 *
 * <p><b>Reloads.</b> A new configuration brings new indices. A thread's first answer from it
 * retires the thread's generation of the old one: after the volatile {@code retired} write the
 * thread never touches that array again, so the next scrape folds its final values, keyed by
 * name, into {@link #totals} and forgets it. A scrape therefore sees each generation as not yet
 * made (0), live (its current values) or folded (its final values), in that order: every series
 * only grows, and counts follow names, not indices, whatever a reload reorders.
 *
 * <p><b>Removed names.</b> A profile or endpoint that a reload removes or renames keeps its series
 * for {@link #RETAIN_REMOVED_NANOS} after the first scrape that finds it gone, so that every
 * scraper sees its last count; then its series and its totals are dropped. If the name comes back
 * later its counters start again from 0, which Prometheus reads as a counter reset.
 */
public final class AnswerCounts {
    /** Results a profile's answer can have: the client got records, an empty answer, or "no such name". */
    public static final int NOERROR = 0;
    public static final int NODATA = 1;
    public static final int NXDOMAIN = 2;
    static final int RESULTS = 3;
    private static final String[] RESULT_LABELS = {"NOERROR", "NODATA", "NXDOMAIN"};

    /** Long enough for a few scrapes at any usual interval, short enough that renames do not pile up. */
    static final long RETAIN_REMOVED_NANOS = TimeUnit.MINUTES.toNanos(10);

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Receives one series at a scrape. */
    @FunctionalInterface
    public interface Sink {
        /** @param endpoint the endpoint's name, or "" when the profile answered without one */
        void count(String profile, String endpoint, String result, long value);
    }

    private final ThreadLocal<Generation[]> current = ThreadLocal.withInitial(() -> new Generation[1]);
    /** Every generation not yet folded into totals, live or retired; threads add, scrapes remove. */
    private final ConcurrentLinkedQueue<Generation> unfolded = new ConcurrentLinkedQueue<>();
    /** The layout of the last plan a thread asked for, shared by the threads that ask for it next. */
    private volatile Layout lastLayout;

    // Scrape side, guarded by this:
    /** Final counts of folded generations, by name. */
    private final Map<Key, Long> totals = new HashMap<>();
    /** Profile and endpoint names (endpoint "" for the profile alone) not in the served configuration, and since when. */
    private final Map<Key, Long> removedSince = new HashMap<>();

    /**
     * The calling thread's counters for a configuration: its current generation when that is the
     * plan's, else a new one that retires the old (once per thread and configuration).
     */
    Generation generation(RoutingPlan plan) {
        Generation[] mine = current.get();
        Generation g = mine[0];
        if (g != null && g.layout.plan == plan) {
            return g;
        }
        Layout layout = lastLayout;
        if (layout == null || layout.plan != plan) {
            layout = new Layout(plan);
            lastLayout = layout;
        }
        Generation next = new Generation(layout);
        unfolded.add(next);
        mine[0] = next;
        if (g != null) {
            g.retired = true; // after this thread's last write to it (program order), before any other
        }
        return next;
    }

    /** Every series, summed over the threads, for the configuration being served now. */
    public void forEach(RoutingPlan served, Sink sink) {
        forEach(served, System.nanoTime(), sink);
    }

    synchronized void forEach(RoutingPlan served, long now, Sink sink) {
        for (Iterator<Generation> it = unfolded.iterator(); it.hasNext(); ) {
            Generation g = it.next();
            if (g.retired) { // volatile read: its thread's every write to it is visible
                g.addTo(totals);
                it.remove();
            }
        }
        Map<Key, Long> sums = new HashMap<>(totals);
        for (Generation g : unfolded) {
            g.addTo(sums);
        }
        Layout layout = new Layout(served);
        // The served configuration first, in its order: every endpoint's NOERROR even at 0, so that
        // a failover to an endpoint that had no traffic shows as an increase from 0.
        Map<Key, Long> out = new LinkedHashMap<>();
        for (int p = 0; p < layout.profileNames.length; p++) {
            for (int e = -1; e < layout.endpointNames[p].length; e++) {
                String endpoint = e < 0 ? "" : layout.endpointNames[p][e];
                for (int r = 0; r < RESULTS; r++) {
                    Key key = new Key(layout.profileNames[p], endpoint, r);
                    Long value = sums.remove(key);
                    if (value != null || (e >= 0 && r == NOERROR)) {
                        out.put(key, value == null ? 0 : value);
                    }
                }
            }
        }
        // What is left is no longer served: kept for a while, then dropped.
        Map<Key, Long> stillRemoved = new HashMap<>();
        for (Map.Entry<Key, Long> entry : sums.entrySet()) {
            Key key = entry.getKey();
            Key name = new Key(key.profile, key.endpoint, -1);
            long since = removedSince.getOrDefault(name, now);
            stillRemoved.put(name, since);
            if (now - since < RETAIN_REMOVED_NANOS) {
                out.put(key, entry.getValue());
            } else {
                totals.remove(key);
            }
        }
        removedSince.clear();
        removedSince.putAll(stillRemoved);
        for (Map.Entry<Key, Long> entry : out.entrySet()) {
            Key key = entry.getKey();
            sink.count(key.profile, key.endpoint, RESULT_LABELS[key.result], entry.getValue());
        }
    }

    /** A series' name: profile, endpoint ("" for none) and result (-1 for the pair alone). */
    private record Key(String profile, String endpoint, int result) {
    }

    /** Where each profile's and endpoint's counters sit in a generation, for one configuration. */
    static final class Layout {
        final RoutingPlan plan;
        final String[] profileNames;
        final String[][] endpointNames;
        /** Where each profile's counters start: its "no endpoint" results, then each endpoint's. */
        final int[] base;
        final int size;

        Layout(RoutingPlan plan) {
            this.plan = plan;
            List<ProfileConfig> profiles = plan.config().profiles();
            int n = plan.profileCount();
            profileNames = new String[n];
            endpointNames = new String[n][];
            base = new int[n];
            int next = 0;
            for (int p = 0; p < n; p++) {
                profileNames[p] = profiles.get(p).name();
                List<Endpoint> endpoints = plan.endpoints(p);
                endpointNames[p] = new String[endpoints.size()];
                for (int e = 0; e < endpoints.size(); e++) {
                    endpointNames[p][e] = endpoints.get(e).name();
                }
                base[p] = next;
                next += (endpoints.size() + 1) * RESULTS;
            }
            size = next;
        }
    }

    /** One thread's counters for one configuration. Written by that thread only; read by scrapes. */
    static final class Generation {
        final Layout layout;
        private final long[] counts;
        /** Set by the owning thread when it moves to another configuration; it writes no more after. */
        volatile boolean retired;

        Generation(Layout layout) {
            this.layout = layout;
            this.counts = new long[layout.size];
        }

        /** Counts one answer: of a profile, by its endpoint (-1 for none), with a result. Owner thread only. */
        void add(int profile, int endpoint, int result) {
            int i = layout.base[profile] + (endpoint + 1) * RESULTS + result;
            LONGS.setOpaque(counts, i, (long) LONGS.getOpaque(counts, i) + 1);
        }

        void addTo(Map<Key, Long> sums) {
            Layout l = layout;
            for (int p = 0; p < l.profileNames.length; p++) {
                for (int e = -1; e < l.endpointNames[p].length; e++) {
                    for (int r = 0; r < RESULTS; r++) {
                        long value = (long) LONGS.getOpaque(counts, l.base[p] + (e + 1) * RESULTS + r);
                        if (value != 0) {
                            sums.merge(new Key(l.profileNames[p], e < 0 ? "" : l.endpointNames[p][e], r), value, Long::sum);
                        }
                    }
                }
            }
        }
    }
}
