package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.latency.learn.BorrowingModel.Trust;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fit runs unit by unit (a coarsest block with its networks: all its sweeps while its cells are
 * in the cache), with moves along the confounded offsets after each sweep. Against plain
 * backfitting, kept here as {@link #sweepBySweep} (every level over all the cells, then the
 * networks, sweep after sweep; the fit before the units and the moves): the same estimate in the
 * end, nearer to it sooner, a lower penalised error at every sweep; and the same effects on one
 * lane as on two.
 */
class UnitFitTest {
    private static final int REGIONS = 5;
    private static final int[][] LEVELS = {{20, 16}, {40, 32}};

    @AfterEach
    void allLanes() {
        Lanes.use(Lanes.COUNT);
    }

    /** A world of /16s of /24s (some alone in their /20), IPv6 /48s, and short static prefixes without blocks. */
    private record World(Observations obs, int[] anchor, float[] mu) {
    }

    private static World world(int sixteens) {
        SplittableRandom random = new SplittableRandom(5);
        List<Long> keys = new ArrayList<>();
        for (int s = 0; s < sixteens; s++) {
            int base = (10 << 24) | (s << 16);
            if (s % 7 == 3) {
                keys.add(NetworkKeys.of(IpPrefix.ofIpv4(base, 12 + s % 4))); // a short prefix: no block of either level
            }
            int networks = 1 + random.nextInt(s % 5 == 0 ? 3 : 120);
            for (int k = 0; k < networks; k++) {
                keys.add(NetworkKeys.of(IpPrefix.ofIpv4(base | random.nextInt(256) << 8, 24)));
            }
        }
        for (int s = 0; s < sixteens / 4; s++) {
            for (int k = 0; k < 1 + random.nextInt(20); k++) {
                keys.add(NetworkKeys.of(IpPrefix.parse(String.format("2001:%x:%x::/48", 0xdb8 + s / 8,
                        (s % 8) << 8 | random.nextInt(256)))));
            }
        }
        long[] sorted = keys.stream().mapToLong(Observations::sortKey).distinct().sorted().toArray();
        int networks = sorted.length;
        long[] netKey = new long[networks];
        int[] start = new int[networks + 1];
        List<Integer> regionOf = new ArrayList<>();
        for (int n = 0; n < networks; n++) {
            netKey[n] = Observations.keyOf(sorted[n]);
            start[n] = regionOf.size();
            for (int r = 0; r < REGIONS; r++) {
                if (r == 0 || random.nextDouble() < 0.6) {
                    regionOf.add(r);
                }
            }
        }
        int cells = regionOf.size();
        start[networks] = cells;
        byte[] region = new byte[cells];
        float[] y = new float[cells];
        float[] v = new float[cells];
        float[] weight = new float[cells];
        int[] age = new int[cells];
        float[] mu = new float[networks * REGIONS];
        int[] anchor = new int[networks];
        for (int n = 0; n < networks; n++) {
            anchor[n] = n;
            double lastMile = 10 * random.nextDouble();
            for (int r = 0; r < REGIONS; r++) {
                mu[n * REGIONS + r] = (float) (20 + 30 * r + 5 * random.nextDouble());
            }
            for (int c = start[n]; c < start[n + 1]; c++) {
                int r = regionOf.get(c);
                region[c] = (byte) r;
                weight[c] = 1 + random.nextInt(30);
                v[c] = (float) (16 / weight[c]);
                y[c] = (float) (mu[n * REGIONS + r] + lastMile + (n / 50 % 3) * r + 4 * random.nextGaussian());
            }
        }
        return new World(new Observations(REGIONS, networks, netKey, start, region, y, v, weight, age, LEVELS), anchor, mu);
    }

    private static Trust trust() {
        return new Trust(new double[] {30, 80}, new double[] {3, 20}, 40, 2);
    }

