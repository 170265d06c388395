package io.wayfinder.latency.learn;


import io.wayfinder.time.CpuYield;
/**
 * The additive model networks borrow strength through, in milliseconds:
 *
 * <pre>
 *   RTT(n, r) = μ(anchor of n, r)                       distance model, fitted per region
 *             + Σ over block levels l of n:  o(l, b) + u(l, b, r)
 *                                            a block's common offset, and its own differences
 *                                            between regions (its provider's routes and peering)
 *             + a(n)                                    the network's own offset (its last mile)
 *             + e(n, r)                                 the rest, and the noise of the samples
 * </pre>
 *
 * Every effect has a zero-mean prior with a variance from {@link Trust}: the fit is the ridge
 * (best linear unbiased) estimate of all effects at once, so an effect seen through few or noisy
 * samples is shrunk towards zero, i.e. towards the next coarser level, by exactly as much as the
 * learned variances say. A network's estimate for a region it was never measured to is then
 * {@code μ + blocks + a(n)}: its own offset, from its own samples to other regions, plus the
 * differences between regions of its blocks (or of the distance model where its blocks know
 * nothing of that region): it never takes a neighbour's raw mean.
 *
 * <p>Fitted by Gauss-Seidel backfitting, coarsest level first, then finer levels, then networks:
 * each step is the exact ridge update of one group of effects given the others, so each sweep
 * lowers the penalised error and a few sweeps converge. A sweep costs O(cells).
 *
 * <p><b>Unit by unit.</b> A coarsest block and its networks (a unit) share no effect with any other
 * network: given μ, each unit is a problem of its own. So the fit runs all the sweeps of one unit
 * before the next, with the unit's cells gathered once (weights, means, μ: a few thousand cells,
 * in the cache) and each block level's part of every cell's prediction kept as the level's effects
 * change, rather than sweeping every level over all 94 M cells (at 10 M networks) and looking
 * every cell's blocks up again in each of fifteen passes. Within a unit the backfitting updates
 * are those of the sweep-by-sweep fit, in its order, with its sums (without the moves below, the
 * effects were bit for bit the same: commit 31ddb4d). Units run on the {@link Lanes}, on ranges of
 * networks cut between blocks; the effects do not depend on the split (a test compares).
 *
 * <p><b>The moves.</b> Plain backfitting shares a block's common offset out between the block and
 * what lies inside it (its finer blocks, its networks) over many sweeps: the data cannot tell
 * them apart, only the priors can, and one coordinate at a time sees only the priors' small pull.
 * After each sweep the fit therefore takes that direction in one exact step per block
 * ({@link #translate}). Three sweeps with the moves come closer to the converged estimate than
 * five without (on LearnedScale's world at 200,000 networks: 0.019 against 0.159 ms rms).
 *
 * <p>A cell's samples weigh {@code 1 / (v + noiseVariance)}: its own sampling variance plus the
 * network-by-region variance no effect explains, so that a cell of a thousand samples does not
 * count a thousand times more than one of ten about its block.
 */
final class BorrowingModel {
    /**
     * The prior variances of the effects (ms²), learned from held-out cells ({@link TrustSearch}).
     *
     * @param offsetVariance per block level, most specific first: the variance of a block's common offset
     * @param regionVariance per block level: the variance of a block's difference for one region
     * @param networkVariance the variance of a network's own offset
     * @param noiseVariance   the network-by-region variance no effect explains
     */
    record Trust(double[] offsetVariance, double[] regionVariance, double networkVariance, double noiseVariance) {
        /**
         * Where the search starts the first time, and what holds while there is too little to hold
         * out: offsets (last miles, a provider's access network) about 10 ms; differences between
         * regions about 10 ms for the coarsest blocks and 2 ms for finer ones; 2 ms unexplained. A
         * network alone in its finest block cannot tell its offset from its block's difference for
         * the one region it was measured to; these priors say that an offset is the likelier, so
         * that what it learned carries over to the other regions.
         */
        static Trust initial(int levels) {
            double[] o = new double[levels];
            double[] u = new double[levels];
            java.util.Arrays.fill(o, 100);
            java.util.Arrays.fill(u, 4);
            if (levels > 0) {
                u[levels - 1] = 100;
            }
            return new Trust(o, u, 100, 4);
        }

        int coordinates() {
            return 2 * offsetVariance.length + 2;
        }

        double get(int i) {
            int levels = offsetVariance.length;
            return i < levels ? offsetVariance[i] : i < 2 * levels ? regionVariance[i - levels]
                    : i == 2 * levels ? networkVariance : noiseVariance;
        }

        Trust with(int i, double value) {
            int levels = offsetVariance.length;
            double[] o = offsetVariance.clone();
            double[] u = regionVariance.clone();
            double a = networkVariance;
            double e = noiseVariance;
            if (i < levels) {
                o[i] = value;
            } else if (i < 2 * levels) {
                u[i - levels] = value;
            } else if (i == 2 * levels) {
                a = value;
            } else {
                e = value;
            }
            return new Trust(o, u, a, e);
        }
    }

    private final Observations obs;
    private final int regions;
    /** Per network its row of {@link #mu}, and the rows: replaced by {@link #refit}, never written. */
    private int[] anchor;
    private float[] mu;
    private final float[][] blockMu;

