package io.wayfinder.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * A cross-check of the JMH figures for a loaded machine: runs one benchmark operation in a plain
 * loop and reports <em>thread CPU time</em> per operation next to wall time, so that time spent
 * descheduled (other builds on the same two cores) does not count. It uses the benchmarks' own
 * state classes and methods, so it times exactly what they time; bytes per operation come from
 * the thread's allocation counter, as with {@code -prof gc}. JMH stays the reference on a quiet box.
 *
 * <pre>java -Xmx10g -cp bench/target/benchmarks.jar io.wayfinder.bench.CpuTimeRunner route 1000000 mixed
 * operations: route PREFIXES [mixed|inside|aggregate|distance] [DISTINCT], lookup PREFIXES,
 *             estimate PREFIXES, decode, respond PREFIXES, respond-timed PREFIXES</pre>
 */
public final class CpuTimeRunner {
    private static final int ROUNDS = 15;
    private static final long WARMUP_NANOS = 15_000_000_000L;
    private static final long ROUND_NANOS = 1_000_000_000L;

    private CpuTimeRunner() {
    }

    public static void main(String[] args) throws Exception {
        String operation = args[0];
        int prefixes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        IntSupplier op = switch (operation) {
            case "route" -> {
                RoutingDecisionBenchmark b = new RoutingDecisionBenchmark();
                b.prefixes = prefixes;
                b.clients = args.length > 2 ? args[2] : "mixed";
                b.distinct = args.length > 3 ? Integer.parseInt(args[3]) : SyntheticLatencyData.CLIENTS;
                b.build();
                RouteCursor cursor = new RouteCursor();
                yield () -> b.route(cursor).index();
            }
            case "lookup", "estimate" -> {
                LatencyTableLookupBenchmark b = new LatencyTableLookupBenchmark();
                b.prefixes = prefixes;
                b.distinct = SyntheticLatencyData.CLIENTS;
                b.build();
                LatencyTableLookupBenchmark.Cursor cursor = new LatencyTableLookupBenchmark.Cursor();
                yield operation.equals("lookup") ? () -> b.lookup(cursor) : () -> (int) b.estimateFourRegions(cursor);
            }
            case "decode" -> {
                QueryPathBenchmark b = new QueryPathBenchmark();
                QueryPathBenchmark.Wire wire = new QueryPathBenchmark.Wire();
                wire.build();
                yield () -> b.decode(wire);
            }
            case "respond", "respond-timed" -> {
                QueryPathBenchmark b = new QueryPathBenchmark();
                QueryPathBenchmark.Wire wire = new QueryPathBenchmark.Wire();
                wire.build();
                QueryPathBenchmark.Answering answering = new QueryPathBenchmark.Answering();
                answering.prefixes = prefixes;
                answering.build(wire);
                yield operation.equals("respond") ? () -> b.decodeAndRespond(wire, answering)
                        : () -> b.decodeRespondAndTime(wire, answering);
            }
            default -> throw new IllegalArgumentException("unknown operation " + operation);
        };
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        long self = Thread.currentThread().getId();

        long sink = 0;
        long until = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < until) {
            for (int i = 0; i < 10_000; i++) {
                sink += op.getAsInt();
            }
        }
        // Size a round to about ROUND_NANOS of CPU.
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < 100_000; i++) {
            sink += op.getAsInt();
        }
        double cpuPerOp = Math.max(1, threads.getCurrentThreadCpuTime() - cpu0) / 100_000.0;
        int perRound = (int) Math.min(50_000_000, ROUND_NANOS / cpuPerOp);

        double[] cpu = new double[ROUNDS];
        double[] wall = new double[ROUNDS];
        double[] bytes = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long a0 = allocation.getThreadAllocatedBytes(self);
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                sink += op.getAsInt();
            }
            long w1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            long a1 = allocation.getThreadAllocatedBytes(self);
            cpu[r] = (c1 - c0) / (double) perRound;
            wall[r] = (w1 - w0) / (double) perRound;
            bytes[r] = (a1 - a0) / (double) perRound;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        Arrays.sort(bytes);
        System.out.printf(Locale.ROOT, "%s %s: %d rounds x %,d ops; CPU ns/op median %.1f (min %.1f, max %.1f); "
                        + "wall ns/op median %.1f (min %.1f); B/op median %.3f%n", operation,
                String.join(" ", Arrays.copyOfRange(args, 1, args.length)), ROUNDS, perRound, cpu[ROUNDS / 2], cpu[0],
                cpu[ROUNDS - 1], wall[ROUNDS / 2], wall[0], bytes[ROUNDS / 2]);
        if (sink == 42) {
            System.out.println();
        }
    }
}
