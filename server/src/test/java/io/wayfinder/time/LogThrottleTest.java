package io.wayfinder.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One line per 10 s on a manual clock, each saying how many were left out since the last. */
class LogThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final LogThrottle throttle = new LogThrottle(now::get);

    @Test
    void theFirstEventIsLoggedThenNoneForTenSeconds() {
        assertThat(throttle.admit()).isZero();
        now.addAndGet(LogThrottle.INTERVAL_NANOS - 1);
        assertThat(throttle.admit()).isEqualTo(-1);
        assertThat(throttle.admit()).isEqualTo(-1);
    }

    @Test
    void theNextLineSaysHowManyWereLeftOut() {
        throttle.admit();
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.admit()).isEqualTo(-1);
        }
        now.addAndGet(LogThrottle.INTERVAL_NANOS);
        assertThat(throttle.admit()).isEqualTo(5);
        now.addAndGet(LogThrottle.INTERVAL_NANOS);
        assertThat(throttle.admit()).as("none left out since").isZero();
    }

    @Test
    void aThrottleOfItsOwnIntervalKeepsIt() {
        LogThrottle everyFiveSeconds = new LogThrottle(5_000_000_000L, now::get);
        assertThat(everyFiveSeconds.admit()).isZero();
        now.addAndGet(4_999_999_999L);
        assertThat(everyFiveSeconds.admit()).isEqualTo(-1);
        now.addAndGet(1);
        assertThat(everyFiveSeconds.admit()).isEqualTo(1);
    }

    @Test
    void theTailSaysWhatWasLeftOut() {
        assertThat(LogThrottle.tail(0)).isEqualTo("(at most one such line every 10 s)");
        assertThat(LogThrottle.tail(3)).isEqualTo("(3 more since the last such line; at most one every 10 s)");
    }
}
