package io.wayfinder.time;

import java.util.function.LongSupplier;

/**
 * Yield points for long CPU-bound work that runs beside the query threads (a latency table's
 * build on a reload): called every so many iterations of a loop, it gives the processor away
 * about every {@value #INTERVAL_MICROS} µs of the calling thread's work, so that a query thread
 * waiting for the same core gets it within about that time.
 *
 * <h2>Why the build must give way itself</h2>
 * Linux's scheduler (EEVDF) picks the next thread only at certain points: a thread sleeping, a
 * woken thread it lets preempt, the tick. On a kernel built without forced preemption and with a
 * 250 Hz tick, a query thread woken on the build's core that was not let preempt (it had used more
 * than its share before it slept) waited for the next tick: perf sched during bench/reload on the
 * 2-core test machine showed the event loop runnable for 3.6 ms while the build thread ran on its
 * core. A lower priority does not change that (the same wait was seen with the build thread at
 * {@code SCHED_IDLE}), but a new pick does, and {@link Thread#yield} is one.
 *
 * <p>A call costs one {@code System.nanoTime()} and a thread-local read; a yield costs a system
 * call, about a microsecond, so the work slows by well under 1%. Per thread, so that two build
 * lanes keep their own time.
 */
public final class CpuYield {
    static final long INTERVAL_MICROS = 200;
    private static final CpuYield SYSTEM = new CpuYield(System::nanoTime, Thread::yield);

    private final LongSupplier nanoClock;
    private final Runnable yielder;
    private final long intervalNanos = INTERVAL_MICROS * 1_000;
    /** When each thread gives way next, by {@link #nanoClock}. */
    private final ThreadLocal<long[]> next;

    CpuYield(LongSupplier nanoClock, Runnable yielder) {
        this.nanoClock = nanoClock;
        this.yielder = yielder;
        this.next = ThreadLocal.withInitial(() -> new long[] {nanoClock.getAsLong() + intervalNanos});
    }

    /** {@link #point()} every 1,024th iteration: for a loop counter that counts up by one. */
    public static void every(int iteration) {
        SYSTEM.everyIteration(iteration);
    }

    /** Gives the processor away if this thread has worked for the interval since it last did. */
    public static void point() {
        SYSTEM.pointNow();
    }

    void everyIteration(int iteration) {
        if ((iteration & 1023) == 0) {
            pointNow();
        }
    }

    void pointNow() {
        long[] due = next.get();
        if (nanoClock.getAsLong() - due[0] >= 0) {
            yielder.run();
            due[0] = nanoClock.getAsLong() + intervalNanos;
        }
    }
}
