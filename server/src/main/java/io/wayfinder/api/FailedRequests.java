package io.wayfinder.api;

import io.wayfinder.store.StoreException;
import io.wayfinder.time.LogThrottle;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack traces of requests that failed inside the server (a bug: 500) or in the store (503),
 * at most one of each kind every 10 s with how many were left out: a request that fails every time
 * it is made, sent in a loop, costs a counter increment, not a stack trace per request. Every one
 * is counted in {@code wayfinder_api_errors_total} ({@link ApiErrors}).
 */
final class FailedRequests {
    private static final Logger LOG = LoggerFactory.getLogger(FailedRequests.class);

    private final LogThrottle storeFailures;
    private final LogThrottle internalErrors;

    /** @param nanos a monotonic clock (System::nanoTime; tests give a manual one) */
    FailedRequests(LongSupplier nanos) {
        this.storeFailures = new LogThrottle(nanos);
        this.internalErrors = new LogThrottle(nanos);
    }

    /** @param request what was asked ({@code PUT /api/v1/profiles/web}); quoted here */
    void storeFailed(String request, StoreException e) {
        long suppressed = storeFailures.admit();
        if (suppressed >= 0) {
            LOG.error("API {}: the store failed: {} {}", ApiErrors.quoted(request), e.getMessage(), LogThrottle.tail(suppressed), e);
        }
    }

    /** @param request what was asked; quoted here */
    void failed(String request, Exception e) {
        long suppressed = internalErrors.admit();
        if (suppressed >= 0) {
            LOG.error("API {} failed {}", ApiErrors.quoted(request), LogThrottle.tail(suppressed), e);
        }
    }
}
