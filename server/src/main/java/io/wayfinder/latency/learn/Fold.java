package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.Arrays;

/**
 * Folds a journal of samples into the long-term statistics: groups the samples by cell, winsorises
 * them, and for each cell either merges them into its long-term state, replaces that state when
 * the samples show a real change, or holds them back while they are too few to tell.
 *
 * <h2>Why winsorised moments, and why in milliseconds</h2>
 * RTT noise is right-skewed: retransmits and congestion add tens or hundreds of milliseconds to a
 * few samples and never take any away. A plain mean follows those spikes; a median needs the
 * samples kept. A winsorised mean, each sample clipped to {@code centre ± K·scale} before it is
 * summed, keeps O(1) state, is as efficient as the mean on clean data (K = 3 clips 0.3% of a
 * normal sample) and bounds what one spike can do to {@code K·scale / W}. Milliseconds, not log
 * milliseconds, because the noise that matters is additive (queueing and last-mile jitter add a
 * few milliseconds whatever the distance, so it is not a constant share of the RTT), and because
 * the borrowing model adds a network's last mile to its block's differences between regions, which
 * is additive too.
 *
 * <h2>Clipped tighter above</h2>
 * The noise is one-sided, and most of its variance is in the upper tail (queueing, log-normal
 * in shape, besides the spikes). So a group centred on its own median counts a sample towards the
 * mean at most {@value #K_ABOVE} scale above the median, and up to {@value #K} below: a mean
 * nearer the fast end of the samples, with less variance than one clipped at three scales. It
 * estimates the RTT low; but a network's jitter is the same towards every region, so the bias is
 * nearly the same in all its cells, comparisons between regions keep it out, and the borrowing
 * model's network offset absorbs it. The spread is still taken over samples clipped at
 * {@value #K} scales either way (the borrowing model's variances, the hysteresis and the change
 * test were set against it, and with the tighter spread more answers flipped under unchanged
 * noise). A few samples merging into the long-term mean are clipped {@value #K} scales either
 * way: they are what sparse evidence of a change becomes when it has waited long enough.
 *
 * <h2>Centre and scale</h2>
 * A group large enough to decide a change ({@code changeMinSamples}) is centred on its own median,
 * so that a real shift is not clipped away before it is tested; a smaller group on the cell's
 * long-term mean. The scale is the cell's per-sample standard deviation shrunk towards the pooled
 * one of all cells ({@code priorVariance}, with {@value #PRIOR_DEGREES} degrees of freedom), so a
 * new cell is clipped at a sensible width and a quiet one tightly.
 *
 * <h2>Change detection</h2>
 * With a 7-day half-life a 50 ms rise would take days to show in the long-term mean. So the
 * samples since the last fold are kept apart and compared with the long-term state: when there
 * are at least {@code changeMinSamples} of them, the long-term state is mature, and the two means
 * differ by more than {@code changeSigmas} standard errors and {@code changeMinMs}, the recent
 * samples replace the long-term state (the old state describes a path that no longer exists).
 * Otherwise they are merged. Fewer than {@code changeMinSamples} recent samples on a mature cell
 * are held back for the next fold, up to {@code holdBack}, so sparse evidence of a change adds up
 * instead of being clipped away one sample at a time.
 *
 * <h2>The floor</h2>
 * Each cell also keeps its floor, its lowest sample (clipped as for the mean): what
 * {@link FloorExcess} turns into a less noisy estimate. A new cell, or a replaced state, takes its
 * group's; a merge keeps the lower of the group's and the old one (decayed), so that the floor is
 * the same whatever groups the samples came in, except when the merging group shows a rise
 * ({@value #RISE_SCALES} scales above the long-term mean): the old floor then rises with the mean.
 */
