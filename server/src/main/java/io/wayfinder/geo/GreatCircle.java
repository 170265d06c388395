package io.wayfinder.geo;

/** Great-circle distance on a spherical Earth (haversine); errors of up to 0.5% do not matter here. */
public final class GreatCircle {
    private static final double EARTH_RADIUS_KM = 6371.0088;

    private GreatCircle() {
    }

    public static double kilometres(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        return kilometres(p1, Math.cos(p1), lon1, p2, Math.cos(p2), lon2);
    }

    /**
     * The same distance, bit for bit, from the latitudes in radians with their cosines, which a
     * caller measuring many pairs from the same points computes once per point.
     */
    public static double kilometres(double p1, double cosP1, double lon1, double p2, double cosP2, double lon2) {
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        // Each sine once: s * s is the same double as sin(x) * sin(x), so the result is bit for bit
        // the textbook expression's, at two trigonometric calls fewer (the distance model runs this
        // once per region on the query path).
        double sp = Math.sin(dp / 2);
        double sl = Math.sin(dl / 2);
        double a = sp * sp + cosP1 * cosP2 * sl * sl;
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
