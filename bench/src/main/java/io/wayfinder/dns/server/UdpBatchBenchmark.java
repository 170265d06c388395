package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.bench.EcsQueryPacket;
import io.wayfinder.bench.FourRegionProfile;
import io.wayfinder.bench.SyntheticAnswerer;
import io.wayfinder.bench.SyntheticLatencyData;
import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.ratelimit.ResponseRateSettings;
import io.wayfinder.dns.wire.DnsQuery;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the FFM transport's thread does per receive batch, minus the system calls: for each of
 * {@value #BATCH} datagrams (dnsperf's batch size on loopback) the sender's address into its slot,
 * {@link QueryBatch#decode}, then {@link QueryBatch#prefetch}, then {@link QueryBatch#respond} into
 * a buffer of its own, through the server's {@link QueryProcessor} (counters, the response-rate
 * check, off as in the dnsperf benchmark's configuration) and a {@link QueryAnswerer} that counts
 * its answers. The datagrams and answers live in direct memory that Netty does not own, as the
 * FFM transport's slots do. Reported per query.
 *
 * <p>{@code clients=one}: every query carries the same ECS /24 (the table's first client), as
 * {@code bench/dnsperf/run.sh} sends them; {@code mixed}: {@code RoutingDecisionBenchmark}'s mix,
 * patched into the packets per batch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Xms1g"})
@State(Scope.Thread)
public class UdpBatchBenchmark {
    public static final int BATCH = 15;
    private static final byte[] SENDER = {127, 0, 0, 1};

    @Param({"100000"})
    public int prefixes;

    @Param({"one", "mixed"})
    public String clients;

    ByteBuf[] in = new ByteBuf[BATCH];
    ByteBuf[] out = new ByteBuf[BATCH];
    QueryBatch batch;
    int length;
    int ecsAddressAt;
    int[] addresses;
    int next;

    @Setup(Level.Trial)
    public void build() {
        SyntheticAnswerer synthetic = new SyntheticAnswerer(prefixes,
                clients.equals("one") ? 1 : SyntheticLatencyData.CLIENTS);
        QueryProcessor processor = new QueryProcessor(synthetic.answerer, new ServerStats(),
                new ResponseRateLimiter(ResponseRateSettings.OFF));
        batch = new QueryBatch(processor, BATCH);
        addresses = synthetic.clients;
        byte[] query = EcsQueryPacket.of(FourRegionProfile.NAME, addresses[0]);
        length = query.length;
        ecsAddressAt = length - EcsQueryPacket.CLIENT_FROM_END;
        for (int i = 0; i < BATCH; i++) {
            in[i] = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(4096)).clear().writeBytes(query);
            out[i] = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(64 << 10)).clear();
        }
        if (batch() == 0) {
            throw new IllegalStateException("the batch answered nothing");
        }
        SyntheticAnswerer.requireOneAnswer(out[0]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batch() {
        if (addresses.length > 1) {
            nextClients();
        }
        for (int i = 0; i < BATCH; i++) {
            DnsQuery q = batch.query(i);
            System.arraycopy(SENDER, 0, q.rawSenderAddress(false), 0, 4);
            q.rawSender(false, 40000 + i);
            batch.decode(i, in[i].setIndex(0, length));
        }
        batch.prefetch(BATCH);
        int sum = 0;
        for (int i = 0; i < BATCH; i++) {
            if (batch.respond(i, out[i])) {
                sum += out[i].writerIndex();
            }
        }
        return sum;
    }

    private void nextClients() {
        int from = next;
        next = from + 2 * BATCH > addresses.length ? 0 : from + BATCH;
        for (int i = 0; i < BATCH; i++) {
            in[i].setMedium(ecsAddressAt, addresses[from + i] >>> 8);
        }
    }
}