final class Fold {
    /** Clip at the centre plus or minus this many scales. */
    static final double K = 3;
    /** A group centred on its own median counts towards the mean at most this many scales above it. */
    static final double K_ABOVE = 1;
    /**
     * A merged group whose lowest sample is this many scales above the long-term mean shows a rise:
     * under log-normal queueing about one sample in twenty (and the spikes) gets there by chance,
     * two in a row one time in four hundred.
     */
    static final double RISE_SCALES = 2;
    /** Degrees of freedom of the pooled variance in a cell's variance. */
    static final double PRIOR_DEGREES = 3;
    /** The scale never falls below this (ms): clipping closer than timer resolution clips signal. */
    static final double MIN_SCALE_MS = 0.5;

    private final LearningParameters parameters;
    private final double halfLifeMinutes;
    /** How a floor fades as its weight decays; the learner sets it at every rebuild. */
    FloorExcess floorExcess = FloorExcess.NONE;
    private double[] scratch = new double[64];
    private int[] scratchIndex = new int[64];

    /** Samples merged, samples that replaced a long-term state, samples held back; cells that changed. */
    int merged;
    int replaced;
    int heldBack;
    int changedCells;

    Fold(LearningParameters parameters) {
        this.parameters = parameters;
        this.halfLifeMinutes = parameters.halfLife().toSeconds() / 60.0;
    }

    /** A cell's per-sample variance: its own spread shrunk towards the pooled variance. */
    static double sampleVariance(double weight, double m2, double priorVariance) {
        return (PRIOR_DEGREES * priorVariance + m2) / (PRIOR_DEGREES + Math.max(0, weight - 1));
    }

    /**
     * A network's noise scale (ms): the spread of all its cells pooled (its last mile's jitter is
     * the same towards every region), shrunk towards the pooled variance of all cells as a cell's
     * is. What {@link FloorExcess} measures a floor's distance below the mean in.
     */
    static double networkScale(CellStore store, int network, double priorVariance) {
        double m2 = 0;
        double degrees = 0;
        for (int k = store.firstCell(network); k != CellStore.NONE; k = store.nextCell(k)) {
            m2 += store.m2(k);
            degrees += Math.max(0, store.weight(k) - 1);
        }
        return Math.max(MIN_SCALE_MS, Math.sqrt((PRIOR_DEGREES * priorVariance + m2) / (PRIOR_DEGREES + degrees)));
    }

    /**
     * Folds {@code journal} into {@code store}.
     *
     * @param nowMinute     the time of the fold
     * @param priorVariance the pooled per-sample variance, ms²
     * @param keep          receives the samples held back
     * @param keepLimit     at most this many samples are held back in all ({@code keep.size} at
     *                      the end); a cell whose samples would pass it merges them instead, so
     *                      that what waits for a change to show stays bounded however fast
     *                      samples arrive
     */
    void fold(Journal journal, CellStore store, int nowMinute, double priorVariance, Journal keep, int keepLimit) {
        int n = journal.size;
        // At most a new network per run of one key and a new cell per run of one key and region:
        // room for them at once (exact when samples come client by client, as beacons post them),
        // and what was not needed given back after.
        int keyRuns = 0;
        int cellRuns = 0;
        for (int i = 0; i < n; i++) {
            CpuYield.every(i);
            boolean newKey = i == 0 || journal.key[i] != journal.key[i - 1];
            if (newKey) {
                keyRuns++;
            }
            if (newKey || journal.region[i] != journal.region[i - 1]) {
                cellRuns++;
            }
        }
        store.reserve(keyRuns, cellRuns);
        int[] networkOfRun = new int[keyRuns];
        boolean grouped = findCells(journal, store, networkOfRun);
        CellsOfRun cellsOfRun = new CellsOfRun(journal, store, networkOfRun);
        // Every cell's samples lie together already when they came client by client (a first fold,
        // or a bulk import): the groups are the journal's runs of one cell, in place, with no sort
        // order to allocate (752 MB at ninety million samples, memory that a first rebuild faults in
        // fresh, at 2.5-3 s a GiB on a VM that gives freed memory back to its host: bench/README.md,
        // "Issue 11: the fold without its sort order"). Otherwise the samples are sorted by cell.
        long[] order = grouped ? null : orderByCell(n, cellsOfRun, store.cellCount());
        int start = 0;
        while (start < n) {
            int cell = cellAt(start, order, cellsOfRun);
            int end = start + 1;
            while (end < n && cellAt(end, order, cellsOfRun) == cell) {
                end++;
            }
            int k = end - start;
            ensureScratch(k);
            for (int j = 0; j < k; j++) {
                scratchIndex[j] = order == null ? start + j : (int) order[start + j];
            }
            group(journal, k, cell, store, nowMinute, priorVariance, keep, keepLimit);
            start = end;
        }
        store.trim();
    }

