package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.Arrays;

/**
 * Where a measured network's own cells place it, for networks the geolocation places only with
 * their block: carried from rebuild to rebuild, like {@link NetworkPlaces}, and inferred again for
 * a window of networks at every rebuild.
 *
 * <p><b>Why.</b> A source that places a block by one row puts all its networks at the metro's
 * centre, but three in ten of a metro's networks may lie 30-300 km out (suburbs, nearby towns).
 * Such a network's RTTs differ from its block's by its displacement: towards a region it has moved
 * closer to, shorter, away from it, longer (a millisecond per 60 km of fibre at the usual route
 * inflation). Evaluated at the block's place, the distance model leaves those differences to the
 * network's own cells alone, and every region it has no cell of gets its block's figure, wrong by
 * up to a few milliseconds, enough to choose the wrong one of two neighbouring regions. In the
 * routing-quality benchmark (seed 1), measured networks 100 km or more out of town whose block the
 * source places by one row went to their fastest region 94.5% of the time, against 97.2% for those
 * the source places by their own rows.
 *
 * <p><b>How.</b> The fitted model gives each of the network's cells a residual from its block's
 * prediction at the block's place (the network's offset left free: it does not tell a place). Each
 * candidate place on rings of {@link #RINGS_KM} around the block, {@link #BEARINGS} bearings each,
 * moves the distance model's figure for every region by {@code slope × (km from there − km from the
 * block)} (a plane triangle: the ring is small beside the distances to regions), and the weighted
 * squared error of the residuals against those moves says how well it explains them. The place
 * kept is the posterior mean of the candidates' displacements, the block's place itself having
 * prior weight {@code 1 - share} and the rings {@code share} among them, where {@code share} is
 * learned: the mean posterior weight of the rings over the last window (one EM step a rebuild).
 * The likelihood is {@code exp(-sharpness × error / 2)}, where the sharpness is measured on the
 * window ({@link #sharpness}): the inverse of the median error per degree of freedom that is left
 * at each network's best place. The cells' weights (their samples' variance plus the variance no
 * effect explains) are the fit's, made for comparing a cell with its block, not places: in the
 * benchmark the errors left were a fifth to a ninth of what those weights expect. Fixed values
 * were tried first (1: 96.91%, 2: 96.95%, 4: 96.99%, 8: 97.00% of all networks to their fastest
 * region, seed 1, in process); the measured one gave 97.13%, and it follows the noise of the
 * samples a deployment has rather than the benchmark's.
 *
 * <p><b>At most {@link #PER_REBUILD} networks a rebuild</b>, a window that moves on in table order
 * and wraps, so that a first rebuild at 10 M networks (7.2 M measured) pays for a fiftieth of
 * them. A window of every network is applied at once, by fitting again the units of the networks
 * whose place moved ({@link BorrowingModel#refit}); a part of them enters the next rebuild's fit.
 * 8 bytes a network, like {@link NetworkPlaces}.
 */
final class CellPlaces {
    /** Networks placed at most a rebuild. */
    static final int PER_REBUILD = 1 << 17;
    /** Rounds of placing and refitting when a window holds every network. */
    static final int ROUNDS = 2;
    /** A network needs cells of this many regions to be placed by them. */
    static final int MIN_CELLS = 3;
    /** Candidate rings around the block's place, km. */
    static final double[] RINGS_KM = {40, 70, 100, 150, 200, 250, 300};
    static final int BEARINGS = 16;
    /** The sharpness with fewer than {@link #MIN_SCALE_NETWORKS} networks to measure it on (the routing-quality world's: 4-9). */
    static final double SHARPNESS = 4;
    static final int MIN_SCALE_NETWORKS = 8;
    /** Residuals of a thousandth of their weights' variance say the weights are wrong, not that places are that sharp. */
    static final double MAX_SHARPNESS = 1000;
    /** A posterior mean within this of the block's place keeps the block's row. */
    static final double MIN_KM = 5;
    /** The share of networks away from their block's place before anything was learned. */
    static final double INITIAL_SHARE = 0.3;

    private static final int CANDIDATES = RINGS_KM.length * BEARINGS;
    private static final double[] NORTH = new double[CANDIDATES];
    private static final double[] EAST = new double[CANDIDATES];

