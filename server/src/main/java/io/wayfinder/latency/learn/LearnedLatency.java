package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.BorrowingModel.Trust;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner: measurements in, a {@link LatencyTable} out at every rebuild.
 *
 * <pre>
 *  add() ──► Journal ──(rebuild: swap)──► Fold ──► CellStore          per cell: decayed winsorised
 *  request    raw samples,                 winsorise,  long-term state    mean and spread, weight, time
 *  threads    bounded                      detect change
 *                                                │
 *  static CSV table ──(as observations)──► Observations (sorted, one array per field)
 *                                                │
 *                          TrustSearch: hold out a fold, learn the variances
 *                                                │
 *                          BorrowingModel: μ(region, place) + blocks + network offset
 *                                                │
 *                          rows: own cells shrunk (limited translation), the rest borrowed;
 *                          block rows for networks without samples; hysteresis against the
 *                          previous table ──► LatencyRows ──► LatencyEstimator
 * </pre>
 *
 * Threads: see {@link LatencyLearning}. {@code add} takes only the journal's monitor, for the
 * time it takes to copy a batch; {@code rebuild} and {@code checkpoint} hold {@code learning};
 * {@code coverage} reads the last {@link Published} state and takes no lock; {@code explain} reads
 * it and the network's cells in the store, under {@code storeAccess}'s read lock, which the
 * learning thread holds for writing only while it changes the store (a fold, a prune, a restore):
 * an explain waits at most for one fold, never for a whole rebuild.
 */
public final class LearnedLatency implements LatencyLearning {
    private static final Logger log = LoggerFactory.getLogger(LearnedLatency.class);

    /** Cells whose weight has decayed below this no longer count (about 4.3 half-lives after one sample). */
    static final double MIN_WEIGHT = 0.05;
    /** The pooled per-sample variance before any cell has enough samples to say: 10 ms standard deviation. */
    static final double INITIAL_PRIOR_VARIANCE = 100;
    /** Cells the trust search fits on (a sample of whole neighbourhoods). */
    static final int TRUST_SAMPLE_CELLS = 200_000;
    /**
     * Backfitting sweeps of the full fit, at most (a unit stops earlier once a sweep moves none of
     * its effects by more than {@link BorrowingModel#TOLERANCE_MS}). Three, with the moves along
     * the confounded direction ({@link BorrowingModel}'s translate): on LearnedScale's world at
     * 200,000 networks, three sweeps from zero come within 0.019 ms rms (0.82 ms at most) of the
     * converged estimate's predictions, where five sweeps without the moves came within 0.159 ms
     * rms (2.75 ms at most).
     */
    static final int SWEEPS = 3;
    /**
     * Limited translation (Efron and Morris, 1972): shrinking an own cell towards what it would
     * borrow moves it at most this many of its own standard errors. Shrinkage is right for the many
     * cells that are like their neighbours and wrong for the few that are not (a bad peering, a
     * congested path); this bound keeps those few close to their own samples.
     */
    static final double MAX_SHRINK_SE = 1;
    /**
     * How far an own cell moves towards what it would borrow: {@code amount = λ (y - ŷ)}, limited
     * to {@link #MAX_SHRINK_SE} standard errors once the cell has {@code changeMinSamples} samples'
     * weight, as much evidence as it takes to declare a change. Below that the shrinkage is the
     * plain Bayesian one: a cell of one or two samples cannot claim to be unusual. Counted in
     * whole samples ({@link SpikeOdds#few}): a state the fold replaced after a change holds
     * {@code changeMinSamples} samples decayed by up to {@code holdBack} (4.98), and shrunk the
     * plain way it fell back most of the way to its unchanged neighbours (three of the seventeen
     * networks of the routing-quality benchmark's congestion event that kept the slowed region
     * despite 5 new samples to it).
     */
    static double shrink(double amount, double v, double weight, int changeMinSamples) {
        if (SpikeOdds.few(weight, changeMinSamples)) {
            return amount;
        }
        double limit = MAX_SHRINK_SE * Math.sqrt(v);
        return Math.max(-limit, Math.min(limit, amount));
    }

