package io.wayfinder.api;

import java.time.Duration;

/**
 * How slowly a request body may arrive: whole within {@code grace} of its first read, plus one
 * second for every {@code minBytesPerSecond} bytes received by then. A client that keeps up the
 * rate on average is never cut off, however large its body; one that sends a byte every few
 * seconds is, {@code grace} after it started, whatever the idle timeout (which only bounds
 * silence). The rule of Apache's mod_reqtimeout ({@code body=20,MinRate=500}).
 *
 * @param grace             how long the first bytes may take: a slow link's start, a lost segment
 * @param minBytesPerSecond the average rate a body must keep up after that
 */
public record BodyPace(Duration grace, long minBytesPerSecond) {
    /**
     * 10 s, then 1 KiB/s (8 kbit/s, below any link a browser or an agent posts from): the beacon's
     * largest post (16 KiB) may take 26 s, a 1 MiB profile 17 minutes; a client that sends slower
     * holds its thread at most 10 s plus a second a KiB.
     */
    public static final BodyPace DEFAULT = new BodyPace(Duration.ofSeconds(10), 1024);

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public BodyPace {
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("grace must be positive: " + grace);
        }
        if (minBytesPerSecond < 1) {
            throw new IllegalArgumentException("minBytesPerSecond must be at least 1: " + minBytesPerSecond);
        }
    }

    /** When a body that started at {@code startNanos} and has brought {@code received} bytes is too slow. */
    long deadlineNanos(long startNanos, long received) {
        long earned = received > Long.MAX_VALUE / NANOS_PER_SECOND ? Long.MAX_VALUE / 2
                : received * NANOS_PER_SECOND / minBytesPerSecond;
        return startNanos + grace.toNanos() + earned;
    }
}
