package io.wayfinder.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.ResponseWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FFM transport's batch, minus the sockets: {@value #BATCH} A queries for
 * {@value FourRegionProfile#NAME} with an ECS /24 each (the next clients of
 * {@link RoutingDecisionBenchmark}'s mix, patched into the packets per invocation), each decoded
 * into a {@link DnsQuery} of its own slot and answered by one {@link QueryAnswerer} into a reused
 * buffer. Reported per query ({@code @OperationsPerInvocation}).
 *
 * <ul>
 *   <li>{@link #oneByOne}: decode a query, answer it, then the next (the transport before batching);</li>
 *   <li>{@link #decodedFirst}: decode all, then answer all, no prefetch (what the passes alone change);</li>
 *   <li>{@link #prefetched}: decode all, {@link QueryAnswerer#prefetch} all, then answer all (the transport now).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-Xms2g", "-XX:+UseTransparentHugePages"})
@State(Scope.Thread)
public class QueryBatchBenchmark {
    static final int BATCH = 16;

    @Param({"10000000"})
    public int prefixes;

    final ResponseWriter writer = new ResponseWriter();
    final DnsQuery[] queries = new DnsQuery[BATCH];
    final ByteBuf[] packets = new ByteBuf[BATCH];
    /** Where the three ECS address bytes sit in each packet. */
    int ecsAddressAt;
    int[] clients;
    int next;
    QueryAnswerer answerer;
    ByteBuf out;

    @Setup(Level.Trial)
    public void build() {
        SyntheticAnswerer synthetic = new SyntheticAnswerer(prefixes, SyntheticLatencyData.CLIENTS);
        answerer = synthetic.answerer;
        clients = synthetic.clients;
        byte[] bytes = EcsQueryPacket.of(FourRegionProfile.NAME, 0);
        ecsAddressAt = bytes.length - EcsQueryPacket.CLIENT_FROM_END;
        for (int i = 0; i < BATCH; i++) {
            queries[i] = new DnsQuery();
            packets[i] = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        }
        out = PooledByteBufAllocator.DEFAULT.directBuffer(512);
        // Sanity: the batch decodes, and the prefetch changes no answer.
        nextClients();
        for (int i = 0; i < BATCH; i++) {
            if (QueryDecoder.decode(packets[i], null, false, queries[i]) != QueryDecoder.OK) {
                throw new IllegalStateException("the benchmark query does not decode");
            }
            out.clear();
            answerer.respond(queries[i], writer, out);
            int plain = out.hashCode();
            answerer.prefetch(queries, i + 1);
            out.clear();
            answerer.respond(queries[i], writer, out);
            if (out.hashCode() != plain || (out.getUnsignedByte(3) & 0xF) != 0) {
                throw new IllegalStateException("unexpected response to query " + i);
            }
        }
    }

    @TearDown(Level.Trial)
    public void release() {
        for (ByteBuf p : packets) {
            p.release();
        }
        out.release();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int oneByOne() {
        nextClients();
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += QueryDecoder.decode(packets[i], null, false, queries[i]);
            sum += respond(i);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int decodedFirst() {
        nextClients();
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += QueryDecoder.decode(packets[i], null, false, queries[i]);
        }
        for (int i = 0; i < BATCH; i++) {
            sum += respond(i);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int prefetched() {
        nextClients();
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += QueryDecoder.decode(packets[i], null, false, queries[i]);
        }
        answerer.prefetch(queries, BATCH);
        for (int i = 0; i < BATCH; i++) {
            sum += respond(i);
        }
        return sum;
    }

    private int respond(int i) {
        out.clear();
        answerer.respond(queries[i], writer, out);
        return out.writerIndex();
    }

    /** Writes the next {@value #BATCH} clients into the packets' ECS options, as new datagrams would bring them. */
    private void nextClients() {
        int from = next;
        next = from + 2 * BATCH > clients.length ? 0 : from + BATCH;
        for (int i = 0; i < BATCH; i++) {
            packets[i].setMedium(ecsAddressAt, clients[from + i] >>> 8);
        }
    }
}
