package io.wayfinder.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.wayfinder.answer.AnswerCounts;
import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.dns.server.AnswerDurations;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.ResponseWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire path of one UDP query, as {@code QueryProcessor} runs it minus the socket: an A query
 * for {@value FourRegionProfile#NAME} with EDNS and an ECS /24 option, in a pooled direct buffer
 * (what Netty hands the handler), decoded into a reused {@link DnsQuery}; then, for
 * {@link #decodeAndRespond}, answered by {@link QueryAnswerer} (Performance routing over the
 * synthetic table) into a reused pooled direct buffer, cleared per operation.
 *
 * <p>Each operation patches the next client's address into the ECS option, so routing sees the
 * same shuffled client mix as {@link RoutingDecisionBenchmark}. Run with {@code -prof gc}.
 *
 * <p>The answerer counts every answer in {@link AnswerCounts}, as the server's do.
 * {@link #decodeRespondAndTime} adds what the listeners add around it: two {@code System.nanoTime()}
 * calls and a histogram record; {@link #timeAndRecord} is that alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-Xms2g"})
public class QueryPathBenchmark {

    /** The query packet and the decoder's reused state; no table (decode does not need one). */
    @State(Scope.Thread)
    public static class Wire {
        final DnsQuery query = new DnsQuery();
        final InetSocketAddress sender = new InetSocketAddress("198.51.100.7", 53000);
        ByteBuf packet;
        /** Where the three ECS address bytes sit in the packet. */
        int ecsAddressAt;
        int[] addresses;
        int next;

        @Setup(Level.Trial)
        public void build() {
            byte[] bytes = EcsQueryPacket.of(FourRegionProfile.NAME, 0);
            packet = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
            packet.writeBytes(bytes);
            ecsAddressAt = bytes.length - EcsQueryPacket.CLIENT_FROM_END;
            // Decode alone does not care which clients they are: 2^16 random /24s.
            java.util.SplittableRandom random = new java.util.SplittableRandom(SyntheticLatencyData.SEED);
            addresses = new int[1 << 16];
            for (int i = 0; i < addresses.length; i++) {
                addresses[i] = random.nextInt() & 0xFFFF_FF00;
            }
        }

        /** Writes the next client into the ECS option, as a new packet would bring it. */
        void nextClient() {
            int[] a = addresses;
            int i = next;
            next = i + 1 == a.length ? 0 : i + 1;
            packet.setMedium(ecsAddressAt, a[i] >>> 8);
        }

        @TearDown(Level.Trial)
        public void release() {
            packet.release();
        }
    }

    /** The snapshot over a synthetic table, the answerer and the reused response buffer. */
    @State(Scope.Thread)
    public static class Answering {
        @Param({"1000000"})
        public int prefixes;

        final ResponseWriter writer = new ResponseWriter();
        QueryAnswerer answerer;
        ByteBuf out;
        AnswerDurations.Recorder durations;

        @Setup(Level.Trial)
        public void build(Wire wire) {
            SyntheticAnswerer synthetic = new SyntheticAnswerer(prefixes, SyntheticLatencyData.CLIENTS);
            answerer = synthetic.answerer;
            durations = new AnswerDurations().recorder(Thread.currentThread(), false);
            out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
            wire.addresses = synthetic.clients;
            // Sanity: the query decodes and gets one A record with the ECS scope set.
            wire.nextClient();
            if (QueryDecoder.decode(wire.packet, wire.sender, false, wire.query) != QueryDecoder.OK) {
                throw new IllegalStateException("the benchmark query does not decode");
            }
            answerer.respond(wire.query, writer, out);
            SyntheticAnswerer.requireOneAnswer(out);
            System.out.printf("%n[setup] %d prefixes; response %d bytes, ECS scope /%d%n", prefixes,
                    out.readableBytes(), out.getUnsignedByte(out.writerIndex() - 4));
        }

        @TearDown(Level.Trial)
        public void release() {
            out.release();
        }
    }

    @Benchmark
    public int decode(Wire wire) {
        wire.nextClient();
        return QueryDecoder.decode(wire.packet, wire.sender, false, wire.query);
    }

    @Benchmark
    public int decodeAndRespond(Wire wire, Answering answering) {
        wire.nextClient();
        int status = QueryDecoder.decode(wire.packet, wire.sender, false, wire.query);
        ByteBuf out = answering.out;
        out.clear();
        answering.answerer.respond(wire.query, answering.writer, out);
        return status + out.writerIndex();
    }

    @Benchmark
    public int decodeRespondAndTime(Wire wire, Answering answering) {
        long start = System.nanoTime();
        wire.nextClient();
        int status = QueryDecoder.decode(wire.packet, wire.sender, false, wire.query);
        ByteBuf out = answering.out;
        out.clear();
        answering.answerer.respond(wire.query, answering.writer, out);
        answering.durations.record(System.nanoTime() - start);
        return status + out.writerIndex();
    }

    /** The listeners' timing alone: two clock reads and a histogram record. */
    @Benchmark
    public void timeAndRecord(Timing timing) {
        long start = System.nanoTime();
        timing.durations.record(System.nanoTime() - start);
    }

    @State(Scope.Thread)
    public static class Timing {
        AnswerDurations.Recorder durations;

        @Setup(Level.Trial)
        public void build() {
            durations = new AnswerDurations().recorder(Thread.currentThread(), false);
        }
    }
}
