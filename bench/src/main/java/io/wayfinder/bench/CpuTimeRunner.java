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
 *             estimate PREFIXES, decode, respond PREFIXES, respond-timed PREFIXES, batch PREFIXES,
 *             udp-batch PREFIXES [one|mixed]</pre>
 *
 * <p>{@code batch} times {@link QueryBatchBenchmark}'s three ways of answering a batch in the same
 * JVM, a round of each in turn (so that they share the machine's load and the heap's layout), and
 * reports them per query. {@code udp-batch} times {@code UdpBatchBenchmark}: the FFM transport's
 * work per receive batch without its system calls, per query.
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
        if (operation.equals("udp-batch")) {
            io.wayfinder.dns.server.UdpBatchBenchmark b = new io.wayfinder.dns.server.UdpBatchBenchmark();
            b.prefixes = prefixes;
            b.clients = args.length > 2 ? args[2] : "one";
            b.build();
            measure(args, new String[] {"udp-batch"}, new IntSupplier[] {b::batch}, io.wayfinder.dns.server.UdpBatchBenchmark.BATCH);
            return;
        }
        if (operation.equals("batch")) {
            QueryBatchBenchmark b = new QueryBatchBenchmark();
            b.prefixes = prefixes;
            b.build();
            measure(args, new String[] {"oneByOne", "decodedFirst", "prefetched"},
                    new IntSupplier[] {b::oneByOne, b::decodedFirst, b::prefetched}, QueryBatchBenchmark.BATCH);
            return;
        }
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
        measure(args, new String[] {operation}, new IntSupplier[] {op}, 1);
    }

    /**
     * Warms every operation up, then times ROUNDS rounds of each, in turn.
     *
     * @param queries what one call stands for: the figures are per query
     */
    private static void measure(String[] args, String[] names, IntSupplier[] ops, int queries) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
        long self = Thread.currentThread().getId();

        long sink = 0;
        int[] perRound = new int[ops.length];
        for (int v = 0; v < ops.length; v++) {
            IntSupplier op = ops[v];
            long until = System.nanoTime() + WARMUP_NANOS / ops.length;
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
            perRound[v] = (int) Math.min(50_000_000, ROUND_NANOS / cpuPerOp);
        }

        double[][] cpu = new double[ops.length][ROUNDS];
        double[][] wall = new double[ops.length][ROUNDS];
        double[][] bytes = new double[ops.length][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int v = 0; v < ops.length; v++) {
                IntSupplier op = ops[v];
                long a0 = allocation.getThreadAllocatedBytes(self);
                long c0 = threads.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                for (int i = 0; i < perRound[v]; i++) {
                    sink += op.getAsInt();
                }
                long w1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                long a1 = allocation.getThreadAllocatedBytes(self);
                double n = (double) perRound[v] * queries;
                cpu[v][r] = (c1 - c0) / n;
                wall[v][r] = (w1 - w0) / n;
                bytes[v][r] = (a1 - a0) / n;
            }
        }
        for (int v = 0; v < ops.length; v++) {
            Arrays.sort(cpu[v]);
            Arrays.sort(wall[v]);
            Arrays.sort(bytes[v]);
            System.out.printf(Locale.ROOT, "%s %s: %d rounds x %,d ops; CPU ns/%s median %.1f (min %.1f, max %.1f); "
                            + "wall ns/%s median %.1f (min %.1f); B/%s median %.3f%n", names[v],
                    String.join(" ", Arrays.copyOfRange(args, 1, args.length)), ROUNDS, perRound[v],
                    queries > 1 ? "query" : "op", cpu[v][ROUNDS / 2], cpu[v][0], cpu[v][ROUNDS - 1],
                    queries > 1 ? "query" : "op", wall[v][ROUNDS / 2], wall[v][0], queries > 1 ? "query" : "op",
                    bytes[v][ROUNDS / 2]);
        }
        if (sink == 42) {
            System.out.println();
        }
    }
}
