package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The journal that replaces a taken one starts with room for what arrives between folds, never the whole cap after a bulk import. */
class JournalCapacityTest {
    @ParameterizedTest(name = "{0} taken, cap {1}: {2}")
    @CsvSource({
        "0, 8000000, 65536",              // nothing taken: the smallest journal
        "300000, 8000000, 300000",        // a steady rate: as many again
        "5000000, 8000000, 1000000",      // more than a fold between rebuilds takes: an eighth of the cap
        "93980921, 93980922, 11747615",   // a bulk import of 94 M samples: not 94 M of room (1.6 GB)
        "10, 100, 100",                   // a cap below the smallest journal
    })
    void aNewJournalIsSizedForWhatArrivesBetweenFolds(int taken, int cap, int expected) {
        assertThat(LearnedLatency.nextJournalCapacity(taken, cap)).isEqualTo(expected);
    }
}