    /** The fitted effects: {@code a[n]}, {@code offset[l][b]}, {@code effect[l][b * regions + r]}. */
    final double[] a;
    final float[][] offset;
    final float[][] effect;
    /** The largest change of any effect in its unit's last sweep of the last {@link #fit}, ms (for the log). */
    double lastMoved = Double.NaN;
    /** The sweeps of the last {@link #fit}, per cell (units that converged stopped early; for the log). */
    double sweepsPerCell = Double.NaN;

    /**
     * How likely a cell of few samples far above its prediction is a spike, and the variance its
     * residual is measured in ({@link #weighSpikes}); {@link SpikeOdds#NONE} until set: every
     * cell then counts by its precision alone.
     */
    private SpikeOdds spikes = SpikeOdds.NONE;
    private double spikeVariance = 1;
    /**
     * Per network, whether the last {@link #fit}'s warm start gave it its offset (null when it
     * did not start warm, or weighs no spike): those networks' cells are weighed from the start
     * ({@link #fitUnit}), the others once a sweep has fitted their offset.
     */
    private boolean[] warmNetwork;

    /** Networks [cuts[p], cuts[p + 1]) are part p of every pass ({@link Lanes#cuts}): no block spans two parts. */
    private final int[] cuts;
    /**
     * Networks [unitStart[u], unitStart[u + 1]) are unit u of the fit: they share no block with
     * any other network ({@link #units}), so a unit's effects depend on its own cells only (and
     * μ) and the fit runs each unit's sweeps one after the other, on data that stays in the cache.
     */
    private final int[] unitStart;
    private final int units;
    /** Per part, its scratch: a block's residuals, and per region the sums of its weights and weighted residuals. */
    private final Scratch[] scratch;
    private Scratch predictScratch;

    /** A pass's scratch (one per thread): use {@link #scratch()} for {@link #predictAll(int, double[], Scratch)}. */
    static final class Scratch {
        double[] residual = new double[256];
        double[] weight = new double[256];
        int[] region = new int[256];
        final double[] sumW;
        final double[] sumWR;
        /** A block's region effects before its update. */
        final float[] before;
        /** A unit's cells ({@link #fitUnit}): their means, and the distance model's figures for them. */
        double[] y = new double[256];
        double[] mu = new double[256];
        /**
         * A unit's cells' weights before {@link #spikes} weighs them ({@link #weigh}); for a cell
         * that may be taken for a spike, the variance of its residual, {@code v + spikeVariance},
         * and its weight bucket ({@link SpikeOdds#bucketOf}); 0 for any other cell.
         */
        double[] fullWeight = new double[256];
        double[] spikeScale = new double[256];
        byte[] spikeBucket = new byte[256];
        /** Per level, each cell's part of the prediction from its block of that level (offset plus region effect). */
        float[][] contrib = new float[0][];
        /** Whether the unit's last network step changed a cell's weight ({@link #weigh}). */
        boolean reweighed;
        /** This part's units in the last fit: the most sweeps one ran, the largest change in a unit's last sweep, cells × sweeps. */
        int sweeps;
        double moved;
        long cellSweeps;
        /** The blocks directly inside a block ({@link #translate}): their levels and numbers. */
        int[] childLevel = new int[256];
        int[] childBlock = new int[256];
        /** One network's part of {@link #base}, looked up once for all its cells ({@link #hoist}). */
        int muRow;
        final int[] effectRow;
        final float[] blockOffset;

        /** Room for a unit of {@code cells} cells. */
        void ensure(int cells) {
            if (childLevel.length < cells) {
                childLevel = new int[Integer.highestOneBit(cells) * 2];
                childBlock = new int[childLevel.length];
            }
            if (residual.length < cells || y.length < cells) {
                int size = Math.max(256, Integer.highestOneBit(Math.max(1, cells)) * 2);
                residual = new double[size];
                weight = new double[size];
                region = new int[size];
                y = new double[size];
                mu = new double[size];
                fullWeight = new double[size];
                spikeScale = new double[size];
                spikeBucket = new byte[size];
                for (int l = 0; l < contrib.length; l++) {
                    contrib[l] = new float[size];
                }
            }
        }

        /** Before a part's units: nothing counted yet, a part per level. */
        void startFit(int levels) {
            sweeps = 0;
            moved = 0;
            cellSweeps = 0;
            if (contrib.length != levels) {
                contrib = new float[levels][y.length];
            }
        }

        Scratch(int regions, int levels) {
            sumW = new double[regions];
            sumWR = new double[regions];
            before = new float[regions];
            effectRow = new int[levels];
            blockOffset = new float[levels];
        }
    }

    /**
     * @param anchor  per network, the index of its anchor (finest block, or itself)
     * @param mu      per anchor and region, the distance model's RTT
     * @param blockMu per level, per block and region, the distance model's RTT at the block's
     *                location (for block rows); null where only networks are predicted
     */
    BorrowingModel(Observations obs, int[] anchor, float[] mu, float[][] blockMu) {
        this.obs = obs;
        this.regions = obs.regions;
        this.anchor = anchor;
        this.mu = mu;
        this.blockMu = blockMu;
        a = new double[obs.networks];
        offset = new float[obs.levels][];
        effect = new float[obs.levels][];
        for (int l = 0; l < obs.levels; l++) {
            offset[l] = new float[obs.blockCount[l]];
            effect[l] = new float[obs.blockCount[l] * regions];
        }
        cuts = Lanes.cuts(obs, Lanes.parts(obs.cells));
        unitStart = units(obs);
        units = unitStart.length - 1;
        scratch = new Scratch[cuts.length - 1];
        for (int p = 0; p < scratch.length; p++) {
            scratch[p] = new Scratch(regions, obs.levels);
        }
    }

