package io.wayfinder.latency.learn;

/** Prototype: where a measured network's own cells say it is, around its anchor. */
final class NetworkDisplacement {
    static final double[] RINGS_KM = {40, 70, 100, 150, 200, 250, 300};
    static final int BEARINGS = 16;
    static final double THRESHOLD = Double.parseDouble(System.getProperty("wayfinder.moveThreshold", "8"));
    static final boolean SKIP_OWN_PLACED = Boolean.parseBoolean(System.getProperty("wayfinder.skipOwn", "true"));
    static final int MIN_CELLS = Integer.getInteger("wayfinder.moveMinCells", 3);

    static final boolean SOFT = Boolean.getBoolean("wayfinder.soft");
    static final double LAMBDA = Double.parseDouble(System.getProperty("wayfinder.lambda", "1"));
    static final double CENTRE_PRIOR = Double.parseDouble(System.getProperty("wayfinder.centrePrior", "0.7"));
    static final double MIN_SHIFT = Double.parseDouble(System.getProperty("wayfinder.minShift", "0.1"));
    /** Soft: per moved network, its mu row (regions floats), in network order. */
    float[][] rows;

    /** Per network, a new lat/lon (NaN: not moved). */
    final float[] lat;
    final float[] lon;
    int moved;

    private NetworkDisplacement(int networks) {
        rows = new float[networks][];
        lat = new float[networks];
        lon = new float[networks];
        java.util.Arrays.fill(lat, Float.NaN);
        java.util.Arrays.fill(lon, Float.NaN);
    }

    static NetworkDisplacement infer(Observations obs, BorrowingModel model, Anchors anchors, double noiseVariance) {
        int regions = obs.regions;
        NetworkDisplacement out = new NetworkDisplacement(obs.networks);
        int candidates = RINGS_KM.length * BEARINGS;
        double[] candLat = new double[candidates];
        double[] candLon = new double[candidates];
        float[] candMu = new float[regions];
        double[] e = new double[regions];
        double[] w = new double[regions];
        int[] reg = new int[regions];
        for (int n = 0; n < obs.networks; n++) {
            int a = anchors.ofNetwork[n];
            if (anchors.muRowOf[n] != a || Double.isNaN(anchors.lat[a])) {
                continue;
            }
            if (SKIP_OWN_PLACED && anchors.places != null && !Float.isNaN(anchors.places.lat[n])
                    && Anchors.roughKm(anchors.places.lat[n], anchors.places.lon[n], anchors.lat[a], anchors.lon[a]) > 1) {
                continue;
            }
            int k = 0;
            for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                int r = obs.region(c);
                reg[k] = r;
                e[k] = obs.y[c] - model.predict(n, r);
                w[k] = 1 / (obs.v[c] + noiseVariance);
                k++;
            }
            if (k < MIN_CELLS) {
                continue;
            }
            double base = sse(e, w, null, reg, k, anchors.mu, a * regions);
            double best = base;
            int bestCand = -1;
            double la = anchors.lat[a];
            double lo = anchors.lon[a];
            double cos = Math.max(0.05, Math.cos(Math.toRadians(la)));
            int i = 0;
            double[] cs = new double[candidates];
            float[][] cm = SOFT ? new float[candidates][regions] : null;
            for (double km : RINGS_KM) {
                for (int b = 0; b < BEARINGS; b++) {
                    double t = 2 * Math.PI * b / BEARINGS;
                    candLat[i] = la + km / 111.2 * Math.cos(t);
                    candLon[i] = lo + km / (111.2 * cos) * Math.sin(t);
                    anchors.muAt(candLat[i], candLon[i], candMu);
                    if (SOFT) {
                        System.arraycopy(candMu, 0, cm[i], 0, regions);
                    }
                    double s = sse(e, w, candMu, reg, k, anchors.mu, a * regions);
                    cs[i] = s;
                    if (s < best) {
                        best = s;
                        bestCand = i;
                    }
                    i++;
                }
            }
            if (SOFT) {
                double logCentre = Math.log(CENTRE_PRIOR) - LAMBDA * (base - best) / 2;
                double each = Math.log((1 - CENTRE_PRIOR) / candidates);
                double z = Math.exp(logCentre);
                double[] p = new double[candidates];
                for (int j = 0; j < candidates; j++) {
                    p[j] = Math.exp(each - LAMBDA * (cs[j] - best) / 2);
                    z += p[j];
                }
                float[] row = new float[regions];
                double maxShift = 0;
                for (int r = 0; r < regions; r++) {
                    double m0 = anchors.mu[a * regions + r];
                    double d = 0;
                    for (int j = 0; j < candidates; j++) {
                        d += p[j] / z * (cm[j][r] - m0);
                    }
                    row[r] = (float) (m0 + d);
                    maxShift = Math.max(maxShift, Math.abs(d));
                }
                if (maxShift > MIN_SHIFT) {
                    out.rows[n] = row;
                    out.moved++;
                }
                continue;
            }
            if (bestCand >= 0 && base - best > THRESHOLD) {
                out.lat[n] = (float) candLat[bestCand];
                out.lon[n] = (float) candLon[bestCand];
                out.moved++;
            }
        }
        return out;
    }

    /** Weighted SSE of e - Δ around its weighted mean (the network's offset is free). */
    private static double sse(double[] e, double[] w, float[] candMu, int[] reg, int k, float[] mu, int row) {
        double sw = 0;
        double swd = 0;
        double swdd = 0;
        for (int i = 0; i < k; i++) {
            double d = e[i] - (candMu == null ? 0 : candMu[reg[i]] - mu[row + reg[i]]);
            sw += w[i];
            swd += w[i] * d;
            swdd += w[i] * d * d;
        }
        return swdd - swd * swd / sw;
    }
}