    static {
        int j = 0;
        for (double km : RINGS_KM) {
            for (int b = 0; b < BEARINGS; b++) {
                double t = 2 * Math.PI * b / BEARINGS;
                NORTH[j] = km * Math.cos(t);
                EAST[j] = km * Math.sin(t);
                j++;
            }
        }
    }

    /** The networks' keys, in table order (the observations' array). */
    private final long[] keys;
    /** Per network, where its cells place it; NaN: at its block's place. */
    final float[] lat;
    final float[] lon;
    /** The key the next window starts at (the first network at or after it); none before a first window. */
    private long cursor;
    private boolean hasCursor;
    /** The learned share of networks away from their block's place. */
    private double share;
    /** Networks placed by the last {@link #infer}, and how many of them away from their block's place (for the log and tests). */
    int placed;
    int away;
    /** Whether the last window held every network. */
    boolean wholeWindow;
    /** The last window's {@link #sharpness} (for the log and tests). */
    double lastSharpness;

    private CellPlaces(long[] keys, float[] lat, float[] lon, long cursor, boolean hasCursor, double share) {
        this.keys = keys;
        this.hasCursor = hasCursor;
        this.lat = lat;
        this.lon = lon;
        this.cursor = cursor;
        this.share = share;
    }

    /** The places of {@code obs}'s networks that {@code previous} had, by key; none for a first rebuild. */
    static CellPlaces carried(CellPlaces previous, Observations obs) {
        int networks = obs.networks;
        float[] lat = new float[networks];
        float[] lon = new float[networks];
        Arrays.fill(lat, Float.NaN);
        Arrays.fill(lon, Float.NaN);
        if (previous == null) {
            return new CellPlaces(obs.netKey, lat, lon, 0, false, INITIAL_SHARE);
        }
        Observations.matchKeys(previous.keys, previous.keys.length, obs.netKey, networks, (i, n) -> {
            lat[n] = previous.lat[i];
            lon[n] = previous.lon[i];
        });
        return new CellPlaces(obs.netKey, lat, lon, previous.cursor, previous.hasCursor, previous.share);
    }

    /** Whether network n has a place of its cells. */
    boolean placed(int n) {
        return !Float.isNaN(lat[n]);
    }

    /**
     * Places the next window of at most {@code budget} networks by their cells, given a model
     * fitted over {@code anchors} (which hold this object's places as rows, {@link Anchors#withCellPlaces}).
     *
     * @return per network, whether its place changed (null when none did)
     */
    boolean[] infer(Observations obs, BorrowingModel model, Anchors anchors, double noiseVariance, int budget) {
        int networks = obs.networks;
        placed = 0;
        away = 0;
        if (networks == 0) {
            return null;
        }
        int start = hasCursor ? Observations.lowerBound(obs.netKey, networks, cursor) : 0;
        if (start >= networks) {
            start = 0;
        }
        int count = Math.min(budget, networks);
        wholeWindow = count == networks;
        double sharpness = sharpness(obs, model, anchors, noiseVariance, start, count, new Geometry(obs.regions));
        lastSharpness = sharpness;
        boolean[] changed = new boolean[networks];
        // The window on the lanes, each part its own range of it (a network's place depends on its own cells only).
        int parts = count < MIN_PARALLEL ? 1 : Lanes.count();
        Part[] done = new Part[parts];
        int first = start;
        Lanes.run(parts, part -> {
            Part p = new Part(obs.regions);
            for (int i = (int) ((long) count * part / parts); i < (int) ((long) count * (part + 1) / parts); i++) {
                CpuYield.every(i);
                p.place(obs, model, anchors, noiseVariance, (first + i) % networks, sharpness, changed);
            }
            done[part] = p;
        });
        double awayWeight = 0;
        boolean any = false;
        for (Part p : done) {
            placed += p.placed;
            away += p.away;
            awayWeight += p.awayWeight;
            any |= p.changed;
        }
        if (placed >= MIN_SHARE_NETWORKS) {
            share = Math.max(0.01, Math.min(0.99, awayWeight / placed));
        }
        // The next window starts after this one (where this one did when it covered every network).
        cursor = obs.netKey[(start + count) % networks];
        hasCursor = true;
        return any ? changed : null;
    }

