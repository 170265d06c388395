package io.wayfinder.dns.ratelimit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.RecordType;
import io.wayfinder.dns.wire.ResponseWriter;
import io.wayfinder.dns.wire.WireNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one rate-limit check. In the limiter's own package (as Caffeine keeps its sketch
 * benchmark), so that the table can be measured alone through the package-private
 * {@code check(address, kind, nameHash)}:
 * <ul>
 *   <li>{@link #tableManyNetworks}: 2^16 client /24s in turn, each under its limit (normal traffic);</li>
 *   <li>{@link #tableForgedFlood}: a new random source every time, so every check claims an entry (a forged flood);</li>
 *   <li>{@link #tableOneNetworkOverLimit} on 1 and 2 threads: one hot entry, every response over the limit
 *       (the flood being limited), both threads compare-and-setting the same word;</li>
 *   <li>{@link #queryPath}: what {@code QueryProcessor} pays per UDP response: classifying the written
 *       answer from its bytes, the sender's address ({@code InetAddress.getAddress()} copies it) and the table.</li>
 * </ul>
 * Run with {@code -prof gc}: the table allocates nothing; the query path allocates the address copy
 * unless escape analysis removes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ResponseRateLimiterBenchmark {
    private static final int NETWORKS = 1 << 16;

    @State(Scope.Benchmark)
    public static class Limiter {
        /**
         * A limit no network reaches here (tens of millions of checks a second spread over 2^16
         * networks would put each over NSD's 200), so that these checks measure the passing path.
         */
        final ResponseRateLimiter limiter = new ResponseRateLimiter(new ResponseRateSettings(1_000_000, 2, 24, 64));
        /** One hot flow, limited at 1 a second: every check is over the limit. */
        final ResponseRateLimiter flooded = new ResponseRateLimiter(new ResponseRateSettings(1, 2, 24, 64));
    }

    @State(Scope.Thread)
    public static class Clients {
        final byte[][] networks = new byte[NETWORKS][];
        final byte[] forged = new byte[4];
        final byte[] victim = {(byte) 203, 0, 113, 9};
        final SplittableRandom random = new SplittableRandom(7);
        final long nameHash = 0x1234_5678_9ABCL;
        int next;

        @Setup(Level.Trial)
        public void build() {
            for (int i = 0; i < NETWORKS; i++) {
                int a = random.nextInt() & 0xFFFF_FF00 | 7;
                networks[i] = new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
            }
        }
    }

    /** A decoded query for www.app.test A from one of 2^16 senders, and an answer written to it. */
    @State(Scope.Thread)
    public static class Response {
        final DnsQuery query = new DnsQuery();
        final InetSocketAddress[] senders = new InetSocketAddress[NETWORKS];
        final ByteBuf packet = Unpooled.buffer();
        final ByteBuf out = Unpooled.buffer(512);
        int next;

        @Setup(Level.Trial)
        public void build() throws UnknownHostException {
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < NETWORKS; i++) {
                int a = random.nextInt();
                byte[] b = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
                senders[i] = new InetSocketAddress(InetAddress.getByAddress(b), 53000);
            }
            packet.writeShort(0x1234).writeShort(0x0100).writeShort(1).writeShort(0).writeShort(0).writeShort(0);
            packet.writeBytes(WireNames.toWire("www.app.test")).writeShort(RecordType.A).writeShort(RecordType.IN);
            next(); // decode once; the answer is written once and re-read by every check
            ResponseWriter writer = new ResponseWriter();
            writer.begin(out, query);
            writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 30, new byte[] {0, 4, (byte) 192, 0, 2, 1});
            writer.finish(Rcode.NOERROR, true, -1);
        }

        /** The next sender: decoding the same packet again is the only way to set it, and is part of the cost. */
        void next() {
            int i = next;
            next = i + 1 == NETWORKS ? 0 : i + 1;
            if (QueryDecoder.decode(packet, senders[i], false, query) != QueryDecoder.OK) {
                throw new IllegalStateException("query did not decode");
            }
        }
    }

    @Benchmark
    public int tableManyNetworks(Limiter l, Clients c) {
        int i = c.next;
        c.next = i + 1 == NETWORKS ? 0 : i + 1;
        return l.limiter.check(c.networks[i], ResponseKind.ANSWER, c.nameHash);
    }

    @Benchmark
    public int tableForgedFlood(Limiter l, Clients c) {
        int a = c.random.nextInt();
        byte[] f = c.forged;
        f[0] = (byte) (a >>> 24);
        f[1] = (byte) (a >>> 16);
        f[2] = (byte) (a >>> 8);
        f[3] = (byte) a;
        return l.limiter.check(f, ResponseKind.ANSWER, c.nameHash);
    }

    @Benchmark
    public int tableOneNetworkOverLimit(Limiter l, Clients c) {
        return l.flooded.check(c.victim, ResponseKind.ANSWER, c.nameHash);
    }

    @Benchmark
    @Threads(2)
    public int tableOneNetworkOverLimit2Threads(Limiter l, Clients c) {
        return l.flooded.check(c.victim, ResponseKind.ANSWER, c.nameHash);
    }

    /** The baseline for {@link #queryPath}: decoding the query to set its sender. */
    @Benchmark
    public int decodeOnly(Response r) {
        r.next();
        return r.query.qtype();
    }

    @Benchmark
    public int queryPath(Limiter l, Response r) {
        r.next();
        return l.limiter.check(r.query, QueryDecoder.OK, r.out, 0);
    }
}
