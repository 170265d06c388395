package io.wayfinder.beacon;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the beacon's endpoint did, for the metrics: posts accepted, rejected whole (by reason) and
 * rate-limited; samples accepted (by how the browser timed them) and rejected (by the rule they
 * broke, as the measurements API names it). Any thread.
 */
public final class BeaconCounters {
    /** Why a whole post was refused: the label of {@code wayfinder_rum_posts_rejected_total}. */
    public enum PostRejection {
        /** The key is not one the store holds (or has the wrong form). */
        UNKNOWN_KEY,
        /** The key was revoked. */
        REVOKED_KEY,
        /** The page's origin is not one of the key's. */
        ORIGIN,
        /** The body is not the beacon's JSON, or too large. */
        BODY,
        /** A trusted proxy's client-address header is not an address. */
        CLIENT_ADDRESS,
        /** The beacon is off ({@code latency.rum} is not set). */
        OFF;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the browser timed a sample: Resource Timing (request to first byte) or its clock around the fetch. */
    public enum Timing {
        RESOURCE, CLOCK;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder postsAccepted = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final AtomicLongArray postsRejected = new AtomicLongArray(PostRejection.values().length);
    private final AtomicLongArray samplesAccepted = new AtomicLongArray(Timing.values().length);
    /** By label: the measurements API's reasons, and {@code target} for a region the beacon was not told to measure. */
    private final ConcurrentHashMap<String, LongAdder> samplesRejected = new ConcurrentHashMap<>();
    private final LongAdder samplesDropped = new LongAdder();

    public void accepted(int samplesByResource, int samplesByClock) {
        postsAccepted.increment();
        samplesAccepted.addAndGet(Timing.RESOURCE.ordinal(), samplesByResource);
        samplesAccepted.addAndGet(Timing.CLOCK.ordinal(), samplesByClock);
    }

    public void rejected(PostRejection reason) {
        postsRejected.incrementAndGet(reason.ordinal());
    }

    public void rateLimited() {
        rateLimited.increment();
    }

    /** @param reason a label, from a bounded set (the measurements API's reasons and {@code target}) */
    public void sampleRejected(String reason) {
        samplesRejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Valid samples the learner did not take (too many waiting for its next rebuild). */
    public void samplesDropped(int n) {
        samplesDropped.add(n);
    }

    public long postsAccepted() {
        return postsAccepted.sum();
    }

    public long postsRejected(PostRejection reason) {
        return postsRejected.get(reason.ordinal());
    }

    public long rateLimitedPosts() {
        return rateLimited.sum();
    }

    public long samplesAccepted(Timing timing) {
        return samplesAccepted.get(timing.ordinal());
    }

    public long samplesRejected(String reason) {
        LongAdder n = samplesRejected.get(reason);
        return n == null ? 0 : n.sum();
    }

    public long samplesDropped() {
        return samplesDropped.sum();
    }
}
