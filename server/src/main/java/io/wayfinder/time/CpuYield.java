package io.wayfinder.time;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Yield points for long CPU-bound work that runs beside the query threads (a latency table's
 * build on a reload): called every so many iterations of a loop, they give the processor away
 * about every {@value #INTERVAL_MICROS} µs of the calling thread's work, so that a query thread
 * waiting for the same core gets it within about that time; and on a machine of one to three cores,
 * while queries come, they also pause the work every {@value #PAUSING_INTERVAL_MICROS} µs of it, so
 * that it takes at most its {@link Share} of a core: half for a learner's rebuild, a quarter for a
 * configuration reload.
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
 * <h2>Why half a core or less on small machines, while queries come</h2>
 * With two cores, a build that takes one leaves the other to the query threads, the JIT compiler,
 * the collector's threads and everything else on the machine, and their waits for it showed in the
 * query p99 during a reload (bench/reload with SCHED=1). A reload that takes twice as long
 * (3 s to 6 s for a million prefixes) costs nobody anything; a query that waits does. From four
 * cores on, the build keeps its whole core. The pauses are taken only while the server answers
 * queries ({@link #giveWayTo}: a count that rose within the last {@value #ACTIVE_MILLIS} ms):
 * with nobody to give way to, a pause is time lost, and a learner's rebuild of ten million
 * networks, which runs every minute on both cores, would take half as long again. A configuration
 * reload, which has no deadline, takes a quarter ({@link Share#QUARTER}): on the 2-core test
 * machine any work beside the query thread cost it, whatever its priority (bench/README.md,
 * "Eleventh look"), and less of it cost less.
 *
 * <p>Work split over several threads ({@link #asCaller}) passes the caller's mode on: each
 * thread keeps its own time and the caller's share, and with {@code k} threads in background work
 * at half a core each pauses {@code 2k - 1} times as long as it worked, so that together they
 * still take half a core (a learner's rebuild runs on two: at half a core each it left the query
 * thread one core to share with the load: p99 during a rebuild was 10-11x idle in bench/reload's
 * LEARN mode, 4.6-5.9x so).
 *
 * <p>A call costs one {@code System.nanoTime()} and a thread-local read; a yield a system call.
 * Per thread, so that two build lanes keep their own time.
 */
public final class CpuYield {
    static final long INTERVAL_MICROS = 200;
    /**
     * The work between two pauses, while it takes half a core on a small machine: shorter than
     * {@link #INTERVAL_MICROS}, because a query thread woken on the build's core while the other
     * core is taken (the load, the JIT, the collector) waits for the build's stretch to end.
     * Measured (bench/reload, 1 M prefixes, quiet, 2026-12-07): the second and third reloads'
     * p99 was within 2x of idle in 9 of 22 reloads at 50 µs against 1 of 12 at 200 µs (1.1-5.4x
     * against 2.0-3.7x; in the last two alternated pairs neither reached it); a reload takes
     * 6.6-13.5 s instead of 4.9-7.8 s, since each pause also costs a timer's slack. Without queries to give way to, the work yields every
     * {@link #INTERVAL_MICROS}, as before.
     */
    static final long PAUSING_INTERVAL_MICROS = 50;
    /** A power of two: how often {@link #every} looks at the clock. */
    static final int ITERATIONS_PER_LOOK = 256;
    /** Below this many processors the work pauses at each yield point while queries come (see {@link Share}). */
    static final int SMALL_MACHINE_PROCESSORS = 4;
    /** The pauses are taken while the foreground's count rose within this many ms. */
    static final long ACTIVE_MILLIS = 10;
    private static final CpuYield SYSTEM = new CpuYield(System::nanoTime, Runtime.getRuntime().availableProcessors(),
            Thread::yield, LockSupport::parkNanos);

    private final LongSupplier nanoClock;
    private final boolean halfCore;
    private final Runnable yielder;
    private final LongConsumer sleeper;
    private final long intervalNanos = INTERVAL_MICROS * 1_000;
    private final long pausingIntervalNanos = PAUSING_INTERVAL_MICROS * 1_000;
    private final long activeNanos = ACTIVE_MILLIS * 1_000_000;
    /** Counts that rise while foreground work (answering queries) goes on; see {@link #giveWayTo}. */
    private final List<LongSupplier> foreground = new CopyOnWriteArrayList<>();
    /** Threads in background work now: the pauses are shared out so that together they take half a core. */
    private final AtomicInteger threadsInBackground = new AtomicInteger();
    /**
     * {@link #threadsInBackground} as a plain field, read by {@link #every} and {@link #point}
     * before anything else: outside background work a look is this one read, not a thread-local
     * read and the clock. (With the call to {@link #pointNow} reachable every 256th iteration, a
     * 10 M-network rebuild run outside background work (LearnedScale, quiet) took 24.9-38.8 s in
     * five runs, four of them over 30 s; with this guard 26.8 and 29.9 s; the code before the
     * yield points 24.5-27.8 s. That guard was also a branch the compiler saw never taken, which
     * the first reload paid for: {@link #primeTheCompiler}.) A thread reads its own writes; one
     * that misses another's is only a look late or early.
     */
    private int anyInBackground;
    /**
     * Per thread: [0] when it gives way next, by {@link #nanoClock}; [1] when it last resumed;
     * [2] how many {@link #inBackground} calls it is in; [3] the foreground's count it last saw;
     * [4] when that count last rose; [5] the share's n ({@link Share}).
     */
    private final ThreadLocal<long[]> state;

    CpuYield(LongSupplier nanoClock, int processors, Runnable yielder, LongConsumer sleeper) {
        this.nanoClock = nanoClock;
        this.halfCore = processors < SMALL_MACHINE_PROCESSORS;
        this.yielder = yielder;
        this.sleeper = sleeper;
        this.state = ThreadLocal.withInitial(() -> {
            long now = nanoClock.getAsLong();
            return new long[] {now + intervalNanos, now, 0, 0, now - activeNanos, Share.HALF.parts};
        });
    }

    /**
     * How much of a core background work may take on a small machine while queries come: each
     * thread pauses {@code n k - 1} times as long as it worked, for {@code k} threads in background
     * work and a share of {@code 1/n}.
     */
    public enum Share {
        /** Half a core: a learner's rebuild, which must finish within its interval. */
        HALF(2),
        /**
         * A quarter of a core: a configuration reload, which nobody waits for. Against half, in eight
         * alternated pairs of bench/reload (1 M prefixes): a reload took 13-22 s instead of 8-14 s; the
         * first reload after start-up was within 2x of idle p99 in 5 of 8 (median 1.8x) instead of
         * none (median 3.9x), the second in 8 of 8 (1.2-1.6x) instead of 5 (1.3-5.3x)
         * (bench/README.md, "Thirteenth look").
         */
        QUARTER(4);

        final int parts;

        Share(int parts) {
            this.parts = parts;
        }
    }

    /**
     * Runs {@code work} on this thread as background work, at {@link Share#HALF}: the yield points
     * it passes give the processor away as the class comment says.
     */
    public static <T> T inBackground(Supplier<T> work) {
        return inBackground(Share.HALF, work);
    }

    /** {@link #inBackground(Supplier)} at this share (the outermost call's share holds for nested ones). */
    public static <T> T inBackground(Share share, Supplier<T> work) {
        return SYSTEM.background(share.parts, work);
    }

    /**
     * Registers a count that rises while the server answers queries (its answers so far): the
     * work gives way with pauses only while one of them rises. Closed when the server stops.
     */
    public static Registration giveWayTo(LongSupplier answered) {
        return SYSTEM.addForeground(answered);
    }

    /**
     * {@code work} as it should run on another thread for this one: as background work if this
     * thread is in background work, else as it is (for a pool's threads that run parts of a build).
     */
    public static Runnable asCaller(Runnable work) {
        return SYSTEM.sameModeAsCaller(work);
    }

    /** What the pauses watch: the answers counted so far by every server registered with {@link #giveWayTo}. */
    public static long watchedAnswers() {
        return SYSTEM.foregroundCount();
    }

    int threadsInBackgroundNow() {
        return threadsInBackground.get();
    }

    /** Whether this thread runs background work now (its yield points give way). */
    public static boolean inBackgroundHere() {
        return SYSTEM.state.get()[2] > 0;
    }

    /** How many rounds {@link #primeTheCompiler} runs: enough calls for C1's profiling code to count both ways. */
    static final int PRIMING_ROUNDS = 64;

    /**
     * Takes this class's branches both ways, on an instance of its own, before the JIT compiles
     * the loops that call it: at start-up nothing runs in background work, so each branch into the
     * yield point had been seen never taken, and the compiler left it out of every loop it
     * inlined it into, with a trap in its place. The first reload under load took the trap in each
     * of them: 17 compiled loops of the build thrown away and compiled again during that reload
     * (JFR: jdk.Deoptimization "unstable_if" in everyIteration), where the JIT spent 4.8 s of CPU
     * against 0.8 s in the second reload, on the cores the query thread needs. Branch counts are
     * kept per method, not per instance, so this instance's calls count for {@link #SYSTEM}'s.
     * A few milliseconds, once; the instance's clock, yields and pauses are its own.
     */
    public static void primeTheCompiler() {
        long[] answered = {0};
        boolean[] answering = {false};
        CpuYield primer = new CpuYield(primingClock(), 1, () -> { }, pause -> { });
        primer.addForeground(() -> answering[0] ? ++answered[0] : answered[0]);
        primer.takeEveryBranch(on -> answering[0] = on);
    }

    /**
     * The clock {@link #primeTheCompiler} runs on: half an interval a reading, so that every other
     * look gives way, as in a build; and every seventh reading a stretch longer than a pause's cap
     * (10 pausing intervals), as a large array's zeroing or a collection makes one, so that the
     * cap is taken as well. Without those, the cap's branch (in {@code Math.min}, inlined into
     * every loop that inlined the yield point) was never taken before the first reload, and that
     * reload took its trap in 12 compiled loops (JFR, jdk.Deoptimization "unstable_if" at
     * {@code Math.min} under {@link #pointNow}, 2026-12-07).
     */
    static LongSupplier primingClock() {
        long[] nanos = {0};
        long[] readings = {0};
        long longStretch = 20 * PAUSING_INTERVAL_MICROS * 1_000;
        return () -> nanos[0] += ++readings[0] % 7 == 0 ? longStretch : INTERVAL_MICROS * 500;
    }

    /**
     * {@link #PRIMING_ROUNDS} rounds of looks in background work and out of it, every other one
     * with answers coming (pauses) and the others without (yields); {@code answering} switches
     * the foreground this instance watches.
     */
    void takeEveryBranch(Consumer<Boolean> answering) {
        for (int round = 0; round < PRIMING_ROUNDS; round++) {
            answering.accept(round % 2 == 0);
            background(() -> {
                for (int i = 0; i < 4 * ITERATIONS_PER_LOOK; i++) {
                    everyIteration(i);
                }
                pointIfAny();
                return null;
            });
            for (int i = 0; i < 4 * ITERATIONS_PER_LOOK; i++) {
                everyIteration(i); // outside background work: the other way
            }
            pointIfAny();
        }
    }

    /** A registration of {@link #giveWayTo}; closing it twice is harmless. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    Registration addForeground(LongSupplier answered) {
        // A wrapper of its own, so that the same supplier registered twice is removed once per close.
        LongSupplier entry = answered::getAsLong;
        foreground.add(entry);
        return () -> foreground.remove(entry);
    }

    Runnable sameModeAsCaller(Runnable work) {
        long[] caller = state.get();
        if (caller[2] == 0) {
            return work;
        }
        int parts = (int) caller[5];
        return () -> background(parts, () -> {
            work.run();
            return null;
        });
    }

    <T> T background(Supplier<T> work) {
        return background(Share.HALF.parts, work);
    }

    /** @param parts the share's {@code n}: a thread's stretches of work take 1/n of a core (see {@link Share}) */
    <T> T background(int parts, Supplier<T> work) {
        long[] s = state.get();
        if (s[2]++ == 0) {
            s[5] = parts;
            anyInBackground = threadsInBackground.incrementAndGet();
            long now = nanoClock.getAsLong();
            s[0] = now + intervalNanos;
            s[1] = now;
            s[3] = foregroundCount(); // what was answered before the work started is no reason to pause
            s[4] = now - activeNanos;
        }
        try {
            return work.get();
        } finally {
            if (--s[2] == 0) {
                anyInBackground = threadsInBackground.decrementAndGet();
            }
        }
    }

    /**
     * {@link #point()} every {@value #ITERATIONS_PER_LOOK}th iteration: for a loop counter that
     * counts up by one. Every 1,024th was too few: a reload's CSV rows, sweeps and aggregates take
     * 0.5-1 µs an iteration, so the build ran about 1 ms between two looks at the clock instead of
     * 200 µs (traced with the thread's CPU time at each point); a look costs some 30 ns.
     */
    public static void every(int iteration) {
        SYSTEM.everyIteration(iteration);
    }

    /** Gives the processor away if this thread has worked for the interval since it last did. */
    public static void point() {
        SYSTEM.pointIfAny();
    }

    void pointIfAny() {
        if (anyInBackground != 0) {
            pointNow();
        }
    }

    void everyIteration(int iteration) {
        if ((iteration & (ITERATIONS_PER_LOOK - 1)) == 0 && anyInBackground != 0) {
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
            long next;
            if (halfCore && foregroundActive(s, now)) {
                // As long as it ran since it last resumed, times n k - 1 for k threads at a share of
                // 1/n (see Share): a long stretch without a point (a sort's last merge) is paid back
                // at once, capped at ten short stretches' worth so that one pause stays short.
                long share = s[5] * Math.max(1, threadsInBackground.get()) - 1;
                sleeper.accept(share * Math.min(now - s[1], 10 * pausingIntervalNanos));
                next = pausingIntervalNanos;
            } else {
                yielder.run();
                next = intervalNanos;
            }
            long resumed = nanoClock.getAsLong();
            s[0] = resumed + next;
            s[1] = resumed;
        }
    }

    /** Whether the foreground's count rose within {@link #ACTIVE_MILLIS} ms of {@code now}. */
    private boolean foregroundActive(long[] s, long now) {
        long count = foregroundCount();
        if (count > s[3]) { // only a rise: a server that stopped takes its count away
            s[4] = now;
        }
        s[3] = count;
        return now - s[4] < activeNanos;
    }

    private long foregroundCount() {
        long count = 0;
        for (LongSupplier f : foreground) {
            count += f.getAsLong();
        }
        return count;
    }
}
