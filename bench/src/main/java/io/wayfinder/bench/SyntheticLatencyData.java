package io.wayfinder.bench;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.Evidence;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A generated, reproducible IPv4 internet for the benchmarks: a latency table of {@code n} distinct
 * random /24s, a geolocation table, and a client mix that exercises every evidence path.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>Address space: the /8s {@value #FIRST_UNMEASURED_OCTET}–{@value #LAST_UNMEASURED_OCTET} are
 *       never measured (24 /8s, 9.4% of the space); the other 232 /8s (15.2M /24s) hold the table.
 *   <li>Table: {@code n} distinct random /24s (fixed seed). 90% have figures for all four regions,
 *       10% miss one to three of them, so covering entries and aggregates get used. One /16 in ten of
 *       the measured space is also measured itself (all regions), as a covering entry.
 *   <li>Figures follow distance: every /16 has a location; {@code rtt = 0.02 ms/km × km + 5 + U(0,15)}
 *       ms, 3–40 samples each, so the distance model fitted to the table is realistic.
 *   <li>Geolocation: one row per /16 of the whole space (65,536 rows) in a temporary CSV read with
 *       {@link CsvGeoTable}, as a deployment with a CSV source would have it.
 *   <li>Clients (ECS /24s, shuffled): {@value #INSIDE_PERCENT}% are table /24s, the rest split evenly
 *       between unmeasured /24s of the measured space (aggregate or covering evidence) and /24s of the
 *       unmeasured /8s (distance model, through the geolocator).
 * </ul>
 * Building a 10M table needs several GB of heap (see {@code TableFootprint}).
 */
public final class SyntheticLatencyData {
    public static final String[] REGIONS = {"westeurope", "northeurope", "eastus", "southeastasia"};
    public static final long SEED = 0x5EED_2024L;
    public static final int FIRST_UNMEASURED_OCTET = 200;
    public static final int LAST_UNMEASURED_OCTET = 223;
    public static final int INSIDE_PERCENT = 80;
    /** Default number of pre-generated clients a benchmark cycles through. */
    public static final int CLIENTS = 1 << 20;

    private static final int SLASH24_SPACE = 1 << 24;
    private static final int SLASH16_SPACE = 1 << 16;
    private static final int MEASURED_SLASH24S = (256 - (LAST_UNMEASURED_OCTET - FIRST_UNMEASURED_OCTET + 1)) << 16;

    /** Table /24s by their 24-bit index (the address shifted right by 8), in generation order. */
    private final int[] slash24s;
    private final BitSet measured;
    private final double[] slash16Latitude = new double[SLASH16_SPACE];
    private final double[] slash16Longitude = new double[SLASH16_SPACE];
    private final long seed;

    private SyntheticLatencyData(int[] slash24s, BitSet measured, long seed) {
        this.slash24s = slash24s;
        this.measured = measured;
        this.seed = seed;
        SplittableRandom random = new SplittableRandom(seed ^ 0x16L);
        for (int i = 0; i < SLASH16_SPACE; i++) {
            // Populated latitudes, any longitude: enough spread for the four regions to differ.
            slash16Latitude[i] = -45 + 110 * random.nextDouble();
            slash16Longitude[i] = -180 + 360 * random.nextDouble();
        }
    }

    /** Chooses {@code prefixes} distinct random /24s of the measured space. */
    public static SyntheticLatencyData generate(int prefixes, long seed) {
        if (prefixes < 1 || prefixes > MEASURED_SLASH24S) {
            throw new IllegalArgumentException("prefixes must be 1.." + MEASURED_SLASH24S);
        }
        SplittableRandom random = new SplittableRandom(seed);
        BitSet measured = new BitSet(SLASH24_SPACE);
        int[] out = new int[prefixes];
        int count = 0;
        while (count < prefixes) {
            int index = random.nextInt(SLASH24_SPACE);
            if (isUnmeasuredSpace(index) || measured.get(index)) {
                continue;
            }
            measured.set(index);
            out[count++] = index;
        }
        return new SyntheticLatencyData(out, measured, seed);
    }

    private static boolean isUnmeasuredSpace(int slash24) {
        int octet = slash24 >>> 16;
        return octet >= FIRST_UNMEASURED_OCTET && octet <= LAST_UNMEASURED_OCTET;
    }

    public int prefixCount() {
        return slash24s.length;
    }

    /** The table /24s, in generation (random) order. */
    public IpPrefix[] tablePrefixes() {
        IpPrefix[] out = new IpPrefix[slash24s.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = IpPrefix.ofIpv4(slash24s[i] << 8, 24);
        }
        return out;
    }

    /**
     * Adds every measurement to a builder (default aggregation: /20, /16, /12, /8, at least 10
     * samples). Returns the number of /16 covering entries added.
     */
    public int fill(LatencyTableBuilder builder) {
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        double[][] regionAt = new double[REGIONS.length][];
        for (int r = 0; r < REGIONS.length; r++) {
            Region region = catalogue.find(REGIONS[r]).orElseThrow();
            regionAt[r] = new double[] {region.latitude(), region.longitude()};
        }
        // km from each /16 to each region, computed once
        float[] km = new float[SLASH16_SPACE * REGIONS.length];
        for (int b = 0; b < SLASH16_SPACE; b++) {
            for (int r = 0; r < REGIONS.length; r++) {
                km[b * REGIONS.length + r] = (float) GreatCircle.kilometres(slash16Latitude[b], slash16Longitude[b],
                        regionAt[r][0], regionAt[r][1]);
            }
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0x24L);
        for (int index : slash24s) {
            IpPrefix prefix = IpPrefix.ofIpv4(index << 8, 24);
            int keep = random.nextInt(10) == 0 ? 1 + random.nextInt(14) : 0b1111; // 10%: 1..3 regions missing
            for (int r = 0; r < REGIONS.length; r++) {
                if ((keep & (1 << r)) != 0) {
                    builder.add(prefix, REGIONS[r], rtt(km[(index >>> 8) * REGIONS.length + r], random),
                            3 + random.nextInt(38));
                }
            }
        }
        int covering = 0;
        for (int b = 0; b < SLASH16_SPACE; b++) {
            if (isUnmeasuredSpace(b << 8) || random.nextInt(10) != 0) {
                continue;
            }
            IpPrefix prefix = IpPrefix.ofIpv4(b << 16, 16);
            for (int r = 0; r < REGIONS.length; r++) {
                builder.add(prefix, REGIONS[r], rtt(km[b * REGIONS.length + r], random), 50 + random.nextInt(200));
            }
            covering++;
        }
        return covering;
    }

    private static double rtt(float km, SplittableRandom random) {
        return 0.02 * km + 5 + 15 * random.nextDouble();
    }

    /**
     * From how many IPv4 prefixes the tables built here keep the direct /24 index: the server's
     * threshold unless {@code -Dwayfinder.bench.directIndexFrom=N} says otherwise (with JMH:
     * {@code -jvmArgsAppend -Dwayfinder.bench.directIndexFrom=0} forces it on, {@code =2147483647} off).
     */
    static final int DIRECT_INDEX_FROM = Integer.getInteger("wayfinder.bench.directIndexFrom",
            io.wayfinder.latency.LatencyTable.DIRECT_INDEX_MIN_IPV4_PREFIXES);

    /** Generates, fills and builds the table in one go (the builder is garbage afterwards). */
    public LatencyTable buildTable() {
        LatencyTableBuilder builder = new LatencyTableBuilder().directIndexFrom(DIRECT_INDEX_FROM);
        fill(builder);
        return builder.build();
    }

    /** The latency estimator a deployment would build: the table, the CSV geolocator and the fitted model. */
    public LatencyEstimator estimator() {
        LatencyTableBuilder builder = new LatencyTableBuilder().directIndexFrom(DIRECT_INDEX_FROM);
        fill(builder);
        LatencyTable table = builder.build();
        GeoLocator geo = geoLocator();
        DistanceModel model = DistanceModel.fit(builder.sample(200_000), geo, RegionCatalogue.builtIn());
        return new LatencyEstimator(table, geo, model);
    }

    /** A {@link CsvGeoTable} with one row per /16 of the whole IPv4 space, read from a temporary file. */
    public GeoLocator geoLocator() {
        try {
            Path csv = Files.createTempFile("wayfinder-bench-geo", ".csv");
            try {
                try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                    out.write("prefix,latitude,longitude\n");
                    for (int b = 0; b < SLASH16_SPACE; b++) {
                        out.write(String.format(Locale.ROOT, "%d.%d.0.0/16,%.4f,%.4f%n", b >>> 8, b & 0xFF,
                                slash16Latitude[b], slash16Longitude[b]));
                    }
                }
                return CsvGeoTable.read(csv);
            } finally {
                Files.deleteIfExists(csv);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} client /24 networks as IPv4 address ints (host bits zero), shuffled:
     * {@value #INSIDE_PERCENT}% table /24s, the rest half unmeasured /24s of measured /8s, half
     * /24s of the unmeasured /8s.
     */
    public int[] clientAddresses(int count, long clientSeed) {
        SplittableRandom random = new SplittableRandom(clientSeed);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(100);
            int index;
            if (kind < INSIDE_PERCENT) {
                index = slash24s[random.nextInt(slash24s.length)];
            } else if (kind < INSIDE_PERCENT + (100 - INSIDE_PERCENT) / 2) {
                do {
                    index = random.nextInt(SLASH24_SPACE);
                } while (isUnmeasuredSpace(index) || measured.get(index));
            } else {
                int octets = LAST_UNMEASURED_OCTET - FIRST_UNMEASURED_OCTET + 1;
                index = ((FIRST_UNMEASURED_OCTET + random.nextInt(octets)) << 16) | random.nextInt(1 << 16);
            }
            out[i] = index << 8;
        }
        return out;
    }

    /** The same clients as {@link IpPrefix} /24s, as a query's ECS option gives them to routing. */
    public IpPrefix[] clients(int count, long clientSeed) {
        int[] addresses = clientAddresses(count, clientSeed);
        IpPrefix[] out = new IpPrefix[count];
        for (int i = 0; i < count; i++) {
            out[i] = IpPrefix.ofIpv4(addresses[i], 24);
        }
        return out;
    }

    /** inside (a table /24), aggregate (an unmeasured /24 of the measured space) or distance (an unmeasured /8). */
    public String kindOf(int address) {
        int index = address >>> 8;
        return measured.get(index) ? "inside" : isUnmeasuredSpace(index) ? "distance" : "aggregate";
    }

    /** Which evidence the estimator used, over all regions of the first {@code sample} clients. */
    public static String evidenceMix(LatencyEstimator estimator, IpPrefix[] clients, int sample) {
        Map<Evidence, Integer> counts = new EnumMap<>(Evidence.class);
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        LatencyTable table = estimator.table();
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        int n = Math.min(sample, clients.length);
        for (int i = 0; i < n; i++) {
            lookup.reset(clients[i]);
            for (String name : REGIONS) {
                Region region = catalogue.find(name).orElseThrow();
                estimator.estimate(lookup, table.column(name), region.latitude(), region.longitude());
                counts.merge(lookup.evidence(), 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder("evidence over " + n + " clients x " + REGIONS.length + " regions:");
        counts.forEach((kind, c) -> out.append(String.format(Locale.ROOT, " %s %.1f%%", kind, 100.0 * c / (n * REGIONS.length))));
        return out.toString();
    }
}
