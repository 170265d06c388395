package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.latency.learn.LatencyLearning.Evidence;
import io.wayfinder.latency.learn.LatencyLearning.LevelTrust;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Borrowing strength: a region a network was never measured to keeps the network's own offset and
 * borrows only its block's difference between regions; a few noisy samples are never worse than
 * none; and how far each level is trusted is learned from held-out cells.
 */
class BorrowingTest {
    private static final String[] REGIONS = {"westeurope", "northeurope", "eastus"};

    /**
     * A /16 whose networks reach West Europe in 20 ms, North Europe in 35 and East US in 95, each
     * plus its own last mile of 0-10 ms; many samples each, with sd 4 ms.
     */
    private static Samples block(Samples s, String prefix16, int networks, double west, double north, double east) {
        Random r = new Random(7);
        for (int n = 0; n < networks; n++) {
            double lastMile = 10 * r.nextDouble();
            String net = prefix16 + "." + n + ".0/24";
            s.add(net, "westeurope", west + lastMile, 4, 40);
            s.add(net, "northeurope", north + lastMile, 4, 40);
            s.add(net, "eastus", east + lastMile, 4, 40);
        }
        return s;
    }

    @Test
    void aNeverMeasuredRegionKeepsTheNetworksOffsetAndBorrowsTheBlocksDifference() {
        Samples s = block(new Samples(1), "10.1", 20, 20, 35, 95);
        // A network with a slow last mile (+40 ms), measured to West Europe only.
        s.add("10.1.200.0/24", "westeurope", 20 + 40, 4, 100);
        s.rebuild();
        // Its North Europe estimate is its own West Europe RTT plus the block's 15 ms difference,
        // not the block's raw North Europe mean (about 40 ms).
        double north = s.table("10.1.200.0/24", "northeurope");
        assertThat(north).isCloseTo(60 + 15, within(3.0));
        Evidence e = s.learner.explain(Samples.net("10.1.200.0/24"), "northeurope");
        assertThat(e.kind()).isEqualTo("borrowed");
        assertThat(e.borrowedFrom()).contains("10.1.0.0/");
        assertThat(e.uncertaintyMs()).isPositive();
        assertThat(e.tableMs()).isCloseTo(north, within(0.05));
    }

    @Test
    void aFewNoisySamplesAreNeverWorseThanNone() {
        // Forty networks of one block, each with one sample to West Europe (noise sd 8 ms, as every
        // sample here), and forty of a twin block with none; every network's truth is the block's
        // plus its last mile.
        Samples s = new Samples(2);
        Random r = new Random(3);
        for (String b : new String[] {"10.1", "10.2"}) {
            for (int n = 0; n < 20; n++) {
                double lastMile = 10 * r.nextDouble();
                s.add(b + "." + n + ".0/24", "westeurope", 20 + lastMile, 8, 40);
                s.add(b + "." + n + ".0/24", "northeurope", 35 + lastMile, 8, 40);
            }
        }
        double[] truthOne = new double[40];
        double[] truthNone = new double[40];
        for (int n = 0; n < 40; n++) {
            truthOne[n] = 20 + 10 * r.nextDouble();
            truthNone[n] = 20 + 10 * r.nextDouble();
            s.addOne("10.1." + (100 + n) + ".0/24", "westeurope", truthOne[n] + 8 * r.nextGaussian());
        }
        s.rebuild();
        double errorOne = 0;
        double errorNone = 0;
        for (int n = 0; n < 40; n++) {
            errorOne += Math.abs(s.table("10.1." + (100 + n) + ".0/24", "westeurope") - truthOne[n]);
            errorNone += Math.abs(s.table("10.2." + (100 + n) + ".0/24", "westeurope") - truthNone[n]);
        }
        // One sample (sd 8) is shrunk most of the way to the block's estimate, whose error is the
        // spread of last miles (2.5 ms on average); the sample alone would be off by 6.4 ms.
        assertThat(errorOne / 40).isLessThanOrEqualTo(errorNone / 40 + 0.5);
        assertThat(errorOne / 40).isLessThan(4);
    }

    @Test
    void aNetworkWithoutSamplesGetsItsBlocksRow() {
        Samples s = block(new Samples(4), "10.1", 20, 20, 35, 95);
        s.rebuild();
        assertThat(s.table("10.1.77.0/24", "northeurope")).isCloseTo(35 + 5, within(2.5));
        Evidence e = s.learner.explain(Samples.net("10.1.77.0/24"), "northeurope");
        assertThat(e.kind()).isEqualTo("block");
        assertThat(e.network().toString()).isIn("10.1.0.0/16", "10.1.0.0/20");
        assertThat(s.learner.explain(Samples.net("10.9.0.0/24"), "northeurope").kind()).isEqualTo("model");
    }

