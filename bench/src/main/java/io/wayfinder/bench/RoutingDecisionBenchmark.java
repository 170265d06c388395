package io.wayfinder.bench;

import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingTable;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole routing decision for one query: {@code context.reset(client)} then
 * {@link Router#route} on a Performance profile with four regions, against a synthetic latency
 * table of 1M or 10M /24s (see {@link SyntheticLatencyData} for its shape and the client mix).
 *
 * <p>Clients are pre-built {@link IpPrefix} /24s (2^20 of them, shuffled), as the ECS option would
 * give them; each operation takes the next one, so lookups hit cold cache lines as real traffic does.
 * {@code clients=mixed} is the realistic mix (80% table hits); {@code inside}, {@code aggregate} and
 * {@code distance} isolate one evidence path each; {@code distinct=1024} cycles through few clients,
 * so that the table stays in cache.
 *
 * <p>Run with {@code -prof gc}: the decision should allocate nothing (B/op ≈ 0).
 *
 * <p>{@code Mode.SampleTime} gives the p50 the target is stated in (≤ 200 ns at 10 M);
 * each sample is one call timed with {@code System.nanoTime()}, whose own cost (~20-25 ns here) is
 * included, so the p50 is a slight overestimate.
 */
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Huge pages for the heap, as bin/wayfinder asks for them where the kernel offers them (madvise).
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-Xms2g", "-XX:+UseTransparentHugePages"})
@State(Scope.Benchmark)
public class RoutingDecisionBenchmark {

    @Param({"1000000", "10000000"})
    public int prefixes;

    /** mixed (80% inside, 10% aggregate space, 10% distance space), or only one of inside, aggregate, distance. */
    @Param({"mixed"})
    public String clients;

    /**
     * How many different clients the operations cycle through: 1048576 keeps the table's cache lines
     * cold, as real traffic does; 1024 keeps them in cache (the difference is the memory cost).
     */
    @Param({"1048576"})
    public int distinct;

    RoutingTable table;
    Profile profile;
    IpPrefix[] clientNetworks;

    @Setup(Level.Trial)
    public void build() {
        long start = System.nanoTime();
        SyntheticLatencyData data = SyntheticLatencyData.generate(prefixes, SyntheticLatencyData.SEED);
        LatencyEstimator estimator = data.estimator();
        table = FourRegionProfile.routingTable(estimator);
        profile = table.profile(FourRegionProfile.PROFILE);
        clientNetworks = java.util.Arrays.copyOf(pick(data, clients), distinct);
        System.out.printf("%n[setup] %d prefixes (%d entries with /16s), %s clients; built in %.1f s; model: %s%n[setup] %s%n",
                prefixes, estimator.table().prefixCount(), clients, (System.nanoTime() - start) / 1e9,
                estimator.model().describe(), SyntheticLatencyData.evidenceMix(estimator, clientNetworks, 100_000));
    }

    /** The mixed clients, or as many of only one kind (classified by how the table sees them). */
    static IpPrefix[] pick(SyntheticLatencyData data, String kind) {
        int count = SyntheticLatencyData.CLIENTS;
        long seed = SyntheticLatencyData.SEED + 1;
        if (kind.equals("mixed")) {
            return data.clients(count, seed);
        }
        // Each of aggregate and distance is 10% of the mix: draw 12x as many and keep one kind.
        int[] all = data.clientAddresses(12 * count, seed);
        IpPrefix[] out = new IpPrefix[count];
        int n = 0;
        for (int i = 0; i < all.length && n < count; i++) {
            if (kind.equals(data.kindOf(all[i]))) {
                out[n++] = IpPrefix.ofIpv4(all[i], 24);
            }
        }
        if (n < count) {
            throw new IllegalStateException("only " + n + " clients of kind " + kind);
        }
        return out;
    }

    @Benchmark
    public Endpoint route(RouteCursor cursor) {
        return cursor.route(table, profile, clientNetworks);
    }
}
