package io.wayfinder.traffic;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.time.Scheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Traffic View: which client networks query each profile, where they are sent and how far they
 * are, in bounded memory, kept across restarts in the data directory.
 *
 * <pre>
 *   event loops (query path):  TrafficRecorder.record -> the loop's TrafficSketch (interval, no lock)
 *   traffic thread, every mergeInterval:
 *       hand-off (a task on each loop swaps its sketch for a spare)
 *       decay every summary to now; fold each sketch into its profiles' TrafficSummary (Space-Saving merge)
 *   traffic thread, every saveInterval and when stopping:  TrafficFile.write(storage.dir/traffic-view.dat)
 *   API threads:               report(), targets(): copies, under the lock the merge holds
 * </pre>
 *
 * <p><b>Memory bound</b>: {@code capacity} networks per profile (5,000 by default, about 200 bytes
 * each on the heap: 1 MB a profile), plus two sketches per event loop of {@code sketchSets * 8}
 * slots (16,384 by default, about 60 bytes each: 2 MB a loop).
 *
 * <p><b>What a restart loses</b>: a clean stop merges every loop's last sketch and saves, so
 * nothing; a crash ({@code kill -9}) loses what was counted since the last save, at most
 * {@code saveInterval} (60 s) plus one merge interval. Time keeps running while the server is
 * down: the restored counts are decayed by the time since they were saved.
 */
