package io.wayfinder.bench;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What one dependent read costs on this machine: a pointer chase through one random cycle over
 * an {@code int[]} of the given size, so that every read waits for the one before it, as the
 * routing decision's reads of a large table do (its row depends on the client, and nothing
 * before the row can be read ahead). The floor under a decision that reads one cold row of a
 * table too large for the caches is one such read; run it with and without
 * {@code -XX:+UseTransparentHugePages} to see what the TLB adds.
 *
 * <pre>
 * java -XX:+UseTransparentHugePages -cp bench/target/benchmarks.jar io.wayfinder.bench.MemoryLatency 4 80 256
 * </pre>
 * (sizes in MiB; five rounds of 20 M reads each, the best and the median printed).
 */
public final class MemoryLatency {
    private static final int READS = 20_000_000;
    private static final int ROUNDS = 5;

    private MemoryLatency() {
    }

    public static void main(String[] args) {
        for (String arg : args.length == 0 ? new String[] {"4", "80", "256"} : args) {
            int mib = Integer.parseInt(arg);
            int[] next = cycle(mib << 18);
            double[] ns = new double[ROUNDS];
            int at = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < READS; i++) {
                    at = next[at];
                }
                ns[round] = (System.nanoTime() - start) / (double) READS;
            }
            java.util.Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "%5d MiB: %6.1f ns per dependent read (best), %6.1f (median)   [%d]%n",
                    mib, ns[0], ns[ROUNDS / 2], at);
        }
    }

    /** A random cyclic permutation (Sattolo's algorithm): following it visits every slot once. */
    private static int[] cycle(int n) {
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i;
        }
        SplittableRandom random = new SplittableRandom(1);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i);
            int t = next[i];
            next[i] = next[j];
            next[j] = t;
        }
        return next;
    }
}
