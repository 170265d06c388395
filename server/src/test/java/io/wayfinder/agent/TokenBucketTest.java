package io.wayfinder.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The global rate, on a clock that moves only when told: no test here waits. */
class TokenBucketTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private final ManualAgentClock clock = new ManualAgentClock();

    @Test
    void tokensComeAtTheRateOneAfterTheOther() {
        TokenBucket bucket = new TokenBucket(clock, 4, 1);
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(250 * MS);
        assertThat(bucket.reserve()).as("reserved behind the one before").isEqualTo(500 * MS);
        clock.advance(500, TimeUnit.MILLISECONDS);
        assertThat(bucket.reserve()).isEqualTo(250 * MS);
    }

    @Test
    void acquiringSleepsOnTheClockSoThatNAttemptsTakeNOverTheRate() throws Exception {
        TokenBucket bucket = new TokenBucket(clock, 50, 1);
        for (int i = 0; i < 101; i++) {
            bucket.acquire();
        }
        assertThat(clock.slept()).as("100 intervals of 20 ms").isEqualTo(2000 * MS);
    }

    @Test
    void aQuietSpellSavesUpToTheBurstAndNoMore() {
        TokenBucket bucket = new TokenBucket(clock, 10, 3);
        clock.advance(1, TimeUnit.HOURS);
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).as("the burst spent").isEqualTo(100 * MS);
    }
}