    /** The same effects over {@code layout} (the same networks and blocks without the cells): for predictions only. */
    private BorrowingModel(BorrowingModel fitted, Observations layout) {
        obs = layout;
        regions = fitted.regions;
        anchor = fitted.anchor;
        mu = fitted.mu;
        blockMu = fitted.blockMu;
        a = fitted.a;
        offset = fitted.offset;
        effect = fitted.effect;
        lastMoved = fitted.lastMoved;
        cuts = new int[] {0, layout.networks};
        unitStart = new int[] {0, layout.networks};
        units = 1;
        scratch = new Scratch[0];
    }

    /**
     * This model's effects over a {@link Observations#layout} of its observations, which it keeps
     * instead of them: predictions and {@link #borrowLevel(int, int, int, int[][])} work, fitting
     * does not (it needs the cells).
     */
    BorrowingModel over(Observations layout) {
        if (layout.networks != obs.networks || layout.netBlock != obs.netBlock) {
            throw new IllegalArgumentException("not a layout of this model's observations");
        }
        return layout == obs ? this : new BorrowingModel(this, layout);
    }

    /** Runs {@code pass} over each part of the networks, the parts on the {@link Lanes}. */
    private void eachPart(PartPass pass) {
        Lanes.run(scratch.length, p -> pass.run(cuts[p], cuts[p + 1], scratch[p]));
    }

    @FunctionalInterface
    private interface PartPass {
        void run(int from, int to, Scratch scratch);
    }

    /**
     * The full fit stops after a sweep that moved no effect by more than this (ms): a hundredth of
     * the table's resolution (a tenth of a millisecond), a thousandth of the hysteresis band.
     */
    static final double TOLERANCE_MS = 0.01;

    /**
     * From the next {@link #fit} on, a cell of fewer than {@code changeMinSamples} samples that
     * sits above its prediction counts by its odds of not being a spike, {@code 1 - π(z)} with
     * {@code z = (y - ŷ) / √(v + variance)}, as the table's own figures take such a cell
     * ({@link SpikeOdds#figure}).
     *
     * <p>Why: a one-sample cell with a spike of 20-300 ms weighs {@code 1 / (v + e)} like any
     * other, with {@code v} the prior variance of one sample; in a /20 whose other cells of the
     * region weigh a few times more, it still pulls the /20's difference for that region up by
     * several milliseconds, and every network of the /20 borrows it (its never-measured networks
     * take the row, its measured ones that region's figure and, through it, what their own cells
     * are shrunk towards). Measured (QuickQuality, 100,000 networks, seeds 1, 2, 3: the share sent
     * to the fastest region): all networks 96.54, 94.62, 95.03% without it; the measured networks
     * and the never-measured ones of lit /20s gain most (the README's paragraph has the figures).
     *
     * <p>The odds are those the trust search learned from its held-out cells (predicted without
     * them, so a spike had not pulled them); {@code variance} is the finest block class's
     * held-out variance, the class most own cells are predicted in (the table's figures take each
     * cell's own class; one variance keeps the fit free of a per-cell look-up).
     *
     * <p>When: a residual means something only once the network's offset is fitted, so the cells
     * are weighed in the first sweep's network step, from the residuals that step sums anyway
     * ({@link #fitNetworks}); from a warm start, the networks it gave an offset to are weighed
     * before the first sweep, under the effects it starts from ({@link #weighWarm}), so that a
     * unit that has not changed still stops after one sweep. A unit sweeps once more after a
     * sweep that changed a weight; a unit with no cell that could be a spike is never looked at.
     * (Weighing after every sweep's network step instead gave the same shares to ±0.01 point,
     * QuickQuality seeds 1-3: 96.64, 94.71, 95.21% against 96.64, 94.72, 95.20%.)
     */
    void weighSpikes(SpikeOdds odds, double variance) {
        spikes = odds;
        spikeVariance = variance;
    }

    /** Fits every effect from zero, {@code sweeps} sweeps. {@code heldOut}, when not null, marks cells the fit must not see. */
    void fit(Trust trust, boolean[] heldOut, int sweeps) {
        fit(trust, heldOut, sweeps, 0, null, null);
    }

    /**
     * Fits every effect, starting from zero or, warm, from an earlier fit's effects of the same
     * networks and blocks ({@code previous} fitted on {@code previousObs}; new ones start at zero):
     * each unit sweeps until one moves none of its effects by more than {@code tolerance} ms, at
     * most {@code maxSweeps}. A unit is a problem of its own, so one that has converged stops
     * while the others go on (a sweep of a converged unit would move its effects by less than the
     * tolerance again). Backfitting converges to the same ridge estimate from any start; between
     * two rebuilds most effects barely move, so a warm start needs fewer sweeps than a cold one.
     *
     * @return the most sweeps any unit ran
     */
    int fit(Trust trust, boolean[] heldOut, int maxSweeps, double tolerance, Observations previousObs,
            BorrowingModel previous) {
        java.util.Arrays.fill(a, 0);
        for (int l = 0; l < obs.levels; l++) {
            java.util.Arrays.fill(offset[l], 0);
            java.util.Arrays.fill(effect[l], 0);
        }
        warmNetwork = previous != null && spikes != SpikeOdds.NONE ? new boolean[obs.networks] : null;
        if (previous != null) {
            warmStart(previousObs, previous);
        }
        if (maxSweeps == 0) {
            return 0;
        }
        eachPart((from, to, scratch) -> fitUnits(trust, heldOut, maxSweeps, tolerance, from, to, scratch));
        warmNetwork = null; // a byte a network, needed only during the fit
        int sweeps = 0;
        double moved = 0;
        long cellSweeps = 0;
        for (Scratch p : scratch) {
            sweeps = Math.max(sweeps, p.sweeps);
            moved = Math.max(moved, p.moved);
            cellSweeps += p.cellSweeps;
        }
        lastMoved = moved;
        sweepsPerCell = obs.cells == 0 ? 0 : (double) cellSweeps / obs.cells;
        return sweeps;
    }

