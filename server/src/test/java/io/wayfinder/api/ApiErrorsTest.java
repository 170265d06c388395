package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.wayfinder.net.ConnectionSlots.Refusal;
import io.wayfinder.testing.CapturedLog;
import io.wayfinder.time.LogThrottle;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Error answers and refused connections, counted and logged at most once every 10 s per kind, on a manual clock. */
class ApiErrorsTest {
    private final AtomicLong now = new AtomicLong();
    private final ApiErrors errors = new ApiErrors(now::get);
    private final CapturedLog log = new CapturedLog(ApiErrors.class);

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void everyAnswerIsCountedByStatusAndRoute() {
        errors.answered(404, ApiErrors.NO_ROUTE, "GET /a", "192.0.2.1", "no such resource: /a");
        errors.answered(404, ApiErrors.NO_ROUTE, "GET /b", "192.0.2.1", "no such resource: /b");
        errors.answered(413, "/rum", "POST /rum", "192.0.2.1", "too large");

        assertThat(errors.answers()).containsExactly(
                Map.entry(new ApiErrors.Series(404, ApiErrors.NO_ROUTE), 2L),
                Map.entry(new ApiErrors.Series(413, "/rum"), 1L));
    }

    @Test
    void oneLinePerStatusEveryTenSecondsSayingHowManyWereLeftOut() {
        for (int i = 0; i < 5; i++) {
            errors.answered(401, "/api/v1/profiles", "GET /api/v1/profiles", "192.0.2.1", "a token is required");
        }
        errors.answered(404, ApiErrors.NO_ROUTE, "GET /x", "192.0.2.1", "no such resource: /x");
        assertThat(log.lines()).containsExactly(
                "API answered 401 to GET /api/v1/profiles from 192.0.2.1: a token is required (at most one such line every 10 s)",
                "API answered 404 to GET /x from 192.0.2.1: no such resource: /x (at most one such line every 10 s)");

        now.addAndGet(LogThrottle.INTERVAL_NANOS);
        errors.answered(401, "/api/v1/profiles", "GET /api/v1/profiles", "192.0.2.1", "a token is required");
        assertThat(log.lines()).last().isEqualTo("API answered 401 to GET /api/v1/profiles from 192.0.2.1: a token is required"
                + " (4 more since the last such line; at most one every 10 s)");
        assertThat(errors.answers()).containsEntry(new ApiErrors.Series(401, "/api/v1/profiles"), 6L);
    }

    @Test
    void aFailureLoggedWhereItHappenedIsCountedWithoutASecondLine() {
        errors.counted(500, "/api/v1/profiles/{name}");
        errors.counted(503, "/api/v1/profiles/{name}");

        assertThat(log.lines()).isEmpty();
        assertThat(errors.answers()).containsExactly(
                Map.entry(new ApiErrors.Series(500, "/api/v1/profiles/{name}"), 1L),
                Map.entry(new ApiErrors.Series(503, "/api/v1/profiles/{name}"), 1L));
    }

    @Test
    void clientErrorsAreInfoServerErrorsWarn() {
        errors.answered(400, "/rum", "POST /rum", "192.0.2.1", "bad");
        errors.answered(503, "/api/v1/events", "GET /api/v1/events", "192.0.2.1", "too many event-stream clients");
        assertThat(log.levels()).containsExactly(Level.INFO, Level.WARN);
    }

    @Test
    void whatTheClientChoseIsQuotedOnOneLineAndShort() {
        errors.answered(404, ApiErrors.NO_ROUTE, "GET /a\nFAKE LINE" + "x".repeat(300), "192.0.2.1", null);
        String line = log.lines().get(0);
        assertThat(line).doesNotContain("\n").contains("GET /a?FAKE LINE").contains("...").contains("(no message)");
        assertThat(ApiErrors.quoted("y".repeat(1000))).hasSize(ApiErrors.QUOTED_CHARS + 3);
    }

    @Test
    void refusedConnectionsAreCountedByReasonAndLoggedAsWarnings() {
        errors.refused(Refusal.PER_ADDRESS, "192.0.2.7", 8);
        errors.refused(Refusal.PER_ADDRESS, "192.0.2.7", 8);
        errors.refused(Refusal.GLOBAL, "192.0.2.8", 512);

        assertThat(errors.refused(Refusal.PER_ADDRESS)).isEqualTo(2);
        assertThat(errors.refused(Refusal.GLOBAL)).isEqualTo(1);
        assertThat(log.lines()).containsExactly(
                "API connection from 192.0.2.7 refused: 8 connections open from that address (IPv6: its /64)"
                        + " (at most one such line every 10 s)",
                "API connection from 192.0.2.8 refused: 512 connections open, all clients together"
                        + " (at most one such line every 10 s)");
        assertThat(log.levels()).containsOnly(Level.WARN);
    }
}
