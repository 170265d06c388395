package io.wayfinder.bench;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.health.HealthStatuses;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
 * The routing decision with a <em>learned</em> table: {@code context.reset(client)} then
 * {@link Router#route} on a Performance profile with one endpoint in each of the 20 regions of the
 * server test sources' {@code GeneratedInternet}, against the estimator a {@link LearnedLatency}
 * restored from a checkpoint rebuilds, as a server does at start.
 *
 * <p>The checkpoint, the world's geolocation CSV and its client networks are written by
 * {@code io.wayfinder.quality.LearnedScale} (server test sources: the world lives there) into
 * {@code DIR/N/}; {@code bench/learned/run.sh} runs both. Clients are the world's /24s in a fixed
 * shuffle (measured and never-measured ones as the world has them, about 72% / 28%), the first
 * 2^20, cycled, so lookups hit cold cache lines as real traffic does.
 *
 * <p>{@code Mode.SampleTime} gives the p50 the target is stated in (≤ 200 ns at 10 M × 20);
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
public class LearnedRoutingDecisionBenchmark {

    /** Where {@code LearnedScale} wrote its files (one directory per size). */
    @Param({"bench/results/learned"})
    public String dir;

    @Param({"1000000", "10000000"})
    public int networks;

    /** all (the world's mix), measured or unmeasured only. */
    @Param({"all"})
    public String clients;

    static final int DISTINCT = 1 << 20;

    RoutingTable table;
    Profile profile;
    IpPrefix[] clientNetworks;

    @Setup(Level.Trial)
    public void build() throws IOException {
        Path at = Path.of(dir, Integer.toString(networks));
        long start = System.nanoTime();
        LearnedLatency learner = LearnedLatency.restore(at.resolve("latency-learning.checkpoint"), LearningParameters.DEFAULTS);
        long restored = System.nanoTime();
        LatencyEstimator estimator = learner.rebuild(Instant.now(), new LatencyTableBuilder().build(),
                CsvGeoTable.read(at.resolve("geo.csv")), RegionCatalogue.builtIn());
        long rebuilt = System.nanoTime();
        table = RoutingTable.build(RoutingPlan.compile(config(estimatorRegions())), HealthStatuses.NONE, estimator, null);
        profile = table.profile("perf");
        clientNetworks = readClients(at.resolve("clients.bin"), clients);
        System.out.printf("%n[setup] %d networks: restore %.1f s, rebuild %.1f s, %d clients (%s)%n", networks,
                (restored - start) / 1e9, (rebuilt - restored) / 1e9, clientNetworks.length, clients);
    }

    /** The 20 regions of {@code GeneratedInternet.REGIONS}, in its order. */
    static List<String> estimatorRegions() {
        return List.of("westeurope", "eastus", "southeastasia", "westus2", "northeurope", "japaneast", "brazilsouth",
                "australiaeast", "centralindia", "uksouth", "francecentral", "germanywestcentral", "southcentralus",
                "canadacentral", "uaenorth", "southafricanorth", "koreacentral", "swedencentral", "italynorth", "centralus");
    }

    static io.wayfinder.profile.WayfinderConfig config(List<String> regions) {
        StringBuilder yaml = new StringBuilder("""
                zones:
                  - name: quality.test
                    nameservers: [ns1.quality.test]
                profiles:
                  - name: perf
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: www, ttl: 30}
                    endpoints:
                """);
        for (int r = 0; r < regions.size(); r++) {
            yaml.append("      - {name: ").append(regions.get(r)).append(", target: 192.0.2.").append(r + 1)
                    .append(", endpointLocation: ").append(regions.get(r)).append("}\n");
        }
        try {
            return ConfigLoader.reader().parse(yaml.toString(), null);
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The first {@link #DISTINCT} clients of the kind asked for, from the shuffled file. */
    static IpPrefix[] readClients(Path file, String kind) throws IOException {
        IpPrefix[] out = new IpPrefix[DISTINCT];
        int n = 0;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            long count = Files.size(file) / 4;
            for (long i = 0; i < count && n < DISTINCT; i++) {
                int v = in.readInt();
                boolean measured = (v & 1) != 0;
                if (kind.equals("all") || kind.equals("measured") == measured) {
                    out[n++] = IpPrefix.ofIpv4(v & 0xffffff00, 24);
                }
            }
        }
        return n == DISTINCT ? out : java.util.Arrays.copyOf(out, n);
    }

    @Benchmark
    public Endpoint route(RouteCursor cursor) {
        return cursor.route(table, profile, clientNetworks);
    }
}
