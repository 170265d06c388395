package io.wayfinder.dns.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for one kind of event, from any thread, with the number of
 * events that went unlogged in between, so that a flood costs a counter increment, not a log line
 * per packet.
 */
final class LogThrottle {
    static final long INTERVAL_NANOS = 10_000_000_000L;

    private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @return -1 when this event must not be logged; else how many were not logged since the last
     *         line (the caller logs now)
     */
    long admit() {
        long now = System.nanoTime();
        long before = last.get();
        if (now - before >= INTERVAL_NANOS && last.compareAndSet(before, now)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /** The tail of a throttled line: how many were left out, and how often lines come at most. */
    static String tail(long suppressed) {
        return suppressed == 0 ? "(at most one such line every 10 s)"
                : "(" + suppressed + " more since the last such line; at most one every 10 s)";
    }
}