    @ParameterizedTest(name = "held out {0}, at most {1} sweeps, tolerance {2}, warm {3}")
    @CsvSource({
        "false, 3, 0, false",
        "true, 3, 0, false",
        "false, 400, 0.01, false",
        "false, 3, 0.01, true",
    })
    void twoLanesGiveTheEffectsOfOne(boolean holdOut, int maxSweeps, double tolerance, boolean warm) {
        World w = world(1200);
        assertThat(w.obs().cells).isGreaterThan(Lanes.MIN_PARALLEL_CELLS);
        boolean[] heldOut = holdOut ? heldOut(w.obs()) : null;
        BorrowingModel[] fitted = new BorrowingModel[2];
        for (int lanes = 1; lanes <= 2; lanes++) {
            Lanes.use(lanes);
            BorrowingModel previous = null;
            if (warm) {
                previous = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
                previous.fit(new Trust(new double[] {60, 40}, new double[] {6, 10}, 30, 3), null, 2);
            }
            fitted[lanes - 1] = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
            fitted[lanes - 1].fit(trust(), heldOut, maxSweeps, tolerance, warm ? w.obs() : null, previous);
        }
        assertThat(fitted[1].a).isEqualTo(fitted[0].a);
        assertThat(fitted[1].sweepsPerCell).isEqualTo(fitted[0].sweepsPerCell);
        for (int l = 0; l < w.obs().levels; l++) {
            assertThat(fitted[1].offset[l]).isEqualTo(fitted[0].offset[l]);
            assertThat(fitted[1].effect[l]).isEqualTo(fitted[0].effect[l]);
        }
    }

    /**
     * {@link BorrowingModel#refit}: new distance-model rows for some networks refit only the units
     * that hold them, from the fitted effects, to the estimate a fit from nothing reaches with the
     * new rows; every other unit's effects stay as they were, bit for bit.
     */
    @org.junit.jupiter.api.Test
    void aRefitMovesTheUnitsOfTheMarkedNetworksToTheFullFitAndNoOther() {
        World w = world(40);
        Observations obs = w.obs();
        BorrowingModel fitted = new BorrowingModel(obs, w.anchor(), w.mu(), null);
        fitted.fit(trust(), null, 400, 0, null, null);
        // Three networks of one /16 get rows of their own, 6 ms nearer region 1 and farther from region 3.
        int first = -1;
        for (int n = 0; n < obs.networks && first < 0; n++) {
            int s = obs.netBlock[obs.levels - 1][n];
            if (s >= 0 && n + 3 < obs.networks && obs.netBlock[obs.levels - 1][n + 3] == s && !NetworkKeys.ipv6(obs.netKey[n])) {
                first = n;
            }
        }
        int rows = w.mu().length / REGIONS;
        float[] mu = Arrays.copyOf(w.mu(), (rows + 3) * REGIONS);
        int[] anchor = w.anchor().clone();
        boolean[] changed = new boolean[obs.networks];
        for (int i = 0; i < 3; i++) {
            int n = first + i;
            for (int r = 0; r < REGIONS; r++) {
                mu[(rows + i) * REGIONS + r] = w.mu()[anchor[n] * REGIONS + r] + (r == 1 ? -6 : r == 3 ? 6 : 0);
            }
            anchor[n] = rows + i;
            changed[n] = true;
        }
        double[] before = new double[obs.networks * REGIONS];
        for (int n = 0; n < obs.networks; n++) {
            for (int r = 0; r < REGIONS; r++) {
                before[n * REGIONS + r] = fitted.predict(n, r);
            }
        }
        double[] offsetsBefore = fitted.a.clone();
        BorrowingModel refitted = fitted;
        refitted.refit(anchor, mu, changed, trust(), 400, 0);
        BorrowingModel fromNothing = new BorrowingModel(obs, anchor, mu, null);
        fromNothing.fit(trust(), null, 400, 0, null, null);
        assertThat(maxDifference(obs, refitted, fromNothing)).isLessThan(0.01);
        int unit = obs.netBlock[obs.levels - 1][first];
        boolean unitMoved = false;
        for (int n = 0; n < obs.networks; n++) {
            if (obs.netBlock[obs.levels - 1][n] == unit) {
                unitMoved |= refitted.a[n] != offsetsBefore[n];
            } else {
                assertThat(refitted.a[n]).isEqualTo(offsetsBefore[n]);
                for (int r = 0; r < REGIONS; r++) {
                    assertThat(refitted.predict(n, r)).isEqualTo(before[n * REGIONS + r]);
                }
            }
        }
        assertThat(unitMoved).isTrue();
        // Nothing marked: nothing moves.
        double[] offsets = refitted.a.clone();
        float[][] effects = new float[obs.levels][];
        for (int l = 0; l < obs.levels; l++) {
            effects[l] = refitted.effect[l].clone();
        }
        refitted.refit(anchor, mu, new boolean[obs.networks], trust(), 400, 0);
        assertThat(refitted.a).isEqualTo(offsets);
        for (int l = 0; l < obs.levels; l++) {
            assertThat(refitted.effect[l]).isEqualTo(effects[l]);
        }
    }

