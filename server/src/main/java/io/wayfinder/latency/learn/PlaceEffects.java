package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.HashMap;

/**
 * The regional differences a dark finest block (a /20 with no measured network) borrows, split in
 * two: its provider's, through the next coarser block (its /16), and its place's, through the
 * measured finest blocks of every provider in the same 1° cell ({@link Anchors#place}).
 *
 * <p>Each measured finest block b gives, per region it holds cells of, its fitted difference
 * {@code T(b, r)}: the coarser blocks' offsets and differences plus its own difference, all
 * relative to the distance model at its own location. That is modelled as additive,
 * {@code T(b, r) = P(s, r) + G(place, r)}: the /16's part (its provider's peering and routes) and
 * the place's part (how far its roads wander from the great circle towards each region, the
 * metro's route inflation, which the distance model cannot know). Both are fitted together, by a
 * few alternating passes of shrunk means (Gauss-Seidel, as {@link BorrowingModel}'s backfitting): P starts at the /16's fitted effects and is shrunk
 * towards them by {@link #PROVIDER_PSEUDO_BLOCKS}, G towards zero by {@link #PLACE_PSEUDO_BLOCKS}.
 * A /16 serves a whole area of its provider, several metros, and its fitted difference is the
 * mean over them; a dark /20 in one of its less common metros, given the /16's difference plus the
 * mean difference of the measured /20s in its place from their own /16s (the first rule), carried
 * the /16's usual metro's inflation, since those other /16s mostly sit in that place themselves.
 * Separating the two parts gives such a /20 its own metro's.
 */
final class PlaceEffects {
    /**
     * Alternating passes, at most: the two parts trade a region's difference slowly where a /16's
     * metros and a place's /16s overlap, so the fit runs until a pass moves no part by more than
     * {@link #TOLERANCE_MS} (in the routing-quality benchmark, 20 passes instead of 5 took the dark
     * /20s' extra RTT from 1.42 to 1.36 ms).
     */
    static final int MAX_PASSES = 30;
    static final double TOLERANCE_MS = 0.01;
    /** A place's part is shrunk towards zero by one pseudo-block (as the first rule's mean was). */
    static final double PLACE_PSEUDO_BLOCKS = 1;
    /** A /16's part is shrunk towards its fitted effects by one pseudo-block. */
    static final double PROVIDER_PSEUDO_BLOCKS = 1;

    private final int regions;
    private final HashMap<Long, Integer> placeIndex;
    /** Per level-1 block and region: P. */
    private final float[] provider;
    /** Per place and region: G. */
    private final float[] place;
    /** How far a dark block trusts its own row against its /16's, learned from measured blocks held out. */
    final DarkBlend blend;

    private PlaceEffects(int regions, HashMap<Long, Integer> placeIndex, float[] provider, float[] place, DarkBlend blend) {
        this.regions = regions;
        this.placeIndex = placeIndex;
        this.provider = provider;
        this.place = place;
        this.blend = blend;
    }