    /** Below this many networks in a window the caller places them alone. */
    static final int MIN_PARALLEL = 10_000;
    /** A window places this many networks before the share it learns replaces the last. */
    static final int MIN_SHARE_NETWORKS = 100;
    /** A candidate this far (in the likelihood's exponent) below the best weighs nothing: e^-40. */
    private static final double NEGLIGIBLE = 40;

    /** One lane's part of a window: its buffers, and what it placed. */
    private final class Part {
        private final Geometry g;
        private final double[] residual;
        private final double[] weight;
        private final int[] region;
        private final double[] error = new double[CANDIDATES];
        private int lastAnchor = -1;
        int placed;
        int away;
        double awayWeight;
        boolean changed;

        Part(int regions) {
            g = new Geometry(regions);
            residual = new double[regions];
            weight = new double[regions];
            region = new int[regions];
        }

        /** Places network n (when its cells can): the posterior mean of the candidates' displacements. */
        void place(Observations obs, BorrowingModel model, Anchors anchors, double noiseVariance, int n, double sharpness,
                   boolean[] changedOut) {
            int a = anchors.ofNetwork[n];
            if (!eligible(anchors, n, a)) {
                return;
            }
            int k = gather(obs, model, anchors, noiseVariance, n, a, residual, weight, region);
            if (k < MIN_CELLS) {
                return;
            }
            if (a != lastAnchor) {
                g.at(anchors, a);
                lastAnchor = a;
            }
            double centre = g.error(residual, weight, region, k, -1);
            double best = centre;
            for (int j = 0; j < CANDIDATES; j++) {
                error[j] = g.error(residual, weight, region, k, j);
                best = Math.min(best, error[j]);
            }
            double each = share / CANDIDATES;
            double exponent = sharpness * (centre - best) / 2;
            double z = exponent > NEGLIGIBLE ? 0 : (1 - share) * Math.exp(-exponent);
            double north = 0;
            double east = 0;
            double ring = 0;
            for (int j = 0; j < CANDIDATES; j++) {
                exponent = sharpness * (error[j] - best) / 2;
                if (exponent > NEGLIGIBLE) {
                    continue;
                }
                double p = each * Math.exp(-exponent);
                ring += p;
                north += p * NORTH[j];
                east += p * EAST[j];
            }
            z += ring;
            north /= z;
            east /= z;
            awayWeight += ring / z;
            placed++;
            float newLat = Float.NaN;
            float newLon = Float.NaN;
            if (Math.hypot(north, east) >= MIN_KM) {
                newLat = (float) Math.max(-90, Math.min(90, anchors.lat[a] + north / Anchors.KM_PER_DEGREE));
                newLon = (float) (anchors.lon[a]
                        + east / (Anchors.KM_PER_DEGREE * Math.max(0.05, Math.cos(Math.toRadians(anchors.lat[a])))));
                away++;
            }
            if (!sameFloat(newLat, lat[n]) || !sameFloat(newLon, lon[n])) {
                lat[n] = newLat;
                lon[n] = newLon;
                changedOut[n] = true;
                changed = true;
            }
        }
    }

    /**
     * How sharply the errors tell places apart: the inverse of the weighted residuals' variance
     * left at each network's best place, the median over a sample of the window's networks of the
     * error per degree of freedom (cells less the offset and the two coordinates).
     */
    private static double sharpness(Observations obs, BorrowingModel model, Anchors anchors, double noiseVariance, int start,
                                    int count, Geometry g) {
        int regions = obs.regions;
        int stride = Math.max(1, count / 20_000);
        double[] ratio = new double[count / stride + 1];
        double[] residual = new double[regions];
        double[] weight = new double[regions];
        int[] region = new int[regions];
        int m = 0;
        int lastAnchor = -1;
        for (int i = 0; i < count; i += stride) {
            CpuYield.every(i);
            int n = (start + i) % obs.networks;
            int a = anchors.ofNetwork[n];
            if (!eligible(anchors, n, a)) {
                continue;
            }
            int k = gather(obs, model, anchors, noiseVariance, n, a, residual, weight, region);
            if (k < MIN_CELLS + 1) {
                continue;
            }
            if (a != lastAnchor) {
                g.at(anchors, a);
                lastAnchor = a;
            }
            double best = g.error(residual, weight, region, k, -1);
            for (int j = 0; j < CANDIDATES; j++) {
                best = Math.min(best, g.error(residual, weight, region, k, j));
            }
            ratio[m++] = best / (k - 3);
        }
        if (m < MIN_SCALE_NETWORKS) {
            return SHARPNESS;
        }
        double median = Fold.median(ratio, m);
        return median > 0 ? Math.min(MAX_SHARPNESS, 1 / median) : SHARPNESS;
    }