    @ParameterizedTest(name = "held out {0}")
    @ValueSource(booleans = {false, true})
    void theMovesLeadToTheEstimateOfPlainBackfitting(boolean holdOut) {
        World w = world(40);
        boolean[] heldOut = holdOut ? heldOut(w.obs()) : null;
        BorrowingModel moves = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
        moves.fit(trust(), heldOut, 400, 0, null, null);
        BorrowingModel plain = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
        sweepBySweep(w.obs(), w.anchor(), w.mu(), plain, trust(), heldOut, 4000, 1e-6, new double[1]);
        assertThat(maxDifference(w.obs(), moves, plain)).isLessThan(0.01);
    }

    @ParameterizedTest(name = "{0} /16s")
    @ValueSource(ints = {40, 400})
    void eachSweepWithTheMovesComesCloserToTheEstimateThanWithout(int sixteens) {
        World w = world(sixteens);
        BorrowingModel converged = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
        converged.fit(trust(), null, 400, 0, null, null);
        for (int sweeps = 2; sweeps <= 6; sweeps++) {
            BorrowingModel moves = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
            moves.fit(trust(), null, sweeps, 0, null, null);
            BorrowingModel plain = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
            sweepBySweep(w.obs(), w.anchor(), w.mu(), plain, trust(), null, sweeps, 0, new double[1]);
            assertThat(rms(w.obs(), moves, converged)).isLessThan(rms(w.obs(), plain, converged));
            assertThat(maxDifference(w.obs(), moves, converged)).isLessThan(maxDifference(w.obs(), plain, converged));
        }
    }

    /**
     * On the generated internet of the routing-quality report and LearnedScale (one sample per
     * cell, the trust its rebuild learned), the rebuild's {@link LearnedLatency#SWEEPS} sweeps with
     * the moves come closer to the converged estimate than the five sweeps without them that the
     * rebuild ran before.
     */
    @org.junit.jupiter.api.Test
    void onTheGeneratedInternetTheRebuildsSweepsComeCloserThanFiveWithoutTheMoves() throws Exception {
        java.time.Instant now = java.time.Instant.ofEpochMilli(1_796_000_000_000L);
        io.wayfinder.quality.GeneratedInternet world = io.wayfinder.quality.GeneratedInternet.generate(
                io.wayfinder.quality.GeneratedInternet.Params.standard(1, 20_000).withMaxSamples(1));
        java.nio.file.Path geoFile = java.nio.file.Files.createTempFile("unit-fit", ".csv");
        io.wayfinder.geo.CsvGeoTable geo;
        try {
            world.writeGeoCsv(geoFile);
            geo = io.wayfinder.geo.CsvGeoTable.read(geoFile);
        } finally {
            java.nio.file.Files.delete(geoFile);
        }
        List<String> names = world.regions().stream().map(r -> r.name()).toList();
        LearnedLatency learner = new LearnedLatency(LearningParameters.DEFAULTS);
        List<Measurement> batch = new ArrayList<>();
        long t = now.toEpochMilli();
        world.samples(0, t - 48 * 3_600_000L, t - 3_600_000L, null, (ip, region, rtt, time) ->
                batch.add(new Measurement(IpPrefix.ofIpv4(ip & 0xffffff00, 24), names.get(region), rtt, time, "test")));
        learner.add(batch);
        learner.rebuild(now, io.wayfinder.latency.LatencyTable.empty(), geo, io.wayfinder.geo.RegionCatalogue.builtIn());
        Observations obs = learner.observations(now);
        Published p = learner.published();
        Trust trust = p.learned.trust();
        int[] anchor = p.anchors.ofNetwork;
        float[] mu = p.anchors.mu;
        BorrowingModel converged = new BorrowingModel(obs, anchor, mu, null);
        converged.fit(trust, null, 300, 0, null, null);
        BorrowingModel moves = new BorrowingModel(obs, anchor, mu, null);
        moves.fit(trust, null, LearnedLatency.SWEEPS, 0, null, null);
        BorrowingModel plain = new BorrowingModel(obs, anchor, mu, null);
        sweepBySweep(obs, anchor, mu, plain, trust, null, 5, 0, new double[1]);
        assertThat(rms(obs, moves, converged)).isLessThan(rms(obs, plain, converged) / 2);
        assertThat(maxDifference(obs, moves, converged)).isLessThan(maxDifference(obs, plain, converged));
    }