    /**
     * Replaces some networks' distance-model rows ({@code rowOf} and {@code mu}, as the
     * constructor's) and fits again, from the fitted effects, the units that hold a network
     * {@code changed} marks: the other units' cells and rows are the same, and so is their fit.
     * What {@link CellPlaces} costs a rebuild beyond placing: the units of its window, not the
     * whole fit (nor a copy of its effects: half a gigabyte at 10 M networks).
     */
    void refit(int[] rowOf, float[] newMu, boolean[] changed, Trust trust, int maxSweeps, double tolerance) {
        if (rowOf.length != obs.networks) {
            throw new IllegalArgumentException("rows for " + rowOf.length + " networks, not " + obs.networks);
        }
        anchor = rowOf;
        mu = newMu;
        boolean[] only = new boolean[units];
        for (int u = 0; u < units; u++) {
            for (int n = unitStart[u]; n < unitStart[u + 1] && !only[u]; n++) {
                only[u] = changed[n];
            }
        }
        if (spikes != SpikeOdds.NONE) {
            warmNetwork = new boolean[obs.networks];
            java.util.Arrays.fill(warmNetwork, true); // every offset is fitted already: weigh every cell from the start
        }
        eachPart((from, to, scratch) -> fitUnits(trust, null, maxSweeps, tolerance, from, to, scratch, only));
        warmNetwork = null;
        double moved = 0;
        for (Scratch p : scratch) {
            moved = Math.max(moved, p.moved);
        }
        lastMoved = Math.max(lastMoved, moved);
    }

    /** Copies the effects of the networks and blocks {@code previous} knew, found by key (both in table order). */
    private void warmStart(Observations before, BorrowingModel previous) {
        if (before.levels != obs.levels) {
            return;
        }
        boolean[] warm = warmNetwork;
        Observations.matchKeys(before.netKey, before.networks, obs.netKey, obs.networks, (from, to) -> {
            a[to] = previous.a[from];
            if (warm != null) {
                warm[to] = true;
            }
        });
        int columns = Math.min(regions, previous.regions);
        for (int l = 0; l < obs.levels; l++) {
            float[] oldOffset = previous.offset[l];
            float[] oldEffect = previous.effect[l];
            float[] newOffset = offset[l];
            float[] newEffect = effect[l];
            int oldRegions = previous.regions;
            Observations.matchKeys(before.blockKey[l], before.blockCount[l], obs.blockKey[l], obs.blockCount[l], (from, to) -> {
                newOffset[to] = oldOffset[from];
                System.arraycopy(oldEffect, from * oldRegions, newEffect, to * regions, columns);
            });
        }
    }

    /** The distance model's figure the model predicts network n with, for region r. */
    double mu(int n, int r) {
        return mu[anchor[n] * regions + r];
    }

    /** The model's RTT for a network and region, without the cell's own interaction: what it borrows. */
    double predict(int n, int r) {
        return base(n, r, -1) + a[n];
    }

    /**
     * {@link #predict} for every region, into {@code out}: the same sums, the network's blocks
     * looked up once. Not thread-safe (one scratch); for the table writer's single pass.
     */
    void predictAll(int n, double[] out) {
        if (predictScratch == null) {
            predictScratch = scratch();
        }
        predictAll(n, out, predictScratch);
    }

    /** {@link #predictAll(int, double[])} with the caller's scratch: one per thread. */
    void predictAll(int n, double[] out, Scratch s) {
        hoist(n, -1, s);
        double an = a[n];
        for (int r = 0; r < regions; r++) {
            out[r] = base(s, r) + an;
        }
    }

    /** A scratch for one thread's predictions. */
    Scratch scratch() {
        return new Scratch(regions, obs.levels);
    }

    /** The block part of a prediction at one level and coarser (a block row: the average network of the block). */
    double blockPrediction(int n, int r, int finestLevel) {
        int own = obs.netBlock[finestLevel][n];
        double sum = blockMu != null && own >= 0 ? blockMu[finestLevel][own * regions + r] : mu[anchor[n] * regions + r];
        for (int l = finestLevel; l < obs.levels; l++) {
            int b = obs.netBlock[l][n];
            if (b >= 0) {
                sum += offset[l][b] + effect[l][b * regions + r];
            }
        }
        return sum;
    }

    /** μ plus every block level's effects except level {@code skip}. */
    private double base(int n, int r, int skip) {
        double sum = mu[anchor[n] * regions + r];
        for (int l = 0; l < obs.levels; l++) {
            int b = obs.netBlock[l][n];
            if (b >= 0 && l != skip) {
                sum += offset[l][b] + effect[l][b * regions + r];
            }
        }
        return sum;
    }

    /** Prepares {@link #base(Scratch, int)} for network n without level {@code skip}. */
    private void hoist(int n, int skip, Scratch s) {
        s.muRow = anchor[n] * regions;
        for (int l = 0; l < obs.levels; l++) {
            int b = obs.netBlock[l][n];
            boolean used = b >= 0 && l != skip;
            s.effectRow[l] = used ? b * regions : -1;
            s.blockOffset[l] = used ? offset[l][b] : 0;
        }
    }

