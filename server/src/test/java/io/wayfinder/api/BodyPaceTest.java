package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The deadline of a body: the grace, plus a second for every minBytesPerSecond bytes received. */
class BodyPaceTest {
    private static final long SECOND = 1_000_000_000L;
    private final BodyPace pace = new BodyPace(Duration.ofSeconds(10), 1024);

    @ParameterizedTest(name = "{0} bytes received: cut off {1} ms after the first read")
    @CsvSource({
        "0,        10000",
        "512,      10500",    // half a KiB earns half a second
        "1024,     11000",
        "16384,    26000",    // the beacon's largest post
        "1048576,  1034000",  // a 1 MiB profile
    })
    void theDeadlineMovesOnWithWhatWasReceived(long received, long millis) {
        assertThat(pace.deadlineNanos(5 * SECOND, received)).isEqualTo(5 * SECOND + millis * 1_000_000L);
    }

    @Test
    void aHugeCountDoesNotOverflowIntoThePast() {
        assertThat(pace.deadlineNanos(0, Long.MAX_VALUE)).isGreaterThan(0);
    }

    @Test
    void theGraceAndTheRateMustBePositive() {
        assertThatThrownBy(() -> new BodyPace(Duration.ZERO, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BodyPace(Duration.ofSeconds(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