    /** The samples' indexes sorted by cell, each {@code cell << 32 | index}. */
    private static long[] orderByCell(int n, CellsOfRun cellsOfRun, int cells) {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            CpuYield.every(i);
            order[i] = (long) cellsOfRun.cellOf(i) << 32 | i;
        }
        groupByCell(order, n, cells);
        return order;
    }

    /** The cell of the sample at grouping position {@code p}: the journal's order, or {@code order}'s when sorted. */
    private static int cellAt(int p, long[] order, CellsOfRun cellsOfRun) {
        return order == null ? cellsOfRun.cellOf(p) : (int) (order[p] >>> 32);
    }

    /**
     * Finds (or adds) every sample's network and cell, the network of each run of one key into
     * {@code networkOfRun}. Samples come in runs of one network (a client's batch): the key is
     * looked up once a run, and the network's cells read once, into a table by region (walking the
     * network's list of cells for each sample cost a first fold at 10 M networks, 13 new cells a
     * network, 78 steps a network).
     *
     * @return whether every cell's samples lie together in the journal: no key comes back after
     *         another, and within a key's run no region comes back after another
     */
    private static boolean findCells(Journal journal, CellStore store, int[] networkOfRun) {
        int n = journal.size;
        boolean grouped = true;
        long[] seen = new long[(store.networkCount() + networkOfRun.length + 63) >>> 6]; // a bit per network
        int[] hasCell = new int[256]; // 1 + the run in which the region's cell is known to exist
        int[] hadSamples = new int[256]; // 1 + the run in which the region had samples
        int run = -1;
        int network = CellStore.NONE;
        for (int i = 0; i < n; i++) {
            CpuYield.every(i);
            long key = journal.key[i];
            int region = journal.regionIndex(i);
            if (i == 0 || key != journal.key[i - 1]) {
                network = store.network(key);
                run++;
                networkOfRun[run] = network;
                grouped &= (seen[network >>> 6] & 1L << network) == 0;
                seen[network >>> 6] |= 1L << network;
                for (int c = store.firstCell(network); c != CellStore.NONE; c = store.nextCell(c)) {
                    hasCell[store.region(c)] = run + 1;
                }
            } else if (region == journal.regionIndex(i - 1)) {
                continue;
            }
            grouped &= hadSamples[region] != run + 1;
            hadSamples[region] = run + 1;
            if (hasCell[region] != run + 1) {
                store.addCell(network, region);
                hasCell[region] = run + 1;
            }
        }
        return grouped;
    }

    /**
     * Each sample's cell, reading the journal in order: at each run of one key, its network's cells
     * into a table by region (a run of a new network finds its cells side by side).
     */
    private static final class CellsOfRun {
        private final Journal journal;
        private final CellStore store;
        private final int[] networkOfRun;
        private final int[] cellOfRegion = new int[256];
        private int run = -1;
        private int at = -1;

        CellsOfRun(Journal journal, CellStore store, int[] networkOfRun) {
            this.journal = journal;
            this.store = store;
            this.networkOfRun = networkOfRun;
        }

        /** Sample i's cell: called for i = 0, 1, 2... (each at least once, in order). */
        int cellOf(int i) {
            if (i != at) {
                CpuYield.every(i);
                at = i;
                if (i == 0 || journal.key[i] != journal.key[i - 1]) {
                    run++;
                    for (int c = store.firstCell(networkOfRun[run]); c != CellStore.NONE; c = store.nextCell(c)) {
                        cellOfRegion[store.region(c)] = c;
                    }
                }
            }
            return cellOfRegion[journal.regionIndex(i)];
        }
    }

    /** Samples of a fold at most this many are grouped by a counting sort ({@link #groupByCell}). */
    static final int MAX_COUNTING_SAMPLES = 1 << 24;

    /**
     * Sorts {@code order[0, n)} ({@code cell << 32 | sample}, the samples in order) by cell, and
     * by sample within a cell. A fold between rebuilds groups a few million samples arriving in no
     * order over at most a few times as many cells: there a counting sort by cell (stable, so the
     * samples stay in order) takes two linear passes where {@link Arrays#sort} compares its way
     * through; otherwise (a fold into many more cells, or of more samples than a fold between
     * rebuilds takes) {@code Arrays.sort}, which also finds an order that is sorted already.
     */
    static void groupByCell(long[] order, int n, int cells) {
        if (n > MAX_COUNTING_SAMPLES || cells > 4L * n) {
            Arrays.sort(order, 0, n);
            return;
        }
        int[] at = new int[cells + 1];
        for (int i = 0; i < n; i++) {
            CpuYield.every(i);
            at[(int) (order[i] >>> 32) + 1]++;
        }
        for (int c = 0; c < cells; c++) {
            CpuYield.every(c);
            at[c + 1] += at[c];
        }
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) {
            CpuYield.every(i);
            sorted[at[(int) (order[i] >>> 32)]++] = order[i];
        }
        System.arraycopy(sorted, 0, order, 0, n);
    }

    private void ensureScratch(int k) {
        if (scratch.length < k) {
            scratch = new double[Integer.highestOneBit(k) * 2];
            scratchIndex = new int[scratch.length];
        }
    }

    /** Folds a cell's group of samples, their indexes (in journal order) in {@code scratchIndex[0, k)}. */
    private void group(Journal journal, int k, int cell, CellStore store, int nowMinute,
                       double priorVariance, Journal keep, int keepLimit) {
        if (k == 1 && store.weight(cell) == 0) {
            // A new cell's first sample: its own centre, so nothing to clip; the general path below
            // would give exactly this (weight 1, mean the sample, no spread) at some fifty times the work.
            int i = scratchIndex[0];
            store.set(cell, 1, journal.rttMs[i], 0, journal.minute[i], journal.rttMs[i]);
            merged++;
            return;
        }
        int newest = Integer.MIN_VALUE;
        int oldest = Integer.MAX_VALUE;
        for (int j = 0; j < k; j++) {
            int i = scratchIndex[j];
            scratch[j] = journal.rttMs[i];
            newest = Math.max(newest, journal.minute[i]);
            oldest = Math.min(oldest, journal.minute[i]);
        }
        double w0 = store.weight(cell);
        double w0Stored = w0;
        double gap0 = store.gap(cell);
        double mean0 = store.mean(cell);
        double m20 = store.m2(cell);
        int minute0 = store.minute(cell);
        int ref = w0 > 0 ? Math.max(newest, minute0) : newest;
        if (w0 > 0) {
            double f = Decay.factor(ref - minute0, halfLifeMinutes);
            w0 *= f;
            m20 *= f;
        }
        boolean mature = w0 >= parameters.changeMinSamples();
        if (mature && k < parameters.changeMinSamples()
                && (long) nowMinute - oldest < parameters.holdBack().toMinutes() && (long) keep.size + k <= keepLimit) {
            for (int j = 0; j < k; j++) {
                int i = scratchIndex[j];
                keep.append(journal.key[i], journal.regionIndex(i), journal.rttMs[i], journal.minute[i], Integer.MAX_VALUE);
            }
            heldBack += k;
            return;
        }
        boolean ownCentre = k >= parameters.changeMinSamples() || w0 < 1;
        double centre = ownCentre ? median(scratch, k) : mean0;
        double variance = w0 > 0 ? sampleVariance(w0, m20, priorVariance) : priorVariance;
        double scale = Math.max(MIN_SCALE_MS, Math.sqrt(variance));
        double low = centre - K * scale;
        double high = centre + K * scale;
        // One-sided noise: above a group's own median the mean counts a sample at most K_ABOVE
        // scales up; around the long-term mean (a few samples merging) it stays K either way.
        double highForMean = centre + (ownCentre ? K_ABOVE : K) * scale;

        // The group's decayed moments at time ref (West's weighted update): the mean over samples
        // clipped to [low, highForMean], the spread over samples clipped to [low, high] (about
        // their own mean), as before the tighter clip, so that what the spread feeds (the scale,
        // the change test, the estimates' variances) is unchanged.
        double wg = 0;
        double mg = 0;
        double spreadMean = 0;
        double m2g = 0;
        double floorG = Double.POSITIVE_INFINITY; // the group's lowest sample, clipped as for the mean
        for (int j = 0; j < k; j++) {
            int i = scratchIndex[j];
            double raw = journal.rttMs[i];
            double x = Math.min(highForMean, Math.max(low, raw));
            floorG = Math.min(floorG, x);
            double xs = Math.min(high, Math.max(low, raw));
            double w = Decay.factor(ref - journal.minute[i], halfLifeMinutes);
            double total = wg + w;
            mg += w * (x - mg) / total;
            double delta = xs - spreadMean;
            spreadMean += w * delta / total;
            m2g += w * delta * (xs - spreadMean);
            wg = total;
        }
        if (mature && k >= parameters.changeMinSamples()) {
            // Under "nothing changed" the recent samples come from the long-term distribution, so
            // its variance (estimated from many samples) is the one to test with; a handful of
            // recent samples can look tight by chance.
            double se = Math.sqrt(variance / wg + variance / w0);
            double shift = Math.abs(mg - mean0);
            if (shift > parameters.changeSigmas() * se && shift > parameters.changeMinMs()) {
                store.set(cell, wg, mg, m2g, ref, floorG);
                replaced += k;
                changedCells++;
                return;
            }
        }
        // Chan's combination of two sets of weighted moments.
        double w = w0 + wg;
        double delta = mg - mean0;
        double mean = mean0 + delta * wg / w;
        double m2 = m20 + m2g + delta * delta * w0 * wg / w;
        // The floor of all the samples, the old ones' decayed: the same whatever groups the samples
        // came in, so that a new low sample lowers it and a high one leaves it. But when even the
        // group's lowest sample lies RISE_SCALES scales above the long-term mean (rarely so under
        // unchanged noise; a merging sample counts at most K scales above it), the path rose: a
        // rise too small or too sparse to replace the state, which merges. The old floor then rises
        // with the mean, so that the estimate follows the rise as the mean does.
        double floor0 = decayedFloor(mean0, gap0, w0Stored, w0, scale);
        if (w0 > 0 && floorG > mean0 + RISE_SCALES * scale) {
            floor0 += mean - mean0;
        }
        store.set(cell, w, mean, m2, ref, Math.min(floorG, floor0));
        merged += k;
    }

    /**
     * The long-term floor, kept as its distance below the long-term mean, decayed from weight
     * {@code w} to {@code wNow} ({@link FloorExcess#decayedGap}). A cell with no weight has none
     * (+infinity: the group's own floor is taken); a cell without one (read from a version 1
     * checkpoint) is given the floor expected at its weight once {@link FloorExcess} is learned,
     * and before that stays without (NaN).
     */
    private double decayedFloor(double mean, double gap0, double w, double wNow, double scale) {
        if (w <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        if (Double.isNaN(gap0)) {
            return floorExcess.calibrated() ? mean - scale * floorExcess.at(wNow) : Double.NaN;
        }
        return mean - floorExcess.decayedGap(gap0, w, wNow);
    }

    /** The median of the first k values (reorders them). */
    static double median(double[] values, int k) {
        Arrays.sort(values, 0, k);
        return (k & 1) == 1 ? values[k / 2] : (values[k / 2 - 1] + values[k / 2]) / 2;
    }
}
