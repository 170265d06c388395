package io.wayfinder.quality;

import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * A small synthetic internet in which the truly fastest region of every client network is known, for
 * measuring how well performance routing picks it. Everything follows from one seed
 * ({@link java.util.Random}), so a world is the same on every run and every machine.
 *
 * <h2>The model</h2>
 * <ul>
 * <li><b>Regions:</b> eight real regions of the built-in catalogue ({@link #REGIONS}), at their
 *     catalogue coordinates.</li>
 * <li><b>Metro areas:</b> synthetic coordinates drawn uniformly inside rough boxes over populated land
 *     ({@link #AREAS}; the boxes are hand-made, not taken from any data set), more metros where more
 *     people live. Each area belongs to a regional internet registry (RIR).</li>
 * <li><b>Address space:</b> synthetic, never contacted: 10.0.0.0/8 and 240.0.0.0/8-250.0.0.0/8 (the
 *     reserved class E space). Each RIR owns some of these /8s; a metro owns 1-3 /16 blocks drawn at
 *     random from its RIR's /8s (10% from another RIR's, like legacy or transferred space), so that,
 *     as on the real internet, a /8 or /12 groups networks of one continent-sized registry rather
 *     than one city. Each block holds 3-8 client /24s.</li>
 * <li><b>Where networks are:</b> 70% within 30 km of their metro's centre, the rest 30-250 km out
 *     (suburbs and regional towns served from the metro).</li>
 * <li><b>True RTT</b> from a network to a region: great-circle km x 0.01 ms/km (light in fibre, round
 *     trip) x a route inflation drawn per metro-region pair from 1.3-2.5, plus the network's last mile
 *     (2-30 ms, the same towards every region), plus a small per network-region term (normal, sd 1 ms:
 *     local peering luck). The truly fastest region is the one with the lowest true RTT.</li>
 * <li><b>The latency table:</b> a quarter of the /16 blocks are dark (nothing measured in them); in
 *     the others each /24 is measured with probability 0.8, so about 60% of networks are measured.
 *     Each measured figure is the true RTT plus measurement noise (per-sample sd 8 ms, averaged over
 *     5-100 samples). 20% of measured networks miss 1-3 regions (gaps).</li>
 * <li><b>Geolocation</b> (a CSV {@code prefix,latitude,longitude}): two thirds of the blocks are
 *     located per /24 (the network's own position, jittered by up to 10 km); a third only as a whole
 *     /16 at the metro centre, which is off for the networks out in the suburbs; and 3% of the rows
 *     point at the wrong place altogether (the registrant's head office, another metro of the same
 *     RIR), as real geolocation databases do.</li>
 * </ul>
 */
public final class GeneratedWorld {

    /** The regions of the world, one performance endpoint each. */
    public static final List<String> REGIONS = List.of("westeurope", "northeurope", "eastus", "westus2",
            "brazilsouth", "southeastasia", "japaneast", "australiaeast");

    /** Fibre round trip, ms per great-circle km (light at 2/3 c, there and back). */
    public static final double FIBRE_MS_PER_KM = 0.01;

    /** A populated area: a box of latitude and longitude, its weight in metros, and its registry. */
    record Area(String name, double latMin, double latMax, double lonMin, double lonMax, int weight, String rir) {
    }

    /** Rough boxes over populated land (synthetic; weights roughly follow where internet users are). */
    static final List<Area> AREAS = List.of(
            new Area("western europe", 43, 55, -5, 15, 14, "RIPE"),
            new Area("british isles and nordics", 51, 62, -8, 25, 6, "RIPE"),
            new Area("eastern europe", 44, 56, 15, 40, 8, "RIPE"),
            new Area("middle east", 24, 36, 35, 56, 6, "RIPE"),
            new Area("us east", 30, 44, -90, -71, 14, "ARIN"),
            new Area("us central", 29, 45, -100, -88, 7, "ARIN"),
            new Area("us west", 33, 48, -123, -112, 7, "ARIN"),
            new Area("mexico and central america", 14, 25, -105, -87, 5, "LACNIC"),
            new Area("brazil", -30, -5, -55, -35, 7, "LACNIC"),
            new Area("southern cone", -38, -30, -72, -58, 3, "LACNIC"),
            new Area("andes", -15, 8, -80, -70, 3, "LACNIC"),
            new Area("west africa", 4, 13, -5, 10, 4, "AFRINIC"),
            new Area("east africa", -5, 10, 30, 42, 3, "AFRINIC"),
            new Area("southern africa", -34, -25, 18, 31, 2, "AFRINIC"),
            new Area("india", 10, 29, 72, 88, 12, "APNIC"),
            new Area("east china", 22, 40, 105, 122, 10, "APNIC"),
            new Area("korea and japan", 33, 38, 127, 141, 6, "APNIC"),
            new Area("southeast asia", -8, 16, 98, 122, 10, "APNIC"),
            new Area("eastern australia", -38, -27, 144, 153, 4, "APNIC"),
            new Area("southern and western australia", -35, -31, 115, 139, 1, "APNIC"),
            new Area("new zealand", -45, -36, 170, 178, 1, "APNIC"));

    /** First octets of the /8s each registry allocates from. */
    static final List<String> RIRS = List.of("RIPE", "ARIN", "APNIC", "LACNIC", "AFRINIC");
    private static final int[][] RIR_OCTETS = {{10, 240, 241}, {242, 243, 244}, {245, 246, 247}, {248, 249}, {250}};

    /** Knobs of a world; {@link #standard(long)} is the one the README reports. */
    public record Params(long seed, int metros, int minBlocks, int maxBlocks, int minNetworks, int maxNetworks,
                         double darkBlockShare, double measuredShareInLitBlocks, double gapShare,
                         double coarseGeoShare, double wrongGeoShare) {
        public static Params standard(long seed) {
            return new Params(seed, 200, 1, 3, 3, 8, 0.25, 0.8, 0.2, 1.0 / 3, 0.03);
        }

        public Params withMetros(int count) {
            return new Params(seed, count, minBlocks, maxBlocks, minNetworks, maxNetworks, darkBlockShare,
                    measuredShareInLitBlocks, gapShare, coarseGeoShare, wrongGeoShare);
        }
    }

    /** A metro area: where it is, its registry and its route inflation towards each region. */
    public record Metro(int id, String area, String rir, double latitude, double longitude, double[] inflation) {
    }

    /**
     * A client /24 and everything true about it.
     *
     * @param measured      whether the table has an entry for it
     * @param blockMeasured whether the table has an entry for any /24 of its /16
     * @param gaps          how many regions its entry misses
     */
    public record Network(IpPrefix prefix, IpPrefix block, Metro metro, double latitude, double longitude,
                          double lastMileMs, double[] trueRttMs, int fastest, boolean measured, boolean blockMeasured,
                          int gaps) {
        public double extraMs(int region) {
            return trueRttMs[region] - trueRttMs[fastest];
        }
    }

    /** One row of the latency table. */
    public record Measurement(IpPrefix prefix, String region, double rttMs, int samples) {
    }

    /** One row of the geolocation CSV. */
    public record GeoRow(IpPrefix prefix, double latitude, double longitude) {
    }

    private final Params params;
    private final List<Region> regions;
    private final List<Metro> metros;
    private final List<Network> networks;
    private final List<Measurement> measurements;
    private final List<GeoRow> geoRows;

    private GeneratedWorld(Params params, List<Region> regions, List<Metro> metros, List<Network> networks,
                           List<Measurement> measurements, List<GeoRow> geoRows) {
        this.params = params;
        this.regions = regions;
        this.metros = metros;
        this.networks = networks;
        this.measurements = measurements;
        this.geoRows = geoRows;
    }

    public Params params() {
        return params;
    }

    public List<Region> regions() {
        return regions;
    }

    public List<Metro> metros() {
        return metros;
    }

    public List<Network> networks() {
        return networks;
    }

    public List<Measurement> measurements() {
        return measurements;
    }

    public List<GeoRow> geoRows() {
        return geoRows;
    }

    public static GeneratedWorld generate(Params p) {
        Random random = new Random(p.seed());
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        List<Region> regions = new ArrayList<>();
        for (String name : REGIONS) {
            regions.add(catalogue.find(name).orElseThrow(() -> new IllegalStateException("no region " + name)));
        }
        int totalWeight = AREAS.stream().mapToInt(Area::weight).sum();

        // Metros, with their route inflation per region.
        List<Metro> metros = new ArrayList<>();
        for (int m = 0; m < p.metros(); m++) {
            int pick = random.nextInt(totalWeight);
            Area area = null;
            for (Area a : AREAS) {
                pick -= a.weight();
                if (pick < 0) {
                    area = a;
                    break;
                }
            }
            double lat = uniform(random, area.latMin(), area.latMax());
            double lon = uniform(random, area.lonMin(), area.lonMax());
            double[] inflation = new double[regions.size()];
            for (int r = 0; r < inflation.length; r++) {
                inflation[r] = uniform(random, 1.3, 2.5);
            }
            metros.add(new Metro(m, area.name(), area.rir(), lat, lon, inflation));
        }

        // Address blocks: /16s from the metro's registry (or, 10% of the time, another one).
        Set<Integer> takenBlocks = new HashSet<>();
        List<Network> networks = new ArrayList<>();
        List<Measurement> measurements = new ArrayList<>();
        List<GeoRow> geoRows = new ArrayList<>();
        for (Metro metro : metros) {
            int blocks = p.minBlocks() + random.nextInt(p.maxBlocks() - p.minBlocks() + 1);
            for (int b = 0; b < blocks; b++) {
                int rir = RIRS.indexOf(metro.rir());
                if (random.nextDouble() < 0.1) {
                    rir = random.nextInt(RIRS.size());
                }
                int[] octets = RIR_OCTETS[rir];
                int block;
                do {
                    block = (octets[random.nextInt(octets.length)] << 8) | random.nextInt(256);
                } while (!takenBlocks.add(block));
                IpPrefix block16 = IpPrefix.ofIpv4(block << 16, 16);
                boolean dark = random.nextDouble() < p.darkBlockShare();
                boolean coarseGeo = random.nextDouble() < p.coarseGeoShare();
                if (coarseGeo) {
                    double[] where = geolocate(random, metros, metro, metro.latitude(), metro.longitude(), p);
                    geoRows.add(new GeoRow(block16, where[0], where[1]));
                }
                int count = p.minNetworks() + random.nextInt(p.maxNetworks() - p.minNetworks() + 1);
                List<Integer> thirdOctets = new ArrayList<>();
                for (int i = 0; i < 256; i++) {
                    thirdOctets.add(i);
                }
                Collections.shuffle(thirdOctets, random);
                List<Network> inBlock = new ArrayList<>();
                for (int n = 0; n < count; n++) {
                    IpPrefix prefix = IpPrefix.ofIpv4((block << 16) | (thirdOctets.get(n) << 8), 24);
                    double[] at = random.nextDouble() < 0.7
                            ? offset(metro.latitude(), metro.longitude(), uniform(random, 0, 30), uniform(random, 0, 360))
                            : offset(metro.latitude(), metro.longitude(), uniform(random, 30, 250), uniform(random, 0, 360));
                    double lastMile = uniform(random, 2, 30);
                    double[] rtt = new double[regions.size()];
                    int fastest = 0;
                    for (int r = 0; r < rtt.length; r++) {
                        Region region = regions.get(r);
                        double km = GreatCircle.kilometres(at[0], at[1], region.latitude(), region.longitude());
                        rtt[r] = Math.max(0.5, km * FIBRE_MS_PER_KM * metro.inflation()[r] + lastMile + random.nextGaussian());
                        if (rtt[r] < rtt[fastest]) {
                            fastest = r;
                        }
                    }
                    boolean measured = !dark && random.nextDouble() < p.measuredShareInLitBlocks();
                    int gaps = 0;
                    if (measured) {
                        boolean[] missing = new boolean[regions.size()];
                        if (random.nextDouble() < p.gapShare()) {
                            gaps = 1 + random.nextInt(3);
                            List<Integer> order = new ArrayList<>();
                            for (int r = 0; r < regions.size(); r++) {
                                order.add(r);
                            }
                            Collections.shuffle(order, random);
                            for (int g = 0; g < gaps; g++) {
                                missing[order.get(g)] = true;
                            }
                        }
                        for (int r = 0; r < regions.size(); r++) {
                            if (missing[r]) {
                                continue;
                            }
                            int samples = 5 + random.nextInt(96);
                            double noisy = rtt[r] + random.nextGaussian() * 8 / Math.sqrt(samples);
                            measurements.add(new Measurement(prefix, REGIONS.get(r), Math.max(0.1, noisy), samples));
                        }
                    }
                    if (!coarseGeo) {
                        double[] where = geolocate(random, metros, metro, at[0], at[1], p);
                        geoRows.add(new GeoRow(prefix, where[0], where[1]));
                    }
                    inBlock.add(new Network(prefix, block16, metro, at[0], at[1], lastMile, rtt, fastest, measured, false,
                            gaps));
                }
                boolean blockMeasured = inBlock.stream().anyMatch(Network::measured);
                for (Network n : inBlock) {
                    networks.add(new Network(n.prefix(), n.block(), n.metro(), n.latitude(), n.longitude(), n.lastMileMs(),
                            n.trueRttMs(), n.fastest(), n.measured(), blockMeasured, n.gaps()));
                }
            }
        }
        return new GeneratedWorld(p, List.copyOf(regions), List.copyOf(metros), List.copyOf(networks),
                List.copyOf(measurements), List.copyOf(geoRows));
    }

    /** Where the geolocation source says a place is: near it, or (rarely) at another metro of its registry. */
    private static double[] geolocate(Random random, List<Metro> metros, Metro metro, double lat, double lon, Params p) {
        if (random.nextDouble() < p.wrongGeoShare()) {
            List<Metro> sameRir = metros.stream().filter(m -> m.rir().equals(metro.rir()) && m != metro).toList();
            if (!sameRir.isEmpty()) {
                Metro office = sameRir.get(random.nextInt(sameRir.size()));
                return new double[] {office.latitude(), office.longitude()};
            }
        }
        return offset(lat, lon, uniform(random, 0, 10), uniform(random, 0, 360));
    }

    /** The point {@code km} away from (lat, lon) in direction {@code bearing} degrees. */
    static double[] offset(double lat, double lon, double km, double bearing) {
        double d = km / 6371.0088;
        double p1 = Math.toRadians(lat);
        double l1 = Math.toRadians(lon);
        double t = Math.toRadians(bearing);
        double p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t));
        double l2 = l1 + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
        double lonDeg = Math.toDegrees(l2);
        lonDeg = ((lonDeg + 540) % 360) - 180;
        return new double[] {Math.toDegrees(p2), lonDeg};
    }

    private static double uniform(Random random, double min, double max) {
        return min + (max - min) * random.nextDouble();
    }

    /** Writes the geolocation CSV ({@code prefix,latitude,longitude}) to a new temporary file. */
    public Path writeGeoCsv() {
        try {
            Path file = Files.createTempFile("wayfinder-quality-geo-", ".csv");
            file.toFile().deleteOnExit();
            StringBuilder out = new StringBuilder("prefix,latitude,longitude\n");
            for (GeoRow row : geoRows) {
                out.append(row.prefix()).append(',')
                        .append(String.format(Locale.ROOT, "%.4f,%.4f", row.latitude(), row.longitude())).append('\n');
            }
            Files.writeString(file, out, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
