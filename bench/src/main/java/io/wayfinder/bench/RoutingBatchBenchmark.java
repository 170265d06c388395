package io.wayfinder.bench;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingContext;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.Trace;
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
 * Experiment for the decision below one memory read per query: the same decisions as
 * {@link RoutingDecisionBenchmark} (mixed clients, 4 regions), made for a batch of
 * {@value #BATCH} clients at a time, as the FFM transport receives them (10-17 per
 * {@code recvmmsg}). {@code oneByOne} routes them in turn; {@code touchedFirst} first reads what
 * each decision will read first ({@link LatencyEstimator#touch}), in a loop whose reads do not
 * depend on each other, so the processor has the batch's cache misses in flight together, then
 * routes them. Reported per decision ({@code @OperationsPerInvocation}), average time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-Xms2g", "-XX:+UseTransparentHugePages"})
@State(Scope.Benchmark)
public class RoutingBatchBenchmark {
    static final int BATCH = 16;

    @Param({"10000000"})
    public int prefixes;

    /** As in {@link RoutingDecisionBenchmark}: mixed, or one evidence path (inside, aggregate, distance). */
    @Param({"mixed"})
    public String clients;

    RoutingTable table;
    Profile profile;
    LatencyEstimator estimator;
    IpPrefix[] clientNetworks;
    final RoutingContext context = new RoutingContext();
    int next;

    @Setup(Level.Trial)
    public void build() {
        SyntheticLatencyData data = SyntheticLatencyData.generate(prefixes, SyntheticLatencyData.SEED);
        estimator = data.estimator();
        table = FourRegionProfile.routingTable(estimator);
        profile = table.profile(FourRegionProfile.PROFILE);
        clientNetworks = RoutingDecisionBenchmark.pick(data, clients);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int oneByOne() {
        int from = advance();
        int sum = 0;
        for (int i = from; i < from + BATCH; i++) {
            sum += route(clientNetworks[i]);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int touchedFirst() {
        int from = advance();
        int sum = 0;
        for (int i = from; i < from + BATCH; i++) {
            sum += estimator.touch(clientNetworks[i].ipv4());
        }
        for (int i = from; i < from + BATCH; i++) {
            sum += route(clientNetworks[i]);
        }
        return sum;
    }

    private int route(IpPrefix client) {
        context.reset(client);
        Router.route(table, profile, context, Trace.NONE);
        return context.answer(0).index();
    }

    private int advance() {
        int from = next;
        next = from + 2 * BATCH > clientNetworks.length ? 0 : from + BATCH;
        return from;
    }
}