    /** {@link #base(int, int, int)} for the network {@link #hoist}ed into s: the same sum, in the same order. */
    private double base(Scratch s, int r) {
        double sum = mu[s.muRow + r];
        for (int l = 0; l < s.effectRow.length; l++) {
            int row = s.effectRow[l];
            if (row >= 0) {
                sum += s.blockOffset[l] + effect[l][row + r];
            }
        }
        return sum;
    }

    /**
     * Fits the units of networks [fromNetwork, toNetwork) (whole units: a part of {@link #cuts}),
     * each for at most {@code sweeps} sweeps (until one moves none of its effects by more than
     * {@code tolerance}), and counts in {@code s} the sweeps run and the last changes.
     */
    private void fitUnits(Trust trust, boolean[] heldOut, int sweeps, double tolerance, int fromNetwork, int toNetwork,
                          Scratch s) {
        fitUnits(trust, heldOut, sweeps, tolerance, fromNetwork, toNetwork, s, null);
    }

    /** {@link #fitUnits} over the units {@code only} marks (null: all). */
    private void fitUnits(Trust trust, boolean[] heldOut, int sweeps, double tolerance, int fromNetwork, int toNetwork,
                          Scratch s, boolean[] only) {
        s.startFit(obs.levels);
        if (fromNetwork >= toNetwork) {
            return;
        }
        int u = java.util.Arrays.binarySearch(unitStart, 0, units, fromNetwork);
        if (u < 0) {
            throw new IllegalStateException("a part does not start at a unit: network " + fromNetwork);
        }
        double[] offsetPrecision = new double[obs.levels];
        double[] regionPrecision = new double[obs.levels];
        for (int l = 0; l < obs.levels; l++) {
            offsetPrecision[l] = 1 / trust.offsetVariance()[l];
            regionPrecision[l] = 1 / trust.regionVariance()[l];
        }
        double networkPrecision = 1 / trust.networkVariance();
        for (; u < units && unitStart[u] < toNetwork; u++) {
            if (only != null && !only[u]) {
                continue;
            }
            fitUnit(unitStart[u], unitStart[u + 1], trust.noiseVariance(), heldOut, sweeps, tolerance, offsetPrecision,
                    regionPrecision, networkPrecision, s);
            CpuYield.point(); // a unit is one /16: tens of µs to a few ms of work
        }
    }

    /**
     * All the sweeps of one unit, networks [n0, n1): its cells' weights, means and distance-model
     * figures gathered once, and each block level's part of every cell's prediction kept up to
     * date as the level's effects change ({@code s.contrib}), so that a sweep reads the unit's
     * cells from the cache instead of looking every cell's blocks up again. Each sweep is the
     * backfitting sweep (levels coarsest first, then the networks) followed by the moves along
     * the confounded offsets ({@link #translate}).
     */
    private void fitUnit(int n0, int n1, double noiseVariance, boolean[] heldOut, int sweeps, double tolerance,
                         double[] offsetPrecision, double[] regionPrecision, double networkPrecision, Scratch s) {
        int c0 = obs.cellStart[n0];
        s.ensure(obs.cellStart[n1] - c0);
        double[] y = s.y;
        double[] w = s.weight;
        double[] muOf = s.mu;
        int[] region = s.region;
        boolean weigh = false; // whether any cell of the unit may be taken for a spike
        // With spike odds learned, each cell that may be taken for a spike is marked on the way:
        // its residual's variance (0 for any other cell) and its weight bucket.
        boolean marking = spikes != SpikeOdds.NONE;
        double[] scale = s.spikeScale;
        byte[] bucketOf = s.spikeBucket;
        for (int m = n0; m < n1; m++) {
            int muRow = anchor[m] * regions;
            for (int c = obs.cellStart[m]; c < obs.cellStart[m + 1]; c++) {
                int i = c - c0;
                int r = obs.region(c);
                region[i] = r;
                y[i] = obs.y[c];
                float v = obs.v[c];
                double wi = heldOut != null && heldOut[c] ? 0 : 1 / (v + noiseVariance);
                w[i] = wi;
                muOf[i] = mu[muRow + r];
                if (marking) {
                    int bucket = wi > 0 ? spikes.bucketOf(obs.weight[c]) : -1;
                    s.fullWeight[i] = wi;
                    scale[i] = bucket < 0 ? 0 : v + spikeVariance;
                    bucketOf[i] = (byte) bucket;
                    weigh |= bucket >= 0;
                }
            }
        }
        contributions(n0, n1, c0, s);
        if (weigh && warmNetwork != null) {
            weighWarm(n0, n1, c0, s);
        }
        for (int sweep = 0; sweep < sweeps; sweep++) {
            CpuYield.point(); // a unit's sweeps took 0.7 ms together on average, up to 10 (1 M networks)
            double moved = 0;
            for (int l = obs.levels - 1; l >= 0; l--) {
                int[] blockOf = obs.netBlock[l];
                for (int first = inBlock(blockOf, n0, n1), m; first < n1; first = inBlock(blockOf, m, n1)) {
                    m = runEnd(blockOf, first, n1);
                    moved = Math.max(moved, fitBlock(l, blockOf[first], first, m, c0, offsetPrecision[l], regionPrecision[l], s));
                }
            }
            moved = Math.max(moved, fitNetworks(n0, n1, c0, networkPrecision, weigh && sweep == 0, s));
            double shifted = translate(n0, n1, offsetPrecision, regionPrecision, networkPrecision, s);
            if (shifted > 0) {
                contributions(n0, n1, c0, s);
            }
            moved = Math.max(moved, shifted);
            // A sweep that weighed a cell it had counted at another weight is never the last.
            if ((moved <= tolerance && !s.reweighed) || sweep == sweeps - 1) {
                s.sweeps = Math.max(s.sweeps, sweep + 1);
                s.moved = Math.max(s.moved, moved);
                s.cellSweeps += (long) (sweep + 1) * (obs.cellStart[n1] - c0);
                return;
            }
        }
    }

