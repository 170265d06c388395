package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.time.LogThrottle;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lookups in a geolocation database that failed (a damaged file), each answered as an unknown
 * location: counted for the metrics, and logged at most once every 10 s ({@link LogThrottle})
 * with the number of failures since the previous line, so that a damaged database cannot flood
 * the log from the query path. One instance serves every database a server loads, across reloads,
 * so the count only grows. Thread-safe and lock-free.
 */
public final class GeoLookupFailures {
    private static final Logger LOG = LoggerFactory.getLogger(GeoLookupFailures.class);
    private final LongAdder count = new LongAdder();
    /** As for the query path's own failures (SERVFAIL): one line every 10 s at most. */
    private final LogThrottle lines;

    public GeoLookupFailures(Clock clock) {
        this.lines = new LogThrottle(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()));
    }

    /** A lookup of {@code client} in {@code file} failed with {@code cause}; the caller answers "unknown". */
    void record(Path file, IpPrefix client, Exception cause) {
        count.increment();
        long suppressed = lines.admit();
        if (suppressed >= 0) {
            LOG.warn("geolocation {}: lookup of {} failed ({}); answered as an unknown location."
                    + " The file is damaged: replace it {}", file, client, cause.toString(), LogThrottle.tail(suppressed));
        }
    }

    /** Lookups that failed since this instance was made. */
    public long count() {
        return count.sum();
    }
}