public final class TrafficView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrafficView.class);
    /** The file's name in the data directory ({@code storage.dir}). */
    public static final String FILE = "traffic-view.dat";
    /** How long a merge waits for the event loops to hand their sketches over. */
    private static final long HAND_OFF_WAIT_MILLIS = 1_000;

    /**
     * @param sketchSets    sets of 8 slots per event-loop sketch (a power of two)
     * @param capacity      networks kept per profile
     * @param halfLife      a query's weight halves every half-life
     * @param mergeInterval how often the loops' sketches are folded in (what the views lag by)
     * @param saveInterval  how often the summaries are written to the data directory
     */
    public record Settings(int sketchSets, int capacity, Duration halfLife, Duration mergeInterval, Duration saveInterval) {
        /**
         * 2,048 sets (16,384 slots) hold the distinct networks one loop meets in 10 s at tens of
         * thousands of queries a second without replacing any; 5,000 networks a profile cover the
         * networks that send nearly all queries (traffic by network is heavy-tailed); a one-day
         * half-life keeps a network whose users are awake at another time of day; merges every
         * 10 s keep the views fresh and a save a minute bounds what a crash loses.
         */
        public static final Settings DEFAULT = new Settings(2048, 5_000, Duration.ofDays(1), Duration.ofSeconds(10),
                Duration.ofSeconds(60));

        public Settings {
            if (sketchSets < 1 || Integer.bitCount(sketchSets) != 1) {
                throw new IllegalArgumentException("sketchSets must be a power of two, not " + sketchSets);
            }
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be positive, not " + capacity);
            }
        }
    }

    private final Scheduler thread;
    /** Where the summaries are kept, or null (not persisted). */
    private final Path file;
    private final Settings settings;
    private final Map<Executor, TrafficRecorder> recorders = new ConcurrentHashMap<>();
    // Guarded by this:
    private final TreeMap<String, TrafficSummary> profiles = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private long decayedAtMillis;
    private long mergedAtMillis;
    private long merges;
    private long replacementsInSketches;
    private long savedAtMillis;
    private long saveFailures;
    // The traffic thread's:
    private final List<Scheduler.Cancellable> timers = new ArrayList<>();
    private volatile boolean closed;

    /**
     * Restores what {@code file} holds (when it exists; a file that cannot be read is moved aside
     * with a warning and the view starts empty: losing history must not stop a DNS server).
     *
     * @param file where to keep the summaries, or null to keep nothing
     */
    public TrafficView(Scheduler thread, Path file, Settings settings) {
        this.thread = thread;
        this.file = file;
        this.settings = settings;
        long now = thread.clock().millis();
        decayedAtMillis = now;
        if (file != null && Files.exists(file)) {
            try {
                TrafficFile.Contents c = TrafficFile.read(file, settings.capacity());
                profiles.putAll(c.profiles());
                decayedAtMillis = Math.min(c.savedAtMillis(), now);
                savedAtMillis = c.savedAtMillis();
                decayTo(now);
                LOG.info("traffic view: restored {} network(s) of {} profile(s) from {}, saved {} s ago", networks(),
                        profiles.size(), file, Math.max(0, (now - c.savedAtMillis()) / 1000));
            } catch (IOException | RuntimeException e) {
                Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
                try {
                    Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException moveFailed) {
                    aside = file;
                }
                profiles.clear();
                LOG.warn("traffic view: {} cannot be read ({}); starting empty (the file is now {})", file, e.getMessage(),
                        aside);
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    /**
     * The recorder of an event loop: every channel of that loop shares it, only the loop's thread
     * records into it, and the merge runs its hand-off as a task on {@code loop}.
     */
    public TrafficRecorder recorder(Executor loop) {
        return recorders.computeIfAbsent(loop, l -> new TrafficRecorder(l, settings.sketchSets()));
    }

    /** Merges every {@code mergeInterval} and saves every {@code saveInterval}, on the traffic thread. */
    public void start() {
        thread.execute(() -> {
            long merge = settings.mergeInterval().toMillis();
            long save = settings.saveInterval().toMillis();
            timers.add(thread.every(merge, merge, this::merge));
            if (file != null) {
                timers.add(thread.every(save, save, this::save));
            }
        });
    }

    /** A merge now, on the traffic thread; completes when its result is in the views. */
    public CompletableFuture<Void> mergeSoon() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                merge();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /**
     * Takes every loop's sketch (waiting up to a second for the loops to hand them over; a busy loop's
     * comes at the next merge) and folds them in. On the traffic thread, or a test's own.
     */
    void merge() {
        List<TrafficRecorder> all = new ArrayList<>(recorders.values());
        for (TrafficRecorder r : all) {
            if (r.pending == null) {
                r.pending = r.handOff(r.spare != null ? r.spare : new TrafficSketch(settings.sketchSets()));
                r.spare = null;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HAND_OFF_WAIT_MILLIS);
        List<TrafficSketch> full = new ArrayList<>();
        List<TrafficRecorder> from = new ArrayList<>();
        for (TrafficRecorder r : all) {
            try {
                long wait = Math.max(0, deadline - System.nanoTime());
                full.add(r.pending.get(wait, TimeUnit.NANOSECONDS));
                from.add(r);
                r.pending = null;
            } catch (TimeoutException e) {
                // the loop is busy or stuck: its sketch is taken at the next merge
            } catch (ExecutionException e) {
                r.pending = null; // the loop has stopped: close() reads what it had
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fold(full);
        for (int k = 0; k < full.size(); k++) {
            full.get(k).clear();
            from.get(k).spare = full.get(k);
        }
    }

    private void fold(List<TrafficSketch> sketches) {
        long now = thread.clock().millis();
        synchronized (this) {
            decayTo(now);
            for (TrafficSketch s : sketches) {
                foldOne(s, now);
            }
            mergedAtMillis = now;
            merges++;
        }
    }

    /** Groups a sketch's slots by profile, then merges each group into its profile's summary. */
    private void foldOne(TrafficSketch s, long now) {
        replacementsInSketches += s.replacements;
        Map<String, int[]> byProfile = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        for (int i = 0; i < s.slots(); i++) {
            String p = s.profiles[i];
            if (p == null) {
                continue;
            }
            int n = sizes.getOrDefault(p, 0);
            int[] slots = byProfile.computeIfAbsent(p, k -> new int[64]);
            if (n == slots.length) {
                slots = java.util.Arrays.copyOf(slots, n * 2);
                byProfile.put(p, slots);
            }
            slots[n] = i;
            sizes.put(p, n + 1);
        }
        if (s.replacements > 0) { // only a sketch that dropped keys can have dropped the summaries' ones
            for (Map.Entry<String, TrafficSummary> p : profiles.entrySet()) {
                p.getValue().addFloors(s, p.getKey());
            }
        }
        for (Map.Entry<String, int[]> g : byProfile.entrySet()) {
            TrafficSummary summary = profiles.computeIfAbsent(g.getKey(), k -> new TrafficSummary(settings.capacity()));
            summary.merge(s, g.getValue(), sizes.get(g.getKey()), now);
        }
    }

    private void decayTo(long now) {
        long elapsed = now - decayedAtMillis;
        if (elapsed <= 0) {
            return;
        }
        double factor = Math.pow(0.5, (double) elapsed / settings.halfLife().toMillis());
        profiles.values().removeIf(s -> {
            s.decay(factor);
            return s.size() == 0 && s.total < TrafficSummary.NEGLIGIBLE;
        });
        decayedAtMillis = now;
    }

    /** Writes the summaries to the data directory; a failure is logged and counted, and the next save tries again. */
    void save() {
        if (file == null) {
            return;
        }
        Map<String, TrafficSummary> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        long at;
        synchronized (this) {
            at = thread.clock().millis();
            decayTo(at);
            for (Map.Entry<String, TrafficSummary> p : profiles.entrySet()) {
                TrafficSummary s = new TrafficSummary(settings.capacity());
                s.total = p.getValue().total;
                for (TrafficSummary.Entry e : p.getValue().entries()) {
                    s.restore(e.copy());
                }
                copy.put(p.getKey(), s);
            }
        }
        try {
            TrafficFile.write(file, at, copy);
            synchronized (this) {
                savedAtMillis = at;
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                saveFailures++;
            }
            LOG.error("traffic view: {} could not be written ({}); a restart would lose the traffic counted since the"
                    + " last save", file, e.toString());
        }
    }

    // --- views --------------------------------------------------------------------------------------

    /** The profiles with traffic, in name order. */
    public synchronized List<String> profileNames() {
        return List.copyOf(profiles.keySet());
    }

    /** One profile's networks, most queries first, and its total; null when it has none. */
    public synchronized ProfileTraffic profile(String name) {
        TrafficSummary s = profiles.get(name);
        if (s == null) {
            return null;
        }
        List<TrafficSummary.Entry> entries = new ArrayList<>(s.entries());
        entries.sort(TrafficSummary.BY_QUERIES);
        List<NetworkTraffic> networks = new ArrayList<>(entries.size());
        for (TrafficSummary.Entry e : entries) {
            networks.add(new NetworkTraffic(NetworkKey.network(e.network), e.queries, e.error, e.endpoint, e.region,
                    e.rttMs(), e.lastSeenMillis));
        }
        String canonical = profiles.ceilingKey(name);
        return new ProfileTraffic(canonical == null ? name : canonical, s.total, networks);
    }

    /** A profile's traffic as the views read it: its total and its networks, most queries first. */
    public record ProfileTraffic(String profile, double queries, List<NetworkTraffic> networks) {
    }

    /**
     * One client network of a profile.
     *
     * @param queries  its queries, decayed (a query now counts 1, one a half-life old 0.5); an
     *                 overestimate by at most {@code error} (Space-Saving)
     * @param endpoint the endpoint the profile sent it to last, and that endpoint's region (null: none yet)
     * @param rttMs    the mean RTT its routing decisions estimated, or NaN when none made one
     */
    public record NetworkTraffic(IpPrefix network, double queries, double error, String endpoint, String region,
                                 double rttMs, long lastSeenMillis) {
        /** At least this many of its queries are surely its own. */
        public double guaranteed() {
            return queries - error;
        }
    }

    /**
     * A network worth measuring, with the address to measure it by.
     *
     * @param address     a resolver's address seen querying from it, else (only ECS seen) the network's first host
     * @param fromResolver whether {@code address} is a resolver's (a host that was seen) rather than the stand-in
     * @param queries     its queries over every profile (decayed)
     */
    public record Target(IpPrefix network, IpPrefix address, boolean fromResolver, double queries) {
    }

    /**
     * The networks that send the most queries, over every profile, with an address each: what a
     * region agent should measure. Networks of length 0 (an ECS option that names no network) are
     * left out.
     */
    public List<Target> targets(int limit) {
        Map<Long, TrafficSummary.Entry> byNetwork = new HashMap<>();
        synchronized (this) {
            for (TrafficSummary s : profiles.values()) {
                for (TrafficSummary.Entry e : s.entries()) {
                    if (NetworkKey.length(e.network) == 0) {
                        continue;
                    }
                    TrafficSummary.Entry sum = byNetwork.get(e.network);
                    if (sum == null) {
                        byNetwork.put(e.network, e.copy());
                    } else {
                        sum.queries += e.queries;
                        if (e.addressKind == TrafficSketch.RESOLVER && (sum.addressKind != TrafficSketch.RESOLVER
                                || e.lastSeenMillis > sum.lastSeenMillis)) {
                            sum.addressKind = e.addressKind;
                            sum.addressHi = e.addressHi;
                            sum.addressLo = e.addressLo;
                        }
                        sum.lastSeenMillis = Math.max(sum.lastSeenMillis, e.lastSeenMillis);
                    }
                }
            }
        }
        List<TrafficSummary.Entry> ranked = new ArrayList<>(byNetwork.values());
        ranked.sort(TrafficSummary.BY_QUERIES);
        List<Target> out = new ArrayList<>(Math.min(limit, ranked.size()));
        for (TrafficSummary.Entry e : ranked.subList(0, Math.min(limit, ranked.size()))) {
            out.add(new Target(NetworkKey.network(e.network), address(e), e.addressKind == TrafficSketch.RESOLVER, e.queries));
        }
        return out;
    }

    /** The address an entry is measured by: its resolver's, or its network's first host. */
    static IpPrefix address(TrafficSummary.Entry e) {
        if (e.addressKind != TrafficSketch.RESOLVER) {
            return NetworkKey.firstHost(e.network);
        }
        return NetworkKey.ipv6(e.network) ? IpPrefix.ofIpv6(e.addressHi, e.addressLo, 128)
                : IpPrefix.ofIpv4((int) e.addressLo, 32);
    }

    // --- counters, for the metrics -------------------------------------------------------------------

    /** Networks kept, over every profile. */
    public synchronized long networks() {
        long n = 0;
        for (TrafficSummary s : profiles.values()) {
            n += s.size();
        }
        return n;
    }

    /** Networks dropped from a full summary to make room for busier ones, since start. */
    public synchronized long evicted() {
        long n = 0;
        for (TrafficSummary s : profiles.values()) {
            n += s.evicted;
        }
        return n;
    }

    /** Keys that took over a slot of an event loop's sketch within an interval (its set was full). */
    public synchronized long sketchReplacements() {
        return replacementsInSketches;
    }

    public synchronized long merges() {
        return merges;
    }

    /** When the views last took in the loops' counts (Unix milliseconds; 0 before the first merge). */
    public synchronized long mergedAtMillis() {
        return mergedAtMillis;
    }

    /** When the summaries were last written (or the restored file saved); 0 when never. */
    public synchronized long savedAtMillis() {
        return savedAtMillis;
    }

    public synchronized long saveFailures() {
        return saveFailures;
    }

    /**
     * Stops merging, folds in every loop's last sketch and saves. Call it once the event loops have
     * stopped (the DNS server is closed): their active sketches are then read directly.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable last = () -> {
            try {
                timers.forEach(Scheduler.Cancellable::cancel);
                List<TrafficSketch> sketches = new ArrayList<>();
                for (TrafficRecorder r : recorders.values()) {
                    if (r.pending != null && r.pending.isDone() && !r.pending.isCompletedExceptionally()) {
                        sketches.add(r.pending.join());
                    }
                    sketches.add(r.activeAfterStop());
                }
                fold(sketches);
                save();
            } finally {
                done.complete(null);
            }
        };
        if (thread.inThread()) {
            last.run();
            return;
        }
        thread.execute(last);
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("traffic view: the last save did not finish within 10 s of stopping");
        }
    }
}
