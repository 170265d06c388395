package io.wayfinder.time;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one log line per interval for one kind of event, from any thread, with the number of
 * events that went unlogged in between, so that a flood costs a counter increment, not a log line
 * per packet or request. Lock-free: the thread whose compare-and-set moves the interval on writes
 * the line.
 */
public final class LogThrottle {
    public static final long INTERVAL_NANOS = 10_000_000_000L;

    private final long intervalNanos;
    private final LongSupplier nanos;
    private final AtomicLong last;
    private final AtomicLong suppressed = new AtomicLong();

    /** On the JVM's monotonic clock. */
    public LogThrottle() {
        this(System::nanoTime);
    }

    /** @param nanos a monotonic clock in nanoseconds (tests give a manual one) */
    public LogThrottle(LongSupplier nanos) {
        this(INTERVAL_NANOS, nanos);
    }

    /**
     * @param intervalNanos the least time between two lines (the {@link #tail} phrase says 10 s:
     *                      a caller with another interval words its own)
     * @param nanos         a monotonic clock in nanoseconds
     */
    public LogThrottle(long intervalNanos, LongSupplier nanos) {
        this.intervalNanos = intervalNanos;
        this.nanos = nanos;
        this.last = new AtomicLong(nanos.getAsLong() - intervalNanos); // the first event is logged
    }

    /**
     * @return -1 when this event must not be logged; else how many were not logged since the last
     *         line (the caller logs now)
     */
    public long admit() {
        long now = nanos.getAsLong();
        long before = last.get();
        if (now - before >= intervalNanos && last.compareAndSet(before, now)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /** The tail of a throttled line: how many were left out, and how often lines come at most. */
    public static String tail(long suppressed) {
        return suppressed == 0 ? "(at most one such line every 10 s)"
                : "(" + suppressed + " more since the last such line; at most one every 10 s)";
    }
}
