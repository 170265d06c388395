package io.wayfinder.control;

import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LatencyLearning;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small in-memory {@link LatencyLearning} for the service's tests: it keeps every sample, learns
 * the plain mean per network and region, and checkpoints as text (temporary file, fsync, rename).
 * What it was given is kept for the tests to read: every rebuild's static table, and how many
 * rebuilds and checkpoints there were.
 */
public final class FakeLearning implements LatencyLearning {
    /** Whether the last rebuild ran as background work (its loops giving way to queries). */
    public volatile boolean rebuiltInBackground;
    private final List<Measurement> samples = new ArrayList<>();
    private final int maxSamples;
    public final List<LatencyTable> staticTables = new ArrayList<>();
    public volatile int rebuilds;
    public volatile int checkpoints;
    /** When set, the next rebuild throws it. */
    public volatile RuntimeException failNextRebuild;
    private Instant lastRebuild = Instant.EPOCH;

    public FakeLearning() {
        this(Integer.MAX_VALUE);
    }

    /** @param maxSamples samples kept at most; the rest of a batch is dropped, as the real learner's pending cap does */
    public FakeLearning(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    /** The learner a server gets: restored from its checkpoint when there is one. */
    public static LatencyLearningService.Learners learners() {
        return (checkpoint, parameters) -> Files.exists(checkpoint) ? restore(checkpoint) : new FakeLearning();
    }

    public static FakeLearning restore(Path file) throws IOException {
        FakeLearning f = new FakeLearning();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(lines.size() - 1).equals("end " + (lines.size() - 1))) {
            throw new IOException(file + ": not a whole checkpoint");
        }
        for (String line : lines.subList(0, lines.size() - 1)) {
            String[] p = line.split(" ");
            f.samples.add(new Measurement(IpPrefix.parse(p[0]), p[1], Double.parseDouble(p[2]), Long.parseLong(p[3]), p[4]));
        }
        return f;
    }

    public synchronized List<Measurement> samples() {
        return List.copyOf(samples);
    }

    @Override
    public synchronized int add(List<Measurement> batch) {
        int taken = Math.max(0, Math.min(batch.size(), maxSamples - samples.size()));
        samples.addAll(batch.subList(0, taken));
        return taken;
    }

    @Override
    public LatencyEstimator rebuild(Instant now, LatencyTable staticTable, GeoLocator geo, RegionCatalogue catalogue) {
        rebuiltInBackground = io.wayfinder.time.CpuYield.inBackgroundHere();
        RuntimeException fail = failNextRebuild;
        if (fail != null) {
            failNextRebuild = null;
            throw fail;
        }
        List<Measurement> all = samples();
        staticTables.add(staticTable);
        rebuilds++;
        lastRebuild = now;
        if (all.isEmpty()) {
            return new LatencyEstimator(staticTable, geo, DistanceModel.UNFITTED);
        }
        LatencyTableBuilder builder = new LatencyTableBuilder();
        for (Map.Entry<String, double[]> cell : means(all).entrySet()) {
            String[] key = cell.getKey().split(" ");
            builder.add(IpPrefix.parse(key[0]), key[1], cell.getValue()[0] / cell.getValue()[1], (int) cell.getValue()[1]);
        }
        return new LatencyEstimator(builder.build(), geo, DistanceModel.UNFITTED);
    }

    /** "network region" to {sum, count}. */
    private static Map<String, double[]> means(List<Measurement> all) {
        Map<String, double[]> cells = new LinkedHashMap<>();
        for (Measurement m : all) {
            double[] c = cells.computeIfAbsent(m.network() + " " + m.region(), k -> new double[2]);
            c[0] += m.rttMs();
            c[1]++;
        }
        return cells;
    }

    @Override
    public void checkpoint(Path file) throws IOException {
        List<Measurement> all = samples();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            StringBuilder text = new StringBuilder();
            for (Measurement m : all) {
                text.append(m.network()).append(' ').append(m.region()).append(' ').append(m.rttMs()).append(' ')
                        .append(m.timeMillis()).append(' ').append(m.source()).append('\n');
            }
            text.append("end ").append(all.size()).append('\n');
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        checkpoints++;
    }

    @Override
    public Evidence explain(IpPrefix client, String region) {
        IpPrefix network = client.length() > (client.ipv6() ? 48 : 24) ? client.truncate(client.ipv6() ? 48 : 24) : client;
        double sum = 0;
        int n = 0;
        long newest = -1;
        for (Measurement m : samples()) {
            if (m.network().equals(network) && m.region().equals(region)) {
                sum += m.rttMs();
                n++;
                newest = Math.max(newest, m.timeMillis());
            }
        }
        if (n == 0) {
            return new Evidence(region, network, Double.NaN, Double.NaN, "none", 0, -1, "", Double.NaN);
        }
        return new Evidence(region, network, sum / n, 10 / Math.sqrt(n), "own", n, lastRebuild.toEpochMilli() - newest, "",
                sum / n);
    }

    @Override
    public Coverage coverage() {
        List<Measurement> all = samples();
        Set<IpPrefix> networks = new HashSet<>();
        Map<String, long[]> regions = new LinkedHashMap<>();
        Map<String, Set<IpPrefix>> regionNetworks = new LinkedHashMap<>();
        for (Measurement m : all) {
            networks.add(m.network());
            regions.computeIfAbsent(m.region(), k -> new long[1])[0]++;
            regionNetworks.computeIfAbsent(m.region(), k -> new HashSet<>()).add(m.network());
        }
        List<RegionCoverage> out = new ArrayList<>();
        regions.forEach((r, n) -> out.add(new RegionCoverage(r, n[0], regionNetworks.get(r).size(), 0, 0)));
        return new Coverage(networks.size(), 0, 0, out, List.of(new LevelTrust("own cell", 1, 1, 1, 1)), 0, 0);
    }
}
