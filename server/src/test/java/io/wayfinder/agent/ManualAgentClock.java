package io.wayfinder.agent;

import java.util.concurrent.TimeUnit;

/** An {@link AgentClock} whose time moves only when something sleeps on it or the test advances it. */
final class ManualAgentClock implements AgentClock {
    static final long START_MILLIS = 1_780_000_000_000L;
    private long nanos = TimeUnit.DAYS.toNanos(1);
    private long slept;

    @Override
    public synchronized long nanos() {
        return nanos;
    }

    @Override
    public synchronized long epochMillis() {
        return START_MILLIS + TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Override
    public synchronized void sleep(long n) {
        if (n > 0) {
            nanos += n;
            slept += n;
        }
    }

    synchronized void advance(long n, TimeUnit unit) {
        nanos += unit.toNanos(n);
    }

    /** Nanoseconds slept in all, by every thread. */
    synchronized long slept() {
        return slept;
    }
}
