package io.wayfinder.bench;

import java.util.Locale;

/**
 * What a new large array costs when the heap memory under it was never touched before, and when
 * it was: {@code new byte[size]} into a heap committed up front ({@code -Xms} = {@code -Xmx}, so
 * that the first round lands in memory the process has not used yet), then dropped and collected,
 * and allocated again in the same memory. The first round pays the kernel's page faults (and a
 * virtual machine's host allocating the page behind each one); the later rounds only the JVM's
 * zeroing. Both happen where no safepoint can begin (the VM zeroes a new array in one piece), and
 * the kernel's part also where G1 first copies objects into a region in a pause: why a reload's
 * first pauses and first large arrays cost what they cost on a machine where first touches are
 * slow. Run it with and without {@code -XX:+UseTransparentHugePages}:
 *
 * <pre>
 * java -Xms3g -Xmx3g -XX:+UseTransparentHugePages -cp bench/target/benchmarks.jar io.wayfinder.bench.FirstTouch 1024 4
 * </pre>
 * (the array's size in MiB, the rounds; the first round's time and each later one's printed).
 */
public final class FirstTouch {
    private FirstTouch() {
    }

    public static void main(String[] args) {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            byte[] array = new byte[mib << 20];
            long took = System.nanoTime() - start;
            array[round] = 1;
            sink += array[array.length / 2];
            System.out.printf(Locale.ROOT, "round %d: %d MiB in %.0f ms (%.2f s a GiB)%s%n", round, mib, took / 1e6,
                    took / 1e9 * 1024 / mib, round == 0 ? ", never touched before" : "");
            array = null;
            System.gc();
        }
        if (sink != 0) {
            System.out.println(sink); // keeps the arrays' reads
        }
    }
}
