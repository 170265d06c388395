package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The rebuild's small fixed pool: runs the independent parts of one linear phase (a range of
 * networks, cut where no block of any level spans the cut) on up to {@link #COUNT} threads, the
 * caller's included, and waits for all of them.
 *
 * <p>Why a fixed pool of two and not the common fork-join pool: the server runs on small machines
 * (the reference one has two cores) beside the query path; a rebuild should take the cores it can
 * use and no more, and its threads should carry a name in a thread dump. Parts write disjoint
 * ranges of arrays and each part does, in the same order, exactly what the single-threaded pass
 * did for its range, so a rebuild's result does not depend on how it was split (the tests compare
 * {@code Lanes} of one and of two).
 *
 * <p>The pool's threads are daemons and idle between rebuilds; only the learning thread (holding
 * the learner's lock) submits, so two rebuilds never share it.
 */
final class Lanes {
    /** Threads a phase runs on: two (the reference machine's cores), or one on a single core. */
    static final int COUNT = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    /** Below this many cells a phase runs on the caller alone: handing off would cost more than it saves. */
    static final int MIN_PARALLEL_CELLS = 50_000;

    private static volatile int lanes = COUNT;
    /** The pool's threads, for {@link #cpuNanos}. */
    private static final java.util.List<Thread> THREADS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, COUNT - 1), r -> {
        Thread t = new Thread(r, "latency-learning-lane");
        t.setDaemon(true);
        THREADS.add(t);
        return t;
    });

    private Lanes() {
    }

    /** For tests: how many lanes phases use from now on (1 = everything on the calling thread). */
    static void use(int count) {
        lanes = Math.max(1, Math.min(COUNT, count));
    }

    static int count() {
        return lanes;
    }

    /**
     * The CPU time the calling thread and the pool's threads have taken, ns: what a rebuild's
     * phase costs, read before and after it. On a machine shared with other work the wall time of
     * a phase says as much about the others as about the phase; its CPU time does not.
     */
    static long cpuNanos() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = Math.max(0, bean.getCurrentThreadCpuTime());
        for (Thread t : THREADS) {
            total += Math.max(0, bean.getThreadCpuTime(t.getId()));
        }
        return total;
    }

    /** Parts a phase of {@code cells} cells is split into. */
    static int parts(long cells) {
        return cells < MIN_PARALLEL_CELLS ? 1 : lanes;
    }

    /** Runs {@code part.accept(i)} for every i in [0, parts): part 0 on the caller, the rest on the pool. */
    static void run(int parts, IntConsumer part) {
        if (parts <= 1) {
            if (parts == 1) {
                part.accept(0);
            }
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int i = 1; i < parts; i++) {
            int p = i;
            // In the caller's mode: a rebuild's parts give way to queries on every lane (CpuYield).
            futures[i - 1] = POOL.submit(CpuYield.asCaller(() -> part.accept(p)));
        }
        Throwable failure = null;
        try {
            part.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Cuts networks [0, obs.networks) into {@code parts} ranges of about equal cells, each cut at a
     * network where no block of any level continues across it (blocks' network numbers never
     * decrease, so the blocks before a cut and after it are disjoint): the parts' effects are
     * disjoint. Returns {@code parts + 1} bounds (fewer parts when no such cut exists).
     */
    static int[] cuts(Observations obs, int parts) {
        if (parts <= 1 || obs.networks < 2) {
            return new int[] {0, obs.networks};
        }
        int[] bounds = new int[parts + 1];
        int k = 1;
        int from = 0;
        for (int p = 1; p < parts; p++) {
            long target = (long) obs.cells * p / parts;
            int n = lowerBound(obs.cellStart, obs.networks, target);
            n = Math.max(n, from + 1);
            while (n < obs.networks && !cleanCut(obs, n)) {
                n++;
            }
            if (n >= obs.networks) {
                break;
            }
            bounds[k++] = n;
            from = n;
        }
        bounds[k] = obs.networks;
        return java.util.Arrays.copyOf(bounds, k + 1);
    }

    private static int lowerBound(int[] start, int networks, long target) {
        int lo = 0;
        int hi = networks;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] < target) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** No level's block holds networks both before n and at or after it. */
    private static boolean cleanCut(Observations obs, int n) {
        for (int l = 0; l < obs.levels; l++) {
            int[] of = obs.netBlock[l];
            int before = -1;
            for (int m = n - 1; m >= 0 && before < 0; m--) {
                before = of[m];
                if (n - m > 64 && before < 0) {
                    return false; // a long run without a block: look for another cut
                }
            }
            int after = -1;
            for (int m = n; m < obs.networks && after < 0; m++) {
                after = of[m];
                if (m - n > 64 && after < 0) {
                    return false;
                }
            }
            if (before >= 0 && before == after) {
                return false;
            }
        }
        return true;
    }
}
