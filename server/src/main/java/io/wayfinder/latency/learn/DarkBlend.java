package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GreatCircle;

/**
 * How far a dark finest block's row (a /20 with no measured network) trusts its own geolocation:
 * its row is {@code w × own + (1 - w) × coarse}, where {@code own} is the distance model at its
 * geolocation plus its /16's and its place's parts of the regional differences
 * ({@link PlaceEffects}), and {@code coarse} is its /16's row. The weight w is learned per band of
 * the distance from the block's geolocation to the nearest measured /20 of its /16, from measured
 * /20s held out as if they were dark.
 *
 * <p>Why: a dark /20 placed far from every measured /20 of its /16 is either truly elsewhere (a
 * /16 serves a whole area of its provider) or wrongly geolocated, and nothing the router sees tells
 * the two apart. In the routing-quality benchmark, from 500 km on they are about as common as each
 * other, and each row is right for one of them and costly for the other. Since RTTs add, the
 * figure that minimises the expected RTT of a choice is the mixture of the two rows weighted by
 * how often each is right: least squares on held-out blocks estimates exactly that weight, without
 * knowing which blocks were wrongly placed. Near its /16's measured /20s the learned weight stays
 * near 1 (the block's own row).
 *
 * <p>One more thing the router sees says how a block was placed: a source that places a block by
 * the rows of its networks (/24s) puts them where the networks are, spread over the metro and its
 * suburbs (a fifth of the benchmark's measured networks 30-500 km from their /20); a source that puts three or more of them all within
 * {@link Anchors#MIN_OWN_PLACE_KM} of one point placed the block as a whole, and in the
 * benchmark's world that is a wrong place (a provider's head office, another metro): its own row
 * was right for 54% of such dark networks, at 17.8 ms of extra RTT on average, its /16's for 84%
 * at 1.0 ms. Such blocks get one weight of their own at any distance ({@link #placedTogether}),
 * learned from the held-out blocks placed so (0.12-0.15 in the benchmark, seeds 1-3); with fewer
 * than {@link #MIN_TOGETHER_BLOCKS} of them, their band's. A source that places every block at
 * its city's centre would teach a weight near 1 instead: the weight is learned, not assumed.
 *
 * <p>Held out: a measured /20 is located as a dark one is ({@link Anchors#probeBlock}, all its probes); its own
 * row is computed with its own contribution taken out of its place's and its /16's parts
 * ({@code PlaceEffects.learnBlend}); the target is its fitted row (its own differences between the
 * regions it has cells of), and all three are centred over those regions, since only differences
 * between regions choose one. The /16's row keeps what the held-out block taught it (one /20 of
 * several, shrunk): a small pull towards w = 0 that the learned weight carries.
 */
final class DarkBlend {
    /**
     * Upper edges of the distance bands (km), doubling from the metro (100 km) to the other side of
     * a continent: the odds of a wrong place grow with the distance. Fewer bands (100, 500, 2000)
     * learned less (dark /20s of the benchmark, seeds 1-3: 93.45%, 89.36%, 91.02% against 93.66%,
     * 89.71%, 90.95% with these).
     */
    static final double[] BAND_EDGES_KM = {100, 250, 500, 1000, 2000, 4000, 8000};
    /** Bands: one per edge, one beyond the last, and one for a /16 whose measured /20s none is placed. */
    static final int BANDS = BAND_EDGES_KM.length + 2;
    /**
     * At most this many measured blocks are held out (a spread sample: the same work at any size;
     * each is located, up to 16 lookups, and its distance model evaluated, 20 great circles). Enough for every band
     * that matters: the benchmark's world of 100,000 networks has 7,000 measured /20s.
     */
    static final int MAX_HELD_OUT = 20_000;
    /** Held-out blocks a band needs before its weight is learned; with fewer it keeps its own row (w = 1). */
    static final int MIN_BLOCKS = 20;

    /** No blending: every dark block keeps its own row (fewer than two levels, or nothing held out). */
    static final DarkBlend OWN_ROW = new DarkBlend(filled(1));

