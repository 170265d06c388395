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

/**
 * The fit runs unit by unit (a coarsest block with its networks: all its sweeps while its cells are
 * in the cache) and must give exactly the effects of the sweep-by-sweep fit it replaced, kept here
 * as {@link #sweepBySweep}: every level over all the cells, then the networks, sweep after sweep,
 * stopping after the first sweep that moved no effect by more than the tolerance.
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

    @ParameterizedTest(name = "{0} /16s, {1} lane(s), held out {2}, at most {3} sweeps, tolerance {4}, warm {5}")
    @CsvSource({
        "40, 1, false, 5, 0, false",
        "40, 1, true, 4, 0, false",
        "40, 1, false, 400, 0.01, false",
        "40, 1, false, 5, 0.01, true",
        "1200, 2, false, 5, 0, false",
        "1200, 2, true, 4, 0, false",
        "1200, 2, false, 400, 0.01, false",
        "1200, 2, false, 5, 0.01, true",
        "1200, 2, false, 400, 0.5, true",
    })
    void theUnitFitGivesTheEffectsOfTheSweepBySweepFit(int sixteens, int lanes, boolean holdOut, int maxSweeps,
                                                       double tolerance, boolean warm) {
        Lanes.use(lanes);
        World w = world(sixteens);
        Observations obs = w.obs();
        if (lanes > 1) {
            assertThat(obs.cells).isGreaterThan(Lanes.MIN_PARALLEL_CELLS);
        }
        boolean[] heldOut = null;
        if (holdOut) {
            heldOut = new boolean[obs.cells];
            for (int n = 0; n < obs.networks; n++) {
                for (int c = obs.cellStart[n]; c < obs.cellStart[n + 1]; c++) {
                    heldOut[c] = TrustSearch.heldOut(obs.netKey[n], obs.region(c), 2);
                }
            }
        }
        BorrowingModel previous = null;
        if (warm) {
            previous = new BorrowingModel(obs, w.anchor(), w.mu(), null);
            previous.fit(new Trust(new double[] {60, 40}, new double[] {6, 10}, 30, 3), null, 3);
        }
        BorrowingModel units = new BorrowingModel(obs, w.anchor(), w.mu(), null);
        int sweeps = units.fit(trust(), heldOut, maxSweeps, tolerance, warm ? obs : null, previous);

        BorrowingModel reference = new BorrowingModel(obs, w.anchor(), w.mu(), null);
        reference.fit(trust(), heldOut, 0, 0, warm ? obs : null, previous); // the same start
        double[] lastMoved = {Double.NaN};
        int referenceSweeps = sweepBySweep(obs, w.anchor(), w.mu(), reference, trust(), heldOut, maxSweeps, tolerance,
                lastMoved);

        assertThat(sweeps).isEqualTo(referenceSweeps);
        if (maxSweeps == 400) {
            assertThat(sweeps).isLessThan(maxSweeps); // the stop was exercised
        }
        assertThat(units.lastMoved).isEqualTo(lastMoved[0]);
        assertThat(units.a).isEqualTo(reference.a);
        for (int l = 0; l < obs.levels; l++) {
            assertThat(units.offset[l]).isEqualTo(reference.offset[l]);
            assertThat(units.effect[l]).isEqualTo(reference.effect[l]);
        }
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