    /** Network n's cells: residuals from the prediction at its block's place, weights and regions; returns how many. */
    private static int gather(Observations obs, BorrowingModel model, Anchors anchors, double noiseVariance, int n, int a,
                              double[] residual, double[] weight, int[] region) {
        int regions = obs.regions;
        int k = 0;
        for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
            int r = obs.region(c);
            // The residual from the prediction at the block's place (the model's own row may be this object's).
            residual[k] = obs.y[c] - model.predict(n, r) + model.mu(n, r) - anchors.mu[a * regions + r];
            weight[k] = 1 / (obs.v[c] + noiseVariance);
            region[k++] = r;
        }
        return k;
    }

    /** The learned share of networks away from their block's place. */
    double share() {
        return share;
    }

    private static boolean sameFloat(float x, float y) {
        return Float.floatToIntBits(x) == Float.floatToIntBits(y);
    }

    /**
     * A network the cells may place: its block placed, the network at its block's place (a
     * network the source places by a row of its own, out of town or in it, is where that row says).
     */
    private static boolean eligible(Anchors anchors, int n, int a) {
        if (Double.isNaN(anchors.lat[a])) {
            return false;
        }
        NetworkPlaces places = anchors.places;
        return places == null || !places.placed(n)
                || Anchors.roughKm(places.lat[n], places.lon[n], anchors.lat[a], anchors.lon[a]) < OWN_ROW_KM;
    }

    /** A network's own row closer than this to its block's place is the block's row (the same figures, rounded). */
    static final double OWN_ROW_KM = 1;

    /** An anchor's distances and bearings to the regions, and each candidate's moves of the distance model. */
    private static final class Geometry {
        private final int regions;
        /** Per candidate and region: how far the candidate moves the distance model's figure, ms. */
        private final double[] move;
        /** Per region, from the anchor: km, and the bearing's cosine and sine. */
        private final double[] km;
        private final double[] cosBearing;
        private final double[] sinBearing;

        Geometry(int regions) {
            this.regions = regions;
            move = new double[CANDIDATES * regions];
            km = new double[regions];
            cosBearing = new double[regions];
            sinBearing = new double[regions];
        }

        void at(Anchors anchors, int a) {
            anchors.geometryAt(anchors.lat[a], anchors.lon[a], km, cosBearing, sinBearing);
            for (int j = 0; j < CANDIDATES; j++) {
                double d = Math.hypot(NORTH[j], EAST[j]);
                for (int r = 0; r < regions; r++) {
                    double value = 0;
                    if (!Double.isNaN(km[r])) {
                        double along = (NORTH[j] * cosBearing[r] + EAST[j] * sinBearing[r]);
                        double moved = Math.sqrt(Math.max(0, km[r] * km[r] + d * d - 2 * km[r] * along));
                        value = anchors.slope[r] * (moved - km[r]);
                    }
                    move[j * regions + r] = value;
                }
            }
        }

        /** The weighted squared error of the residuals around their weighted mean, less candidate j's moves (-1: none). */
        double error(double[] residual, double[] weight, int[] region, int k, int j) {
            double sw = 0;
            double swd = 0;
            double swdd = 0;
            int at = j * regions;
            for (int i = 0; i < k; i++) {
                double d = residual[i] - (j < 0 ? 0 : move[at + region[i]]);
                sw += weight[i];
                swd += weight[i] * d;
                swdd += weight[i] * d * d;
            }
            return swdd - swd * swd / sw;
        }
    }
}