    /**
     * Held-out blocks the source places by their networks' rows all near one point needs before
     * such blocks get a weight of their own ({@link #together}); with fewer they take their band's.
     */
    static final int MIN_TOGETHER_BLOCKS = MIN_BLOCKS;

    /** Per band: the weight of the own row, learned over all held-out blocks. */
    private final double[] weight;
    /**
     * The weight of the own row of a block the source places by three or more rows of its
     * networks, all within {@link Anchors#MIN_OWN_PLACE_KM} of its place ({@link #placedTogether}),
     * whatever the distance; NaN: their band's. Learned over the held-out blocks placed so.
     */
    private final double together;
    /**
     * The weight of the own row of a block the source places by three or more rows of its
     * networks, some {@link Anchors#MIN_OWN_PLACE_KM} or more from its place ({@link #placedSpread}),
     * {@link #BAND_EDGES_KM 100 km} or more from its /16's measured /20s; NaN: their band's.
     * Learned over the held-out blocks placed so, that far.
     */
    private final double spread;

    DarkBlend(double[] weight) {
        this(weight, Double.NaN);
    }

    DarkBlend(double[] weight, double together) {
        this(weight, together, Double.NaN);
    }

    DarkBlend(double[] weight, double together, double spread) {
        this.weight = weight;
        this.together = together;
        this.spread = spread;
    }

    /** The weight of a dark block's own row: {@link #weight(double)}, or, when placed together, {@link #together}'s. */
    double weight(double km, boolean placedTogether) {
        return weight(km, placedTogether, false);
    }

    /**
     * The weight of a dark block's own row: when placed together, {@link #together}'s; when
     * spread and beyond the first band, {@link #spread}'s; otherwise its band's.
     */
    double weight(double km, boolean placedTogether, boolean placedSpread) {
        if (placedTogether && !Double.isNaN(together)) {
            return together;
        }
        return placedSpread && band(km) > 0 && !Double.isNaN(spread) ? spread : weight(km);
    }

    /**
     * Whether the source places a block by three or more rows of its own networks (finer than the
     * block), all within {@link Anchors#MIN_OWN_PLACE_KM} of its place: from all its probes'
     * answers ({@link Anchors#probeBlock}).
     */
    static boolean placedTogether(Anchors.Probes probes, int blockLength, double[] where) {
        FinerRows rows = FinerRows.of(probes, blockLength, where);
        return rows.count >= 3 && !rows.outOfTown;
    }

    /**
     * Whether the source places a block by three or more rows of its own networks (finer than the
     * block), some of them {@link Anchors#MIN_OWN_PLACE_KM} or more from its place: where its
     * networks are, over a metro and its suburbs. Why a weight of its own far from the block's
     * /16: a block placed wrongly is placed as a whole (one row, or its networks' rows at one
     * point, {@link #placedTogether}), so one whose networks' rows spread as a metro's do is
     * placed where it is more often than the others at that distance. In the routing-quality
     * world every such block is placed right; the band's weight, learned over all the blocks at
     * that distance, sent them towards their /16's metro.
     */
    static boolean placedSpread(Anchors.Probes probes, int blockLength, double[] where) {
        FinerRows rows = FinerRows.of(probes, blockLength, where);
        return rows.count >= 3 && rows.outOfTown;
    }

    /**
     * The source's rows finer than a block among its probes' answers: how many, and whether any
     * lies {@link Anchors#MIN_OWN_PLACE_KM} or more from the block's place.
     */
    private record FinerRows(int count, boolean outOfTown) {
        static FinerRows of(Anchors.Probes probes, int blockLength, double[] where) {
            int count = 0;
            boolean outOfTown = false;
            for (int i = 0; i < probes.count; i++) {
                if (probes.newFinerRow(i, blockLength)) {
                    GeoLocation at = probes.answer[i];
                    outOfTown |= Anchors.roughKm(at.latitude(), at.longitude(), where[0], where[1]) >= Anchors.MIN_OWN_PLACE_KM;
                    count++;
                }
            }
            return new FinerRows(count, outOfTown);
        }
    }

