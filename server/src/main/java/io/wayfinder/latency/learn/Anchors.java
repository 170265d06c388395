package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.time.CpuYield;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where the distance model is evaluated, and the model itself, fitted per region.
 *
 * <p>An <em>anchor</em> is a network's finest block (a /20, say: one provider in one metro), or the
 * network itself when it has none. The distance part of the {@link BorrowingModel} is evaluated
 * once per anchor and region, at the anchor's location: the coordinate-wise median of its
 * networks' kept places ({@link NetworkPlaces}, {@link #medianPlace}) once they are all looked up,
 * until then of up to three of its networks' geolocations (so one wrong row of a geolocation
 * source does not move it).
 * Geolocating and computing great circles per anchor, not per network, keeps a rebuild of ten
 * million networks to about a million lookups. The anchor is the finest block, not the coarsest:
 * a coarse block (a /16) serves a whole area of its provider, and some of its /20s sit in other
 * metros, even on other continents; evaluated at the /16's centre, the distance part would leave
 * the block effects of those /20s to explain hundreds of milliseconds between regions, which
 * their zero-mean priors shrink away exactly where the network has no sample of its own.
 * Coarser blocks' rows (an average network of the block) take μ at the median of their anchors'
 * locations ({@link #blockMu}).
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
    /**
     * Per network, its row of {@link #mu}: its anchor's, or, for a network whose own place lies
     * {@link #MIN_OWN_PLACE_KM} to {@link #MAX_OWN_PLACE_KM} from its anchor, a row of its own
     * (after the anchors' rows). What the {@link BorrowingModel} evaluates the distance model with.
     */
    final int[] muRowOf;
    /** How many networks have a row of their own in {@link #mu} (for the log). */
    final int ownRows;
    /** Per anchor and region: μ, ms; then the rows of the networks that have their own ({@link #muRowOf}). */
    final float[] mu;
    final double[] intercept;
    final double[] slope;
    final int[] pairs;
    /** Per block level, per block and region: μ at the block's location, for its row. */
    final float[][] blockMu;
    /** The distance model of all regions together, for clients the table does not cover. */
    final DistanceModel global;
    /** Per anchor, its location (NaN when the locator cannot place it). */
    final double[] lat;
    final double[] lon;
    private final double[] regionLat;
    private final double[] regionLon;
    /** Per region, the cosine of its latitude: computed once, not once per anchor ({@link GreatCircle}). */
    private final double[] regionCos;
    private final double[] meanY;
    /** Where each network is by its own row (for {@link #muRowOf}); null when no network gets a place of its own. */
    final NetworkPlaces places;

    /** Where the networks placed by their cells are ({@link #withCellPlaces}); null when none. */
    private final CellPlaces cellPlaces;

    private Anchors(int count, int[] ofNetwork, int[] muRowOf, float[] mu, float[][] blockMu, double[] intercept, double[] slope,
                    int[] pairs, DistanceModel global, double[] lat, double[] lon, double[] regionLat,
                    double[] regionLon, double[] regionCos, double[] meanY, NetworkPlaces places, int ownRows,
                    CellPlaces cellPlaces) {
        this.places = places;
        this.ownRows = ownRows;
        this.muRowOf = muRowOf;
        this.regionCos = regionCos;
        this.lat = lat;
        this.lon = lon;
        this.regionLat = regionLat;
        this.regionLon = regionLon;
        this.meanY = meanY;
        this.count = count;
        this.ofNetwork = ofNetwork;
        this.mu = mu;
        this.blockMu = blockMu;
        this.intercept = intercept;
        this.slope = slope;
        this.pairs = pairs;
        this.global = global;
        this.cellPlaces = cellPlaces;
    }

    /** {@code base} with the μ rows of the networks {@code cellPlaces} placed ({@link #withCellPlaces}). */
    private Anchors(Anchors base, int[] muRowOf, float[] mu, CellPlaces cellPlaces) {
        this(base.count, base.ofNetwork, muRowOf, mu, base.blockMu, base.intercept, base.slope, base.pairs, base.global,
                base.lat, base.lon, base.regionLat, base.regionLon, base.regionCos, base.meanY, base.places, base.ownRows,
                cellPlaces);
    }

    static Anchors of(Observations obs, List<String> regionNames, GeoLocator geo, RegionCatalogue catalogue) {
        return of(obs, regionNames, geo, catalogue, null);
    }

    /** @param places where each of {@code obs}'s networks is, or null (no network gets a place of its own) */
    static Anchors of(Observations obs, List<String> regionNames, GeoLocator geo, RegionCatalogue catalogue,
                      NetworkPlaces places) {
        int regions = obs.regions;
        double[] regionLat = new double[regions];
        double[] regionLon = new double[regions];
        double[] regionCos = new double[regions];
        for (int r = 0; r < regions; r++) {
            Optional<Region> region = r < regionNames.size() ? catalogue.find(regionNames.get(r)) : Optional.empty();
            regionLat[r] = region.map(Region::latitude).orElse(Double.NaN);
            regionLon[r] = region.map(Region::longitude).orElse(Double.NaN);
            regionCos[r] = Math.cos(Math.toRadians(regionLat[r]));
        }

        // Anchors, numbered in network order (a block's networks are contiguous).
        int[] ofNetwork = new int[obs.networks];
        int count = 0;
        long last = 0;
        for (int n = 0; n < obs.networks; n++) {
            CpuYield.every(n);
            long key = obs.fineAnchorKey(n);
            if (n == 0 || key != last) {
                count++;
                last = key;
            }
            ofNetwork[n] = count - 1;
        }
        int anchorCount = count;
        double[] lat = new double[count];
        double[] lon = new double[count];
        // A median of fewer than three places is not robust to one wrong row: an anchor of one or
        // two networks takes its coarsest block's location instead (when it has one).
        int top = obs.levels - 1;
        double[][] coarse = top >= 0 ? new double[obs.blockCount[top]][] : new double[0][];
        // On the lanes, by ranges of networks cut between blocks of every level: no anchor, and no
        // coarsest block, spans two parts, so each part writes its own anchors and blocks.
        int[] cuts = Lanes.cuts(obs, Lanes.parts(obs.cells));
        Lanes.run(cuts.length - 1, part -> {
            int n = cuts[part];
            for (int a = firstAnchor(ofNetwork, cuts[part], anchorCount); a < firstAnchor(ofNetwork, cuts[part + 1], anchorCount); a++) {
                int first = n;
                while (n < obs.networks && ofNetwork[n] == a) {
                    n++;
                }
                double[] where;
                int b = top > 0 ? obs.netBlock[top][first] : -1;
                double[] placed = n - first >= 3 ? medianPlace(places, first, n) : null;
                if (placed != null) {
                    where = placed;
                } else if (n - first >= 3 || b < 0) {
                    where = locate(obs, geo, first, n);
                } else {
                    if (coarse[b] == null) {
                        int from = first;
                        while (from > 0 && obs.netBlock[top][from - 1] == b) {
                            from--;
                        }
                        int to = n;
                        while (to < obs.networks && obs.netBlock[top][to] == b) {
                            to++;
                        }
                        coarse[b] = locate(obs, geo, from, to);
                    }
                    where = coarse[b];
                }
                lat[a] = where[0];
                lon[a] = where[1];
            }
        });

        // Per-region least squares on a spread sample of cells at their anchor's location.
        double[][] sums = new double[regions + 1][6]; // n, Σx, Σy, Σxx, Σxy, Σyy; the last row pools all regions
        double[] meanY = new double[regions];
        long[] cellsOf = new long[regions];
        int stride = Math.max(1, obs.cells / FIT_SAMPLE);
        int nextFitCell = 0;
        for (int m = 0; m < obs.networks; m++) {
            CpuYield.every(m);
            for (int c = obs.cellStart[m]; c < obs.cellStart[m + 1]; c++) {
                int r = obs.region(c);
                meanY[r] += obs.y[c];
                cellsOf[r]++;
                int a = ofNetwork[m];
                if (c != nextFitCell) {
                    continue;
                }
                nextFitCell += stride; // every stride-th cell (a counter, not c % stride: this loop sees every cell)
                if (Double.isNaN(lat[a]) || Double.isNaN(regionLat[r])) {
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
        float[][] blockMu = new float[obs.levels][];
        for (int l = 0; l < obs.levels; l++) {
            blockMu[l] = new float[obs.blockCount[l] * regions];
        }
        Lanes.run(cuts.length - 1, part -> {
            for (int a = firstAnchor(ofNetwork, cuts[part], anchorCount); a < firstAnchor(ofNetwork, cuts[part + 1], anchorCount); a++) {
                muAt(lat[a], lon[a], regionLat, regionCos, regionLon, intercept, slope, meanY, global, mu, a * regions);
            }
            blockMus(obs, ofNetwork, lat, lon, mu, blockMu, cuts[part], cuts[part + 1], regionLat, regionCos, regionLon, intercept, slope,
                    meanY, global);
        });
        // Networks out of town get a μ row of their own, at their own place (see MIN_OWN_PLACE_KM).
        int[] muRowOf = ofNetwork;
        float[] allMu = mu;
        int ownRows;
        if (places != null) {
            muRowOf = new int[obs.networks];
            int rows = count;
            for (int n = 0; n < obs.networks; n++) {
                CpuYield.every(n);
                int a = ofNetwork[n];
                muRowOf[n] = a;
                if (places.placed(n) && !Double.isNaN(lat[a])) {
                    double km = roughKm(places.lat[n], places.lon[n], lat[a], lon[a]);
                    if (km >= MIN_OWN_PLACE_KM && km <= MAX_OWN_PLACE_KM) {
                        muRowOf[n] = rows++;
                    }
                }
            }
            if (rows > count) {
                float[] out = Arrays.copyOf(mu, rows * regions);
                int[] rowOf = muRowOf;
                Lanes.run(cuts.length - 1, part -> {
                    for (int n = cuts[part]; n < cuts[part + 1]; n++) {
                        CpuYield.every(n);
                        if (rowOf[n] >= anchorCount) {
                            muAt(places.lat[n], places.lon[n], regionLat, regionCos, regionLon, intercept, slope, meanY,
                                    global, out, rowOf[n] * regions);
                        }
                    }
                });
                allMu = out;
            }
        }
        ownRows = allMu.length / Math.max(1, regions) - count;
        return new Anchors(count, ofNetwork, muRowOf, allMu, blockMu, intercept, slope, pairs, global, lat, lon, regionLat,
                regionLon, regionCos, meanY, places, ownRows, null);
    }

    /** The first anchor of network n and after ({@code count} past the last network): a part's anchors start there. */
    private static int firstAnchor(int[] ofNetwork, int n, int count) {
        return n < ofNetwork.length ? ofNetwork[n] : count;
    }

    /**
     * Coarser blocks' μ, for the blocks of networks [from, end) (whole blocks: a cut): the median of
     * up to three of their anchors' locations (the finest level's blocks are anchors themselves, or
     * hold only networks that are).
     */
    private static void blockMus(Observations obs, int[] ofNetwork, double[] lat, double[] lon, float[] mu,
                                 float[][] blockMu, int from, int end, double[] regionLat, double[] regionCos,
                                 double[] regionLon, double[] intercept, double[] slope, double[] meanY,
                                 DistanceModel global) {
        int regions = obs.regions;
        for (int l = 0; l < obs.levels; l++) {
            int[] blockOf = obs.netBlock[l];
            float[] out = blockMu[l];
            int m = from;
            while (m < end) {
                int b = blockOf[m];
                if (b < 0) {
                    m++;
                    continue;
                }
                int first = m;
                while (m < end && blockOf[m] == b) {
                    m++;
                }
                int[] picks = {ofNetwork[first], ofNetwork[first + (m - first) / 2], ofNetwork[m - 1]};
                if (picks[0] == picks[2]) {
                    // One anchor (a finest block is its networks' anchor): its location, so its μ.
                    System.arraycopy(mu, picks[0] * regions, out, b * regions, regions);
                    continue;
                }
                double[] las = new double[3];
                double[] los = new double[3];
                int known = 0;
                int previousAnchor = -1;
                for (int a : picks) {
                    if (a != previousAnchor && !Double.isNaN(lat[a])) {
                        las[known] = lat[a];
                        los[known] = lon[a];
                        known++;
                    }
                    previousAnchor = a;
                }
                muAt(known == 0 ? Double.NaN : median(las, known), known == 0 ? Double.NaN : median(los, known),
                        regionLat, regionCos, regionLon, intercept, slope, meanY, global, out, b * regions);
            }
        }
    }

    /**
     * Beyond this distance from its anchor, a network's own geolocation row is taken for an error
     * rather than a suburb: networks lie up to a few hundred kilometres out of their metro, and one
     * wrong row of a geolocation source should not move a network's borrowed figures by more.
     */
    static final double MAX_OWN_PLACE_KM = 500;
    /**
     * Nearer its anchor than this, a network's own place adds nothing: a difference of at most a
     * millisecond or so between two regions (the model's slope is about 0.02 ms/km), and most
     * networks lie within it (a metro's networks, and blocks a geolocation source places as a
     * whole), so that only the networks out of town pay for a μ row of twenty great circles (in
     * the routing-quality benchmark, from 10 km the same figures; from 60 km, a third fewer rows
     * and 0.03-0.05 point fewer measured networks sent to their fastest region).
     */
    static final double MIN_OWN_PLACE_KM = 30;

    /**
     * The distance between two points, km, on a plane tangent at the first: within a percent of the
     * great circle up to a thousand kilometres, without its trigonometry but one cosine (a test
     * compares), for the test of every placed network against its anchor at every rebuild.
     */
    static double roughKm(double lat1, double lon1, double lat2, double lon2) {
        double dLon = lon1 - lon2;
        if (dLon > 180) {
            dLon -= 360;
        } else if (dLon < -180) {
            dLon += 360;
        }
        double x = dLon * Math.cos(Math.toRadians((lat1 + lat2) / 2));
        double y = lat1 - lat2;
        return KM_PER_DEGREE * Math.sqrt(x * x + y * y);
    }

    /** A degree of a great circle, km (the mean Earth radius's): of latitude, and of longitude at the equator. */
    static final double KM_PER_DEGREE = 6371.0088 * Math.PI / 180;

    /** Networks probed inside a block that has none of its own: all sixteen /24s of a /20. */
    static final int BLOCK_PROBES = 16;

    /**
     * Where the locator places a block the learner holds no network of, as {@code {latitude,
     * longitude}}, or null. A geolocation source often places a block only by its networks (one row
     * per /24, none for the /20, and none for a /24 no client uses); a lookup of the block's
     * first address alone then finds nothing for about one dark /20 in ten, which fell under its
     * /16's row, evaluated at the /16's location (4.9 ms of extra RTT in the routing-quality
     * benchmark, against 0.3 ms with a row of its own). So up to {@link #BLOCK_PROBES} network-
     * sized parts, spread evenly over the block from its first address, are looked up, and the
     * coordinate-wise median of the first three found is taken, as for an anchor. Fewer than three
     * are not robust to one wrong row (a block of a sparse /16 holding one unmeasured /24 whose
     * row points at another city sent that /24 there: 0.58 ms of extra RTT against 0.3 in
     * {@code LearnedRoutingQualityTest}); then only a row for the block's first address places it,
     * as before, and otherwise it keeps its /16's row.
     */
    static double[] locateBlock(GeoLocator geo, long key) {
        return place(probeBlock(geo, key, new Probes(), 3));
    }

    /**
     * The place of a block from its probes' answers ({@link #locateBlock}), or null: the
     * coordinate-wise median of all the known answers (each probe counts: a row that holds several
     * of them counts for each), when there are three or more. Why all of them and not the first three: a source that
     * places a block by its networks puts each where it is, and in the routing-quality world three
     * networks in ten lie 30-300 km out of town; the median of three is out of town when two of
     * them are (one block in five), and the block's row then takes the distance model and the 1°
     * place of somewhere its networks are not, where the median of all of them (the block's twelve
     * networks on average) stays in town.
     */
    static double[] place(Probes probes) {
        double[] las = new double[BLOCK_PROBES];
        double[] los = new double[BLOCK_PROBES];
        int known = 0;
        boolean firstKnown = false;
        for (int i = 0; i < probes.count; i++) {
            GeoLocation where = probes.answer[i];
            if (where.known()) {
                firstKnown |= i == 0;
                las[known] = where.latitude();
                los[known] = where.longitude();
                known++;
            }
        }
        if (known >= 3) {
            return new double[] {median(las, known), median(los, known)};
        }
        return firstKnown ? new double[] {las[0], los[0]} : null;
    }

    /** The locator's answers for a block's probes, in address order; reused from block to block. */
    static final class Probes {
        /** Per probe, the answer (unknown ones included); {@code [0, count)}. */
        final GeoLocation[] answer = new GeoLocation[BLOCK_PROBES];
        int count;

        /**
         * Whether probe i's answer is a row of the source finer than a block of
         * {@code blockLength} bits, met first at probe i (the probes after it inside that row
         * share its answer): the rows that say where the block's networks are, each once.
         */
        boolean newFinerRow(int i, int blockLength) {
            GeoLocation at = answer[i];
            return (i == 0 || answer[i - 1] != at) && at.known() && at.sourceLength() > blockLength
                    && at.network().length() > blockLength;
        }
    }

    /**
     * Looks up the probes of a block (the i-th of up to {@link #BLOCK_PROBES} equal network-sized
     * parts, from its first address) until {@code enough} are known. An answer says how far it
     * holds ({@link GeoLocation#network}): the probes inside it take it without a lookup, so a
     * block a source places by one row costs one lookup, not sixteen, and one placed by its /24s
     * one per row and gap.
     */
    static Probes probeBlock(GeoLocator geo, long key, Probes out, int enough) {
        IpPrefix block = NetworkKeys.prefix(key);
        int network = block.ipv6() ? NetworkKeys.IPV6_NETWORK : NetworkKeys.IPV4_NETWORK;
        int bits = Math.max(0, network - block.length());
        int probes = bits >= 31 ? BLOCK_PROBES : (int) Math.min(BLOCK_PROBES, 1L << bits);
        int known = 0;
        GeoLocation last = null;
        out.count = 0;
        for (int i = 0; i < probes && known < enough; i++) {
            // The i-th of `probes` equal parts: its offset, in networks, shifted to the network's last bit.
            long step = bits == 0 ? 0 : (long) i << (bits - Integer.numberOfTrailingZeros(probes));
            IpPrefix part = block.ipv6()
                    ? IpPrefix.ofIpv6(block.hi() + (step << (64 - network)), 0, network)
                    : IpPrefix.ofIpv4((int) (block.lo() + (step << (32 - network))), network);
            GeoLocation where = last != null && last.network().contains(part) ? last : GeoLocator.locateOrUnknown(geo, part);
            last = where;
            out.answer[i] = where;
            out.count = i + 1;
            if (where.known()) {
                known++;
            }
        }
        return out;
    }

    /**
     * These anchors with a μ row of its own for every network its cells place ({@link CellPlaces})
     * that has none from its geolocation: at the place its cells say. This object when none.
     */
    Anchors withCellPlaces(Observations obs, CellPlaces cells) {
        int regions = regionLat.length;
        int rows = mu.length / Math.max(1, regions);
        int[] rowOf = null;
        for (int n = 0; n < obs.networks; n++) {
            CpuYield.every(n);
            if (cells.placed(n) && muRowOf[n] == ofNetwork[n]) {
                if (rowOf == null) {
                    rowOf = muRowOf.clone();
                }
                rowOf[n] = rows++;
            }
        }
        if (rowOf == null) {
            return this;
        }
        float[] out = Arrays.copyOf(mu, rows * regions);
        int[] own = rowOf;
        int[] cuts = Lanes.cuts(obs, Lanes.parts(obs.cells));
        Lanes.run(cuts.length - 1, part -> {
            for (int n = cuts[part]; n < cuts[part + 1]; n++) {
                CpuYield.every(n);
                if (own[n] != muRowOf[n]) {
                    muAt(cells.lat[n], cells.lon[n], regionLat, regionCos, regionLon, intercept, slope, meanY, global, out,
                            own[n] * regions);
                }
            }
        });
        return new Anchors(this, own, out, cells);
    }

    /**
     * For explain: where network n's distance model is evaluated, when not at its anchor's place
     * ({@code ""} when it is), e.g. {@code "; distance model at its own place, 180 km from its
     * block (by its own cells)"}.
     */
    String ownPlace(int n) {
        int a = ofNetwork[n];
        if (muRowOf[n] == a || Double.isNaN(lat[a])) {
            return "";
        }
        boolean byCells = cellPlaces != null && cellPlaces.placed(n)
                && (places == null || !places.placed(n) || roughKm(places.lat[n], places.lon[n], lat[a], lon[a]) < MIN_OWN_PLACE_KM);
        double km = byCells ? roughKm(cellPlaces.lat[n], cellPlaces.lon[n], lat[a], lon[a])
                : roughKm(places.lat[n], places.lon[n], lat[a], lon[a]);
        return String.format(java.util.Locale.ROOT, "; distance model at its own place, %.0f km from its block (by its %s)", km,
                byCells ? "own cells" : "geolocation row");
    }

    /**
     * Per region, from a location: the great-circle km to the region (NaN where either is not
     * placed) and the cosine and sine of the initial bearing (from north, clockwise).
     */
    void geometryAt(double latitude, double longitude, double[] km, double[] cosBearing, double[] sinBearing) {
        double p = Math.toRadians(latitude);
        double cosP = Math.cos(p);
        double sinP = Math.sin(p);
        for (int r = 0; r < regionLat.length; r++) {
            if (Double.isNaN(latitude) || Double.isNaN(regionLat[r])) {
                km[r] = Double.NaN;
                continue;
            }
            double p2 = Math.toRadians(regionLat[r]);
            km[r] = GreatCircle.kilometres(p, cosP, longitude, p2, regionCos[r], regionLon[r]);
            double dl = Math.toRadians(regionLon[r] - longitude);
            double y = Math.sin(dl) * regionCos[r];
            double x = cosP * Math.sin(p2) - sinP * regionCos[r] * Math.cos(dl);
            double h = Math.hypot(x, y);
            cosBearing[r] = h == 0 ? 1 : x / h;
            sinBearing[r] = h == 0 ? 0 : y / h;
        }
    }

    /** μ per region at a location, into {@code out} ({@code [0, regions)}). */
    void muAt(double latitude, double longitude, float[] out) {
        muAt(latitude, longitude, regionLat, regionCos, regionLon, intercept, slope, meanY, global, out, 0);
    }

    /** A place: the 1° by 1° cell of a location (about 100 km), where networks of every provider share the roads. */
    static long place(double latitude, double longitude) {
        return (long) Math.floor(latitude + 90) * 400 + (long) Math.floor(longitude + 180);
    }

    private static void muAt(double lat, double lon, double[] regionLat, double[] regionCos, double[] regionLon, double[] intercept,
                             double[] slope, double[] meanY, DistanceModel global, float[] out, int at) {
        double p = Math.toRadians(lat);
        double cosP = Math.cos(p);
        for (int r = 0; r < regionLat.length; r++) {
            double value;
            if (Double.isNaN(lat) || Double.isNaN(regionLat[r])) {
                value = Double.isNaN(meanY[r]) ? global.lastMileMs() : meanY[r];
            } else {
                value = intercept[r] + slope[r] * GreatCircle.kilometres(p, cosP, lon, Math.toRadians(regionLat[r]),
                        regionCos[r], regionLon[r]);
            }
            out[at + r] = (float) value;
        }
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

    /**
     * The coordinate-wise median of the places of networks [first, end) ({@link NetworkPlaces}),
     * or null unless every one of them was looked up and three or more are placed. Why: an
     * anchor's location was the median of three of its networks' rows (three lookups); where the
     * source places a block by its networks, three in ten of them lie 30-300 km out of town in the
     * routing-quality world, and the median of three is out of town when two are (one block in
     * five). The block's row, which its networks without samples take, was then the distance
     * model at a place none of them is at, and its measured networks in town took μ rows of their
     * own. Once the networks' places are kept, the median of all of them costs no lookup.
     */
    static double[] medianPlace(NetworkPlaces places, int first, int end) {
        if (places == null) {
            return null;
        }
        int members = end - first;
        double[] las = new double[members];
        double[] los = new double[members];
        int known = 0;
        for (int n = first; n < end; n++) {
            if (!places.looked(n)) {
                return null;
            }
            if (places.placed(n)) {
                las[known] = places.lat[n];
                los[known] = places.lon[n];
                known++;
            }
        }
        return known < 3 ? null : new double[] {median(las, known), median(los, known)};
    }

    /** The coordinate-wise median of the locations of up to three of networks [first, end): first, middle, last. */
    private static double[] locate(Observations obs, GeoLocator geo, int first, int end) {
        int members = end - first;
        int[] picks = members >= 3 ? new int[] {first, first + members / 2, end - 1}
                : members == 2 ? new int[] {first, end - 1} : new int[] {first};
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
        return known == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {median(las, known), median(los, known)};
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
