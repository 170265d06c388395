package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.wayfinder.store.StoreException;
import io.wayfinder.testing.CapturedLog;
import io.wayfinder.time.LogThrottle;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests that failed inside the server or its store: a stack trace at most once every 10 s per kind, on a manual clock. */
class FailedRequestsTest {
    private final AtomicLong now = new AtomicLong();
    private final FailedRequests failures = new FailedRequests(now::get);
    private final CapturedLog log = new CapturedLog(FailedRequests.class);

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void aRequestThatFailsInALoopLogsOneStackTraceEveryTenSeconds() {
        for (int i = 0; i < 50; i++) {
            failures.failed("GET /api/v1/status", new IllegalStateException("a bug"));
        }
        assertThat(log.lines()).hasSize(1);
        assertThat(log.levels()).containsExactly(Level.ERROR);
        assertThat(log.throwables().get(0).getMessage()).isEqualTo("a bug");

        now.addAndGet(LogThrottle.INTERVAL_NANOS);
        failures.failed("GET /api/v1/status", new IllegalStateException("a bug"));
        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().get(1)).contains("GET /api/v1/status").contains("49 more since the last such line");
    }

    @Test
    void storeFailuresAreThrottledApartFromBugsAndTheClientsTextIsQuotedOnOneLine() {
        failures.failed("GET /x", new IllegalStateException("a bug"));
        failures.storeFailed("PUT /api/v1/profiles/web\nforged line", new StoreException("disk full"));
        failures.storeFailed("PUT /api/v1/profiles/web", new StoreException("disk full"));

        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().get(1)).contains("the store failed: disk full").doesNotContain("\n");
        assertThat(log.throwables().get(1).getMessage()).isEqualTo("disk full");
    }
}
