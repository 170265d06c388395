package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups in a geolocation database that failed (a damaged file), each answered as an unknown
 * location: counted for the metrics, and logged at most once every {@value #LOG_INTERVAL_MILLIS} ms
 * with the number of failures since the previous line, so that a damaged database cannot flood
 * the log from the query path. One instance serves every database a server loads, across reloads,
 * so the count only grows. Thread-safe and lock-free.
 */
public final class GeoLookupFailures {
    private static final Logger LOG = LoggerFactory.getLogger(GeoLookupFailures.class);
    /** As for the query path's own failures (SERVFAIL): one line every 10 s at most. */
    static final long LOG_INTERVAL_MILLIS = 10_000;

    private final Clock clock;
    private final LongAdder count = new LongAdder();
    /** Failures not yet reported in a log line. */
    private final AtomicLong unlogged = new AtomicLong();
    /** The clock's millisecond from which the next line may be written. */
    private final AtomicLong nextLine = new AtomicLong(Long.MIN_VALUE);

    public GeoLookupFailures(Clock clock) {
        this.clock = clock;
    }

    /** A lookup of {@code client} in {@code file} failed with {@code cause}; the caller answers "unknown". */
    void record(Path file, IpPrefix client, Exception cause) {
        count.increment();
        unlogged.incrementAndGet();
        long now = clock.millis();
        long next = nextLine.get();
        if (now >= next && nextLine.compareAndSet(next, now + LOG_INTERVAL_MILLIS)) {
            LOG.warn("geolocation {}: lookup of {} failed ({}); answered as an unknown location."
                    + " {} lookup(s) failed since the last such line; the file is damaged: replace it",
                    file, client, cause.toString(), unlogged.getAndSet(0));
        }
    }

    /** Lookups that failed since this instance was made. */
    public long count() {
        return count.sum();
    }
}