    /** Fits P and G on the measured finest blocks; empty (no place, P = the fitted effects) with fewer than two levels. */
    static PlaceEffects fit(Observations obs, BorrowingModel model, Anchors anchors, int[][] counts, BlockPlaces blockPlaces) {
        int regions = obs.regions;
        HashMap<Long, Integer> placeIndex = new HashMap<>();
        if (obs.levels < 2) {
            return new PlaceEffects(regions, placeIndex, new float[0], new float[0], DarkBlend.OWN_ROW);
        }
        int coarse = obs.blockCount[1];
        float[] prior = new float[coarse * regions];
        // Measured finest blocks: their first network, their /16 and their place (-1 when unplaced).
        int finest = obs.blockCount[0];
        int[] first = new int[finest];
        int[] coarseOf = new int[finest];
        int[] placeOf = new int[finest];
        int blocks = 0;
        int last = -1;
        int lastCoarse = -1;
        for (int n = 0; n < obs.networks; n++) {
            CpuYield.every(n);
            int s = obs.netBlock[1][n];
            if (s >= 0 && s != lastCoarse) {
                lastCoarse = s;
                for (int r = 0; r < regions; r++) {
                    prior[s * regions + r] = (float) coarserEffects(obs, model, n, r);
                }
            }
            int b = obs.netBlock[0][n];
            if (b < 0 || b == last || s < 0) {
                continue;
            }
            last = b;
            int a = anchors.ofNetwork[n];
            first[blocks] = n;
            coarseOf[blocks] = s;
            placeOf[blocks] = Double.isNaN(anchors.lat[a]) ? -1
                    : placeIndex.computeIfAbsent(Anchors.place(anchors.lat[a], anchors.lon[a]), k -> placeIndex.size());
            blocks++;
        }
        // T(b, r) once (NaN where the block has no cell of the region): every pass reads it twice.
        float[] t = new float[blocks * regions];
        for (int i = 0; i < blocks; i++) {
            CpuYield.every(i);
            int n = first[i];
            int b = obs.netBlock[0][n];
            for (int r = 0; r < regions; r++) {
                t[i * regions + r] = counts[0][b * regions + r] > 0 ? (float) total(obs, model, n, b, r) : Float.NaN;
            }
        }
        int places = placeIndex.size();
        Present present = Present.of(t, blocks, regions, placeOf, coarseOf, places, coarse);
        float[] provider = prior.clone();
        float[] place = new float[places * regions];
        double[] sum = new double[Math.max(coarse, places) * regions];
        // The passes on the lanes: G's sums split by place, P's by ranges of blocks cut between
        // /16s (blocks are in network order, a /16's together), so that each part adds its own
        // places' or /16s' terms, in block order as one thread did: the same sums to the bit.
        int parts = Lanes.parts(present.value.length);
        int[] cuts = coarseCuts(coarseOf, blocks, parts);
        int measured = blocks;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            // G given P.
            java.util.Arrays.fill(sum, 0);
            Lanes.run(parts, part -> {
                for (int i = 0; i < measured; i++) {
                    CpuYield.every(i);
                    int g = placeOf[i];
                    if (g < 0 || g % parts != part) {
                        continue;
                    }
                    int gi = g * regions;
                    int si = coarseOf[i] * regions;
                    for (int e = present.start[i]; e < present.start[i + 1]; e++) {
                        int r = present.region[e] & 0xFF;
                        sum[gi + r] += present.value[e] - provider[si + r];
                    }
                }
            });
            double moved = 0;
            for (int k = 0; k < places * regions; k++) {
                float next = (float) (sum[k] / ((double) present.inPlace[k] + PLACE_PSEUDO_BLOCKS));
                moved = Math.max(moved, Math.abs(next - place[k]));
                place[k] = next;
            }
            // P given G, shrunk towards the fitted effects.
            java.util.Arrays.fill(sum, 0);
            Lanes.run(parts, part -> {
                for (int i = cuts[part]; i < cuts[part + 1]; i++) {
                    CpuYield.every(i);
                    int g = placeOf[i];
                    int si = coarseOf[i] * regions;
                    for (int e = present.start[i]; e < present.start[i + 1]; e++) {
                        int r = present.region[e] & 0xFF;
                        double gr = g < 0 ? 0 : place[g * regions + r];
                        sum[si + r] += present.value[e] - gr - prior[si + r];
                    }
                }
            });
            for (int k = 0; k < coarse * regions; k++) {
                float next = (float) (prior[k] + sum[k] / ((double) present.inCoarse[k] + PROVIDER_PSEUDO_BLOCKS));
                moved = Math.max(moved, Math.abs(next - provider[k]));
                provider[k] = next;
            }
            if (moved <= TOLERANCE_MS) {
                break;
            }
        }
        PlaceEffects fitted = new PlaceEffects(regions, placeIndex, provider, place, DarkBlend.OWN_ROW);
        DarkBlend blend = fitted.learnBlend(obs, model, anchors, blockPlaces, prior, t, present, first, coarseOf, placeOf,
                blocks);
        return new PlaceEffects(regions, placeIndex, provider, place, blend);
    }

    /**
     * Holds measured finest blocks out as if dark ({@link DarkBlend}): each is located as a dark
     * block is, its own row is the distance model there plus its /16's and its place's parts with
     * its own contribution taken out (one step, from the fitted parts: what the alternating passes
     * would give without it, to first order), and its target is its fitted row.
     */
    private DarkBlend learnBlend(Observations obs, BorrowingModel model, Anchors anchors, BlockPlaces blockPlaces, float[] prior, float[] t,
                                 Present present, int[] first, int[] coarseOf, int[] placeOf, int blocks) {
        // Blocks per place and /16 per region: how much each held-out block weighed in its parts.
        int[] inPlace = present.inPlace;
        int[] inCoarse = present.inCoarse;
        // The measured blocks' locations, as the dark blocks' distances are measured to them.
        double[] lat = new double[blocks];
        double[] lon = new double[blocks];
        for (int i = 0; i < blocks; i++) {
            CpuYield.every(i);
            int a = anchors.ofNetwork[first[i]];
            lat[i] = anchors.lat[a];
            lon[i] = anchors.lon[a];
        }
        DarkBlend.Learner learner = new DarkBlend.Learner();
        float[] mu = new float[regions];
        double[] target = new double[regions];
        double[] own = new double[regions];
        double[] coarse = new double[regions];
        int stride = Math.max(1, (blocks + DarkBlend.MAX_HELD_OUT - 1) / DarkBlend.MAX_HELD_OUT);
        int runStart = 0;
        for (int i = 0; i < blocks; i++) {
            CpuYield.point(); // a block here is a few µs: 256 of them ran 0.8 ms between looks
            if (i > 0 && coarseOf[i] != coarseOf[i - 1]) {
                runStart = i;
            }
            if (i % stride != 0) {
                continue;
            }
            int n = first[i];
            int b = obs.netBlock[0][n];
            // All its probes, as a dark block's: whether its networks' rows place it together counts too.
            int e = blockPlaces.find(obs.blockKey[0][b]);
            if (!blockPlaces.placed(e)) {
                continue;
            }
            double[] where = {blockPlaces.latitude(e), blockPlaces.longitude(e)};
            anchors.muAt(where[0], where[1], mu);
            boolean together = blockPlaces.together(e);
            int runEnd = i + 1;
            while (runEnd < blocks && coarseOf[runEnd] == coarseOf[i]) {
                runEnd++;
            }
            double km = DarkBlend.nearestKm(where[0], where[1], lat, lon, runStart, runEnd, i);
            Integer located = placeIndex.get(Anchors.place(where[0], where[1]));
            int s = coarseOf[i];
            int k = 0;
            for (int r = 0; r < regions; r++) {
                float tr = t[i * regions + r];
                if (Float.isNaN(tr)) {
                    continue; // the block has no cell of the region: its row there is borrowed, no target
                }
                int sr = s * regions + r;
                double g = placeOf[i] >= 0 ? place[placeOf[i] * regions + r] : 0;
                // P without block i: its residual from the prior leaves the shrunk mean.
                int cw = inCoarse[sr];
                double p = prior[sr] + ((provider[sr] - prior[sr]) * (cw + PROVIDER_PSEUDO_BLOCKS) - (tr - g - prior[sr]))
                        / (cw - 1 + PROVIDER_PSEUDO_BLOCKS);
                double gHeldOut = 0;
                if (located != null) {
                    int gr = located * regions + r;
                    gHeldOut = place[gr];
                    if (located == placeOf[i]) {
                        int pw = inPlace[gr];
                        gHeldOut = (place[gr] * (pw + PLACE_PSEUDO_BLOCKS) - (tr - provider[sr])) / (pw - 1 + PLACE_PSEUDO_BLOCKS);
                    }
                }
                target[k] = model.blockPrediction(n, r, 0);
                own[k] = mu[r] + p + gHeldOut;
                coarse[k] = model.blockPrediction(n, r, 1);
                k++;
            }
            learner.add(km, together, blockPlaces.spread(e), target, own, coarse, k);
        }
        return learner.result();
    }

    /** {@code parts + 1} bounds cutting blocks [0, blocks) into ranges of about equal size, no /16 across a cut. */
    static int[] coarseCuts(int[] coarseOf, int blocks, int parts) {
        int[] cuts = new int[parts + 1];
        for (int p = 1; p < parts; p++) {
            int c = Math.max(cuts[p - 1], (int) ((long) blocks * p / parts));
            while (c > 0 && c < blocks && coarseOf[c] == coarseOf[c - 1]) {
                c++;
            }
            cuts[p] = c;
        }
        cuts[parts] = blocks;
        return cuts;
    }

    /**
     * The measured finest blocks' targets T(b, r) without the regions a block has no cell of, in
     * block order and, within a block, region order (the order the passes add them in, so the sums
     * are the same to the bit), and how many blocks each place and each /16 has per region.
     *
     * <p>Why: the passes visited every (block, region) and skipped a third of them on a NaN, a
     * branch the processor could not predict, and counted the blocks again at every pass; that was
     * a tenth of a first rebuild's CPU at two million networks, on one core, before the table's
     * pipeline starts. The counts do not change from pass to pass.
     */
    static final class Present {
        /** Per block i, its entries [start[i], start[i + 1]). */
        final int[] start;
        /** Per entry, its region ({@code & 0xFF}: at most {@link LearnedLatency#MAX_REGIONS}) and T. */
        final byte[] region;
        final float[] value;
        /** Per place and region, and per /16 and region: the blocks with a cell of the region. */
        final int[] inPlace;
        final int[] inCoarse;

        private Present(int[] start, byte[] region, float[] value, int[] inPlace, int[] inCoarse) {
            this.start = start;
            this.region = region;
            this.value = value;
            this.inPlace = inPlace;
            this.inCoarse = inCoarse;
        }

        /** From {@code t} (blocks x regions, NaN where a block has no cell of the region). */
        static Present of(float[] t, int blocks, int regions, int[] placeOf, int[] coarseOf, int places, int coarse) {
            int[] start = new int[blocks + 1];
            int[] inPlace = new int[places * regions];
            int[] inCoarse = new int[coarse * regions];
            int entries = 0;
            for (int i = 0; i < blocks; i++) {
                CpuYield.every(i);
                start[i] = entries;
                for (int r = 0; r < regions; r++) {
                    if (!Float.isNaN(t[i * regions + r])) {
                        entries++;
                        if (placeOf[i] >= 0) {
                            inPlace[placeOf[i] * regions + r]++;
                        }
                        inCoarse[coarseOf[i] * regions + r]++;
                    }
                }
            }
            start[blocks] = entries;
            byte[] region = new byte[entries];
            float[] value = new float[entries];
            int e = 0;
            for (int i = 0; i < blocks * regions; i++) {
                CpuYield.every(i);
                if (!Float.isNaN(t[i])) {
                    region[e] = (byte) (i % regions);
                    value[e++] = t[i];
                }
            }
            return new Present(start, region, value, inPlace, inCoarse);
        }
    }

    /** The offsets and differences of network n's blocks coarser than the finest, for region r. */
    private static double coarserEffects(Observations obs, BorrowingModel model, int n, int r) {
        double sum = 0;
        for (int l = 1; l < obs.levels; l++) {
            int b = obs.netBlock[l][n];
            if (b >= 0) {
                sum += model.offset[l][b] + model.effect[l][b * obs.regions + r];
            }
        }
        return sum;
    }

    /** T(b, r): a measured finest block's difference from the distance model, without its own offset. */
    private static double total(Observations obs, BorrowingModel model, int n, int b, int r) {
        return coarserEffects(obs, model, n, r) + model.effect[0][b * obs.regions + r];
    }

    /**
     * What a dark finest block of level-1 block {@code coarse} at {@code (latitude, longitude)}
     * adds to the distance model for region r: its /16's part and its place's (none when no
     * measured block shares the place).
     */
    double difference(int coarse, double latitude, double longitude, int r) {
        double sum = provider[coarse * regions + r];
        Integer g = placeIndex.get(Anchors.place(latitude, longitude));
        return g == null ? sum : sum + place[g * regions + r];
    }
}
