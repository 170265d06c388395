package io.wayfinder.bench;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
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
 * The parts of the routing decision, on the same synthetic table and client mix as
 * {@link RoutingDecisionBenchmark}: {@link #lookup} is one longest-prefix match in the table's
 * {@code PrefixMap} (flattened intervals, a first-level index sized to the table); {@link #lookupWithHoldingLength}
 * adds the ECS holding-length search the estimator does after it; {@link #estimateFourRegions}
 * is what Performance routing asked of {@link LatencyEstimator} for one client (reset, then one
 * estimate per region: table entry, aggregates, distance model), and {@link #rowTenthsFourRegions}
 * what it asks now on the query path. Run with {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Huge pages for the heap, as bin/wayfinder asks for them where the kernel offers them (madvise).
@Fork(value = 1, jvmArgsAppend = {"-Xmx10g", "-Xms2g", "-XX:+UseTransparentHugePages"})
@State(Scope.Benchmark)
public class LatencyTableLookupBenchmark {

    @Param({"1000000", "10000000"})
    public int prefixes;

    /** As in {@link RoutingDecisionBenchmark}: 1048576 clients keep the table cold, 1024 keep it in cache. */
    @Param({"1048576"})
    public int distinct;

    LatencyEstimator estimator;
    LatencyTable table;
    IpPrefix[] clients;
    int[] columns = new int[SyntheticLatencyData.REGIONS.length];
    double[] latitudes = new double[SyntheticLatencyData.REGIONS.length];
    double[] longitudes = new double[SyntheticLatencyData.REGIONS.length];

    @Setup(Level.Trial)
    public void build() {
        SyntheticLatencyData data = SyntheticLatencyData.generate(prefixes, SyntheticLatencyData.SEED);
        estimator = data.estimator();
        table = estimator.table();
        clients = java.util.Arrays.copyOf(data.clients(SyntheticLatencyData.CLIENTS, SyntheticLatencyData.SEED + 1),
                distinct);
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        for (int r = 0; r < columns.length; r++) {
            Region region = catalogue.find(SyntheticLatencyData.REGIONS[r]).orElseThrow();
            columns[r] = table.column(region.name());
            latitudes[r] = region.latitude();
            longitudes[r] = region.longitude();
        }
    }

    @State(Scope.Thread)
    public static class Cursor {
        final LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        int next;

        IpPrefix next(IpPrefix[] clients) {
            int i = next;
            next = i + 1 == clients.length ? 0 : i + 1;
            return clients[i];
        }
    }

    @Benchmark
    public int lookup(Cursor cursor) {
        return table.lookup(cursor.next(clients));
    }

    /**
     * What the estimator does for the table entry: the interval, its entry and the holding length
     * (how far the finding holds, for the ECS scope), i.e. {@link #lookup} plus the scope search.
     */
    @Benchmark
    public int lookupWithHoldingLength(Cursor cursor) {
        IpPrefix client = cursor.next(clients);
        PrefixMap map = table.prefixes();
        int interval = map.interval(client);
        return map.entryAt(interval) + map.holdingLength(interval, client);
    }

    /**
     * What the estimator now does for the table entry: for an IPv4 client of /24 or longer, one
     * read of the table's direct /24 index when it has one and settles the client's /24; otherwise
     * {@link #lookupWithHoldingLength}.
     */
    @Benchmark
    public int directOrLookupWithHoldingLength(Cursor cursor) {
        IpPrefix client = cursor.next(clients);
        PrefixMap map = table.prefixes();
        int slot = client.ipv6() || client.length() < 24 ? PrefixMap.NOT_DIRECT : map.directIpv4(client.ipv4());
        if (slot != PrefixMap.NOT_DIRECT) {
            return PrefixMap.directEntry(slot) + PrefixMap.directHolding(slot);
        }
        int interval = map.interval(client);
        return map.entryAt(interval) + map.holdingLength(interval, client);
    }

    @Benchmark
    public double estimateFourRegions(Cursor cursor) {
        LatencyEstimator.Lookup lookup = cursor.lookup;
        lookup.reset(cursor.next(clients));
        double sum = 0;
        for (int r = 0; r < columns.length; r++) {
            estimator.estimate(lookup, columns[r], latitudes[r], longitudes[r]);
            sum += lookup.rttMs();
        }
        return sum;
    }

    /**
     * The query path's shortcut for the same clients: the four regions' figures read from the
     * client's table row when it settles them ({@link LatencyEstimator#rowTenths}), else the full
     * estimates; what {@link #estimateFourRegions} costs once the decision no longer records evidence.
     */
    @Benchmark
    public long rowTenthsFourRegions(Cursor cursor) {
        LatencyEstimator.Lookup lookup = cursor.lookup;
        lookup.reset(cursor.next(clients));
        long sum = 0;
        for (int r = 0; r < columns.length; r++) {
            int tenths = estimator.rowTenths(lookup, columns[r]);
            if (tenths == LatencyEstimator.UNSETTLED) {
                estimator.estimate(lookup, columns[r], latitudes[r], longitudes[r]);
                tenths = (int) Math.round(lookup.rttMs() * 10);
            }
            sum += tenths;
        }
        return sum;
    }
}
