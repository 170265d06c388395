package io.wayfinder.quality;

import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A generated internet of providers and client networks whose true round-trip times to every region
 * are known, and the raw, noisy samples a measurement system would collect in it: the input of the
 * learned-table routing-quality benchmark fed through the API ({@link ApiRoutingQuality}). Richer than
 * {@link GeneratedWorld}, whose table arrives already averaged: here every sample is one round trip,
 * and the structure the learner is meant to exploit (providers, their peering, their address blocks)
 * is in the world but never in what the router is given. Everything follows from one seed; a world
 * of 10 M networks takes about 40 bytes a network (the truth is computed on demand, not stored).
 *
 * <h2>The model</h2>
 * <ul>
 * <li><b>Regions:</b> the first {@code regions} of {@link #REGIONS}, 20 real regions of the built-in
 *     catalogue, eight of them in Europe: neighbours 300-1,000 km apart, whose true RTTs often differ
 *     by a few milliseconds, so picking the fastest is hard where it costs least.</li>
 * <li><b>Metros:</b> as in {@link GeneratedWorld}, drawn inside populated boxes ({@link GeneratedWorld#AREAS}),
 *     each with a route inflation per region (1.2-2.2, how far the fibre wanders from the great circle).</li>
 * <li><b>Providers:</b> one per 1,000 networks; sizes follow Zipf's law (the largest has a tenth of all networks at 10 M);
 *     each has a home area, serves 1-40 metros (mostly in its area, national carriers beyond) and has
 *     its own <em>peering</em> towards each region: an offset of 0-8 ms, and, for {@link Params#badRouteShare}
 *     of its provider-region pairs, a bad route (traffic hauled through a distant exchange) adding 15-80 ms.</li>
 * <li><b>Addresses:</b> ordinary unicast IPv4 space (1/8-223/8 without 10/8, 127/8 and the special-use
 *     /16s; never contacted: the addresses are data in requests to a loopback server), split among the
 *     registries in proportion to their areas' weight. A provider with 16 or more blocks gets whole /16
 *     allocations, a small one /20s carved out of a /16 its registry shares among several. A /20 is one
 *     <em>block</em>: one provider, one metro, 8-16 client /24s. A /16 serves one area of its provider
 *     (the metros of one box of {@link GeneratedWorld#AREAS}: a country, a coast), but one block in ten
 *     sits in any other metro the provider serves, possibly on another continent. When a registry runs out (large worlds),
 *     it takes /16s from the one with the most left, as transferred space does.</li>
 * <li><b>Networks:</b> /24s, 70% within 30 km of their metro, the rest 30-300 km out, with a last mile
 *     (log-normal, median 6 ms, 1-60 ms: fibre to satellite) and a jitter scale (0.3-5 ms) of their own.</li>
 * <li><b>True RTT</b> to a region: great-circle km x 0.01 ms/km x the metro's inflation towards it
 *     + the network's last mile + the provider's peering offset (+ its bad route, if any) + a small term
 *     per network and region (normal, sd 0.5 ms). This is the quantity the samples scatter around from
 *     above, and the one "fastest" refers to.</li>
 * <li><b>Samples:</b> true RTT + jitter scale x log-normal(0, 0.8) (median one jitter scale: the queueing
 *     every round trip meets) + occasionally ({@link Params#spikeShare}) a spike of 20-300 ms (a retransmit,
 *     a busy radio). Never below the true RTT; same noise law towards every region, so the lowest median
 *     is the truly fastest.</li>
 * <li><b>Coverage:</b> {@link Params#darkBlockShare} of blocks are dark (nothing in them measured); in
 *     the others, {@link Params#unmeasuredShare} of networks are never measured. A measured network is
 *     measured to each region with a probability of its own (30-100%: measurements missing for some
 *     regions, possibly its fastest), with a heavy-tailed number of samples per region (1 to
 *     {@link Params#maxSamples}, log-uniform: many pairs with two or three samples, a few with dozens).</li>
 * <li><b>Geolocation</b> (a CSV {@code prefix,latitude,longitude}): 45% of blocks are located per /24
 *     (each network within 10 km), the rest as a whole /20 (the metro's centre, within 20 km: off for the
 *     networks out of town); {@link Params#wrongGeoShare} of blocks are placed wrongly altogether (at the
 *     provider's head office, or another metro of its registry).</li>
 * </ul>
 *
 * <p>A {@link Congestion} slows one region by a fixed amount for a set of blocks; the truth and new
 * samples reflect it when it is passed in.
 *
 * <p>The numbers are this generator's, not measured ones: chosen to make the structure that matters
 * for routing (peering and bad routes geolocation cannot see, blocks that share them, samples too
 * few and too noisy to trust alone) as strong as it is said to be on the real internet, not weaker.
 */
public final class GeneratedInternet {

    /** Twenty regions of the built-in catalogue; a world uses the first {@link Params#regions()}. */
    public static final List<String> REGIONS = List.of("westeurope", "eastus", "southeastasia", "westus2",
            "northeurope", "japaneast", "brazilsouth", "australiaeast", "centralindia", "uksouth", "francecentral",
            "germanywestcentral", "southcentralus", "canadacentral", "uaenorth", "southafricanorth", "koreacentral",
            "swedencentral", "italynorth", "centralus");

    /** Fibre round trip, ms per great-circle km (light at 2/3 c, there and back). */
    public static final double FIBRE_MS_PER_KM = 0.01;

    /** The sd of the per-network-region term of the true RTT, ms. */
    static final double CELL_TERM_SD_MS = 0.5;

    /** The sd of the log of a sample's queueing noise, in jitter scales (log-normal(0, 0.8)). */
    static final double NOISE_SIGMA = 0.8;

    /** A spike adds uniform(SPIKE_MIN_MS, SPIKE_MAX_MS). */
    static final double SPIKE_MIN_MS = 20;
    static final double SPIKE_MAX_MS = 300;

    /** /24s per /20 block: 8-16, mean 12 (dense enough that 10 M networks fit the unicast space). */
    static final int MIN_PER_BLOCK = 8;
    static final int MAX_PER_BLOCK = 16;

    /** Knobs of a world; {@link #standard(long, int)} is the one the README reports. */
    public record Params(long seed, int networks, int regions, double darkBlockShare, double unmeasuredShare,
                         int maxSamples, double spikeShare, double badRouteShare, double wrongGeoShare) {
        public Params {
            if (networks < 100 || regions < 2 || regions > REGIONS.size() || maxSamples < 1) {
                throw new IllegalArgumentException("networks >= 100, 2 <= regions <= " + REGIONS.size()
                        + ", maxSamples >= 1");
            }
        }

        public static Params standard(long seed, int networks) {
            return new Params(seed, networks, 20, 0.15, 0.15, 40, 0.02, 0.05, 0.05);
        }

        public Params withRegions(int count) {
            return new Params(seed, networks, count, darkBlockShare, unmeasuredShare, maxSamples, spikeShare,
                    badRouteShare, wrongGeoShare);
        }

        public Params withMaxSamples(int max) {
            return new Params(seed, networks, regions, darkBlockShare, unmeasuredShare, max, spikeShare,
                    badRouteShare, wrongGeoShare);
        }
    }

    /** One round trip as a measurement system reports it. */
    public record Sample(int clientIp, int region, double rttMs, long timeMillis) {
        public String clientIpText() {
            return (clientIp >>> 24) + "." + ((clientIp >>> 16) & 255) + "." + ((clientIp >>> 8) & 255) + "." + (clientIp & 255);
        }
    }

    /** Receives samples in a fixed order. */
    @FunctionalInterface
    public interface SampleSink {
        void accept(int clientIp, int region, double rttMs, long timeMillis);
    }

    /**
     * A region slowed by {@code extraMs} for the networks of some blocks (a congested peering link);
     * the truth and samples generated with it include the delay.
     */
    public record Congestion(int region, double extraMs, BitSet blocks) {
    }

    private final Params params;
    private final List<Region> regions;
    private final double[] regionX;
    private final double[] regionY;
    private final double[] regionZ;

    // Metros.
    private final double[] metroLat;
    private final double[] metroLon;
    private final int[] metroRir;
    private final float[] inflation; // [metro * R + region]

    // Providers.
    private final int[] providerHome; // head-office metro
    private final float[] peering; // [provider * R + region], bad route included

    // Blocks (/20s): first network index, provider, metro, flags.
    private final int[] blockStart; // networks of block b are [blockStart[b], blockStart[b + 1])
    private final int[] blockBase; // the /20's address
    private final int[] blockProvider;
    private final int[] blockMetro;
    private final BitSet darkBlocks;
    private final BitSet perNetworkGeo;
    private final int[] wrongGeoMetro; // -1 when located right

    // Networks (/24s), in block order.
    private final int[] network; // the /24's address
    private final float[] latitude;
    private final float[] longitude;
    private final float[] lastMile;
    private final float[] jitter;
    private final BitSet measured;

    private GeneratedInternet(Params params, List<Region> regions, double[] metroLat, double[] metroLon, int[] metroRir,
                              float[] inflation, int[] providerHome, float[] peering, int[] blockStart, int[] blockBase,
                              int[] blockProvider, int[] blockMetro, BitSet darkBlocks, BitSet perNetworkGeo,
                              int[] wrongGeoMetro, int[] network, float[] latitude, float[] longitude, float[] lastMile,
                              float[] jitter, BitSet measured) {
        this.params = params;
        this.regions = regions;
        this.metroLat = metroLat;
        this.metroLon = metroLon;
        this.metroRir = metroRir;
        this.inflation = inflation;
        this.providerHome = providerHome;
        this.peering = peering;
        this.blockStart = blockStart;
        this.blockBase = blockBase;
        this.blockProvider = blockProvider;
        this.blockMetro = blockMetro;
        this.darkBlocks = darkBlocks;
        this.perNetworkGeo = perNetworkGeo;
        this.wrongGeoMetro = wrongGeoMetro;
        this.network = network;
        this.latitude = latitude;
        this.longitude = longitude;
        this.lastMile = lastMile;
        this.jitter = jitter;
        this.measured = measured;
        int r = regions.size();
        regionX = new double[r];
        regionY = new double[r];
        regionZ = new double[r];
        for (int i = 0; i < r; i++) {
            double lat = Math.toRadians(regions.get(i).latitude());
            double lon = Math.toRadians(regions.get(i).longitude());
            regionX[i] = Math.cos(lat) * Math.cos(lon);
            regionY[i] = Math.cos(lat) * Math.sin(lon);
            regionZ[i] = Math.sin(lat);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Generation.

    public static GeneratedInternet generate(Params p) {
        Random random = new Random(p.seed());
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        List<Region> regions = new ArrayList<>();
        for (String name : REGIONS.subList(0, p.regions())) {
            regions.add(catalogue.find(name).orElseThrow(() -> new IllegalStateException("no region " + name)));
        }
        int regionCount = regions.size();
        List<GeneratedWorld.Area> areas = GeneratedWorld.AREAS;
        int totalWeight = areas.stream().mapToInt(GeneratedWorld.Area::weight).sum();

        // Metros: one per 1,500 networks, at least 20.
        int metroCount = Math.max(20, p.networks() / 1500);
        double[] metroLat = new double[metroCount];
        double[] metroLon = new double[metroCount];
        int[] metroArea = new int[metroCount];
        int[] metroRir = new int[metroCount];
        float[] inflation = new float[metroCount * regionCount];
        List<List<Integer>> metrosOfArea = new ArrayList<>();
        List<List<Integer>> metrosOfRir = new ArrayList<>();
        for (int i = 0; i < areas.size(); i++) {
            metrosOfArea.add(new ArrayList<>());
        }
        for (int i = 0; i < GeneratedWorld.RIRS.size(); i++) {
            metrosOfRir.add(new ArrayList<>());
        }
        for (int m = 0; m < metroCount; m++) {
            int area = pickArea(random, areas, totalWeight);
            GeneratedWorld.Area a = areas.get(area);
            metroArea[m] = area;
            metroRir[m] = GeneratedWorld.RIRS.indexOf(a.rir());
            metroLat[m] = uniform(random, a.latMin(), a.latMax());
            metroLon[m] = uniform(random, a.lonMin(), a.lonMax());
            for (int r = 0; r < regionCount; r++) {
                inflation[m * regionCount + r] = (float) uniform(random, 1.2, 2.2);
            }
            metrosOfArea.get(area).add(m);
            metrosOfRir.get(metroRir[m]).add(m);
        }

        // Providers: Zipf sizes, one per 1,000 networks, at least 8; blocks per provider from the sizes.
        int providerCount = Math.max(8, p.networks() / 1000);
        double harmonic = 0;
        for (int i = 1; i <= providerCount; i++) {
            harmonic += 1.0 / i;
        }
        double meanPerBlock = (MIN_PER_BLOCK + MAX_PER_BLOCK) / 2.0;
        int[] providerBlocks = new int[providerCount];
        for (int i = 0; i < providerCount; i++) {
            providerBlocks[i] = Math.max(1, (int) Math.round(p.networks() / meanPerBlock / (i + 1) / harmonic));
        }
        int[] providerHome = new int[providerCount];
        int[] providerRir = new int[providerCount];
        int[][] providerMetros = new int[providerCount][];
        float[] peering = new float[providerCount * regionCount];
        for (int i = 0; i < providerCount; i++) {
            int home = random.nextInt(metroCount);
            providerHome[i] = home;
            providerRir[i] = metroRir[home];
            double share = (double) providerBlocks[i] * meanPerBlock / p.networks();
            int served = (int) Math.max(1, Math.min(40, Math.round(metroCount * share * 3)));
            served = Math.min(served, providerBlocks[i]);
            List<Integer> sameArea = metrosOfArea.get(metroArea[home]);
            List<Integer> sameRir = metrosOfRir.get(metroRir[home]);
            int[] metros = new int[served];
            metros[0] = home;
            for (int k = 1; k < served; k++) {
                double u = random.nextDouble();
                List<Integer> from = u < 0.8 ? sameArea : u < 0.95 ? sameRir : null;
                metros[k] = from == null ? random.nextInt(metroCount) : from.get(random.nextInt(from.size()));
            }
            providerMetros[i] = metros;
            for (int r = 0; r < regionCount; r++) {
                double offset = uniform(random, 0, 8);
                if (random.nextDouble() < p.badRouteShare()) {
                    offset += uniform(random, 15, 80);
                }
                peering[i * regionCount + r] = (float) offset;
            }
        }

        // Address space: /16s per registry, then blocks to providers.
        AddressPool pool = new AddressPool(random, areas);
        int blockCount = Arrays.stream(providerBlocks).sum();
        int[] blockBase = new int[blockCount];
        int[] blockProvider = new int[blockCount];
        int[] blockMetro = new int[blockCount];
        int b = 0;
        for (int i = 0; i < providerCount; i++) {
            int[] bases = pool.blocks(providerRir[i], providerBlocks[i]);
            int[] metros = providerMetros[i];
            int anchor = metros[0];
            for (int k = 0; k < bases.length; k++) {
                // A /16 (16 blocks) serves one area of the provider's (a country, a coast): its anchor's,
                // but one block in ten goes to any metro the provider serves.
                if (k % 16 == 0) {
                    anchor = metros[random.nextInt(metros.length)];
                }
                int metro = anchor;
                if (random.nextDouble() < 0.1) {
                    metro = metros[random.nextInt(metros.length)];
                } else {
                    int pick = random.nextInt(metros.length);
                    for (int t = 0; t < metros.length; t++) {
                        int candidate = metros[(pick + t) % metros.length];
                        if (metroArea[candidate] == metroArea[anchor]) {
                            metro = candidate;
                            break;
                        }
                    }
                }
                blockBase[b] = bases[k];
                blockProvider[b] = i;
                blockMetro[b] = metro;
                b++;
            }
        }

        // Networks, block by block.
        int[] blockStart = new int[blockCount + 1];
        int[] perBlock = new int[blockCount];
        int total = 0;
        for (int k = 0; k < blockCount; k++) {
            perBlock[k] = MIN_PER_BLOCK + random.nextInt(MAX_PER_BLOCK - MIN_PER_BLOCK + 1);
            blockStart[k] = total;
            total += perBlock[k];
        }
        blockStart[blockCount] = total;
        int[] network = new int[total];
        float[] latitude = new float[total];
        float[] longitude = new float[total];
        float[] lastMile = new float[total];
        float[] jitter = new float[total];
        BitSet measured = new BitSet(total);
        BitSet dark = new BitSet(blockCount);
        BitSet perNetworkGeo = new BitSet(blockCount);
        int[] wrongGeoMetro = new int[blockCount];
        int[] slots = new int[16];
        for (int k = 0; k < 16; k++) {
            slots[k] = k;
        }
        for (int k = 0; k < blockCount; k++) {
            int metro = blockMetro[k];
            if (random.nextDouble() < p.darkBlockShare()) {
                dark.set(k);
            }
            if (random.nextDouble() < 0.45) {
                perNetworkGeo.set(k);
            }
            wrongGeoMetro[k] = -1;
            if (random.nextDouble() < p.wrongGeoShare()) {
                int home = providerHome[blockProvider[k]];
                List<Integer> sameRir = metrosOfRir.get(metroRir[metro]);
                int wrong = home != metro && random.nextBoolean() ? home : sameRir.get(random.nextInt(sameRir.size()));
                wrongGeoMetro[k] = wrong == metro ? random.nextInt(metroCount) : wrong;
            }
            // Which /24s of the /20 are used: a random subset, in address order.
            for (int s = 15; s > 0; s--) {
                int j = random.nextInt(s + 1);
                int t = slots[s];
                slots[s] = slots[j];
                slots[j] = t;
            }
            int[] used = Arrays.copyOf(slots, perBlock[k]);
            Arrays.sort(used);
            for (int s = 0; s < used.length; s++) {
                int n = blockStart[k] + s;
                network[n] = blockBase[k] + (used[s] << 8);
                double[] at = random.nextDouble() < 0.7
                        ? GeneratedWorld.offset(metroLat[metro], metroLon[metro], uniform(random, 0, 30), uniform(random, 0, 360))
                        : GeneratedWorld.offset(metroLat[metro], metroLon[metro], uniform(random, 30, 300), uniform(random, 0, 360));
                latitude[n] = (float) at[0];
                longitude[n] = (float) at[1];
                lastMile[n] = (float) Math.min(60, Math.max(1, 6 * Math.exp(0.7 * random.nextGaussian())));
                jitter[n] = (float) uniform(random, 0.3, 5);
                if (!dark.get(k) && random.nextDouble() >= p.unmeasuredShare()) {
                    measured.set(n);
                }
            }
        }
        return new GeneratedInternet(p, List.copyOf(regions), metroLat, metroLon, metroRir, inflation, providerHome,
                peering, blockStart, blockBase, blockProvider, blockMetro, dark, perNetworkGeo, wrongGeoMetro, network,
                latitude, longitude, lastMile, jitter, measured);
    }

    private static int pickArea(Random random, List<GeneratedWorld.Area> areas, int totalWeight) {
        int pick = random.nextInt(totalWeight);
        for (int i = 0; i < areas.size(); i++) {
            pick -= areas.get(i).weight();
            if (pick < 0) {
                return i;
            }
        }
        throw new AssertionError();
    }

    /**
     * Unicast /16s split among the registries by weight; whole /16s for large providers, /20s from
     * shared /16s for small ones.
     */
    private static final class AddressPool {
        private final List<ArrayDeque<Integer>> sixteens = new ArrayList<>();
        private final List<ArrayDeque<Integer>> shared = new ArrayList<>();

        AddressPool(Random random, List<GeneratedWorld.Area> areas) {
            double[] weight = new double[GeneratedWorld.RIRS.size()];
            for (GeneratedWorld.Area a : areas) {
                weight[GeneratedWorld.RIRS.indexOf(a.rir())] += a.weight();
            }
            List<Integer> eights = new ArrayList<>();
            for (int i = 1; i <= 223; i++) {
                if (i != 10 && i != 127) {
                    eights.add(i);
                }
            }
            Collections.shuffle(eights, random);
            double sum = Arrays.stream(weight).sum();
            List<List<Integer>> byRir = new ArrayList<>();
            for (int r = 0; r < weight.length; r++) {
                byRir.add(new ArrayList<>());
                sixteens.add(new ArrayDeque<>());
                shared.add(new ArrayDeque<>());
            }
            // Largest remainder: each registry gets /8s in proportion to its weight.
            double[] owed = new double[weight.length];
            for (int eight : eights) {
                int best = 0;
                for (int r = 0; r < weight.length; r++) {
                    owed[r] += weight[r] / sum;
                    if (owed[r] > owed[best]) {
                        best = r;
                    }
                }
                owed[best] -= 1;
                byRir.get(best).add(eight);
            }
            for (int r = 0; r < weight.length; r++) {
                List<Integer> list = new ArrayList<>();
                for (int eight : byRir.get(r)) {
                    for (int second = 0; second < 256; second++) {
                        int sixteen = (eight << 8) | second;
                        if (!specialUse(sixteen)) {
                            list.add(sixteen << 16);
                        }
                    }
                }
                Collections.shuffle(list, random);
                sixteens.get(r).addAll(list);
            }
        }

        /** 100.64/10, 169.254/16, 172.16/12, 192.0/16 (192.0.0/24, 192.0.2/24), 192.88, 192.168, 198.18/15, 198.51, 203.0. */
        private static boolean specialUse(int sixteen) {
            int a = sixteen >>> 8;
            int s = sixteen & 255;
            return (a == 100 && s >= 64 && s < 128) || (a == 169 && s == 254) || (a == 172 && s >= 16 && s < 32)
                    || (a == 192 && (s == 0 || s == 88 || s == 168)) || (a == 198 && (s == 18 || s == 19 || s == 51))
                    || (a == 203 && s == 0);
        }

        private int sixteen(int rir) {
            ArrayDeque<Integer> own = sixteens.get(rir);
            if (own.isEmpty()) {
                int most = 0;
                for (int r = 0; r < sixteens.size(); r++) {
                    if (sixteens.get(r).size() > sixteens.get(most).size()) {
                        most = r;
                    }
                }
                own = sixteens.get(most);
                if (own.isEmpty()) {
                    throw new IllegalStateException("the unicast space is full: fewer networks, please");
                }
            }
            return own.poll();
        }

        /** The bases of {@code count} /20 blocks for a provider of a registry. */
        int[] blocks(int rir, int count) {
            int[] out = new int[count];
            if (count >= 16) {
                int i = 0;
                while (i < count) {
                    int base = sixteen(rir);
                    for (int k = 0; k < 16; k++) {
                        int block = base | (k << 12);
                        if (i < count) {
                            out[i++] = block;
                        } else {
                            shared.get(rir).add(block); // the rest of the last /16 goes to small providers
                        }
                    }
                }
                return out;
            }
            ArrayDeque<Integer> pool = shared.get(rir);
            for (int i = 0; i < count; i++) {
                if (pool.isEmpty()) {
                    int base = sixteen(rir);
                    for (int k = 0; k < 16; k++) {
                        pool.add(base | (k << 12));
                    }
                }
                out[i] = pool.poll();
            }
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The truth (never given to the router).

    public Params params() {
        return params;
    }

    public List<Region> regions() {
        return regions;
    }

    public int regionCount() {
        return regions.size();
    }

    public int networkCount() {
        return network.length;
    }

    public int blockCount() {
        return blockBase.length;
    }

    public int providerCount() {
        return providerHome.length;
    }

    public int metroCount() {
        return metroLat.length;
    }

    /** The client /24 of network {@code n}, as an address ({@code a.b.c.0}). */
    public int networkAddress(int n) {
        return network[n];
    }

    public IpPrefix prefix(int n) {
        return IpPrefix.ofIpv4(network[n], 24);
    }

    public int blockOf(int n) {
        int i = Arrays.binarySearch(blockStart, n);
        return i >= 0 ? i : -i - 2;
    }

    public int blockStart(int block) {
        return blockStart[block];
    }

    public int blockEnd(int block) {
        return blockStart[block + 1];
    }

    /** The block's metro and provider, and whether its geolocation is wrong (diagnostics only: the truth). */
    int blockMetro(int block) {
        return blockMetro[block];
    }

    int blockProvider(int block) {
        return blockProvider[block];
    }

    boolean wrongGeo(int block) {
        return wrongGeoMetro[block] >= 0;
    }

    /** Whether the geolocation places the block by its /24s rather than one /20 row (diagnostics only). */
    boolean perNetworkGeo(int block) {
        return perNetworkGeo.get(block);
    }

    /** How far network n truly lies from its block's metro, km (diagnostics only). */
    double kmFromMetro(int n) {
        int metro = blockMetro[blockOf(n)];
        return GreatCircle.kilometres(latitude[n], longitude[n], metroLat[metro], metroLon[metro]);
    }

    /** How far a point lies from the block's true metro, km (diagnostics only). */
    double kmFromBlockMetro(int block, double lat, double lon) {
        int metro = blockMetro[block];
        return GreatCircle.kilometres(lat, lon, metroLat[metro], metroLon[metro]);
    }

    /**
     * The block's true row towards a region: its networks' mean structural RTT less their last mile
     * (the yardstick of a perfect /20 row, {@link QualityCeiling}; diagnostics only).
     */
    double blockRowMs(int block, int region) {
        double sum = 0;
        for (int n = blockStart[block]; n < blockStart[block + 1]; n++) {
            sum += structuralRttMs(n, block, region) - lastMile[n];
        }
        return sum / (blockStart[block + 1] - blockStart[block]);
    }

    /** The block's /20 address. */
    int blockBase(int block) {
        return blockBase[block];
    }

    public boolean darkBlock(int block) {
        return darkBlocks.get(block);
    }

    /** Whether the network has samples (to at least one region). */
    public boolean measured(int n) {
        return measured.get(n) && regionsMeasured(n) > 0;
    }

    /** Whether the network's samples include some to the region. */
    public boolean measuredTo(int n, int region) {
        return measured.get(n) && unit(mix(params.seed(), 0x5ea1L, n, region)) < coverage(n);
    }

    private double coverage(int n) {
        return 0.3 + 0.7 * unit(mix(params.seed(), 0xc0feL, n, 0));
    }

    public int regionsMeasured(int n) {
        int count = 0;
        for (int r = 0; r < regions.size(); r++) {
            if (measuredTo(n, r)) {
                count++;
            }
        }
        return count;
    }

    /** Samples a round holds for a pair (0 when the pair is not measured): 1 to maxSamples, log-uniform. */
    public int samplesFor(int n, int region, int round) {
        if (!measuredTo(n, region)) {
            return 0;
        }
        double u = unit(mix(params.seed(), 0x5a11L + round, n, region));
        return (int) Math.min(params.maxSamples(), Math.floor(Math.exp(u * Math.log(params.maxSamples() + 1.0))));
    }

    /** The true RTT from network {@code n} to a region, without congestion. */
    public double trueRttMs(int n, int region) {
        int block = blockOf(n);
        return trueRttMs(n, block, region, null);
    }

    public double trueRttMs(int n, int region, Congestion congestion) {
        return trueRttMs(n, blockOf(n), region, congestion);
    }

    /**
     * The true RTT without the per-network-region term and without the floor of 1 ms: distance x the
     * metro's inflation + last mile + the provider's peering (bad route included). What an oracle
     * that knew the whole structure of the world, but not the term, would predict.
     */
    double structuralRttMs(int n, int block, int region) {
        int r = regions.size();
        double lat = Math.toRadians(latitude[n]);
        double lon = Math.toRadians(longitude[n]);
        double x = Math.cos(lat) * Math.cos(lon);
        double y = Math.cos(lat) * Math.sin(lon);
        double z = Math.sin(lat);
        double dot = Math.max(-1, Math.min(1, x * regionX[region] + y * regionY[region] + z * regionZ[region]));
        double km = Math.acos(dot) * 6371.0088;
        return km * FIBRE_MS_PER_KM * inflation[blockMetro[block] * r + region] + lastMile[n]
                + peering[blockProvider[block] * r + region];
    }

    /** The small term of one network and region (normal, sd {@link #CELL_TERM_SD_MS}) that no structure explains. */
    double cellTermMs(int n, int region) {
        return CELL_TERM_SD_MS * gaussian(mix(params.seed(), 0xe95L, n, region));
    }

    /** The network's last mile, the same towards every region (so no part of which region is fastest). */
    double lastMileMs(int n) {
        return lastMile[n];
    }

    /** The network's jitter scale: its samples are the true RTT + this x log-normal(0, {@link #NOISE_SIGMA}) (+ spikes). */
    double jitterMs(int n) {
        return jitter[n];
    }

    private double trueRttMs(int n, int block, int region, Congestion congestion) {
        double rtt = structuralRttMs(n, block, region) + cellTermMs(n, region);
        if (congestion != null && congestion.region() == region && congestion.blocks().get(block)) {
            rtt += congestion.extraMs();
        }
        return Math.max(1, rtt);
    }

    /** The truly fastest region of every network (ties to the lower index). */
    public int[] fastest(Congestion congestion) {
        int[] out = new int[network.length];
        double[] rtt = new double[regions.size()];
        for (int k = 0; k < blockBase.length; k++) {
            for (int n = blockStart[k]; n < blockStart[k + 1]; n++) {
                for (int r = 0; r < rtt.length; r++) {
                    rtt[r] = trueRttMs(n, k, r, congestion);
                }
                out[n] = argmin(rtt);
            }
        }
        return out;
    }

    /** The extra RTT of sending network {@code n} to {@code region} rather than its fastest. */
    public double extraMs(int n, int region, int fastest, Congestion congestion) {
        int block = blockOf(n);
        return trueRttMs(n, block, region, congestion) - trueRttMs(n, block, fastest, congestion);
    }

    static int argmin(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A congestion event: {@code region} slows by {@code extraMs} for whole blocks, drawn at random
     * among those whose networks mostly have it as their fastest region, until they hold
     * {@code share} of the networks whose fastest region it is.
     */
    public Congestion congestion(int region, double extraMs, double share, int[] fastest, long seed) {
        List<Integer> candidates = new ArrayList<>();
        long serves = 0;
        for (int k = 0; k < blockBase.length; k++) {
            int here = 0;
            for (int n = blockStart[k]; n < blockStart[k + 1]; n++) {
                if (fastest[n] == region) {
                    here++;
                }
            }
            serves += here;
            if (2 * here > blockStart[k + 1] - blockStart[k]) {
                candidates.add(k);
            }
        }
        Collections.shuffle(candidates, new Random(seed));
        BitSet blocks = new BitSet(blockBase.length);
        long covered = 0;
        for (int k : candidates) {
            if (covered >= share * serves) {
                break;
            }
            blocks.set(k);
            for (int n = blockStart[k]; n < blockStart[k + 1]; n++) {
                if (fastest[n] == region) {
                    covered++;
                }
            }
        }
        return new Congestion(region, extraMs, blocks);
    }

    /**
     * The region whose slowing by {@code extraMs} would change the fastest region of the most
     * networks: one with close alternatives (a European region rather than Brazil, whose networks
     * have nowhere else within 50 ms to go).
     */
    public int congestibleRegion(int[] fastest, double extraMs) {
        int[] count = new int[regions.size()];
        for (int n = 0; n < fastest.length; n++) {
            double slowed = trueRttMs(n, fastest[n]) + extraMs;
            for (int r = 0; r < regions.size(); r++) {
                if (r != fastest[n] && trueRttMs(n, r) < slowed) {
                    count[fastest[n]]++;
                    break;
                }
            }
        }
        int best = 0;
        for (int r = 1; r < count.length; r++) {
            if (count[r] > count[best]) {
                best = r;
            }
        }
        return best;
    }

    // ---------------------------------------------------------------------------------------------
    // What the router is given: samples and geolocation.

    /**
     * Every sample of a round, network by network (block order), each at a time drawn uniformly in
     * [{@code fromMillis}, {@code toMillis}). Round 0 is the baseline; later rounds draw new noise
     * and new counts for the same pairs. Deterministic: the same arguments give the same samples.
     */
    public void samples(int round, long fromMillis, long toMillis, Congestion congestion, SampleSink sink) {
        samples(round, fromMillis, toMillis, congestion, 0, blockBase.length, sink);
    }

    /** The samples of blocks {@code [fromBlock, toBlock)} only (for feeding in parallel). */
    public void samples(int round, long fromMillis, long toMillis, Congestion congestion, int fromBlock, int toBlock,
                        SampleSink sink) {
        int r = regions.size();
        long span = Math.max(1, toMillis - fromMillis);
        for (int k = fromBlock; k < toBlock; k++) {
            if (darkBlocks.get(k)) {
                continue;
            }
            for (int n = blockStart[k]; n < blockStart[k + 1]; n++) {
                if (!measured.get(n)) {
                    continue;
                }
                SplittableRandom random = new SplittableRandom(mix(params.seed(), 0x5a3L + round, n, 0));
                for (int region = 0; region < r; region++) {
                    int count = samplesFor(n, region, round);
                    if (count == 0) {
                        continue;
                    }
                    double truth = trueRttMs(n, k, region, congestion);
                    for (int s = 0; s < count; s++) {
                        double rtt = truth + jitter[n] * Math.exp(NOISE_SIGMA * gaussian(random));
                        if (random.nextDouble() < params.spikeShare()) {
                            rtt += SPIKE_MIN_MS + (SPIKE_MAX_MS - SPIKE_MIN_MS) * random.nextDouble();
                        }
                        int host = 1 + random.nextInt(254);
                        long time = fromMillis + (long) (random.nextDouble() * span);
                        sink.accept(network[n] | host, region, Math.round(rtt * 100) / 100.0, time);
                    }
                }
            }
        }
    }

    /** How many samples {@link #samples} gives for a round. */
    public long sampleCount(int round) {
        long total = 0;
        for (int n = 0; n < network.length; n++) {
            if (!measured.get(n)) {
                continue;
            }
            for (int region = 0; region < regions.size(); region++) {
                total += samplesFor(n, region, round);
            }
        }
        return total;
    }

    /** Writes the geolocation CSV ({@code prefix,latitude,longitude}), errors included. */
    public void writeGeoCsv(Path file) throws IOException {
        Random random = new Random(params.seed() ^ 0x6e0L);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("prefix,latitude,longitude\n");
            for (int k = 0; k < blockBase.length; k++) {
                int wrong = wrongGeoMetro[k];
                if (perNetworkGeo.get(k)) {
                    for (int n = blockStart[k]; n < blockStart[k + 1]; n++) {
                        double[] at = wrong >= 0
                                ? GeneratedWorld.offset(metroLat[wrong], metroLon[wrong], uniform(random, 0, 10), uniform(random, 0, 360))
                                : GeneratedWorld.offset(latitude[n], longitude[n], uniform(random, 0, 10), uniform(random, 0, 360));
                        row(out, IpPrefix.ofIpv4(network[n], 24), at);
                    }
                } else {
                    int metro = wrong >= 0 ? wrong : blockMetro[k];
                    double[] at = GeneratedWorld.offset(metroLat[metro], metroLon[metro], uniform(random, 0, 20),
                            uniform(random, 0, 360));
                    row(out, IpPrefix.ofIpv4(blockBase[k], 20), at);
                }
            }
        }
    }

    private static void row(BufferedWriter out, IpPrefix prefix, double[] at) throws IOException {
        out.write(prefix.toString());
        out.write(String.format(Locale.ROOT, ",%.4f,%.4f%n", at[0], at[1]));
    }

    /** A one-paragraph description of the world, for reports. */
    public String describe() {
        long measuredCount = 0;
        long pairs = 0;
        long measuredPairs = 0;
        for (int n = 0; n < network.length; n++) {
            if (measured(n)) {
                measuredCount++;
                measuredPairs += regionsMeasured(n);
            }
            pairs += regions.size();
        }
        int bad = 0;
        for (int i = 0; i < peering.length; i++) {
            if (peering[i] > 8) {
                bad++;
            }
        }
        long wrong = Arrays.stream(wrongGeoMetro).filter(m -> m >= 0).count();
        return String.format(Locale.ROOT, "%,d client /24s in %,d /20 blocks (%,d dark) of %,d providers in %,d metros, "
                        + "%d regions; %,d networks measured (%.1f%%), %.1f%% of their network-region pairs; "
                        + "%,d provider-region pairs badly routed (%.1f%%); %,d blocks geolocated wrongly (%.1f%%)",
                network.length, blockBase.length, darkBlocks.cardinality(), providerHome.length, metroLat.length,
                regions.size(), measuredCount, 100.0 * measuredCount / network.length,
                100.0 * measuredPairs / Math.max(1, measuredCount * regions.size()), bad, 100.0 * bad / peering.length, wrong,
                100.0 * wrong / blockBase.length);
    }

    // ---------------------------------------------------------------------------------------------
    // Deterministic per-network randomness (no state: 10 M networks x 20 regions need no table).

    static long mix(long seed, long salt, long a, long b) {
        long h = seed * 0x9E3779B97F4A7C15L + salt;
        h = murmur(h ^ a * 0xC2B2AE3D27D4EB4FL);
        h = murmur(h ^ b * 0x165667B19E3779F9L);
        return h;
    }

    private static long murmur(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** A uniform number in [0, 1) from a hash. */
    static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** A standard normal number from a hash (Box-Muller). */
    static double gaussian(long hash) {
        double u1 = unit(hash) + 0x1.0p-54;
        double u2 = unit(murmur(hash + 0x9E3779B97F4A7C15L));
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble() + 0x1.0p-54;
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static double uniform(Random random, double min, double max) {
        return min + (max - min) * random.nextDouble();
    }
}