    /**
     * Before a warm start's first sweep: the cells of the networks whose offsets it kept, weighed
     * from their residuals under those effects, so that a unit that has not changed since (its
     * effects fitted with its cells so weighed) converges in one sweep as it would unweighed.
     * Networks new to the fit keep their cells' full weights until their offsets are fitted.
     */
    private void weighWarm(int n0, int n1, int c0, Scratch s) {
        for (int m = n0; m < n1; m++) {
            if (!warmNetwork[m]) {
                continue;
            }
            int used = usedLevels(m, -1);
            int i1 = obs.cellStart[m + 1] - c0;
            for (int i = obs.cellStart[m] - c0; i < i1; i++) {
                if (s.spikeScale[i] != 0) {
                    s.residual[i] = s.y[i] - base(used, i, s);
                }
            }
            weigh(obs.cellStart[m] - c0, i1, a[m], s);
        }
    }

    /**
     * Each cell of [i0, i1) that may be taken for a spike (marked in {@link #fitUnit}) weighed by
     * its odds of not being one, from its residual {@code s.residual[i] - offset} (the network's
     * offset apart); the others keep their weight. Sets {@code s.reweighed} when a weight changed.
     * Most cells lie below the lowest z that has odds ({@link SpikeOdds#lowestZSquared}): a product and a
     * comparison, no square root.
     */
    private void weigh(int i0, int i1, double offset, Scratch s) {
        double[] w = s.weight;
        for (int i = i0; i < i1; i++) {
            double scale = s.spikeScale[i];
            if (scale == 0) {
                continue;
            }
            double res = s.residual[i] - offset;
            int bucket = s.spikeBucket[i];
            double next = s.fullWeight[i];
            if (res > 0 && res * res >= spikes.lowestZSquared(bucket) * scale) {
                next *= 1 - spikes.probabilityInBucket(res / Math.sqrt(scale), bucket);
            }
            if (next != w[i]) {
                w[i] = next;
                s.reweighed = true;
            }
        }
    }

    /** Each block level's part of the prediction of every cell of the unit [n0, n1) ({@code s.contrib}), from the effects. */
    private void contributions(int n0, int n1, int c0, Scratch s) {
        int[] region = s.region;
        for (int l = 0; l < obs.levels; l++) {
            int[] blockOf = obs.netBlock[l];
            float[] contrib = s.contrib[l];
            float[] effects = effect[l];
            for (int m = n0; m < n1; m++) {
                int b = blockOf[m];
                if (b >= 0) {
                    float o = offset[l][b];
                    int e0 = b * regions;
                    for (int i = obs.cellStart[m] - c0; i < obs.cellStart[m + 1] - c0; i++) {
                        contrib[i] = o + effects[e0 + region[i]];
                    }
                }
            }
        }
    }

    /** The first network from {@code from} (below {@code end}) that lies in a block of the level; {@code end} if none. */
    private static int inBlock(int[] blockOf, int from, int end) {
        int m = from;
        while (m < end && blockOf[m] < 0) {
            m++;
        }
        return m;
    }

    /**
     * The end of the run of networks from {@code first} (below {@code end}) that lie in the same
     * block of a level as {@code first}: networks are sorted by address, so a block's networks are
     * consecutive.
     */
    private static int runEnd(int[] blockOf, int first, int end) {
        int b = blockOf[first];
        int m = first + 1;
        while (m < end && blockOf[m] == b) {
            m++;
        }
        return m;
    }