    @org.junit.jupiter.api.Test
    void everySweepLowersThePenalisedErrorAndTheMovesLowerItFurther() {
        World w = world(200);
        double before = Double.POSITIVE_INFINITY;
        for (int sweeps = 1; sweeps <= 6; sweeps++) {
            BorrowingModel moves = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
            moves.fit(trust(), null, sweeps, 0, null, null);
            BorrowingModel plain = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
            sweepBySweep(w.obs(), w.anchor(), w.mu(), plain, trust(), null, sweeps, 0, new double[1]);
            double objective = objective(w, moves, trust());
            assertThat(objective).isLessThanOrEqualTo(before);
            assertThat(objective).isLessThan(objective(w, plain, trust()));
            before = objective;
        }
    }

    @org.junit.jupiter.api.Test
    void aUnitStopsAfterASweepThatMovesNoneOfItsEffectsBeyondTheTolerance() {
        World w = world(400);
        BorrowingModel converged = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
        converged.fit(trust(), null, 400, 0, null, null);
        BorrowingModel stopped = new BorrowingModel(w.obs(), w.anchor(), w.mu(), null);
        int sweeps = stopped.fit(trust(), null, 400, BorrowingModel.TOLERANCE_MS, null, null);
        assertThat(sweeps).isBetween(2, 399);
        assertThat(stopped.lastMoved).isLessThanOrEqualTo(BorrowingModel.TOLERANCE_MS);
        assertThat(stopped.sweepsPerCell).isLessThan(sweeps); // units that converged sooner stopped sooner
        assertThat(maxDifference(w.obs(), stopped, converged)).isLessThan(0.2); // as WarmFitTest
    }