    @Test
    void heldOutDataDecidesWhichLevelIsTrusted() {
        // Thirty /16s whose region differences are their own (as a provider's peering is), with
        // nothing that sets the /20s inside them apart: the /16's region effect must be trusted
        // (several ms) and the /20's switched off or nearly.
        Samples s = new Samples(5);
        Random r = new Random(6);
        for (int b = 0; b < 30; b++) {
            double west = 20 + 30 * r.nextDouble();
            double north = 20 + 30 * r.nextDouble();
            double east = 80 + 30 * r.nextDouble();
            for (int n = 0; n < 12; n++) {
                String net = "10." + (10 + b) + "." + (n / 3 * 16 + n % 3) + ".0/24"; // three /24s in each of four /20s
                double lastMile = 15 * r.nextDouble();
                for (String region : REGIONS) {
                    if (r.nextDouble() < 0.25) {
                        continue; // ragged: a quarter of the cells missing
                    }
                    double truth = (region.equals("westeurope") ? west : region.equals("northeurope") ? north : east) + lastMile;
                    s.add(net, region, truth, 5, 20);
                }
            }
        }
        s.rebuild();
        double slash16 = trust(s, "block /16", "x region").sdMs();
        double slash20 = trust(s, "block /20", "x region").sdMs();
        assertThat(slash16).isGreaterThan(4);
        assertThat(slash20).isLessThan(slash16 / 4);
        assertThat(trust(s, "network offset", "").sdMs()).isGreaterThan(2);
    }

    @Test
    void aSingleSpikedSampleFallsBackToWhatItsNetworkWouldBorrow() {
        // 80 /20s in 20 /16s, each with 4 networks of 20 samples to each region and 10 of one: the
        // truth (the block's plus a last mile) plus one-sided noise (exponential, 3 ms) and, one
        // sample in 25, a spike of 100-200 ms. Thirty more networks of one sample a region have
        // their West Europe sample 150 ms above the truth.
        Samples s = new Samples(8);
        Random r = new Random(9);
        double[] base = {20, 45, 95};
        for (int b = 0; b < 20; b++) {
            for (int n = 0; n < 56; n++) {
                String net = "10." + (20 + b) + "." + (n / 14 * 16 + n % 14) + ".0/24";
                double lastMile = 10 * r.nextDouble();
                int samples = n % 14 < 4 ? 20 : 1;
                for (int g = 0; g < REGIONS.length; g++) {
                    for (int i = 0; i < samples; i++) {
                        double noise = -3 * Math.log(1 - r.nextDouble()) + (r.nextDouble() < 0.04 ? 100 + 100 * r.nextDouble() : 0);
                        s.addOne(net, REGIONS[g], base[g] + lastMile + noise);
                    }
                }
            }
        }
        double error = 0;
        for (int n = 0; n < 30; n++) {
            String net = "10." + (20 + n % 20) + "." + (14 + 16 * (n / 20)) + ".0/24"; // beside 14 networks of its /20
            s.addOne(net, "westeurope", 20 + 5 + 150);
            s.addOne(net, "northeurope", 45 + 5 + 3);
            s.addOne(net, "eastus", 95 + 5 + 3);
        }
        s.rebuild();
        for (int n = 0; n < 30; n++) {
            String net = "10." + (20 + n % 20) + "." + (14 + 16 * (n / 20)) + ".0/24"; // beside 14 networks of its /20
            error += s.table(net, "westeurope") - (20 + 5);
            assertThat(s.best(net, REGIONS)).isEqualTo("westeurope");
        }
        // Shrunk by precision alone, such a cell kept most of the spike (its variance is a typical
        // sample's, its class's inflated by the spikes among the held-out cells); taken for a spike,
        // it falls most of the way back to what its network would borrow.
        assertThat(error / 30).isLessThan(27);
        String probe = "10.20.14.0/24";
        Evidence e = s.learner.explain(Samples.net(probe), "westeurope");
        assertThat(e.kind()).isEqualTo("own");
        assertThat(e.estimateMs()).isCloseTo(s.table(probe, "westeurope"), within(0.06));
    }

    private static LevelTrust trust(Samples s, String prefix, String suffix) {
        return s.learner.coverage().trust().stream()
                .filter(t -> t.level().startsWith(prefix) && t.level().endsWith(suffix)).findFirst().orElseThrow();
    }
}
