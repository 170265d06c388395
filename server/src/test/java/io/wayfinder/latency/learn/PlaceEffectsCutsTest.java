package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link PlaceEffects#coarseCuts}: the ranges of measured blocks the P passes run on the lanes
 * cover every block once and never split a /16, so each /16's sums are added by one part in block
 * order (the same to the bit as on one thread).
 */
class PlaceEffectsCutsTest {
    @ParameterizedTest(name = "{0} on {1} parts")
    @CsvSource({
        "'0 0 0 1 1 2 2 2 2 3', 2",
        "'0 0 0 0 0 0 0 0 0 1', 2", // the middle inside the first /16: the cut moves past it
        "'0 0 0 0 0 0 0 0 0 0', 2", // one /16: the second part is empty
        "'0 1 2 3 4 5 6', 3",
        "'5', 2",
        "'0 0 1 1 1 1 1 1 2 2 3 3', 4",
    })
    void cutsCoverEveryBlockOnceAndNeverSplitASixteen(String coarse, int parts) {
        String[] each = coarse.split(" ");
        int[] coarseOf = new int[each.length];
        for (int i = 0; i < each.length; i++) {
            coarseOf[i] = Integer.parseInt(each[i]);
        }
        int[] cuts = PlaceEffects.coarseCuts(coarseOf, coarseOf.length, parts);
        assertThat(cuts).hasSize(parts + 1);
        assertThat(cuts[0]).isZero();
        assertThat(cuts[parts]).isEqualTo(coarseOf.length);
        for (int p = 1; p <= parts; p++) {
            assertThat(cuts[p]).isGreaterThanOrEqualTo(cuts[p - 1]);
            if (cuts[p] > 0 && cuts[p] < coarseOf.length) {
                assertThat(coarseOf[cuts[p]]).as("cut %d", p).isNotEqualTo(coarseOf[cuts[p] - 1]);
            }
        }
    }
}
