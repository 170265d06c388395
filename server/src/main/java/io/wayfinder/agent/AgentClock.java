package io.wayfinder.agent;

import java.util.concurrent.TimeUnit;

/**
 * The agent's time: a monotonic reading for pacing and intervals, the wall clock for a sample's
 * time, and a sleep. Tests give one whose sleep moves its time on at once, so that the rate limit and
 * the per-target interval are checked without waiting (round trips are always measured on
 * {@link System#nanoTime}: they are what the agent reports, not what it schedules by).
 *
 * <p>Not {@code time.Scheduler}: that runs short tasks on one thread at set times, while the agent's
 * workers must block for their token in the middle of a round, which only a sleep expresses.
 */
public interface AgentClock {

    /** Monotonic nanoseconds, for intervals and the token bucket. */
    long nanos();

    /** Epoch milliseconds, the time a sample carries. */
    long epochMillis();

    /** Waits {@code nanos} (nothing when zero or less). */
    void sleep(long nanos) throws InterruptedException;

    /** The machine's clocks. */
    AgentClock SYSTEM = new AgentClock() {
        @Override
        public long nanos() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }
    };
}
