package io.wayfinder.latency.learn;

import io.wayfinder.latency.LatencyRows;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.LatencyLearning.Coverage;
import io.wayfinder.latency.learn.LatencyLearning.LevelTrust;
import io.wayfinder.latency.learn.LatencyLearning.RegionCoverage;
import io.wayfinder.net.Parts;
import io.wayfinder.time.CpuYield;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the routing table of a rebuild from the fitted {@link BorrowingModel}.
 *
 * <h2>Rows</h2>
 * Every network with evidence gets a full row (one figure per region); every block of a learned
 * level that holds such networks gets a full row too, the estimate for an average network of the
 * block (its offset is the block's), so that a network without samples under it is answered by
 * one lookup, as {@code covering}. The rest of the address space has no row and falls to the
 * distance model through geolocation, as with a CSV table. So routing, and its ECS-scope logic,
 * read the table exactly as before.
 *
 * <h2>Figures</h2>
 * An own cell is its winsorised mean shrunk towards what the network would borrow for that
 * region, by the precision of each (its sampling variance v against the learned variance P of
 * borrowed predictions of its class): {@code y - λ (y - ŷ)}, {@code λ = v / (v + P)}, moved at
 * most {@link LearnedLatency#MAX_SHRINK_SE} standard errors once the cell has as many samples as
 * a change needs (limited translation; see {@link LearnedLatency#shrink}). A cell of four
 * noisy samples therefore lands between its samples and its neighbours', never further from the
 * truth on average than either; one of four hundred stays on its own mean. A region without an
 * own cell is the borrowed prediction ŷ.
 *
 * <h2>Hysteresis</h2>
 * A published figure moves only when the new estimate differs from the previous table's figure
 * for the same row and region by more than {@code max(hysteresisMs, hysteresisSigmas × sd)}, where
 * sd is the new estimate's standard deviation: the old figure stays while it is as plausible as the
 * new one, given all that is known now. (A band on the old figure's uncertainty as well would keep
 * a figure published while its cell was young on a wide band long after the cell had matured.)
 * Under stationary noise a mature cell's estimate wanders by a fraction of its standard deviation
 * between rebuilds, so its figure, and every answer that depends on it, stays put. This is a dead band per cell rather than a bonus
 * for the incumbent region: a profile routes among any subset of regions, and keeping every
 * figure still under noise keeps every pairwise order, so no profile's answer flips, whichever
 * regions it has; the query path does no extra work; and a real change (a 50 ms rise detected by
 * the fold) is many standard deviations and passes at once.
 */
final class TableWriter {
    private TableWriter() {
    }

    static Published write(Observations obs, BorrowingModel model, Anchors anchors, TrustSearch.Result learned,
                           List<String> regionNames, Published previous, LearningParameters parameters,
                           double priorVariance, Instant now, Published.CellSource cellSource, BlockPlaces blockPlaces) {
        int regions = obs.regions;
        double[] classVariance = learned.classVariance();
        double networkVariance = learned.trust().networkVariance();
        int[][] counts = model.regionCounts(null);
        int[] prevColumn = new int[regions];
        Arrays.fill(prevColumn, -1);
        if (previous != null) {
            for (int r = 0; r < regions; r++) {
                prevColumn[r] = previous.table.column(regionNames.get(r));
            }
        }
        int blocks = 0;
        for (int l = 0; l < obs.levels; l++) {
            blocks += obs.blockCount[l];
        }
        int expectedRows = (int) Math.min(Integer.MAX_VALUE / Math.max(1, 2 * regions),
                (long) obs.networks + blocks + 4 * DarkBlocks.atMost(obs) // a dark block's row and its networks' out of town
                        + (obs.levels > 0 ? obs.blockCount[0] / 2 : 0)); // a lit block's networks out of town (LitOutOfTown)
        LatencyRows rows = new LatencyRows(regionNames.subList(0, regions), expectedRows);
        long[][] rowKeys = {new long[expectedRows]};
        int[] netRow = new int[obs.networks];
        int[][] blockRow = new int[obs.levels][];
        int[][] blockFirst = new int[obs.levels][];
        for (int l = 0; l < obs.levels; l++) {
            blockRow[l] = new int[obs.blockCount[l]];
            blockFirst[l] = new int[obs.blockCount[l]];
            Arrays.fill(blockRow[l], -1);
        }
        Hysteresis sticky = new Hysteresis(previous, prevColumn, parameters);
        for (int l = 0; l < obs.levels; l++) {
            Arrays.fill(blockFirst[l], -1);
            int[] of = obs.netBlock[l];
            for (int n = 0; n < obs.networks; n++) {
                CpuYield.every(n);
                int b = of[n];
                if (b >= 0 && blockFirst[l][b] < 0) {
                    blockFirst[l][b] = n;
                }
            }
        }
        double[] totalWeight = {0}; // summed in network and cell order, as before the pipeline
        DarkBlocks dark = new DarkBlocks(obs, model, anchors, counts, classVariance, networkVariance, rows, sticky,
                rowKeys, blockPlaces);
        LitOutOfTown lit = new LitOutOfTown(obs, anchors, blockPlaces, rows, sticky, rowKeys);
        // The figures of a chunk of networks are computed (on the pool) while the previous chunk's
        // rows are written (on this thread, in table order, as hysteresis and the table need).
        Figures[] buffers = {new Figures(obs, model, counts, classVariance, networkVariance, blockFirst, parameters, learned.spikes()),
            new Figures(obs, model, counts, classVariance, networkVariance, blockFirst, parameters, learned.spikes())};
        boolean pipelined = Lanes.parts(obs.cells) > 1;
        int chunks = (obs.networks + Figures.CHUNK - 1) / Figures.CHUNK;
        if (pipelined && chunks > 0) {
            buffers[0].compute(0);
        }
        for (int k = 0; k < chunks; k++) {
            Figures current = buffers[k & 1];
            Figures next = buffers[(k + 1) & 1];
            int chunk = k;
            if (!pipelined) {
                current.compute(chunk);
            }
            Lanes.run(pipelined && chunk + 1 < chunks ? 2 : 1, part -> {
                if (part == 1) {
                    next.compute(chunk + 1);
                    return;
                }
                for (int n = current.from; n < current.to; n++) {
                    CpuYield.every(n);
                    long key = obs.netKey[n];
                    lit.leave(n); // the last block's networks out of town sort before anything after it
                    dark.enter(n);
                    for (int l = obs.levels - 1; l >= 0; l--) {
                        int b = obs.netBlock[l][n];
                        if (b < 0 || blockFirst[l][b] != n) {
                            continue;
                        }
                        long blockKey = obs.blockKey[l][b];
                        if (blockKey == key) {
                            blockRow[l][b] = Integer.MAX_VALUE; // the network's own row stands for the block
                            continue;
                        }
                        dark.writeBefore(blockKey);
                        blockRow[l][b] = addRow(rows, blockKey, current.figure, current.sd, current.offset(n, l),
                                regions, sticky, rowKeys);
                        if (l == 0) {
                            lit.enter(n, b, current.figure, current.sd, current.offset(n, l));
                        }
                    }
                    for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                        totalWeight[0] += obs.weight[c];
                    }
                    dark.writeBefore(key);
                    lit.writeBefore(key);
                    netRow[n] = addRow(rows, key, current.figure, current.sd, current.offset(n, obs.levels), regions,
                            sticky, rowKeys);
                    for (int l = 0; l < obs.levels; l++) {
                        int b = obs.netBlock[l][n];
                        if (b >= 0 && blockRow[l][b] == Integer.MAX_VALUE) {
                            blockRow[l][b] = netRow[n];
                        }
                    }
                }
            });
        }
        lit.writeAll();
        dark.writeAll();
        rows.totalSamples(Math.round(totalWeight[0]));
        // The table's build (flattening the prefixes, the direct index) is single-threaded, and
        // the coverage figures read only the observations: the second lane computes them meanwhile.
        // Its direct index and settled rows split over the lanes too; their part on the second lane
        // waits in the pool's queue until the coverage is done.
        rows.splitOver(pipelined ? Lanes::run : Parts.SEQUENTIAL);
        LatencyTable[] table = {null};
        Coverage[] coverage = {null};
        Lanes.run(pipelined ? 2 : 1, part -> {
            if (part == 0) {
                table[0] = rows.build();
            }
            if (part == 1 || !pipelined) {
                coverage[0] = coverage(obs, learned, regionNames, priorVariance);
            }
        });
        long[] keys = Arrays.copyOf(rowKeys[0], rows.rowCount());
        return new Published(table[0], keys, regionNames.subList(0, regions), obs, model, anchors, learned,
                counts, netRow, blockRow, blockFirst, coverage[0], now, parameters.changeMinSamples(), cellSource);
    }

    /**
     * Rows for the finest-level blocks (/20s) without a measured network that lie in a coarsest
     * block (/16) with one, wherever the locator places them: the estimate for an average network
     * of such a block is the distance model at its own location ({@link Anchors#locateBlock}),
     * plus its /16's part of the regional differences (its provider's routes and peering) and its
     * place's part (the roads of its 1° cell, learned from the measured blocks of every provider
     * there), fitted apart ({@link PlaceEffects}). Without such a row the block falls under its /16's row, which is
     * evaluated at the /16's location and knows nothing of the /20's metro (a /16 serves a whole
     * area of its provider, and some of its /20s sit elsewhere). Written in table order, between
     * the rows of the measured networks, as the table and {@link Hysteresis} expect.
     */
    private static final class DarkBlocks {
        /** At most 2^8 finest blocks are looked at per coarsest block (a /16 holds 16 /20s). */
        private static final int MAX_SPLIT_BITS = 8;

        private final Observations obs;
        private final BorrowingModel model;
        private final Anchors anchors;
        private final int[][] counts;
        private final double[] classVariance;
        private final double networkVariance;
        private final LatencyRows rows;
        private final Hysteresis sticky;
        private final long[][] rowKeysHolder;
        private final int top;
        private PlaceEffects places;
        private final float[] mu;
        private final double[] figure;
        private final double[] sd;
        /** Where the dark blocks are, by their probes (carried from rebuild to rebuild). */
        private final BlockPlaces blockPlaces;
        /** μ and the figures at a network's own place ({@link #writeOutOfTown}). */
        private final float[] ownMu;
        private final double[] ownFigure;
        private int coarse = -1;
        private long[] pending = new long[0];
        private int pendingCount;
        private int next;
        private int firstOfCoarse;
        /** The locations of the current coarsest block's measured finest blocks (their anchors'), [0, measuredCount). */
        private double[] measuredLat = new double[16];
        private double[] measuredLon = new double[16];
        private int measuredCount;
        int written;
        /** Rows written for networks out of town ({@link #writeOutOfTown}). */
        int outOfTown;

        DarkBlocks(Observations obs, BorrowingModel model, Anchors anchors, int[][] counts, double[] classVariance,
                   double networkVariance, LatencyRows rows, Hysteresis sticky, long[][] rowKeys, BlockPlaces blockPlaces) {
            this.obs = obs;
            this.blockPlaces = blockPlaces;
            this.model = model;
            this.anchors = anchors;
            this.counts = counts;
            this.classVariance = classVariance;
            this.networkVariance = networkVariance;
            this.rows = rows;
            this.sticky = sticky;
            this.rowKeysHolder = rowKeys;
            this.top = obs.levels - 1;
            int regions = obs.regions;
            mu = new float[regions];
            figure = new double[regions];
            sd = new double[regions];
            ownMu = new float[regions];
            ownFigure = new double[regions];
            if (top < 1) {
                return;
            }
            places = PlaceEffects.fit(obs, model, anchors, counts, blockPlaces);
        }

        /**
         * An upper bound of the dark blocks' rows written (the finest blocks of the coarsest
         * blocks, less the finest blocks with networks), so that the table's arrays are sized
         * once: at ten million networks, growing them by half would take another half gigabyte
         * for a moment. Their networks out of town ({@link #writeOutOfTown}) add up to 16 rows a
         * block, 2.5 on average in the routing-quality world (307,571 for 124,890 dark /20s at
         * ten million networks): the table is sized for three a block.
         */
        static long atMost(Observations obs) {
            int top = obs.levels - 1;
            if (top < 1) {
                return 0;
            }
            long total = 0;
            for (int b = 0; b < obs.blockCount[top]; b++) {
                long key = obs.blockKey[top][b];
                int[] lengths = obs.levelLength[NetworkKeys.ipv6(key) ? 1 : 0];
                int split = lengths.length < 2 ? 0 : lengths[0] - NetworkKeys.length(key);
                if (split > 0 && split <= MAX_SPLIT_BITS) {
                    total += 1L << split;
                }
            }
            return Math.max(0, total - obs.blockCount[0]);
        }

        /** Network n is next: when it starts another coarsest block, the previous one's dark blocks are written. */
        void enter(int n) {
            if (top < 1) {
                return;
            }
            int b = obs.netBlock[top][n];
            if (b == coarse) {
                return;
            }
            writeAll();
            coarse = b;
            pendingCount = 0;
            next = 0;
            firstOfCoarse = n;
            if (b < 0) {
                return;
            }
            long blockKey = obs.blockKey[top][b];
            int[] lengths = obs.levelLength[NetworkKeys.ipv6(blockKey) ? 1 : 0];
            if (lengths.length < 2) {
                return;
            }
            int fine = lengths[0];
            int split = fine - NetworkKeys.length(blockKey);
            if (split <= 0 || split > MAX_SPLIT_BITS) {
                return;
            }
            boolean[] taken = new boolean[1 << split];
            locateMeasured(n, b);
            int shift = 64 - fine;
            long base = blockKey & ~0xFFL;
            for (int m = n; m < obs.networks && obs.netBlock[top][m] == b; m++) {
                long key = obs.netKey[m];
                int length = NetworkKeys.length(key);
                long address = key & ~0xFFL;
                int from = (int) ((address - base) >>> shift);
                int span = length >= fine ? 1 : 1 << (fine - length);
                for (int i = from; i < from + span && i < taken.length; i++) {
                    taken[i] = true;
                }
            }
            if (pending.length < taken.length) {
                pending = new long[taken.length];
            }
            long family = blockKey & 1;
            for (int i = 0; i < taken.length; i++) {
                if (!taken[i]) {
                    pending[pendingCount++] = base | ((long) i << shift) | (long) fine << 1 | family;
                }
            }
        }

        /** The anchors' locations of coarsest block b's measured finest blocks, from its first network n. */
        private void locateMeasured(int n, int b) {
            measuredCount = 0;
            int lastAnchor = -1;
            for (int m = n; m < obs.networks && obs.netBlock[top][m] == b; m++) {
                int a = anchors.ofNetwork[m];
                if (a == lastAnchor) {
                    continue;
                }
                lastAnchor = a;
                if (measuredCount == measuredLat.length) {
                    measuredLat = Arrays.copyOf(measuredLat, 2 * measuredCount);
                    measuredLon = Arrays.copyOf(measuredLon, 2 * measuredCount);
                }
                measuredLat[measuredCount] = anchors.lat[a];
                measuredLon[measuredCount] = anchors.lon[a];
                measuredCount++;
            }
        }

        /** Writes the pending dark blocks that come before {@code key} in table order. */
        void writeBefore(long key) {
            long limit = Observations.sortKey(key);
            while (next < pendingCount && Observations.sortKey(pending[next]) < limit) {
                write(pending[next++]);
            }
        }

        void writeAll() {
            while (next < pendingCount) {
                write(pending[next++]);
            }
        }

        private void write(long key) {
            int e = blockPlaces.find(key);
            if (!blockPlaces.placed(e)) {
                return;
            }
            double latitude = blockPlaces.latitude(e);
            double longitude = blockPlaces.longitude(e);
            anchors.muAt(latitude, longitude, mu);
            int regions = obs.regions;
            int coarser = find(1, key);
            // Far from its /16's measured /20s, or placed by its networks' rows all at one point, a block may be
            // placed wrongly: its row leans towards its /16's (DarkBlend).
            double own = coarser < 0 ? 1 : places.blend.weight(
                    DarkBlend.nearestKm(latitude, longitude, measuredLat, measuredLon, 0, measuredCount, -1),
                    blockPlaces.together(e), blockPlaces.spread(e));
            for (int r = 0; r < regions; r++) {
                figure[r] = mu[r] + (coarser >= 0 ? places.difference(coarser, latitude, longitude, r) : 0);
                if (own < 1) {
                    figure[r] = own * figure[r] + (1 - own) * model.blockPrediction(firstOfCoarse, r, 1);
                }
                int k = blockClass(obs, counts, firstOfCoarse, r, 1);
                sd[r] = Math.sqrt(classVariance[k] + networkVariance);
            }
            addRow(rows, key, figure, sd, 0, obs.regions, sticky, rowKeysHolder);
            written++;
            writeOutOfTown(e, own);
        }

        /**
         * Rows for the networks of a dark block that the locator places out of town: a row of the
         * source finer than the block, {@link Anchors#MIN_OWN_PLACE_KM} to
         * {@link Anchors#MAX_OWN_PLACE_KM} from the block's place (a fifth of the routing-quality
         * benchmark's measured networks lie that far from their /20, and a source that places a
         * block by its /24s places them there; {@link BlockPlaces} keeps them). Such a network gets the block's row with the distance model moved to its own
         * place, in the block's own part ({@code own}, the blend's weight): as a measured
         * network out of town gets a μ row of its own ({@link Anchors#muRowOf}). Its provider's
         * and its place's parts stay the block's: its roads are its metro's. Written right after
         * the block's row, in address order (a block's networks sort after it, before the next
         * block).
         */
        private void writeOutOfTown(int e, double own) {
            for (int j = blockPlaces.outFrom(e); j < blockPlaces.outTo(e); j++) {
                anchors.muAt(blockPlaces.outLatitude(j), blockPlaces.outLongitude(j), ownMu);
                for (int r = 0; r < obs.regions; r++) {
                    ownFigure[r] = figure[r] + own * (ownMu[r] - mu[r]);
                }
                addRow(rows, blockPlaces.outKey(j), ownFigure, sd, 0, obs.regions, sticky, rowKeysHolder);
                outOfTown++;
            }
        }

        /** The block of level l holding {@code key}, or -1. */
        private int find(int l, long key) {
            int[] lengths = obs.levelLength[NetworkKeys.ipv6(key) ? 1 : 0];
            if (l >= lengths.length || !NetworkKeys.hasBlock(key, lengths[l])) {
                return -1;
            }
            return Observations.indexOf(obs.blockKey[l], obs.blockCount[l], NetworkKeys.block(key, lengths[l]));
        }
    }

    /**
     * Rows for the networks without samples of a measured finest block (a /20) that the source
     * places out of town: a row of the source finer than the block, {@link Anchors#MIN_OWN_PLACE_KM}
     * to {@link Anchors#MAX_OWN_PLACE_KM} from the block's place ({@link BlockPlaces}), that is no
     * measured network's. Such a network gets the block's row with the distance model moved to
     * its own place, as a measured network out of town gets a μ row of its own
     * ({@link Anchors#muRowOf}) and a dark block's network out of town a row of its own
     * ({@link DarkBlocks#writeOutOfTown}); without it, it took the block's row, the distance model at
     * the block's place, up to 300 km from where it is. In the routing-quality benchmark (seed 1)
     * the never-measured networks of measured /20s that the source places out of town went to
     * their fastest region 92.0% of the time, against 97.0% for those in town.
     *
     * <p>Which rows a block has takes its probes (up to sixteen lookups), so, as for
     * {@link NetworkPlaces}, at most {@link #NEW_BLOCKS_PER_REBUILD} blocks the last rebuild did
     * not ask for are probed a rebuild (the others wait for their turn, under their block's row),
     * and the blocks asked are carried to the next rebuild ({@link BlockPlaces}): a start at ten
     * million networks (700,000 measured /20s) probes them over its first forty rebuilds rather
     * than adding seconds to the first. Written in table order, between the rows of the block's
     * measured networks.
     */
    private static final class LitOutOfTown {
        /** Blocks not carried from the last rebuild probed at most, a rebuild. */
        static final int NEW_BLOCKS_PER_REBUILD = 1 << 14;

        private final Observations obs;
        private final Anchors anchors;
        private final BlockPlaces blockPlaces;
        private final LatencyRows rows;
        private final Hysteresis sticky;
        private final long[][] rowKeys;
        private final double[] figure;
        private final double[] sd;
        private final float[] ownMu;
        private final double[] ownFigure;
        /** The current block's networks out of town: key and μ shift, [next, count). */
        private long[] pendingKey = new long[16];
        private float[] pendingMu = new float[16];
        private int count;
        private int next;
        /** The finest block whose rows are pending (-1: none). */
        private int block = -1;
        private int probed;
        /** Rows written (for tests and the log). */
        int written;

        LitOutOfTown(Observations obs, Anchors anchors, BlockPlaces blockPlaces, LatencyRows rows, Hysteresis sticky,
                     long[][] rowKeys) {
            this.obs = obs;
            this.anchors = anchors;
            this.blockPlaces = blockPlaces;
            this.rows = rows;
            this.sticky = sticky;
            this.rowKeys = rowKeys;
            figure = new double[obs.regions];
            sd = new double[obs.regions];
            ownMu = new float[obs.regions];
            ownFigure = new double[obs.regions];
        }

        /** Network n is next: when it is not in the pending rows' block, they are written. */
        void leave(int n) {
            if (block >= 0 && obs.netBlock[0][n] != block) {
                writeAll();
            }
        }

        /**
         * Network n is the first of measured finest block b, whose row (figures and deviations
         * from {@code offset}) was just written: its networks out of town are queued.
         */
        void enter(int n, int b, double[] blockFigure, double[] blockSd, int offset) {
            long key = obs.blockKey[0][b];
            int e = blockPlaces.findCarried(key);
            if (e < 0) {
                if (probed >= NEW_BLOCKS_PER_REBUILD) {
                    return;
                }
                probed++;
                e = blockPlaces.find(key);
            }
            if (!blockPlaces.placed(e) || blockPlaces.outFrom(e) == blockPlaces.outTo(e)) {
                return;
            }
            int regions = obs.regions;
            int muRow = anchors.ofNetwork[n] * regions;
            System.arraycopy(blockFigure, offset, figure, 0, regions);
            System.arraycopy(blockSd, offset, sd, 0, regions);
            block = b;
            count = 0;
            next = 0;
            long last = Long.MIN_VALUE;
            for (int j = blockPlaces.outFrom(e); j < blockPlaces.outTo(e); j++) {
                long out = blockPlaces.outKey(j);
                if (Observations.sortKey(out) <= last || measured(n, b, out)) {
                    continue; // a measured network has its own row; out of order cannot be written in order
                }
                last = Observations.sortKey(out);
                if (count == pendingKey.length) {
                    pendingKey = Arrays.copyOf(pendingKey, 2 * count);
                }
                if (pendingMu.length < (count + 1) * regions) {
                    pendingMu = Arrays.copyOf(pendingMu, 2 * pendingKey.length * regions);
                }
                anchors.muAt(blockPlaces.outLatitude(j), blockPlaces.outLongitude(j), ownMu);
                for (int r = 0; r < regions; r++) {
                    pendingMu[count * regions + r] = ownMu[r] - anchors.mu[muRow + r];
                }
                pendingKey[count++] = out;
            }
        }

        /**
         * Whether {@code key} lies inside one of block b's measured networks (from its first, n):
         * its own row, or a configured figure's coarser network (a static /22, {@link StaticCells}),
         * answers it already.
         */
        private boolean measured(int n, int b, long key) {
            int length = NetworkKeys.length(key);
            for (int m = n; m < obs.networks && obs.netBlock[0][m] == b; m++) {
                long network = obs.netKey[m];
                if (NetworkKeys.length(network) <= length && NetworkKeys.block(key, NetworkKeys.length(network)) == network) {
                    return true;
                }
            }
            return false;
        }

        /** Writes the pending rows that come before {@code key} in table order. */
        void writeBefore(long key) {
            long limit = Observations.sortKey(key);
            while (next < count && Observations.sortKey(pendingKey[next]) < limit) {
                write(next++);
            }
        }

        void writeAll() {
            while (next < count) {
                write(next++);
            }
            block = -1;
            count = 0;
            next = 0;
        }

        private void write(int i) {
            int regions = obs.regions;
            for (int r = 0; r < regions; r++) {
                ownFigure[r] = figure[r] + pendingMu[i * regions + r];
            }
            addRow(rows, pendingKey[i], ownFigure, sd, 0, regions, sticky, rowKeys);
            written++;
        }
    }

    /**
     * The figures and deviations of the rows of a chunk of {@link #CHUNK} networks: per network,
     * its block rows that start at it (slot l, the block of level l) and its own row (slot
     * {@code levels}), {@code regions} values each. Reads the model and the observations only, so
     * that the next chunk is computed on another thread while this one is written; each value is
     * computed exactly as the single pass computed it.
     */
    private static final class Figures {
        static final int CHUNK = 8192;

        private final Observations obs;
        private final BorrowingModel model;
        private final int[][] counts;
        private final double[] classVariance;
        private final double networkVariance;
        private final int[][] blockFirst;
        private final LearningParameters parameters;
        private final SpikeOdds spikes;
        private final BorrowingModel.Scratch scratch;
        private final double[] predicted;
        private final int stride;
        final double[] figure;
        final double[] sd;
        int from;
        int to;

        Figures(Observations obs, BorrowingModel model, int[][] counts, double[] classVariance, double networkVariance,
                int[][] blockFirst, LearningParameters parameters, SpikeOdds spikes) {
            this.spikes = spikes;
            this.obs = obs;
            this.model = model;
            this.counts = counts;
            this.classVariance = classVariance;
            this.networkVariance = networkVariance;
            this.blockFirst = blockFirst;
            this.parameters = parameters;
            this.scratch = model.scratch();
            this.predicted = new double[obs.regions];
            this.stride = (obs.levels + 1) * obs.regions;
            int size = Math.min(CHUNK, obs.networks) * stride;
            figure = new double[size];
            sd = new double[size];
        }

        /** Where network n's row of slot l starts in {@link #figure} and {@link #sd}. */
        int offset(int n, int slot) {
            return (n - from) * stride + slot * obs.regions;
        }

        void compute(int chunk) {
            from = chunk * CHUNK;
            to = Math.min(obs.networks, from + CHUNK);
            int regions = obs.regions;
            for (int n = from; n < to; n++) {
                CpuYield.every(n);
                long key = obs.netKey[n];
                for (int l = obs.levels - 1; l >= 0; l--) {
                    int b = obs.netBlock[l][n];
                    if (b < 0 || blockFirst[l][b] != n || obs.blockKey[l][b] == key) {
                        continue;
                    }
                    int at = offset(n, l);
                    for (int r = 0; r < regions; r++) {
                        figure[at + r] = model.blockPrediction(n, r, l);
                        int k = blockClass(obs, counts, n, r, l);
                        sd[at + r] = Math.sqrt(classVariance[k] + networkVariance);
                    }
                }
                // The network's own row.
                int at = offset(n, obs.levels);
                Arrays.fill(figure, at, at + regions, Double.NaN);
                model.predictAll(n, predicted, scratch);
                for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                    int r = obs.region(c);
                    double y = obs.y[c];
                    double v = obs.v[c];
                    double p = classVariance[model.borrowLevel(n, r, 1, counts)]; // one cell a region
                    figure[at + r] = spikes.figure(y, v, p, predicted[r], obs.weight[c], parameters.changeMinSamples());
                    sd[at + r] = Math.sqrt(1 / (1 / v + 1 / p));
                }
                for (int r = 0; r < regions; r++) {
                    if (Double.isNaN(figure[at + r])) {
                        figure[at + r] = predicted[r];
                        sd[at + r] = Math.sqrt(classVariance[model.borrowLevel(n, r, 0, counts)]);
                    }
                }
            }
        }
    }

    /** The most specific level at or above l whose block has cells of region r: a block row's class. */
    static int blockClass(Observations obs, int[][] counts, int n, int r, int l) {
        for (int k = l; k < obs.levels; k++) {
            int b = obs.netBlock[k][n];
            if (b >= 0 && counts[k][b * obs.regions + r] > 0) {
                return k;
            }
        }
        return obs.levels;
    }

    /** Adds a row of {@code regions} figures and deviations, from {@code offset} in the arrays. */
    private static int addRow(LatencyRows rows, long key, double[] figure, double[] sd, int offset, int regions,
                              Hysteresis sticky, long[][] rowKeys) {
        int row = rows.add(NetworkKeys.ipv6(key), NetworkKeys.hi(key), NetworkKeys.lo(key), NetworkKeys.length(key));
        if (row >= rowKeys[0].length) {
            rowKeys[0] = Arrays.copyOf(rowKeys[0], Math.max(row + 1, rowKeys[0].length + rowKeys[0].length / 2));
        }
        rowKeys[0][row] = key;
        sticky.seek(key);
        for (int r = 0; r < regions; r++) {
            rows.set(row, r, sticky.figure(r, figure[offset + r], sd[offset + r]));
        }
        return row;
    }

    /** The previous table's rows, walked in step with the new ones (both are in table order). */
    private static final class Hysteresis {
        private final Published previous;
        private final int[] prevColumn;
        private final double minMs;
        private final double sigmas;
        private int cursor;
        private int prevRow = -1;

        Hysteresis(Published previous, int[] prevColumn, LearningParameters parameters) {
            this.previous = previous;
            this.prevColumn = prevColumn;
            this.minMs = parameters.hysteresisMs();
            this.sigmas = parameters.hysteresisSigmas();
        }

        void seek(long key) {
            prevRow = -1;
            if (previous == null) {
                return;
            }
            long[] keys = previous.rowKeys;
            long target = Observations.sortKey(key);
            while (cursor < keys.length && Observations.sortKey(keys[cursor]) < target) {
                cursor++;
            }
            if (cursor < keys.length && keys[cursor] == key) {
                prevRow = cursor;
            }
        }

        double figure(int r, double estimate, double sd) {
            if (prevRow < 0 || prevColumn[r] < 0) {
                return estimate;
            }
            int tenths = previous.table.tenths(prevRow, prevColumn[r]);
            if (tenths == LatencyTable.MISSING) {
                return estimate;
            }
            double old = tenths / 10.0;
            return Math.abs(estimate - old) <= Math.max(minMs, sigmas * sd) ? old : estimate;
        }
    }

    private static Coverage coverage(Observations obs, TrustSearch.Result learned, List<String> regionNames,
                                     double priorVariance) {
        int regions = obs.regions;
        long own = obs.networks;
        long ownV4 = 0;
        for (int n = 0; n < obs.networks; n++) {
            CpuYield.every(n);
            if (!NetworkKeys.ipv6(obs.netKey[n])) {
                ownV4++;
            }
        }
        // Networks without samples under a block row: the coarsest blocks' /24s (/48s) less the measured ones.
        long borrowed = 0;
        long borrowedV4 = 0;
        for (int l = 0; l < obs.levels; l++) {
            for (int b = 0; b < obs.blockCount[l]; b++) {
                long key = obs.blockKey[l][b];
                int[] lengths = obs.levelLength[NetworkKeys.ipv6(key) ? 1 : 0];
                if (l != lengths.length - 1) {
                    continue;
                }
                int full = NetworkKeys.ipv6(key) ? NetworkKeys.IPV6_NETWORK : NetworkKeys.IPV4_NETWORK;
                long inside = 1L << (full - NetworkKeys.length(key));
                borrowed += inside;
                if (!NetworkKeys.ipv6(key)) {
                    borrowedV4 += inside;
                }
            }
        }
        long measuredInBlocks = 0;
        long measuredInBlocksV4 = 0;
        for (int n = 0; n < obs.networks; n++) {
            CpuYield.every(n);
            long key = obs.netKey[n];
            int[] lengths = obs.levelLength[NetworkKeys.ipv6(key) ? 1 : 0];
            int coarsest = lengths.length - 1;
            if (coarsest >= 0 && obs.netBlock[coarsest][n] >= 0) {
                int full = NetworkKeys.ipv6(key) ? NetworkKeys.IPV6_NETWORK : NetworkKeys.IPV4_NETWORK;
                long span = 1L << (full - NetworkKeys.length(key));
                measuredInBlocks += span;
                if (!NetworkKeys.ipv6(key)) {
                    measuredInBlocksV4 += span;
                }
            }
        }
        borrowed = Math.max(0, borrowed - measuredInBlocks);
        long modelOnly = Math.max(0, (1L << 24) - ownV4 - Math.max(0, borrowedV4 - measuredInBlocksV4));

        List<RegionCoverage> perRegion = new ArrayList<>();
        double[] samples = new double[regions];
        long[] networks = new long[regions];
        int stride = Math.max(1, obs.cells / 200_000);
        int[][] ages = new int[regions][16]; // a sample of the cells' ages per region, unboxed
        int[] agesOf = new int[regions];
        for (int c = 0; c < obs.cells; c++) {
            CpuYield.every(c);
            int r = obs.region(c);
            samples[r] += obs.weight[c];
            networks[r]++;
            if (c % stride == 0 && obs.ageMinutes[c] >= 0) {
                if (agesOf[r] == ages[r].length) {
                    ages[r] = Arrays.copyOf(ages[r], ages[r].length * 2);
                }
                ages[r][agesOf[r]++] = obs.ageMinutes[c];
            }
        }
        for (int r = 0; r < regions; r++) {
            int[] a = Arrays.copyOf(ages[r], agesOf[r]);
            Arrays.sort(a);
            long p50 = a.length == 0 ? -1 : Decay.millis(a[(a.length - 1) / 2]);
            long p90 = a.length == 0 ? -1 : Decay.millis(a[(int) Math.ceil(0.9 * a.length) - 1]);
            if (networks[r] > 0) {
                perRegion.add(new RegionCoverage(regionNames.get(r), Math.round(samples[r]), networks[r], p50, p90));
            }
        }
        return new Coverage(own, borrowed, modelOnly, List.copyOf(perRegion), trust(obs, learned, priorVariance), 0, 0);
    }

    /** What was learned, level by level, for the coverage view and the logs. */
    static List<LevelTrust> trust(Observations obs, TrustSearch.Result learned, double priorVariance) {
        BorrowingModel.Trust t = learned.trust();
        double typical = priorVariance; // pseudo-samples: a typical sample's variance over the level's
        List<LevelTrust> out = new ArrayList<>();
        for (int l = 0; l < obs.levels; l++) {
            String level = levelName(obs, l);
            out.add(new LevelTrust("block " + level + " offset", Math.sqrt(t.offsetVariance()[l]), typical / t.offsetVariance()[l],
                    Double.NaN, 0));
            out.add(new LevelTrust("block " + level + " x region", Math.sqrt(t.regionVariance()[l]),
                    typical / t.regionVariance()[l], Math.sqrt(learned.classVariance()[l]), learned.classCells()[l]));
        }
        out.add(new LevelTrust("network offset", Math.sqrt(t.networkVariance()), typical / t.networkVariance(), Double.NaN, 0));
        out.add(new LevelTrust("distance model", Double.NaN, Double.NaN, Math.sqrt(learned.classVariance()[obs.levels]),
                learned.classCells()[obs.levels]));
        out.add(new LevelTrust("unexplained network x region", Math.sqrt(t.noiseVariance()), typical / t.noiseVariance(),
                Double.NaN, 0));
        return List.copyOf(out);
    }

    static String levelName(Observations obs, int l) {
        int[] v4 = obs.levelLength[0];
        int[] v6 = obs.levelLength[1];
        String a = l < v4.length ? "/" + v4[l] : "";
        String b = l < v6.length ? "/" + v6[l] : "";
        return a.isEmpty() ? b : b.isEmpty() ? a : a + " (IPv6 " + b + ")";
    }
}
