package io.wayfinder.dns.ratelimit;

/** Limiters whose clock stands still, for tests outside this package that compare two runs verdict for verdict. */
public final class FixedClockLimiters {
    private FixedClockLimiters() {
    }

    /** A limiter that always sees the same time and hashes with a fixed seed: two of them decide alike. */
    public static ResponseRateLimiter limiter(ResponseRateSettings settings) {
        return new ResponseRateLimiter(settings, () -> 5_000_000_000L, 42);
    }
}
