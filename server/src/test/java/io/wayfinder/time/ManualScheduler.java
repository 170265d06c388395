package io.wayfinder.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A {@link Scheduler} for tests: tasks run on the test's thread, only when the test calls
 * {@link #runPending()} or {@link #advance}, and time is what the test says it is. Nothing waits on
 * the wall clock.
 */
public final class ManualScheduler implements Scheduler {
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private Instant now;
    private long sequence;

    private final class Timer {
        final Runnable task;
        final long periodMillis;
        final long order = sequence++;
        Instant due;
        boolean cancelled;

        Timer(Runnable task, Instant due, long periodMillis) {
            this.task = task;
            this.due = due;
            this.periodMillis = periodMillis;
        }
    }

    public ManualScheduler(Instant start) {
        this.now = start;
    }

    @Override
    public Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public Cancellable every(long delayMillis, long periodMillis, Runnable task) {
        Timer t = new Timer(task, now.plusMillis(delayMillis), periodMillis);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    @Override
    public Cancellable after(long delayMillis, Runnable task) {
        return every(delayMillis, 0, task);
    }

    /** Tests call everything from their own thread, which stands for the scheduler's. */
    @Override
    public boolean inThread() {
        return true;
    }

    /** Runs every task that is ready, including those they submit. */
    public void runPending() {
        Runnable task;
        while ((task = ready.poll()) != null) {
            task.run();
        }
    }

    /** Moves time forward, running each timer when it falls due (in time order) and what is ready. */
    public void advance(Duration by) {
        Instant end = now.plus(by);
        runPending();
        while (true) {
            Timer next = timers.stream().filter(t -> !t.cancelled && !t.due.isAfter(end))
                    .min(Comparator.comparing((Timer t) -> t.due).thenComparingLong(t -> t.order)).orElse(null);
            if (next == null) {
                break;
            }
            now = next.due;
            if (next.periodMillis > 0) {
                next.due = next.due.plusMillis(next.periodMillis);
            } else {
                next.cancelled = true;
            }
            next.task.run();
            runPending();
        }
        now = end;
        timers.removeIf(t -> t.cancelled);
    }

    public Instant now() {
        return now;
    }
}
