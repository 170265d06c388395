package io.wayfinder.dns.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long the listeners take to answer: from the start of decoding a query to its answer handed
 * to the channel (for UDP, queued for the {@code sendmmsg} that the read batch shares; for TCP,
 * queued on the connection), per transport. A fixed-bucket histogram, one {@link Recorder} per
 * event loop and transport, summed at scrape time.
 *
 * <p>Why not the Prometheus client's {@code Histogram}: its observe is thread-safe, so each call
 * pays atomic increments on buckets every event loop shares. Here each event loop owns its
 * {@code long[]} and writes it with opaque stores (plain on x86, never torn): no lock, no
 * contended cache line, no allocation. A scrape reads every recorder; the count and the sum it
 * reads may differ by the answers made during the read, which nothing downstream can notice.
 *
 * <p>Bucket bounds run 1-2-5 from 1 µs to 10 ms: an answer from memory takes a few microseconds,
 * and a slow one (a full GC, a descheduled loop) lands in the milliseconds; past 10 ms is +Inf.
 * Measured with two {@link System#nanoTime()} calls per answer (about 20 ns each here).
 */
public final class AnswerDurations {
    /** Upper bounds in nanoseconds (inclusive, as Prometheus' {@code le}); one more bucket counts what is above. */
    private static final long[] BOUNDS_NANOS = {
        1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000};
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** One recorder per event loop and transport; made when a channel is set up, never per query. */
    private final Map<Object, Recorder> recorders = new ConcurrentHashMap<>();

    /**
     * The recorder of an event loop for one transport: every channel of that loop shares it, and
     * only that loop's thread may record into it.
     */
    public Recorder recorder(Object eventLoop, boolean tcp) {
        return recorders.computeIfAbsent(new LoopKey(eventLoop, tcp), k -> new Recorder(tcp));
    }

    /** The bucket bounds, in seconds, as a histogram exposes them (without +Inf). */
    public static double[] upperBoundsSeconds() {
        double[] out = new double[BOUNDS_NANOS.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = BOUNDS_NANOS[i] / 1e9;
        }
        return out;
    }

    /**
     * The answers of one transport, summed over the event loops.
     *
     * @return one count per bucket (not cumulative), +Inf last, then the sum of the durations in nanoseconds
     */
    public long[] read(boolean tcp) {
        long[] out = new long[BOUNDS_NANOS.length + 2];
        for (Recorder r : recorders.values()) {
            if (r.tcp == tcp) {
                for (int i = 0; i <= BOUNDS_NANOS.length; i++) {
                    out[i] += (long) LONGS.getOpaque(r.buckets, i);
                }
                out[BOUNDS_NANOS.length + 1] += (long) LONGS.getOpaque(r.sum, 0);
            }
        }
        return out;
    }

    /** The answers counted for a transport, all buckets together. */
    public long count(boolean tcp) {
        long[] read = read(tcp);
        long total = 0;
        for (int i = 0; i <= BOUNDS_NANOS.length; i++) {
            total += read[i];
        }
        return total;
    }

    private record LoopKey(Object eventLoop, boolean tcp) {
    }

    /** One event loop's answers over one transport. Written by that loop's thread only. */
    public static final class Recorder {
        final boolean tcp;
        /** Answers per bucket, the last one above every bound. */
        final long[] buckets = new long[BOUNDS_NANOS.length + 1];
        /** The sum of the durations, in nanoseconds (one element, for the same opaque access). */
        final long[] sum = new long[1];

        Recorder(boolean tcp) {
            this.tcp = tcp;
        }

        /**
         * Records one answer that took {@code nanos} from decode start to written (a negative
         * duration, which a monotonic clock never gives, counts as 0).
         *
         * <p>Without a branch on the duration: a loop that stopped at the answer's bucket ended at
         * a bucket of microseconds millions of times before the JIT compiled it, so the compiler
         * left the way past the last bound out of the compiled code, with a trap in its place. The
         * first answer over 10 ms (one held up by a collection's pause) took the trap, and the
         * event loop went on in the interpreter until the code was compiled again: on the first
         * reload after start (JFR, jdk.Deoptimization "unstable_if" at this loop on the event
         * loop's thread, under UdpQueryHandler.channelRead0; bench/reload, 2026-12-07). Counting
         * the bounds below the duration takes the same steps for every answer.
         */
        public void record(long nanos) {
            long n = nanos & ~(nanos >> 63);
            int i = 0;
            for (long bound : BOUNDS_NANOS) {
                i += (int) ((bound - n) >>> 63); // 1 while the answer took longer than the bound
            }
            LONGS.setOpaque(buckets, i, (long) LONGS.getOpaque(buckets, i) + 1);
            LONGS.setOpaque(sum, 0, (long) LONGS.getOpaque(sum, 0) + n);
        }
    }
}