    /**
     * The slow direction of backfitting, taken in one step. A block's offset and the offsets of
     * what lies directly inside it (its finer blocks, or its networks) are confounded: adding δ to
     * the block's and taking δ from each of those inside predicts every cell exactly as before,
     * and only the priors tell how the common part is shared. A Gauss-Seidel step sees that only
     * through the prior's small pull, so backfitting shares it out over many sweeps (five sweeps
     * from zero still moved effects by 2.6-3.8 ms in the last one, and no unit converged to
     * {@link #TOLERANCE_MS}). Here each block, finest level first, moves the δ that minimises the
     * penalty along that direction, {@code δ = (Σ P_child x_child - P o) / (P + Σ P_child)}; and,
     * where every network of a block lies in a finer block, the same for each region's effect
     * against the finer blocks' effects for that region. The data term does not change, the
     * penalty falls: each move lowers the ridge objective, so the fit still converges to the same
     * estimate, in fewer sweeps. O(networks + blocks × regions) per unit: no pass over the cells.
     *
     * @return the largest δ moved
     */
    private double translate(int n0, int n1, double[] offsetPrecision, double[] regionPrecision,
                             double networkPrecision, Scratch s) {
        double largest = 0;
        int levels = obs.levels;
        for (int l = 0; l < levels; l++) {
            int[] blockOf = obs.netBlock[l];
            double precision = offsetPrecision[l];
            for (int first = inBlock(blockOf, n0, n1), m; first < n1; first = inBlock(blockOf, m, n1)) {
                int b = blockOf[first];
                m = runEnd(blockOf, first, n1);
                // What lies directly inside: per network, its block of the finest level below l, or itself.
                double sumPX = 0;
                double sumP = 0;
                boolean allInBlocks = true;
                int lastLevel = -2;
                int lastBlock = -2;
                int children = 0;
                for (int k = first; k < m; k++) {
                    int level = childLevel(k, l);
                    if (level < 0) {
                        sumPX += networkPrecision * a[k];
                        sumP += networkPrecision;
                        allInBlocks = false;
                        continue;
                    }
                    int child = obs.netBlock[level][k];
                    if (level == lastLevel && child == lastBlock) {
                        continue;
                    }
                    lastLevel = level;
                    lastBlock = child;
                    s.childLevel[children] = level;
                    s.childBlock[children++] = child;
                    sumPX += offsetPrecision[level] * offset[level][child];
                    sumP += offsetPrecision[level];
                }
                double delta = (sumPX - precision * offset[l][b]) / (precision + sumP);
                if (delta != 0) {
                    offset[l][b] = (float) (offset[l][b] + delta);
                    for (int k = first; k < m; k++) {
                        if (childLevel(k, l) < 0) {
                            a[k] -= delta;
                        }
                    }
                    for (int c = 0; c < children; c++) {
                        int level = s.childLevel[c];
                        int child = s.childBlock[c];
                        offset[level][child] = (float) (offset[level][child] - delta);
                    }
                    largest = Math.max(largest, Math.abs(delta));
                }
                if (!allInBlocks || children == 0) {
                    continue;
                }
                float[] effects = effect[l];
                int e0 = b * regions;
                for (int r = 0; r < regions; r++) {
                    double px = 0;
                    double p = 0;
                    for (int c = 0; c < children; c++) {
                        int level = s.childLevel[c];
                        px += regionPrecision[level] * effect[level][s.childBlock[c] * regions + r];
                        p += regionPrecision[level];
                    }
                    double d = (px - regionPrecision[l] * effects[e0 + r]) / (regionPrecision[l] + p);
                    if (d != 0) {
                        effects[e0 + r] = (float) (effects[e0 + r] + d);
                        for (int c = 0; c < children; c++) {
                            int level = s.childLevel[c];
                            int at = s.childBlock[c] * regions + r;
                            effect[level][at] = (float) (effect[level][at] - d);
                        }
                        largest = Math.max(largest, Math.abs(d));
                    }
                }
            }
        }
        return largest;
    }

    /** The finest level below l at which network m has a block, or -1 (the network itself lies directly inside). */
    private int childLevel(int m, int l) {
        for (int k = l - 1; k >= 0; k--) {
            if (obs.netBlock[k][m] >= 0) {
                return k;
            }
        }
        return -1;
    }

    /** The levels other than {@code skip} that have a block of network m, as bits. */
    private int usedLevels(int m, int skip) {
        int used = 0;
        for (int l = 0; l < obs.levels; l++) {
            if (l != skip && obs.netBlock[l][m] >= 0) {
                used |= 1 << l;
            }
        }
        return used;
    }

    /** μ plus the {@code used} levels' parts of cell i of the unit: {@link #base(Scratch, int)}'s sum, in its order. */
    private static double base(int used, int i, Scratch s) {
        double sum = s.mu[i];
        for (int l = 0; used >>> l != 0; l++) {
            if ((used >>> l & 1) != 0) {
                sum += s.contrib[l][i];
            }
        }
        return sum;
    }

    /**
     * The ridge update of block b of level l (networks [first, last) of the unit starting at cell
     * c0): its offset and its region effects, alternately, given every other effect. Returns the
     * largest change of any of them.
     */
    private double fitBlock(int l, int b, int first, int last, int c0, double offsetPrecision, double regionPrecision,
                            Scratch s) {
        double[] sumW = s.sumW;
        double[] sumWR = s.sumWR;
        double[] residual = s.residual;
        double[] w = s.weight;
        double[] y = s.y;
        int[] region = s.region;
        int e0 = b * regions;
        float[] effects = effect[l];
        // The block's cells' residuals, once: both rounds read them twice. The first round's offset
        // sums, and the per-region weights (the same in both rounds), are summed on the way.
        java.util.Arrays.fill(sumW, 0);
        double num = 0;
        double den = offsetPrecision;
        for (int m = first; m < last; m++) {
            int used = usedLevels(m, l);
            double am = a[m];
            for (int i = obs.cellStart[m] - c0; i < obs.cellStart[m + 1] - c0; i++) {
                int r = region[i];
                double res = y[i] - base(used, i, s) - am;
                double wi = w[i];
                residual[i] = res;
                num += wi * (res - effects[e0 + r]);
                den += wi;
                sumW[r] += wi;
            }
        }
        int i0 = obs.cellStart[first] - c0;
        int i1 = obs.cellStart[last] - c0;
        // The block's offset and its region effects, alternately (two rounds: they are nearly orthogonal).
        double o = 0;
        float offsetBefore = offset[l][b];
        System.arraycopy(effects, e0, s.before, 0, regions);
        for (int round = 0; round < 2; round++) {
            if (round > 0) {
                num = 0; // den is the same sum as the first round's
                for (int i = i0; i < i1; i++) {
                    num += w[i] * (residual[i] - effects[e0 + region[i]]);
                }
            }
            o = num / den;
            java.util.Arrays.fill(sumWR, 0);
            for (int i = i0; i < i1; i++) {
                sumWR[region[i]] += w[i] * (residual[i] - o);
            }
            for (int r = 0; r < regions; r++) {
                effects[e0 + r] = (float) (sumWR[r] / (sumW[r] + regionPrecision));
            }
        }
        float blockOffset = (float) o;
        offset[l][b] = blockOffset;
        double moved = Math.abs(blockOffset - offsetBefore);
        for (int r = 0; r < regions; r++) {
            moved = Math.max(moved, Math.abs(effects[e0 + r] - s.before[r]));
        }
        float[] contrib = s.contrib[l];
        for (int i = i0; i < i1; i++) {
            contrib[i] = blockOffset + effects[e0 + region[i]];
        }
        return moved;
    }

