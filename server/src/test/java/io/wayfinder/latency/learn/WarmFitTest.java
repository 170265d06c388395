package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.learn.BorrowingModel.Trust;
import io.wayfinder.net.IpPrefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The rebuild's shortcuts that change the arithmetic, not the estimate: the full fit stops once a
 * sweep moves no effect by more than its tolerance, and starts warm from the last rebuild's
 * effects (found by key).
 */
class WarmFitTest {
    private static final String[] REGIONS = {"westeurope", "northeurope", "eastus", "westus2"};
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    /** Blocks of networks with a block RTT, a region step and noise; {@code skip} networks (every skip-th) left out. */
    private static LearnedLatency world(int skip) {
        LearnedLatency learner = new LearnedLatency(LearningParameters.DEFAULTS);
        SplittableRandom random = new SplittableRandom(11);
        List<Measurement> batch = new ArrayList<>();
        int k = 0;
        for (int block = 0; block < 12; block++) {
            double blockMs = 10 + random.nextDouble() * 80;
            for (int net = 0; net < 40; net++) {
                boolean left = skip > 0 && k++ % skip == 0;
                IpPrefix network = IpPrefix.parse("10." + block * 16 + "." + net + ".0/24");
                double lastMile = 8 * random.nextDouble();
                for (int r = 0; r < REGIONS.length; r++) {
                    int samples = random.nextInt(4);
                    for (int s = 0; s < samples; s++) {
                        double rtt = blockMs + lastMile + 20 * r + 3 * random.nextGaussian();
                        if (!left) {
                            batch.add(new Measurement(network, REGIONS[r], Math.max(0.1, rtt), NOW.toEpochMilli(), "test"));
                        }
                    }
                }
            }
        }
        learner.add(batch);
        learner.rebuild(NOW, LatencyTable.empty(), GeoLocator.NONE, RegionCatalogue.builtIn());
        return learner;
    }

    /** The published state with its cells: it keeps only the layout ({@link Observations#layout}). */
    private record Fitted(Published published, Observations obs) {
    }

    private static Fitted fitted(int skip) {
        LearnedLatency learner = world(skip);
        Observations obs = learner.observations(NOW);
        assertThat(obs.netKey).isEqualTo(learner.published().obs.netKey);
        return new Fitted(learner.published(), obs);
    }

    private static BorrowingModel model(Fitted f) {
        Published p = f.published();
        return new BorrowingModel(f.obs(), p.anchors.ofNetwork, p.anchors.mu, p.anchors.blockMu);
    }

    @Test
    void theFitStopsOnceASweepMovesNoEffectByMoreThanTheTolerance() {
        Fitted f = fitted(0);
        Published p = f.published();
        Trust trust = p.learned.trust();
        BorrowingModel converged = model(f);
        converged.fit(trust, null, 400, 0, null, null); // until no effect moves at all
        BorrowingModel stopped = model(f);
        int sweeps = stopped.fit(trust, null, 400, BorrowingModel.TOLERANCE_MS, null, null);
        assertThat(sweeps).isBetween(2, 399);
        for (int n = 0; n < p.obs.networks; n++) {
            assertThat(stopped.predict(n, 0)).isCloseTo(converged.predict(n, 0), within(0.2));
        }
    }

    @Test
    void aWarmFitFromAConvergedOneOfTheSameDataTakesOneSweep() {
        Fitted f = fitted(0);
        Published p = f.published();
        Trust trust = p.learned.trust();
        BorrowingModel converged = model(f);
        converged.fit(trust, null, 400, 0, null, null);
        BorrowingModel warm = model(f);
        assertThat(warm.fit(trust, null, LearnedLatency.SWEEPS, BorrowingModel.TOLERANCE_MS, p.obs, converged)).isEqualTo(1);
        for (int n = 0; n < p.obs.networks; n++) {
            for (int r = 0; r < REGIONS.length; r++) {
                assertThat(warm.predict(n, r)).isCloseTo(converged.predict(n, r), within(0.05));
            }
        }
    }

    @Test
    void aWarmStartTakesTheEffectsOfTheNetworksAndBlocksFoundByKey() {
        Fitted fewerFitted = fitted(7); // every seventh network left out
        Fitted allFitted = fitted(0);
        Published fewer = fewerFitted.published();
        Published all = allFitted.published();
        assertThat(fewer.obs.networks).isLessThan(all.obs.networks);
        BorrowingModel previous = model(fewerFitted);
        previous.fit(fewer.learned.trust(), null, LearnedLatency.SWEEPS);
        BorrowingModel started = model(allFitted);
        assertThat(started.fit(all.learned.trust(), null, 0, 0, fewer.obs, previous)).isZero(); // the start alone
        int found = 0;
        for (int n = 0; n < all.obs.networks; n++) {
            int m = fewer.network(all.obs.netKey[n]);
            assertThat(started.a[n]).isEqualTo(m < 0 ? 0 : previous.a[m]);
            found += m < 0 ? 0 : 1;
        }
        assertThat(found).isEqualTo(fewer.obs.networks);
        for (int l = 0; l < all.obs.levels; l++) {
            for (int b = 0; b < all.obs.blockCount[l]; b++) {
                int old = indexOf(fewer.obs.blockKey[l], all.obs.blockKey[l][b]);
                assertThat(started.offset[l][b]).isEqualTo(old < 0 ? 0 : previous.offset[l][old]);
                for (int r = 0; r < REGIONS.length; r++) {
                    assertThat(started.effect[l][b * REGIONS.length + r])
                            .isEqualTo(old < 0 ? 0 : previous.effect[l][old * REGIONS.length + r]);
                }
            }
        }
    }

    private static int indexOf(long[] keys, long key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        return -1;
    }
}