    private static boolean[] heldOut(Observations obs) {
        boolean[] heldOut = new boolean[obs.cells];
        for (int n = 0; n < obs.networks; n++) {
            for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                heldOut[c] = TrustSearch.heldOut(obs.netKey[n], obs.region(c), 2);
            }
        }
        return heldOut;
    }

    static double rms(Observations obs, BorrowingModel x, BorrowingModel y) {
        double sum = 0;
        for (int n = 0; n < obs.networks; n++) {
            for (int r = 0; r < obs.regions; r++) {
                double d = x.predict(n, r) - y.predict(n, r);
                sum += d * d;
            }
        }
        return Math.sqrt(sum / obs.networks / obs.regions);
    }

    /** The largest difference of the two models' predictions, over every network and region. */
    private static double maxDifference(Observations obs, BorrowingModel x, BorrowingModel y) {
        double max = 0;
        for (int n = 0; n < obs.networks; n++) {
            for (int r = 0; r < obs.regions; r++) {
                max = Math.max(max, Math.abs(x.predict(n, r) - y.predict(n, r)));
            }
        }
        return max;
    }

    /** The ridge objective the fit minimises: weighted squared errors of the cells plus every effect's penalty. */
    private static double objective(World w, BorrowingModel m, Trust trust) {
        Observations obs = w.obs();
        double sum = 0;
        for (int n = 0; n < obs.networks; n++) {
            for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                double d = obs.y[c] - m.predict(n, obs.region(c));
                sum += d * d / (obs.v[c] + trust.noiseVariance());
            }
            sum += m.a[n] * m.a[n] / trust.networkVariance();
        }
        for (int l = 0; l < obs.levels; l++) {
            for (float o : m.offset[l]) {
                sum += o * o / trust.offsetVariance()[l];
            }
            for (float e : m.effect[l]) {
                sum += e * e / trust.regionVariance()[l];
            }
        }
        return sum;
    }

    /** The fit as it was (single-threaded): on {@code m}'s effects, as they stand. Returns the sweeps run. */
    static int sweepBySweep(Observations obs, int[] anchor, float[] mu, BorrowingModel m, Trust trust, boolean[] heldOut,
                            int maxSweeps, double tolerance, double[] lastMoved) {
        int regions = obs.regions;
        for (int s = 0; s < maxSweeps; s++) {
            double moved = 0;
            for (int l = obs.levels - 1; l >= 0; l--) {
                int[] blockOf = obs.netBlock[l];
                double offsetPrecision = 1 / trust.offsetVariance()[l];
                double regionPrecision = 1 / trust.regionVariance()[l];
                int n = 0;
                while (n < obs.networks) {
                    int b = blockOf[n];
                    if (b < 0) {
                        n++;
                        continue;
                    }
                    int first = n;
                    while (n < obs.networks && blockOf[n] == b) {
                        n++;
                    }
                    int from = obs.cellStart[first];
                    int to = obs.cellStart[n];
                    double[] residual = new double[to - from];
                    double[] weight = new double[to - from];
                    int[] region = new int[to - from];
                    double[] sumW = new double[regions];
                    double[] sumWR = new double[regions];
                    int e0 = b * regions;
                    float[] effects = m.effect[l];
                    double num = 0;
                    double den = offsetPrecision;
                    for (int k = first; k < n; k++) {
                        for (int c = obs.cellStart[k]; c < obs.cellStart[k + 1]; c++) {
                            int r = obs.region(c);
                            double res = obs.y[c] - base(obs, anchor, mu, m, k, r, l) - m.a[k];
                            double w = heldOut != null && heldOut[c] ? 0 : 1 / (obs.v[c] + trust.noiseVariance());
                            residual[c - from] = res;
                            weight[c - from] = w;
                            region[c - from] = r;
                            num += w * (res - effects[e0 + r]);
                            den += w;
                            sumW[r] += w;
                        }
                    }
                    double o = 0;
                    float offsetBefore = m.offset[l][b];
                    float[] before = Arrays.copyOfRange(effects, e0, e0 + regions);
                    for (int round = 0; round < 2; round++) {
                        if (round > 0) {
                            num = 0;
                            for (int i = 0; i < to - from; i++) {
                                num += weight[i] * (residual[i] - effects[e0 + region[i]]);
                            }
                        }
                        o = num / den;
                        Arrays.fill(sumWR, 0);
                        for (int i = 0; i < to - from; i++) {
                            sumWR[region[i]] += weight[i] * (residual[i] - o);
                        }
                        for (int r = 0; r < regions; r++) {
                            effects[e0 + r] = (float) (sumWR[r] / (sumW[r] + regionPrecision));
                        }
                    }
                    m.offset[l][b] = (float) o;
                    moved = Math.max(moved, Math.abs(m.offset[l][b] - offsetBefore));
                    for (int r = 0; r < regions; r++) {
                        moved = Math.max(moved, Math.abs(effects[e0 + r] - before[r]));
                    }
                }
            }
            double precision = 1 / trust.networkVariance();
            for (int n = 0; n < obs.networks; n++) {
                double num = 0;
                double den = precision;
                for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                    double w = heldOut != null && heldOut[c] ? 0 : 1 / (obs.v[c] + trust.noiseVariance());
                    num += w * (obs.y[c] - base(obs, anchor, mu, m, n, obs.region(c), -1));
                    den += w;
                }
                double next = num / den;
                moved = Math.max(moved, Math.abs(next - m.a[n]));
                m.a[n] = next;
            }
            lastMoved[0] = moved;
            if (moved <= tolerance) {
                return s + 1;
            }
        }
        return maxSweeps;
    }

    /** μ plus every block level's offset and region effect (summed in float, as the model does) but level skip's. */
    private static double base(Observations obs, int[] anchor, float[] mu, BorrowingModel m, int n, int r, int skip) {
        double sum = mu[anchor[n] * obs.regions + r];
        for (int l = 0; l < obs.levels; l++) {
            int b = obs.netBlock[l][n];
            if (b >= 0 && l != skip) {
                sum += m.offset[l][b] + m.effect[l][b * obs.regions + r];
            }
        }
        return sum;
    }
}
