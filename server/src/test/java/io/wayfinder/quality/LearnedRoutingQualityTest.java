package io.wayfinder.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.quality.RoutingQuality.Group;
import io.wayfinder.quality.RoutingQuality.Metrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floors for the learned table on the standard generated world (seed 1), fed as raw samples with
 * spikes ({@link LearnedRoutingQuality}). Each floor sits below what seeds 1-6 give, with room for
 * noise, and above what the CSV estimator or the nearest region get where the learner should beat
 * them; each test says which regression it catches.
 */
class LearnedRoutingQualityTest {
    private static LearnedRoutingQuality.Result result;

    @BeforeAll
    static void evaluate() {
        GeneratedWorld world = GeneratedWorld.generate(GeneratedWorld.Params.standard(1));
        result = LearnedRoutingQuality.evaluate(world, 1);
    }

    /** Own samples, winsorised and shrunk: 98-99% and 0.01-0.05 ms. A broken statistic (spikes in the mean) or a lost column falls below. */
    @Test
    void measuredNetworksGoToTheirFastestRegion() {
        Metrics m = result.learned().get(Group.MEASURED);
        assertThat(m.toFastest()).isGreaterThanOrEqualTo(0.97);
        assertThat(m.meanExtraMs()).isLessThan(0.15);
    }

    /**
     * A missing region keeps the network's own offset and borrows the /16's differences between
     * regions: 98-100% and at most 0.05 ms, where the CSV estimator's covering aggregate (a mean of
     * other networks' raw RTTs) gets 97% and 0.2 ms.
     */
    @Test
    void aMissingRegionBorrowsOnlyTheDifferences() {
        Metrics learned = result.learned().get(Group.MEASURED_GAPS);
        Metrics csv = result.csv().get(Group.MEASURED_GAPS);
        assertThat(learned.meanExtraMs()).isLessThanOrEqualTo(csv.meanExtraMs());
        assertThat(learned.meanExtraMs()).isLessThan(0.1);
    }

    /** Block rows for networks without samples: 98% and 0.02 ms, against the nearest region's 90% and 2.4 ms. */
    @Test
    void unmeasuredNetworksInAMeasuredBlockUseTheBlock() {
        Metrics m = result.learned().get(Group.LIT_BLOCK);
        assertThat(m.toFastest()).isGreaterThanOrEqualTo(0.95);
        assertThat(m.meanExtraMs()).isLessThan(0.3);
    }

    /** Nothing measured in the /16: at worst as good as the nearest region (the distance path). */
    @Test
    void networksWithNothingNearbyDoAtLeastAsWellAsTheNearestRegion() {
        Metrics learned = result.learned().get(Group.DARK_BLOCK);
        Metrics nearest = result.nearest().get(Group.DARK_BLOCK);
        assertThat(learned.meanExtraMs()).isLessThanOrEqualTo(nearest.meanExtraMs() + 0.5);
    }

    /** Overall, the learned table beats today's estimator on the same samples. */
    @Test
    void theLearnedTableBeatsTheCsvEstimatorOverall() {
        Metrics learned = result.learned().get(Group.ALL);
        Metrics csv = result.csv().get(Group.ALL);
        assertThat(learned.meanExtraMs()).isLessThanOrEqualTo(csv.meanExtraMs());
        assertThat(learned.toFastest()).isGreaterThanOrEqualTo(csv.toFastest());
    }

    /**
     * What was learned: the world's route inflation belongs to a metro's /16 blocks, so the /16's
     * region differences must be trusted far more than nothing (a learned sd of several ms), and
     * the held-out error of predictions that borrow from a block must be a few ms at most.
     */
    @Test
    void theBlockLevelIsTrustedAsTheWorldWarrants() {
        var slash16 = result.trust().stream().filter(t -> t.level().startsWith("block /16") && t.level().endsWith("x region"))
                .findFirst().orElseThrow();
        assertThat(slash16.sdMs()).isGreaterThan(5);
        assertThat(slash16.heldOutRmseMs()).isLessThan(4);
    }
}
