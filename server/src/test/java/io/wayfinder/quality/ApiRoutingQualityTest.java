package io.wayfinder.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.quality.ApiRoutingQuality.Group;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing-quality benchmark in small (about 3,000 networks, 20 regions, seed 1): the servers
 * really started, the samples really posted, every network really asked over DNS. Until the learner
 * lands, only the nearest region and the CSV tables run (the learned tests are skipped). Floors, not
 * figures: low enough that a retuned generator does not trip them, high enough that a router that
 * ignored its data would.
 */
class ApiRoutingQualityTest {
    @TempDir
    static Path dir;
    private static ApiRoutingQuality.Run run;

    @BeforeAll
    static void runTheBenchmark() throws Exception {
        GeneratedInternet.Params small = GeneratedInternet.Params.standard(1, 3_000).withMaxSamples(20);
        ApiRoutingQuality.Options options = ApiRoutingQuality.Options.of(small);
        run = ApiRoutingQuality.run(learnerAvailable() ? options : options.withoutLearned(), dir);
    }

    /** Whether the learner is more than its contract yet (its branch lands it; until then, its stub throws). */
    static boolean learnerAvailable() {
        try {
            new LearnedLatency(LearningParameters.DEFAULTS).add(List.of());
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Every network is asked, and every answer is one of the world's regions: the harness reads the
     * DNS answers back into regions correctly. The nearest-region router agrees with the CSV table
     * for most networks (both follow geography) but not all (the table knows the peering).
     */
    @Test
    void everyNetworkGetsARegion() {
        int[] csv = run.choices().get("CSV table");
        int[] nearest = run.choices().get("nearest region");
        assertThat(csv).hasSize(run.world().networkCount());
        int agree = 0;
        for (int n = 0; n < csv.length; n++) {
            assertThat(csv[n]).isBetween(0, run.world().regionCount() - 1);
            agree += csv[n] == nearest[n] ? 1 : 0;
        }
        assertThat((double) agree / csv.length).isBetween(0.6, 0.99);
    }

    /**
     * A measured network's own means carry its provider's peering and bad routes, which geolocation
     * cannot know: seeds 1-6 give the CSV table 0.7-1.0 ms of mean extra RTT against the nearest
     * region's 1.4-8.6 ms. A table not read, or read into the wrong regions, loses that.
     */
    @Test
    void theCsvTableBeatsTheNearestRegionForMeasuredNetworks() {
        Map<Group, QualityScore> csv = run.scores().get("CSV table");
        Map<Group, QualityScore> nearest = run.scores().get("nearest region");
        assertThat(csv.get(Group.MEASURED).meanExtraMs()).isLessThan(1.5)
                .isLessThan(nearest.get(Group.MEASURED).meanExtraMs());
        assertThat(csv.get(Group.MEASURED).toFastest()).isGreaterThan(0.8);
    }

    /**
     * The promise, as a floor on a small world: the learned table sends networks to their
     * fastest region at least as often as today's CSV table and costs no more extra RTT, measured
     * and never-measured networks alike (the target, 97% and 0.5 ms, is the benchmark's, at 100,000).
     */
    @Test
    void theLearnedTableDoesAtLeastAsWellAsTheCsvTable() {
        assumeTrue(run.scores().containsKey("learned table"), "the learner has not landed yet");
        Map<Group, QualityScore> learned = run.scores().get("learned table");
        Map<Group, QualityScore> csv = run.scores().get("CSV table");
        for (Group g : List.of(Group.MEASURED, Group.NEVER_MEASURED, Group.ALL)) {
            assertThat(learned.get(g).meanExtraMs()).as(g.label + ": mean extra RTT").isLessThanOrEqualTo(
                    csv.get(g).meanExtraMs());
            assertThat(learned.get(g).toFastest()).as(g.label + ": share to the fastest region")
                    .isGreaterThanOrEqualTo(csv.get(g).toFastest() - 0.01);
        }
    }

    /**
     * After a region slows by 50 ms for a tenth of the networks it serves, those with enough new
     * samples of their own to show it (5, the learner's changeMinSamples) leave it within two
     * rebuilds, and the answers of the others stay put: under stationary noise an answer does not
     * flip (the stability promise, both ways).
     */
    @Test
    void aCongestionMovesTheSlowedNetworksAndOnlyThem() {
        assumeTrue(run.congestion() != null, "the learner has not landed yet");
        Map<ApiRoutingQuality.Moved, double[]> moved = run.congestion().moved();
        assertThat(moved.get(ApiRoutingQuality.Moved.SLOWED_OWN)[1]).isGreaterThanOrEqualTo(0.8);
        assertThat(moved.get(ApiRoutingQuality.Moved.OTHERS_MEASURED)[1]).isLessThanOrEqualTo(0.02);
        assertThat(moved.get(ApiRoutingQuality.Moved.OTHERS_NEVER)[1]).isLessThanOrEqualTo(0.02);
    }

    /** Every sample posted was accepted: the feed speaks the API's measurement shape. */
    @Test
    void everySamplePostedIsAccepted() {
        assumeTrue(!run.feeds().isEmpty(), "the learner has not landed yet");
        for (MeasurementFeed.Result feed : run.feeds()) {
            assertThat(feed.rejected()).isZero();
            assertThat(feed.dropped()).isZero();
            assertThat(feed.accepted()).isEqualTo(feed.posted()).isPositive();
        }
    }

    /** The groups partition the networks as labelled. */
    @Test
    void groupsAddUp() {
        Map<Group, QualityScore> s = run.scores().get("nearest region");
        assertThat(s.get(Group.MEASURED).count() + s.get(Group.NEVER_MEASURED).count()).isEqualTo(s.get(Group.ALL).count());
        assertThat(s.get(Group.NEVER_MEASURED_LIT).count() + s.get(Group.NEVER_MEASURED_DARK).count())
                .isEqualTo(s.get(Group.NEVER_MEASURED).count());
    }
}
