package io.wayfinder.time;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Scheduler} on one daemon thread of the JVM. A task that throws is logged and the thread
 * goes on: one bad event must not stop the control path.
 */
public final class ThreadScheduler implements Scheduler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadScheduler.class);

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private volatile Thread thread;

    public ThreadScheduler(String name, Clock clock) {
        this.clock = clock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(guarded(task));
    }

    @Override
    public Cancellable every(long delayMillis, long periodMillis, Runnable task) {
        ScheduledFuture<?> f = executor.scheduleAtFixedRate(guarded(task), delayMillis, periodMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable after(long delayMillis, Runnable task) {
        ScheduledFuture<?> f = executor.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean inThread() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the scheduler's thread and waits for it (or runs it now when already there). */
    public void runAndWait(Runnable task) {
        if (inThread()) {
            task.run();
            return;
        }
        try {
            executor.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("task failed on the scheduler thread; carrying on", e);
            } catch (Error e) {
                LOG.error("task failed on the scheduler thread with an error", e);
                throw e;
            }
        };
    }

    /** Stops the thread, waiting up to a second for the task that is running. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