    /** At most this many regions (a cell keeps its region in a byte). */
    static final int MAX_REGIONS = 255;

    private final LearningParameters parameters;
    private final double halfLifeMinutes;

    // Ingestion.
    private final Object journalLock = new Object();
    /** New samples, not yet folded: at most {@code maxPendingSamples} (the cap {@link #add} drops at). */
    private Journal journal = new Journal(1 << 16);
    private long dropped;
    /**
     * Samples a fold held back (a mature cell's few recent samples, waiting for enough to test a
     * change), folded again with the next fold's new samples. Apart from {@link #journal} so that
     * they do not count against the cap of new samples: otherwise, when every cell is mature and
     * samples arrive a few per cell between folds, the held-back samples fill the cap and new ones
     * are dropped. Bounded on their own by {@code maxPendingSamples} ({@link Fold#fold}'s keep
     * limit: beyond it a cell merges instead of waiting), and by {@code holdBack} in time.
     * Guarded by {@code learning}; its size is published in {@link #heldBackCount}.
     */
    private Journal heldBack = new Journal(16);
    private volatile int heldBackCount;
    private final ConcurrentHashMap<String, Integer> regionIndex = new ConcurrentHashMap<>();
    private final List<String> regionNames = new ArrayList<>(); // guarded by regionIndex's monitor on writes

    // Learning state, guarded by learning.
    private final ReentrantLock learning = new ReentrantLock();
    /**
     * Guards {@link #store} against explain, which reads a network's cells from it ({@link
     * CellEvidence}) while the learning thread may be folding: written (by that thread, which also
     * holds {@code learning}) only around changes to the store; read by explain.
     */
    private final ReentrantReadWriteLock storeAccess = new ReentrantReadWriteLock();
    private CellStore store = new CellStore();
    private final Fold fold;
    private double priorVariance = INITIAL_PRIOR_VARIANCE;
    /** How far floors sit below means, learned at every rebuild (see {@link FloorExcess}). */
    private FloorExcess floorExcess = FloorExcess.NONE;
    private Trust trust;
    private long rebuilds;
    private StaticCells staticCells;

    private volatile Published published;
    /** Where each network of the last rebuild is, by its own geolocation row: carried to the next. Guarded by {@code learning}. */
    private NetworkPlaces places;
    /** Where the dark and held-out blocks of the last rebuild are, by their probes: carried to the next. Guarded by {@code learning}. */
    private BlockPlaces blockPlaces;
    /** Where the last rebuild's networks are by their own cells ({@link CellPlaces}): carried to the next. Guarded by {@code learning}. */
    private CellPlaces cellPlaces;

    public LearnedLatency(LearningParameters parameters) {
        this.parameters = parameters;
        this.halfLifeMinutes = parameters.halfLife().toSeconds() / 60.0;
        this.fold = new Fold(parameters);
        int levels = Math.max(parameters.ipv4Levels().size(), parameters.ipv6Levels().size());
        this.trust = Trust.initial(levels);
    }

    /**
     * Reads a {@link #checkpoint} back.
     *
     * @throws IOException naming the file and what is wrong when it is damaged, truncated or of
     *                     another version
     */
    public static LearnedLatency restore(Path file, LearningParameters parameters) throws IOException {
        LearnedLatency learner = new LearnedLatency(parameters);
        Checkpoint.read(file, learner);
        return learner;
    }

    public LearningParameters parameters() {
        return parameters;
    }

    // ---------------------------------------------------------------------------------------------
    // Ingestion.

