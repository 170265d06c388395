package io.wayfinder.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.health.MonitorStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The endpoint state machine driven by scripted probe results, with no clock: result {@code i}
 * happens at {@code T0 + i + 1} seconds.
 *
 * <p>Scripts are written one letter per probe: {@code S} success, {@code F} failure; statuses one
 * letter per probe too: {@code C} CheckingEndpoint, {@code O} Online, {@code D} Degraded.
 */
class EndpointHealthTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    /** Feeds a script and returns the status after each result, one letter each. */
    private static String run(EndpointHealth health, String script) {
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < script.length(); i++) {
            health.record(result(script.charAt(i), i));
            statuses.append(letter(health.status()));
        }
        return statuses.toString();
    }

    private static ProbeResult result(char c, int i) {
        Instant at = T0.plusSeconds(i + 1L);
        return switch (c) {
            case 'S' -> ProbeResult.success("HTTP 200", at, 3);
            case 'F' -> ProbeResult.failure("HTTP 503", at, 3);
            default -> throw new IllegalArgumentException("script letter " + c);
        };
    }

    private static char letter(MonitorStatus status) {
        return switch (status) {
            case CheckingEndpoint -> 'C';
            case Online -> 'O';
            case Degraded -> 'D';
            default -> throw new AssertionError("EndpointHealth produced " + status);
        };
    }

    @Test
    void aNewEndpointIsCheckingEndpointSinceItsStartWithNoResult() {
        EndpointHealth health = new EndpointHealth(3, 1, T0);
        assertThat(health.status()).isEqualTo(MonitorStatus.CheckingEndpoint);
        assertThat(health.since()).isEqualTo(T0);
        assertThat(health.lastResult()).isNull();
        assertThat(health.consecutiveFailures()).isZero();
        assertThat(health.consecutiveSuccesses()).isZero();
    }

    @ParameterizedTest(name = "tolerated={0} required={1}: {2} -> {3}")
    @CsvSource({
            // the first success makes a new endpoint Online, whatever the recovery threshold
            "0, 1, S,           O",
            "3, 3, S,           O",
            "9, 3, FFFS,        CCCO",
            // CheckingEndpoint holds while failures <= tolerated, then Degraded
            "0, 1, F,           D",
            "1, 1, FF,          CD",
            "3, 1, FFFF,        CCCD",
            "9, 1, FFFFFFFFFF,  CCCCCCCCCD",
            // Online -> Degraded after tolerated + 1 consecutive failures
            "0, 1, SF,          OD",
            "9, 1, SFFFFFFFFF,  OOOOOOOOOO",
            "9, 1, SFFFFFFFFFF, OOOOOOOOOOD",
            // Degraded -> Online after requiredConsecutiveSuccesses consecutive successes
            "0, 1, FS,          DO",
            "0, 3, FSS,         DDD",
            "0, 3, FSSS,        DDDO",
            "2, 3, FFFSSS,      CCDDDO",
            // more failures while Degraded change nothing; more successes while Online neither
            "0, 1, FFFF,        DDDD",
            "0, 1, SSSS,        OOOO",
    })
    void statusFollowsTheScript(int tolerated, int required, String script, String expected) {
        assertThat(run(new EndpointHealth(tolerated, required, T0), script)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "tolerated={0}: {1} -> {2}")
    @CsvSource({
            // a success between failures starts the count again
            "1, SFSF,       OOOO",
            "1, SFSFF,      OOOOD",
            "2, FFSFF,      CCOOO",
            "2, FFSFFF,     CCOOOD",
            "9, FFFFFFFFFSFFFFFFFFF,  CCCCCCCCCOOOOOOOOOO",
    })
    void aSuccessResetsTheFailureCount(int tolerated, String script, String expected) {
        assertThat(run(new EndpointHealth(tolerated, 1, T0), script)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "required={0}: {1} -> {2}")
    @CsvSource({
            // a failure during recovery starts the success count again
            "3, FSSFSS,     DDDDDD",
            "3, FSSFSSS,    DDDDDDO",
            "2, FSFSFS,     DDDDDD",
            "2, FSFSS,      DDDDO",
    })
    void aFailureResetsTheSuccessCount(int required, String script, String expected) {
        assertThat(run(new EndpointHealth(0, required, T0), script)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "SSFFS, 1, 0",
            "SFF,   0, 2",
            "FFS,   1, 0",
            "S,     1, 0",
            "F,     0, 1",
    })
    void theCountersAreTheCurrentRunOfLikeResults(String script, int successes, int failures) {
        EndpointHealth health = new EndpointHealth(5, 1, T0);
        run(health, script);
        assertThat(health.consecutiveSuccesses()).isEqualTo(successes);
        assertThat(health.consecutiveFailures()).isEqualTo(failures);
    }

    @ParameterizedTest(name = "tolerated={0} required={1}: {2}")
    @CsvSource({
            "0, 1, SFSFFS",
            "1, 3, FFSSSFFSFSSS",
            "9, 1, SFFFFFFFFFFSS",
            "3, 2, FFFFSSFFFFSS",
    })
    void aTransitionIsReturnedExactlyWhenTheStatusChanges(int tolerated, int required, String script) {
        EndpointHealth health = new EndpointHealth(tolerated, required, T0);
        for (int i = 0; i < script.length(); i++) {
            MonitorStatus before = health.status();
            ProbeResult r = result(script.charAt(i), i);
            EndpointHealth.Transition t = health.record(r);
            if (health.status() == before) {
                assertThat(t).as("result %d (%s)", i, script.charAt(i)).isNull();
            } else {
                assertThat(t).as("result %d (%s)", i, script.charAt(i))
                        .isEqualTo(new EndpointHealth.Transition(before, health.status(), r));
            }
        }
    }

    @ParameterizedTest(name = "tolerated={0} required={1}: {2}")
    @CsvSource({
            // script, then the 1-based index of the result of the last transition (0: none yet)
            "3, 1, FFF,          0",
            "3, 1, FFFF,         4",
            "3, 1, FFFFFFF,      4",
            "0, 1, SSSS,         1",
            "2, 3, SFFFSSSFF,    7",
            "0, 3, SFSSFF,       2",
    })
    void sinceMovesOnlyOnTransitions(int tolerated, int required, String script, int lastTransition) {
        EndpointHealth health = new EndpointHealth(tolerated, required, T0);
        run(health, script);
        assertThat(health.since()).isEqualTo(lastTransition == 0 ? T0 : T0.plusSeconds(lastTransition));
    }

    @Test
    void theLastResultIsKeptEvenWithoutATransition() {
        EndpointHealth health = new EndpointHealth(3, 1, T0);
        ProbeResult failure = ProbeResult.failure("connection refused", T0.plusSeconds(7), 1);
        assertThat(health.record(failure)).isNull();
        assertThat(health.lastResult()).isSameAs(failure);
    }

    @ParameterizedTest(name = "tolerated={0} required={1}")
    @CsvSource({"-1, 1", "0, 0", "3, -2"})
    void nonsensicalThresholdsAreRejected(int tolerated, int required) {
        assertThatThrownBy(() -> new EndpointHealth(tolerated, required, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