    /**
     * The ridge update of each network's own offset in [n0, n1), given the blocks' effects.
     * Returns the largest change. With {@code weigh}, each network's cells are then weighed by
     * their odds of not being a spike ({@link #weigh}) from their residuals under the new offset:
     * the residuals less the offset are what the update summed, so it costs no second pass over
     * the unit (the moves that follow, {@link #translate}, leave every prediction as it is).
     */
    private double fitNetworks(int n0, int n1, int c0, double precision, boolean weigh, Scratch s) {
        double[] w = s.weight;
        double[] y = s.y;
        double[] residual = s.residual;
        double moved = 0;
        s.reweighed = false;
        for (int m = n0; m < n1; m++) {
            int used = usedLevels(m, -1);
            double num = 0;
            double den = precision;
            int i0 = obs.cellStart[m] - c0;
            int i1 = obs.cellStart[m + 1] - c0;
            if (weigh) {
                for (int i = i0; i < i1; i++) {
                    double wi = w[i];
                    double res = y[i] - base(used, i, s);
                    residual[i] = res;
                    num += wi * res;
                    den += wi;
                }
            } else {
                for (int i = i0; i < i1; i++) {
                    double wi = w[i];
                    num += wi * (y[i] - base(used, i, s));
                    den += wi;
                }
            }
            double next = num / den;
            moved = Math.max(moved, Math.abs(next - a[m]));
            a[m] = next;
            if (weigh) {
                weigh(i0, i1, next, s);
            }
        }
        return moved;
    }

    /**
     * The starts of the fit's units, {@code units + 1} bounds: maximal ranges of networks that
     * share no block of any level with a network outside (a coarsest block with its networks, or a
     * network without blocks). Blocks' network numbers never decrease, so a block that holds
     * networks m and m' holds every network between them that has a block of its level.
     */
    private static int[] units(Observations obs) {
        int networks = obs.networks;
        boolean[] joined = new boolean[networks + 1]; // network m shares a block with one before it
        for (int l = 0; l < obs.levels; l++) {
            int[] of = obs.netBlock[l];
            int last = -1;
            int lastAt = -1;
            for (int m = 0; m < networks; m++) {
                CpuYield.every(m);
                int b = of[m];
                if (b < 0) {
                    continue;
                }
                if (b == last) {
                    for (int p = lastAt + 1; p <= m; p++) {
                        joined[p] = true;
                    }
                }
                last = b;
                lastAt = m;
            }
        }
        int count = 0;
        for (int m = 0; m < networks; m++) {
            CpuYield.every(m);
            if (!joined[m]) {
                count++;
            }
        }
        int[] starts = new int[count + 1];
        int k = 0;
        for (int m = 0; m < networks; m++) {
            CpuYield.every(m);
            if (!joined[m]) {
                starts[k++] = m;
            }
        }
        starts[count] = networks;
        return starts;
    }

    /**
     * The most specific level whose block of the network holds cells of region r other than the
     * network's own (and not held out): what a prediction for (n, r) borrows its region difference
     * from. {@code obs.levels} when no block does (the distance model's difference).
     */
    int borrowLevel(int n, int r, boolean[] heldOut, int[][] regionCount) {
        int own = 0;
        for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
            if (obs.region(c) == r && (heldOut == null || !heldOut[c])) {
                own++;
            }
        }
        return borrowLevel(n, r, own, regionCount);
    }

    /** {@link #borrowLevel(int, int, boolean[], int[][])} given the network's own cells of region r (not held out). */
    int borrowLevel(int n, int r, int own, int[][] regionCount) {
        for (int l = 0; l < obs.levels; l++) {
            int b = obs.netBlock[l][n];
            if (b < 0) {
                continue;
            }
            int others = regionCount[l][b * regions + r];
            if (others - own > 0) {
                return l;
            }
        }
        return obs.levels;
    }

    /** Per level, per block and region: how many cells (not held out) the block holds. */
    int[][] regionCounts(boolean[] heldOut) {
        int[][] counts = new int[obs.levels][];
        for (int l = 0; l < obs.levels; l++) {
            counts[l] = new int[obs.blockCount[l] * regions];
        }
        eachPart((from, to, scratch) -> {
            for (int l = 0; l < obs.levels; l++) {
                int[] count = counts[l];
                for (int n = from; n < to; n++) {
                    CpuYield.every(n);
                    int b = obs.netBlock[l][n];
                    if (b < 0) {
                        continue;
                    }
                    for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                        if (heldOut == null || !heldOut[c]) {
                            count[b * regions + obs.region(c)]++;
                        }
                    }
                }
            }
        });
        return counts;
    }
}