    @Override
    public int add(List<Measurement> batch) {
        int n = batch.size();
        long[] keys = new long[n];
        int[] regions = new int[n];
        for (int i = 0; i < n; i++) {
            Measurement m = batch.get(i);
            keys[i] = NetworkKeys.of(m.network());
            regions[i] = region(m.region());
        }
        int taken = 0;
        synchronized (journalLock) {
            int max = parameters.maxPendingSamples();
            for (int i = 0; i < n; i++) {
                Measurement m = batch.get(i);
                if (regions[i] >= 0 && journal.append(keys[i], regions[i], (float) m.rttMs(),
                        Decay.minute(m.timeMillis()), max)) {
                    taken++;
                }
            }
            dropped += n - taken;
        }
        return taken;
    }

    /** The index of a region name (lower case), registered when new; -1 beyond {@link #MAX_REGIONS}. */
    int region(String name) {
        Integer known = regionIndex.get(name);
        if (known != null) {
            return known;
        }
        synchronized (regionIndex) {
            known = regionIndex.get(name);
            if (known != null) {
                return known;
            }
            if (regionNames.size() >= MAX_REGIONS) {
                return -1;
            }
            int index = regionNames.size();
            regionNames.add(name);
            regionIndex.put(name, index);
            return index;
        }
    }

    List<String> regionNames() {
        synchronized (regionIndex) {
            return List.copyOf(regionNames);
        }
    }

    /** Samples accepted and not yet folded in: new ones and those a fold held back. */
    public long pendingSamples() {
        synchronized (journalLock) {
            return journal.size + (long) heldBackCount;
        }
    }

    /**
     * Whether enough new samples wait that the learning thread should fold them now rather than at
     * the next rebuild: {@link #FOLD_SHARE} of the cap, and at least as many as were held back (a
     * fold goes over those again, so each new sample costs at most about two folded).
     */
    @Override
    public boolean foldDue() {
        int waiting;
        synchronized (journalLock) {
            waiting = journal.size;
        }
        return waiting >= Math.max(1, (long) (parameters.maxPendingSamples() * FOLD_SHARE)) && waiting >= heldBackCount;
    }

    /** {@link #foldDue} once this share of {@code maxPendingSamples} new samples wait. */
    static final double FOLD_SHARE = 0.125;

    private Journal takeJournal() {
        synchronized (journalLock) {
            Journal taken = journal;
            journal = new Journal(nextJournalCapacity(taken.size, parameters.maxPendingSamples()));
            return taken;
        }
    }

    /**
     * The room a new journal starts with after one of {@code taken} samples was taken: as many
     * (samples arrive at about the same rate from one fold to the next), but no more than a fold
     * between rebuilds takes ({@link #FOLD_SHARE} of the cap; it grows by doubling beyond). Sized to
     * the whole cap after a bulk import of 94 M samples, the empty journal held 1.6 GB through the
     * rebuild that followed, and at 10 M networks that rebuild ran out of a 9 GB heap.
     */
    static int nextJournalCapacity(int taken, int maxPendingSamples) {
        int fold = (int) Math.max(1 << 16, maxPendingSamples * FOLD_SHARE);
        return Math.min(maxPendingSamples, Math.min(fold, Math.max(1 << 16, taken)));
    }

    /** The held-back samples, then {@code later}: the order a fold takes them in. */
    private static Journal concat(Journal first, Journal later) {
        Journal all = new Journal(first.size + later.size);
        for (Journal j : new Journal[] {first, later}) {
            System.arraycopy(j.key, 0, all.key, all.size, j.size);
            System.arraycopy(j.region, 0, all.region, all.size, j.size);
            System.arraycopy(j.rttMs, 0, all.rttMs, all.size, j.size);
            System.arraycopy(j.minute, 0, all.minute, all.size, j.size);
            all.size += j.size;
        }
        return all;
    }

    /**
     * Folds the samples added so far into the long-term state without building a table: for a
     * service that wants to keep the journal short between rebuilds. {@link #rebuild} does it first.
     */
    @Override
    public void fold(Instant now) {
        learning.lock();
        try {
            foldLocked(Decay.minute(now.toEpochMilli()));
        } finally {
            learning.unlock();
        }
    }

