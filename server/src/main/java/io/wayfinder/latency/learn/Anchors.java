package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.net.IpPrefix;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the distance model is evaluated, and the model itself, fitted per region.
 *
 * <p>An <em>anchor</em> is a network's coarsest block (a /16, say), or the network itself when it
 * has none. The distance part of the {@link BorrowingModel} is evaluated once per anchor and
 * region, at the anchor's location: the coordinate-wise median of up to three of its networks'
 * geolocations (so one wrong row of a geolocation source does not move it). Geolocating and
 * computing great circles per anchor, not per network, keeps a rebuild of ten million networks
 * to some hundred thousand lookups; and the model only has to supply the differences between
 * regions that no block of the network knows, which vary slowly with place.
 *
 * <p>Per region r: {@code μ_r(km) = intercept_r + slope_r × km}, fitted by least squares on a
 * spread sample of cells whose networks the locator can place, the slope bounded below by light
 * in fibre (as {@link DistanceModel}); a region with fewer than {@link DistanceModel#MIN_PAIRS}
 * pairs takes the fit of all regions together. Where an anchor cannot be placed, μ is the region's
 * mean RTT over all cells.
 */
final class Anchors {
    /** Cells sampled for the fits. */
    static final int FIT_SAMPLE = 100_000;

    final int count;
    /** Per network, its anchor. */
    final int[] ofNetwork;
    /** Per anchor and region: μ, ms. */
    final float[] mu;
    final double[] intercept;
    final double[] slope;
    final int[] pairs;
    /** The distance model of all regions together, for clients the table does not cover. */
    final DistanceModel global;

    private Anchors(int count, int[] ofNetwork, float[] mu, double[] intercept, double[] slope, int[] pairs,
                    DistanceModel global) {
        this.count = count;
        this.ofNetwork = ofNetwork;
        this.mu = mu;
        this.intercept = intercept;
        this.slope = slope;
        this.pairs = pairs;
        this.global = global;
    }

    static Anchors of(Observations obs, List<String> regionNames, GeoLocator geo, RegionCatalogue catalogue) {
        int regions = obs.regions;
        double[] regionLat = new double[regions];
        double[] regionLon = new double[regions];
        for (int r = 0; r < regions; r++) {
            Optional<Region> region = r < regionNames.size() ? catalogue.find(regionNames.get(r)) : Optional.empty();
            regionLat[r] = region.map(Region::latitude).orElse(Double.NaN);
            regionLon[r] = region.map(Region::longitude).orElse(Double.NaN);
        }

        // Anchors, numbered in network order (a block's networks are contiguous).
        int[] ofNetwork = new int[obs.networks];
        int count = 0;
        long last = 0;
        for (int n = 0; n < obs.networks; n++) {
            long key = obs.anchorKey(n);
            if (n == 0 || key != last) {
                count++;
                last = key;
            }
            ofNetwork[n] = count - 1;
        }
        double[] lat = new double[count];
        double[] lon = new double[count];
        int n = 0;
        for (int a = 0; a < count; a++) {
            int first = n;
            while (n < obs.networks && ofNetwork[n] == a) {
                n++;
            }
            int members = n - first;
            int[] picks = members >= 3 ? new int[] {first, first + members / 2, n - 1}
                    : members == 2 ? new int[] {first, n - 1} : new int[] {first};
            double[] las = new double[picks.length];
            double[] los = new double[picks.length];
            int known = 0;
            for (int p : picks) {
                GeoLocation where = GeoLocator.locateOrUnknown(geo, NetworkKeys.prefix(obs.netKey[p]));
                if (where.known()) {
                    las[known] = where.latitude();
                    los[known] = where.longitude();
                    known++;
                }
            }
            lat[a] = known == 0 ? Double.NaN : median(las, known);
            lon[a] = known == 0 ? Double.NaN : median(los, known);
        }

        // Per-region least squares on a spread sample of cells at their anchor's location.
        double[][] sums = new double[regions + 1][6]; // n, Σx, Σy, Σxx, Σxy, Σyy; the last row pools all regions
        double[] meanY = new double[regions];
        long[] cellsOf = new long[regions];
        int stride = Math.max(1, obs.cells / FIT_SAMPLE);
        for (int m = 0; m < obs.networks; m++) {
            for (int c = obs.cellStart[m]; c < obs.cellStart[m + 1]; c++) {
                int r = obs.region(c);
                meanY[r] += obs.y[c];
                cellsOf[r]++;
                int a = ofNetwork[m];
                if (c % stride != 0 || Double.isNaN(lat[a]) || Double.isNaN(regionLat[r])) {
                    continue;
                }
                double x = GreatCircle.kilometres(lat[a], lon[a], regionLat[r], regionLon[r]);
                double y = obs.y[c];
                for (double[] s : new double[][] {sums[r], sums[regions]}) {
                    s[0]++;
                    s[1] += x;
                    s[2] += y;
                    s[3] += x * x;
                    s[4] += x * y;
                    s[5] += y * y;
                }
            }
        }
        double[] pooled = line(sums[regions]);
        double[] intercept = new double[regions];
        double[] slope = new double[regions];
        int[] pairs = new int[regions];
        for (int r = 0; r < regions; r++) {
            meanY[r] = cellsOf[r] > 0 ? meanY[r] / cellsOf[r] : Double.NaN;
            pairs[r] = (int) sums[r][0];
            double[] fit = sums[r][0] >= DistanceModel.MIN_PAIRS ? line(sums[r]) : pooled;
            intercept[r] = fit[0];
            slope[r] = fit[1];
        }
        DistanceModel global = sums[regions][0] >= DistanceModel.MIN_PAIRS
                ? new DistanceModel(pooled[1], pooled[0], (int) sums[regions][0], pooled[2], true)
                : DistanceModel.UNFITTED;

        float[] mu = new float[count * regions];
        for (int a = 0; a < count; a++) {
            for (int r = 0; r < regions; r++) {
                double value;
                if (Double.isNaN(lat[a]) || Double.isNaN(regionLat[r])) {
                    value = Double.isNaN(meanY[r]) ? global.lastMileMs() : meanY[r];
                } else {
                    value = intercept[r] + slope[r] * GreatCircle.kilometres(lat[a], lon[a], regionLat[r], regionLon[r]);
                }
                mu[a * regions + r] = (float) value;
            }
        }
        return new Anchors(count, ofNetwork, mu, intercept, slope, pairs, global);
    }

    /** Intercept, slope (at least light in fibre) and R² of the least-squares line through sums; defaults when too few. */
    private static double[] line(double[] s) {
        double n = s[0];
        if (n < DistanceModel.MIN_PAIRS) {
            DistanceModel d = DistanceModel.UNFITTED;
            return new double[] {d.lastMileMs(), d.msPerKm(), 0};
        }
        double varX = s[3] - s[1] * s[1] / n;
        double covXY = s[4] - s[1] * s[2] / n;
        double slope = Math.max(DistanceModel.FIBRE_MS_PER_KM, varX > 0 ? covXY / varX : 0);
        double intercept = Math.max(0, (s[2] - slope * s[1]) / n);
        double ssTotal = s[5] - s[2] * s[2] / n;
        double ssResidual = s[5] - 2 * slope * s[4] - 2 * intercept * s[2] + slope * slope * s[3]
                + 2 * slope * intercept * s[1] + n * intercept * intercept;
        return new double[] {intercept, slope, ssTotal > 0 ? 1 - ssResidual / ssTotal : 0};
    }

    private static double median(double[] v, int k) {
        double[] copy = Arrays.copyOf(v, k);
        Arrays.sort(copy);
        return (k & 1) == 1 ? copy[k / 2] : (copy[k / 2 - 1] + copy[k / 2]) / 2;
    }

    /** Unused by the table; kept for explanations: the prefix an anchor stands for. */
    static IpPrefix prefixOf(Observations obs, int network) {
        return NetworkKeys.prefix(obs.anchorKey(network));
    }
}
