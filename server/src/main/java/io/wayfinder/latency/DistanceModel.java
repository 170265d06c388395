package io.wayfinder.latency;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import java.util.List;
import java.util.Optional;

/**
 * Estimates the RTT from a client to a region where the table knows nothing nearby:
 * {@code rtt = msPerKm × great-circle km + lastMileMs}. {@code msPerKm} folds route inflation
 * (real paths are longer than great circles) into the speed of light in fibre, and
 * {@code lastMileMs} is the access network and server time that distance does not explain.
 *
 * <p>Both constants are fitted by least squares to the latency table itself at load time, from
 * the measurements whose networks can be geolocated. The fit is bounded below by physics: light in
 * fibre covers about 200 km per millisecond, so a round trip can never cost less than 0.01 ms/km;
 * a fit below that (noise, or a table that is all one city) is clamped and the intercept refitted.
 */
public record DistanceModel(double msPerKm, double lastMileMs, int pairs, double rSquared, boolean fitted) {

    /** Round trip in fibre at 2/3 c: the floor no route can beat. */
    public static final double FIBRE_MS_PER_KM = 0.01;
    /** Fewer pairs than this and the fit is not trusted. */
    public static final int MIN_PAIRS = 20;
    /**
     * Used only when the table gives too little to fit: route inflation of 2 over fibre and 10 ms
     * of access network, middle-of-the-road values from published path-inflation studies. The
     * model says {@code fitted=false} so that logs and explanations show it was not fitted.
     */
    public static final DistanceModel UNFITTED = new DistanceModel(2 * FIBRE_MS_PER_KM, 10, 0, 0, false);

    public double estimateMs(double kilometres) {
        return msPerKm * kilometres + lastMileMs;
    }

    /**
     * Fits the model to measurements whose prefix the locator can place.
     *
     * @return the fitted model, or {@link #UNFITTED} with fewer than {@link #MIN_PAIRS} usable pairs
     */
    public static DistanceModel fit(List<LatencyTableBuilder.Measurement> measurements, GeoLocator geo,
                                    RegionCatalogue regions) {
        int n = 0;
        double sumX = 0;
        double sumY = 0;
        double sumXX = 0;
        double sumXY = 0;
        double sumYY = 0;
        GeoLocator.Found found = new GeoLocator.Found(); // the lookup without a location object per measurement
        for (LatencyTableBuilder.Measurement m : measurements) {
            Optional<Region> region = regions.find(m.region());
            if (region.isEmpty()) {
                continue;
            }
            geo.locate(m.prefix(), found);
            GeoLocation where = found.location();
            if (!where.known()) {
                continue;
            }
            double x = GreatCircle.kilometres(where.latitude(), where.longitude(), region.get().latitude(),
                    region.get().longitude());
            double y = m.rttMs();
            n++;
            sumX += x;
            sumY += y;
            sumXX += x * x;
            sumXY += x * y;
            sumYY += y * y;
        }
        if (n < MIN_PAIRS) {
            return UNFITTED;
        }
        double varX = sumXX - sumX * sumX / n;
        double covXY = sumXY - sumX * sumY / n;
        double slope = varX > 0 ? covXY / varX : FIBRE_MS_PER_KM;
        if (slope < FIBRE_MS_PER_KM) {
            slope = FIBRE_MS_PER_KM;
        }
        double intercept = Math.max(0, (sumY - slope * sumX) / n);
        // R² of the model actually used (after clamping), so the log tells how much it explains.
        double ssTotal = sumYY - sumY * sumY / n;
        double ssResidual = sumYY - 2 * slope * sumXY - 2 * intercept * sumY + slope * slope * sumXX
                + 2 * slope * intercept * sumX + n * intercept * intercept;
        double r2 = ssTotal > 0 ? 1 - ssResidual / ssTotal : 0;
        return new DistanceModel(slope, intercept, n, r2, true);
    }

    public String describe() {
        return fitted
                ? String.format(java.util.Locale.ROOT, "rtt = %.4f ms/km x distance + %.1f ms (fitted to %d measurements, R^2 %.2f)",
                        msPerKm, lastMileMs, pairs, rSquared)
                : String.format(java.util.Locale.ROOT, "rtt = %.4f ms/km x distance + %.1f ms (defaults: too few geolocated measurements to fit)",
                        msPerKm, lastMileMs);
    }
}