    private static double[] filled(double w) {
        double[] out = new double[BANDS];
        java.util.Arrays.fill(out, w);
        return out;
    }

    /** The band of a block whose nearest measured /20 of the same /16 lies {@code km} away (infinite: none placed). */
    static int band(double km) {
        if (km == Double.POSITIVE_INFINITY) {
            return BANDS - 1;
        }
        int b = 0;
        while (b < BAND_EDGES_KM.length && km >= BAND_EDGES_KM[b]) {
            b++;
        }
        return b;
    }

    /** The weight of a dark block's own row, {@code km} from its /16's nearest measured /20. */
    double weight(double km) {
        return weight[band(km)];
    }

    /**
     * The distance (km) from a location to the nearest of the places {@code [from, to)} but
     * {@code skip} (unplaced ones, NaN, left out), or infinity when there is none.
     */
    static double nearestKm(double latitude, double longitude, double[] lat, double[] lon, int from, int to, int skip) {
        double nearest = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            if (i != skip && !Double.isNaN(lat[i])) {
                nearest = Math.min(nearest, GreatCircle.kilometres(latitude, longitude, lat[i], lon[i]));
            }
        }
        return nearest;
    }

    /**
     * Accumulates the least-squares weight per band: for a held-out block's centred target t, own
     * row d and coarse row c over the regions it has cells of, w minimises {@code Σ (t - c - w (d - c))²}.
     */
    static final class Learner {
        private final double[] cross = new double[BANDS];
        private final double[] square = new double[BANDS];
        private final int[] blocks = new int[BANDS];
        private double togetherCross;
        private double togetherSquare;
        private int togetherBlocks;
        private double spreadCross;
        private double spreadSquare;
        private int spreadBlocks;

        void add(double km, double[] target, double[] own, double[] coarse, int k) {
            add(km, false, target, own, coarse, k);
        }

        void add(double km, boolean placedTogether, double[] target, double[] own, double[] coarse, int k) {
            add(km, placedTogether, false, target, own, coarse, k);
        }

        /** One held-out block: {@code k} regions' target, own and coarse rows (not yet centred). */
        void add(double km, boolean placedTogether, boolean placedSpread, double[] target, double[] own, double[] coarse,
                 int k) {
            if (k < 2) {
                return;
            }
            double mt = 0;
            double md = 0;
            double mc = 0;
            for (int i = 0; i < k; i++) {
                mt += target[i];
                md += own[i];
                mc += coarse[i];
            }
            mt /= k;
            md /= k;
            mc /= k;
            int band = band(km);
            for (int i = 0; i < k; i++) {
                double c = coarse[i] - mc;
                double apart = own[i] - md - c;
                cross[band] += (target[i] - mt - c) * apart;
                square[band] += apart * apart;
                if (placedTogether) {
                    togetherCross += (target[i] - mt - c) * apart;
                    togetherSquare += apart * apart;
                }
                if (placedSpread && band > 0) {
                    spreadCross += (target[i] - mt - c) * apart;
                    spreadSquare += apart * apart;
                }
            }
            blocks[band]++;
            if (placedTogether) {
                togetherBlocks++;
            }
            if (placedSpread && band > 0) {
                spreadBlocks++;
            }
        }

        /** The weights: least squares per band, within [0, 1]; 1 where a band has too few blocks or the rows agree. */
        DarkBlend result() {
            double[] w = filled(1);
            for (int b = 0; b < BANDS; b++) {
                if (blocks[b] >= MIN_BLOCKS && square[b] > 0) {
                    w[b] = Math.max(0, Math.min(1, cross[b] / square[b]));
                }
            }
            double t = togetherBlocks >= MIN_TOGETHER_BLOCKS && togetherSquare > 0
                    ? Math.max(0, Math.min(1, togetherCross / togetherSquare)) : Double.NaN;
            double spread = spreadBlocks >= MIN_BLOCKS && spreadSquare > 0
                    ? Math.max(0, Math.min(1, spreadCross / spreadSquare)) : Double.NaN;
            return new DarkBlend(w, t, spread);
        }
    }
}