    private void foldLocked(int nowMinute) {
        Journal taken = takeJournal();
        if (taken.size == 0 && heldBack.size == 0) {
            return;
        }
        Journal all = heldBack.size == 0 ? taken : concat(heldBack, taken);
        Journal kept = new Journal(16);
        storeAccess.writeLock().lock();
        try {
            fold.fold(all, store, nowMinute, priorVariance, kept, parameters.maxPendingSamples());
        } finally {
            storeAccess.writeLock().unlock();
        }
        heldBack = kept;
        heldBackCount = kept.size;
    }

    // ---------------------------------------------------------------------------------------------
    // Rebuild.

    @Override
    public LatencyEstimator rebuild(Instant now, LatencyTable staticTable, GeoLocator geo, RegionCatalogue catalogue) {
        learning.lock();
        try {
            return rebuildLocked(now, staticTable == null ? LatencyTable.empty() : staticTable, geo, catalogue);
        } finally {
            learning.unlock();
        }
    }

    private LatencyEstimator rebuildLocked(Instant now, LatencyTable staticTable, GeoLocator geo, RegionCatalogue catalogue) {
        long t0 = System.nanoTime();
        long cpu0 = Lanes.cpuNanos();
        int nowMinute = Decay.minute(now.toEpochMilli());
        fold.merged = 0;
        fold.replaced = 0;
        fold.heldBack = 0;
        fold.changedCells = 0;
        foldLocked(nowMinute);
        long t1 = System.nanoTime();
        long cpu1 = Lanes.cpuNanos();
        if (store.cellCount() > 1024 && rebuilds % 16 == 0) {
            int pruned;
            storeAccess.writeLock().lock();
            try {
                pruned = store.prune(nowMinute, halfLifeMinutes, MIN_WEIGHT);
            } finally {
                storeAccess.writeLock().unlock();
            }
            if (pruned > 0) {
                log.info("latency learning: dropped {} cells whose samples are too old to count", pruned);
            }
        }
        if (staticCells == null || staticCells.table != staticTable) {
            staticCells = StaticCells.of(staticTable, this::region);
        }
        List<String> names = regionNames();
        floorExcess = fitFloorExcess();
        fold.floorExcess = floorExcess;
        double cellPrior = priorVariance; // what the cells' variances are taken with (explain reads them back with it)
        Observations obs = observe(nowMinute, names.size());
        priorVariance = pooledVariance();
        long t2 = System.nanoTime();
        long cpu2 = Lanes.cpuNanos();

        places = NetworkPlaces.of(obs, geo, places, NetworkPlaces.LOOKUPS_PER_REBUILD);
        Anchors located = Anchors.of(obs, names, geo, catalogue, places);
        cellPlaces = CellPlaces.carried(cellPlaces, obs);
        Anchors anchors = located.withCellPlaces(obs, cellPlaces);
        // The trust is searched at every rebuild. Searching only every fifth (keeping the last
        // search's trust between) was tried and measured: after a congestion event the networks
        // that borrow the slowed region's difference moved off it half as often (the routing
        // quality report's congestion rows), because the trust does move when paths change.
        int heldOutFold = (int) (rebuilds % TrustSearch.FOLDS);
        Observations sample = obs.sample(1, TRUST_SAMPLE_CELLS);
        Anchors sampleAnchors = sample == obs ? anchors
                : Anchors.of(sample, names, geo, catalogue, NetworkPlaces.of(sample, geo, places, 0));
        TrustSearch.Result learned = TrustSearch.search(sample, sampleAnchors.muRowOf, sampleAnchors.mu, trust, heldOutFold,
                rebuilds == 0 ? 2 : 1, parameters.changeMinSamples());
        trust = learned.trust();
        long t3 = System.nanoTime();
        long cpu3 = Lanes.cpuNanos();

        Published previous = published;
        BorrowingModel model = new BorrowingModel(obs, anchors.muRowOf, anchors.mu, anchors.blockMu);
        model.weighSpikes(learned.spikes(), learned.classVariance()[0]);
        int sweeps = model.fit(trust, null, SWEEPS, BorrowingModel.TOLERANCE_MS, previous == null ? null : previous.obs,
                previous == null ? null : previous.model);
        // Networks their cells place away from their block's place (CellPlaces): a window a
        // rebuild. When it held every network (a learner of up to PER_REBUILD), the units of those
        // whose place moved are fitted again now, twice; otherwise the places enter the next rebuild's
        // fit, which fits every unit anyway: a first rebuild at 10 M networks pays for the
        // placing alone (0.4 s), not for a second table of distance-model rows and a refit.
        // Each round after the first places again: the blocks' figures, no longer pulled by their
        // networks out of town, place the rest better (in process, seeds 1-3: +0.04, +0.02, +0.06
        // point of all networks).
        long placing = System.nanoTime();
        boolean[] moved = cellPlaces.infer(obs, model, anchors, trust.noiseVariance(), CellPlaces.PER_REBUILD);
        placing = System.nanoTime() - placing;
        long rows = 0;
        long refit = 0;
        for (int round = 1; moved != null && cellPlaces.wholeWindow; round++) {
            long t = System.nanoTime();
            anchors = located.withCellPlaces(obs, cellPlaces);
            long fit = System.nanoTime();
            model.refit(anchors.muRowOf, anchors.mu, moved, trust, SWEEPS, BorrowingModel.TOLERANCE_MS);
            long placeAgain = System.nanoTime();
            moved = round < CellPlaces.ROUNDS ? cellPlaces.infer(obs, model, anchors, trust.noiseVariance(), CellPlaces.PER_REBUILD)
                    : null;
            rows += fit - t;
            refit += placeAgain - fit;
            placing += System.nanoTime() - placeAgain;
        }
        long t4 = System.nanoTime();
        long cpu4 = Lanes.cpuNanos();

        blockPlaces = BlockPlaces.after(blockPlaces, geo);
        Published next = TableWriter.write(obs, model, anchors, learned, names, previous, parameters,
                priorVariance, now, new Published.CellSource(staticCells, cellPrior, floorExcess), blockPlaces);
        long t5 = System.nanoTime();
        long cpu5 = Lanes.cpuNanos();
        published = next;
        rebuilds++;
        log.info(String.format(Locale.ROOT, "latency learning: rebuild %d: %d samples folded (%d merged, %d replacing the state of %d changed cells, %d held back), "
                        + "%d networks, %d cells, %d table rows; %d networks looked up in the geolocation, %d out of town (a distance-model row of their own), "
                        + "%d placed by their cells (%d away from their block's place, share %.2f, sharpness %.1f; %.2f s placing, %.2f s rows, %.2f s refit), "
                        + "%d of %d blocks probed (the others' probes carried); "
                        + "trust %s; held-out error %.1f ms² over %d cells; %s; "
                        + "fold %.2f s, observe %.2f s, learn %.2f s, fit %.2f s (at most %d sweeps, %.2f per cell%s, the last moving effects by %.3f ms at most), table %.2f s; "
                        + "CPU of the learning thread and the lanes: fold %.2f s, observe %.2f s, learn %.2f s, fit %.2f s, table %.2f s",
                rebuilds, fold.merged + fold.replaced + fold.heldBack, fold.merged, fold.replaced, fold.changedCells, fold.heldBack,
                obs.networks, obs.cells, next.table.prefixCount(), places.lookups, anchors.ownRows,
                cellPlaces.placed, cellPlaces.away, cellPlaces.share(), cellPlaces.lastSharpness, placing / 1e9, rows / 1e9, refit / 1e9, blockPlaces.lookups,
                blockPlaces.size(), describe(trust),
                learned.heldOutError(), learned.heldOutCells(), learned.spikes(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                (t4 - t3) / 1e9, sweeps, model.sweepsPerCell, previous == null ? "" : ", warm", model.lastMoved, (t5 - t4) / 1e9,
                (cpu1 - cpu0) / 1e9, (cpu2 - cpu1) / 1e9, (cpu3 - cpu2) / 1e9, (cpu4 - cpu3) / 1e9, (cpu5 - cpu4) / 1e9));
        return new LatencyEstimator(next.table, geo, anchors.global);
    }

    static String describe(Trust t) {
        StringBuilder out = new StringBuilder();
        for (int l = 0; l < t.offsetVariance().length; l++) {
            out.append(String.format(Locale.ROOT, "level %d sd %.1f/%.1f ms, ", l, Math.sqrt(t.offsetVariance()[l]),
                    Math.sqrt(t.regionVariance()[l])));
        }
        return out.append(String.format(Locale.ROOT, "network sd %.1f ms, unexplained sd %.1f ms",
                Math.sqrt(t.networkVariance()), Math.sqrt(t.noiseVariance()))).toString();
    }

    /** The evidence at this instant ({@link EvidenceLayout}), its cells' variances taken with the current prior. */
    private Observations observe(int nowMinute, int regions) {
        return EvidenceLayout.of(store, staticCells, nowMinute, regions, priorVariance, floorExcess, parameters);
    }

    /** Cells at most this many learn {@link FloorExcess}: a sample of networks beyond, the same work at any size. */
    private static final int FLOOR_FIT_CELLS = 2_000_000;

    /** {@link FloorExcess} learned from the store's cells (from a sample of its networks when large). */
    private FloorExcess fitFloorExcess() {
        int networks = store.networkCount();
        int stride = Math.max(1, (int) (store.cellCount() / (long) FLOOR_FIT_CELLS));
        FloorExcess.Fitter fitter = new FloorExcess.Fitter();
        for (int n = 0; n < networks; n += stride) {
            double scale = Fold.networkScale(store, n, priorVariance);
            for (int k = store.firstCell(n); k != CellStore.NONE; k = store.nextCell(k)) {
                fitter.add(store.weight(k), store.gap(k), scale);
            }
        }
        FloorExcess fitted = fitter.fit();
        log.debug("latency learning: floor excess {}", fitted);
        return fitted;
    }

    /** The median per-sample variance of cells with five samples' weight or more: the prior of every cell's. */
    private double pooledVariance() {
        int cells = store.cellCount();
        if (cells == 0) {
            return priorVariance;
        }
        int stride = Math.max(1, cells / 100_000);
        double[] values = new double[cells / stride + 1];
        int k = 0;
        for (int c = 0; c < cells; c += stride) {
            double w = store.weight(c);
            if (w >= 5) {
                values[k++] = store.m2(c) / (w - 1);
            }
        }
        if (k < 20) {
            return priorVariance;
        }
        return Math.max(1, Fold.median(values, k));
    }

    // ---------------------------------------------------------------------------------------------
    // Persistence.

    @Override
    public void checkpoint(Path file) throws IOException {
        learning.lock();
        try {
            Journal pending;
            long droppedNow;
            synchronized (journalLock) {
                droppedNow = dropped;
                // A copy, held-back samples first (the order a fold takes them in), so that adds
                // may go on while the file is written.
                pending = concat(heldBack, journal);
            }
            Checkpoint.write(file, new Checkpoint.State(regionNames(), store, pending, priorVariance, trust, rebuilds,
                    droppedNow));
        } finally {
            learning.unlock();
        }
    }

    /** Called by {@link Checkpoint#read} on a fresh learner. */
    void restoreFrom(Checkpoint.State state) {
        learning.lock();
        try {
            for (String name : state.regions()) {
                region(name);
            }
            storeAccess.writeLock().lock();
            try {
                store = state.store();
            } finally {
                storeAccess.writeLock().unlock();
            }
            synchronized (journalLock) {
                journal = state.pending(); // the held-back ones among them are held back again at the first fold
                dropped = state.dropped();
            }
            priorVariance = state.priorVariance();
            // Derived from the cells, so learned again rather than stored: the folds before the
            // first rebuild decay floors by it.
            floorExcess = fitFloorExcess();
            fold.floorExcess = floorExcess;
            if (state.trust().offsetVariance().length == trust.offsetVariance().length) {
                trust = state.trust();
            }
            rebuilds = state.rebuilds();
        } finally {
            learning.unlock();
        }
    }

    /**
     * For tests: the evidence as a rebuild at {@code now} would lay it out (the published state
     * keeps only its networks and blocks, {@link Observations#layout}).
     */
    Observations observations(Instant now) {
        learning.lock();
        try {
            return observe(Decay.minute(now.toEpochMilli()), regionNames().size());
        } finally {
            learning.unlock();
        }
    }

    /** For tests: the store as it stands (only while no rebuild runs). */
    CellStore store() {
        return store;
    }

    Trust trust() {
        return trust;
    }

    double priorVariance() {
        return priorVariance;
    }

    /** The floors' calibration of the last rebuild (tests). */
    FloorExcess floorExcess() {
        return floorExcess;
    }

    long rebuilds() {
        return rebuilds;
    }


    // ---------------------------------------------------------------------------------------------
    // Views.

    @Override
    public Evidence explain(IpPrefix client, String region) {
        Published p = published;
        String name = region.toLowerCase(Locale.ROOT);
        if (p == null) {
            return new Evidence(name, client, Double.NaN, Double.NaN, "none", 0, -1, "", Double.NaN);
        }
        return p.explain(client, name, (key, r) -> ownCell(p, key, r));
    }

    /**
     * Network {@code key}'s cell of region r as {@code p}'s rebuild saw it, read back from the
     * store ({@link CellEvidence}); null when it had none that counts.
     */
    private Published.OwnCell ownCell(Published p, long key, int r) {
        CellEvidence cells = new CellEvidence(MAX_REGIONS + 1, Decay.minute(p.builtAt.toEpochMilli()),
                new Decay.Factors(halfLifeMinutes, 0), parameters.staticSamples(), p.cellSource.floorExcess(),
                p.cellSource.priorVariance());
        CellStore statics = p.cellSource.statics().store;
        int fixed = statics.findNetwork(key);
        storeAccess.readLock().lock();
        try {
            cells.gather(store, store.findNetwork(key), statics, fixed);
        } finally {
            storeAccess.readLock().unlock();
        }
        if (!cells.counts(r)) {
            return null;
        }
        return new Published.OwnCell(cells.y(r), cells.v(r, p.cellSource.priorVariance()), cells.weight(r),
                cells.ageMinutes(r));
    }

    @Override
    public Coverage coverage() {
        Published p = published;
        long pending;
        long droppedNow;
        synchronized (journalLock) {
            pending = journal.size + (long) heldBackCount;
            droppedNow = dropped;
        }
        if (p == null) {
            return new Coverage(0, 0, 0, List.of(), List.of(), pending, droppedNow);
        }
        Coverage c = p.coverage;
        return new Coverage(c.networksWithOwnData(), c.networksWithBorrowedData(), c.networksModelOnly(), c.regions(),
                c.trust(), pending, droppedNow);
    }

    /** The table the last rebuild published, or null before the first. */
    LatencyTable table() {
        Published p = published;
        return p == null ? null : p.table;
    }

    /** Where the last rebuild's networks are by their own cells (for tests). */
    CellPlaces cellPlaces() {
        learning.lock();
        try {
            return cellPlaces;
        } finally {
            learning.unlock();
        }
    }

    Published published() {
        return published;
    }
}
