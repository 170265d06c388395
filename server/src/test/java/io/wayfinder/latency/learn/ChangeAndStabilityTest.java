package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Reaction and stability, both ways: a real rise moves the networks it hits within two rebuilds of
 * the evidence arriving, and stationary noise never flips an answer between rebuilds.
 */
class ChangeAndStabilityTest {
    private static final Duration REBUILD = Duration.ofSeconds(60);
    private static final String[] REGIONS = {"westeurope", "northeurope", "eastus"};

    /** Twenty /24s of one /16 with a week of history: 30, 40 and 90 ms plus a last mile of 0-19 ms. */
    private static Samples history(long seed) {
        Samples s = new Samples(seed);
        for (int hour = 0; hour < 7 * 24; hour += 6) {
            for (int n = 0; n < 20; n++) {
                s.add("10.1." + n + ".0/24", "westeurope", 30 + n, 6, 3);
                s.add("10.1." + n + ".0/24", "northeurope", 40 + n, 6, 3);
                s.add("10.1." + n + ".0/24", "eastus", 90 + n, 6, 3);
            }
            s.advance(Duration.ofHours(6)).rebuild();
        }
        return s;
    }

    @Test
    void aFiftyMillisecondRiseMovesItsNetworksWithinTwoRebuilds() {
        Samples s = history(1);
        for (int n = 0; n < 20; n++) {
            assertThat(s.best("10.1." + n + ".0/24", REGIONS)).isEqualTo("westeurope");
        }
        // West Europe slows by 50 ms for five of the networks; each sends its usual few samples a minute.
        int[] moved = new int[3];
        for (int rebuild = 1; rebuild <= 2; rebuild++) {
            for (int n = 0; n < 20; n++) {
                double slower = n < 5 ? 50 : 0;
                s.add("10.1." + n + ".0/24", "westeurope", 30 + n + slower, 6, 6);
                s.add("10.1." + n + ".0/24", "northeurope", 40 + n, 6, 6);
            }
            s.advance(REBUILD).rebuild();
            for (int n = 0; n < 5; n++) {
                if (s.best("10.1." + n + ".0/24", REGIONS).equals("northeurope")) {
                    moved[rebuild]++;
                }
            }
        }
        assertThat(moved[2]).as("networks moved within two rebuilds").isEqualTo(5);
        for (int n = 5; n < 20; n++) {
            assertThat(s.best("10.1." + n + ".0/24", REGIONS)).as("an untouched network").isEqualTo("westeurope");
        }
        assertThat(s.learner.explain(Samples.net("10.1.0.0/24"), "westeurope").estimateMs()).isBetween(70.0, 90.0);
    }

    @Test
    void aFiftyMillisecondRiseSeenInSparseSamplesStillMoves() {
        Samples s = history(2);
        // Two samples a minute: too few to decide alone, held back and decided together.
        int rebuildsToMove = -1;
        for (int rebuild = 1; rebuild <= 5 && rebuildsToMove < 0; rebuild++) {
            s.add("10.1.0.0/24", "westeurope", 80, 6, 2);
            s.advance(REBUILD).rebuild();
            if (s.best("10.1.0.0/24", REGIONS).equals("northeurope")) {
                rebuildsToMove = rebuild;
            }
        }
        assertThat(rebuildsToMove).as("rebuilds until the network moved").isBetween(1, 3);
    }

    @Test
    void stationaryNoiseNeverFlipsAnAnswer() {
        // Near-ties: West and North Europe 1 ms apart, samples with sd 8 ms, three a minute per
        // network and region: a week of history at that rate, then 200 rebuilds a minute apart.
        Samples s = new Samples(3);
        for (int round = 0; round < 28; round++) {
            for (int n = 0; n < 30; n++) {
                s.add("10.2." + n + ".0/24", "westeurope", 30 + n % 7, 8, 3 * 360);
                s.add("10.2." + n + ".0/24", "northeurope", 31 + n % 7, 8, 3 * 360);
            }
            s.advance(Duration.ofHours(6)).rebuild();
        }
        String[] answers = new String[30];
        for (int n = 0; n < 30; n++) {
            answers[n] = s.best("10.2." + n + ".0/24", REGIONS);
        }
        int flips = 0;
        for (int rebuild = 0; rebuild < 200; rebuild++) {
            for (int n = 0; n < 30; n++) {
                s.add("10.2." + n + ".0/24", "westeurope", 30 + n % 7, 8, 3);
                s.add("10.2." + n + ".0/24", "northeurope", 31 + n % 7, 8, 3);
            }
            s.advance(REBUILD).rebuild();
            for (int n = 0; n < 30; n++) {
                String now = s.best("10.2." + n + ".0/24", REGIONS);
                if (!now.equals(answers[n])) {
                    flips++;
                    answers[n] = now;
                }
            }
        }
        assertThat(flips).as("answers that changed over 200 rebuilds of stationary noise").isZero();
    }

    @Test
    void exactTiesStayPutWithHysteresisAndFlipWithout() {
        // Exact ties (the same RTT to both regions), after a day of history at the same rate.
        assertThat(tieFlips(LearningParameters.DEFAULTS)).isZero();
        LearningParameters none = new LearningParameters(LearningParameters.DEFAULT_HALF_LIFE, java.util.List.of(20, 16),
                java.util.List.of(40, 32), 5, 4, 5, Duration.ofHours(1), 0, 0, 5, 1_000_000);
        assertThat(tieFlips(none)).as("the control: without the dead band the same noise flips answers").isPositive();
    }

    private static int tieFlips(LearningParameters parameters) {
        Samples s = new Samples(parameters, 4);
        for (int round = 0; round < 4; round++) {
            for (int n = 0; n < 30; n++) {
                s.add("10.2." + n + ".0/24", "westeurope", 30 + n % 7, 8, 3 * 360);
                s.add("10.2." + n + ".0/24", "northeurope", 30 + n % 7, 8, 3 * 360);
            }
            s.advance(Duration.ofHours(6)).rebuild();
        }
        String[] answers = new String[30];
        int flips = 0;
        for (int rebuild = 0; rebuild < 200; rebuild++) {
            for (int n = 0; n < 30; n++) {
                s.add("10.2." + n + ".0/24", "westeurope", 30 + n % 7, 8, 3);
                s.add("10.2." + n + ".0/24", "northeurope", 30 + n % 7, 8, 3);
            }
            s.advance(REBUILD).rebuild();
            for (int n = 0; n < 30; n++) {
                String now = s.best("10.2." + n + ".0/24", REGIONS);
                if (answers[n] != null && !now.equals(answers[n])) {
                    flips++;
                }
                answers[n] = now;
            }
        }
        return flips;
    }
}
