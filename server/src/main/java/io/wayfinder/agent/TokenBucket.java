package io.wayfinder.agent;

/**
 * The global probe rate: {@code rate} tokens a second, at most {@code burst} saved up; a connection
 * attempt takes one. A caller that finds the bucket empty reserves the next token and sleeps until it
 * is due, so that callers on several threads are served in turn and the rate holds over any second.
 *
 * <p>Invariant: {@code nextFreeNanos} is the time at which the next token is free; it is at most
 * {@code burst} tokens' worth behind now (older savings are forgotten). Guarded by {@code this}; the
 * sleep happens outside the lock.
 */
public final class TokenBucket {
    private final AgentClock clock;
    private final long nanosPerToken;
    private final long burstNanos;
    private long nextFreeNanos;

    /**
     * @param rate  tokens a second, more than 0
     * @param burst tokens that may be taken at once after a quiet spell, at least 1
     */
    public TokenBucket(AgentClock clock, double rate, int burst) {
        if (!(rate > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be more than 0 and burst at least 1");
        }
        this.clock = clock;
        this.nanosPerToken = Math.max(1, Math.round(1e9 / rate));
        this.burstNanos = nanosPerToken * (burst - 1L);
        this.nextFreeNanos = clock.nanos() - burstNanos;
    }

    /** Takes a token, waiting for it if the bucket is empty. */
    public void acquire() throws InterruptedException {
        clock.sleep(reserve());
    }

    /** Reserves the next token: how long to wait before using it (0 when one was saved up). */
    synchronized long reserve() {
        long now = clock.nanos();
        long free = Math.max(nextFreeNanos, now - burstNanos);
        nextFreeNanos = free + nanosPerToken;
        return Math.max(0, free - now);
    }
}
