package io.wayfinder.time;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Yield points for long CPU-bound work that runs beside the query threads (a latency table's
 * build on a reload): called every so many iterations of a loop, they give the processor away
 * about every {@value #INTERVAL_MICROS} µs of the calling thread's work, so that a query thread
 * waiting for the same core gets it within about that time; and on a machine of one to three cores
 * they also pause the work for as long as it worked, so that the build takes at most half a core.
 * Only inside {@link #inBackground}: the same code at start-up, before anything is served, or in a
 * test, runs at full speed.
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
 * <h2>Why half a core on small machines</h2>
 * With two cores, a build that takes one leaves the other to the query threads, the JIT compiler,
 * the collector's threads and everything else on the machine, and their waits for it showed in the
 * query p99 during a reload (bench/reload with SCHED=1). A reload that takes twice as long
 * (3 s to 6 s for a million prefixes) costs nobody anything; a query that waits does. From four
 * cores on, the build keeps its whole core.
 *
 * <p>A call costs one {@code System.nanoTime()} and a thread-local read; a yield a system call.
 * Per thread, so that two build lanes keep their own time.
 */
public final class CpuYield {
    static final long INTERVAL_MICROS = 200;
    /** Below this many processors the work pauses as long as it ran at each yield point. */
    static final int SMALL_MACHINE_PROCESSORS = 4;
    private static final CpuYield SYSTEM = new CpuYield(System::nanoTime, Runtime.getRuntime().availableProcessors(),
            Thread::yield, LockSupport::parkNanos);

    private final LongSupplier nanoClock;
    private final boolean halfCore;
    private final Runnable yielder;
    private final LongConsumer sleeper;
    private final long intervalNanos = INTERVAL_MICROS * 1_000;
    /**
     * Per thread: [0] when it gives way next, by {@link #nanoClock}; [1] when it last resumed;
     * [2] how many {@link #inBackground} calls it is in.
     */
    private final ThreadLocal<long[]> state;

    CpuYield(LongSupplier nanoClock, int processors, Runnable yielder, LongConsumer sleeper) {
        this.nanoClock = nanoClock;
        this.halfCore = processors < SMALL_MACHINE_PROCESSORS;
        this.yielder = yielder;
        this.sleeper = sleeper;
        this.state = ThreadLocal.withInitial(() -> {
            long now = nanoClock.getAsLong();
            return new long[] {now + intervalNanos, now, 0};
        });
    }

    /**
     * Runs {@code work} on this thread as background work: the yield points it passes give the
     * processor away as the class comment says.
     */
    public static <T> T inBackground(Supplier<T> work) {
        return SYSTEM.background(work);
    }

    <T> T background(Supplier<T> work) {
        long[] s = state.get();
        if (s[2]++ == 0) {
            long now = nanoClock.getAsLong();
            s[0] = now + intervalNanos;
            s[1] = now;
        }
        try {
            return work.get();
        } finally {
            s[2]--;
        }
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
        long[] s = state.get();
        if (s[2] == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - s[0] >= 0) {
            if (halfCore) {
                // As long as it ran since it last resumed: a long stretch without a point (a sort's
                // last merge) is paid back at once, capped so that one pause stays short.
                sleeper.accept(Math.min(now - s[1], 10 * intervalNanos));
            } else {
                yielder.run();
            }
            long resumed = nanoClock.getAsLong();
            s[0] = resumed + intervalNanos;
            s[1] = resumed;
        }
    }
}
