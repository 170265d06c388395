package io.wayfinder.time;

import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * One thread of work and its timers: tasks run one at a time, in the order they were submitted,
 * so that state touched only from here needs no lock. The control path, health monitoring and the
 * file watcher run on one; tests give them a {@code ManualScheduler} whose time moves only when the
 * test says, so that nothing waits on the wall clock.
 */
public interface Scheduler extends Executor {

    /** The clock that this scheduler's delays are measured on. */
    Clock clock();

    /** Runs {@code task} after {@code delayMillis}, then every {@code periodMillis}, until cancelled. */
    Cancellable every(long delayMillis, long periodMillis, Runnable task);

    /** Runs {@code task} once after {@code delayMillis}. */
    Cancellable after(long delayMillis, Runnable task);

    /** Whether the caller is the scheduler's own thread. */
    boolean inThread();

    /** A scheduled task; cancelling one that has run or was cancelled does nothing. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
