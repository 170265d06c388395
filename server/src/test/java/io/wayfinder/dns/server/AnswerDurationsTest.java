package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each answer lands in the bucket of the first bound it does not exceed, and every answer is summed. */
class AnswerDurationsTest {
    private static final int BOUNDS = AnswerDurations.upperBoundsSeconds().length;

    @ParameterizedTest(name = "{0} ns: bucket {1}")
    @CsvSource({
        "0, 0",
        "1000, 0",          // the bounds are inclusive, as Prometheus' le
        "1001, 1",
        "2000, 1",
        "4999, 2",
        "50000, 5",
        "50001, 6",
        "999999, 9",
        "5000001, 12",
        "10000000, 12",     // the last bound
        "10000001, 13",     // above every bound: +Inf
        "9223372036854775807, 13",
    })
    void anAnswerLandsInTheBucketOfTheFirstBoundItDoesNotExceed(long nanos, int bucket) {
        AnswerDurations durations = new AnswerDurations();
        durations.recorder(this, false).record(nanos);

        long[] read = durations.read(false);
        assertThat(read).hasSize(BOUNDS + 2);
        for (int i = 0; i <= BOUNDS; i++) {
            assertThat(read[i]).as("bucket %d", i).isEqualTo(i == bucket ? 1 : 0);
        }
        assertThat(read[BOUNDS + 1]).as("sum").isEqualTo(nanos);
    }

    @Test
    void aNegativeDurationCountsAsZero() {
        AnswerDurations durations = new AnswerDurations();
        AnswerDurations.Recorder recorder = durations.recorder(this, true);
        recorder.record(-5);
        recorder.record(Long.MIN_VALUE);
        recorder.record(3_000);

        long[] read = durations.read(true);
        assertThat(read[0]).isEqualTo(2);
        assertThat(read[2]).isEqualTo(1);
        assertThat(read[BOUNDS + 1]).as("sum").isEqualTo(3_000);
        assertThat(durations.count(true)).isEqualTo(3);
        assertThat(durations.count(false)).as("the other transport").isZero();
    }

    @Test
    void recordersOfSeveralLoopsAreSummed() {
        AnswerDurations durations = new AnswerDurations();
        Object loopA = new Object();
        Object loopB = new Object();
        durations.recorder(loopA, false).record(700);
        durations.recorder(loopB, false).record(800);
        durations.recorder(loopA, false).record(20_000_000);

        assertThat(durations.recorder(loopA, false)).isSameAs(durations.recorder(loopA, false));
        long[] read = durations.read(false);
        assertThat(read[0]).isEqualTo(2);
        assertThat(read[BOUNDS]).isEqualTo(1);
        assertThat(read[BOUNDS + 1]).isEqualTo(20_001_500);
    }
}
