package io.wayfinder.quality;

import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.latency.learn.LearnedLatency;
import io.wayfinder.latency.learn.LearningParameters;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.runtime.WayfinderServer;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * How the learned table grows from 1 M to 10 M client networks of a {@link GeneratedInternet} (20
 * regions): the time to add the samples, the time of a full rebuild, the heap the learner and its
 * estimator retain, the checkpoint, and ingestion through the HTTP API of a server that restored
 * that checkpoint. Writes, per size, what {@code bench}'s {@code LearnedRoutingDecisionBenchmark}
 * loads: {@code DIR/N/latency-learning.checkpoint}, {@code geo.csv} and {@code clients.bin} (the
 * networks' addresses, shuffled, the low bit set for a measured one); and {@code regions.txt}, the
 * world's regions one a line, for a profile over them ({@code bench/reload/run.sh}'s LEARN mode).
 *
 * <pre>
 *   java -Xmx9g -cp ... io.wayfinder.quality.LearnedScale --out DIR [--max-samples 1] [--http 5000000] [--now MILLIS]
 *        [--first-only] 1000000 10000000
 * </pre>
 *
 * One sample per measured pair by default ({@code --max-samples 1}): what the table holds depends
 * on which networks and regions have data, not on how many samples; 10 M networks then take about
 * 94 M samples.
 */
public final class LearnedScale {
    private LearnedScale() {
    }

    /** The clock of the samples and the rebuilds (ms since the epoch); 0 = the wall clock. A fixed one makes runs comparable by checksum. */
    private static long fixedNow;
    /**
     * Only the first rebuild ({@code --first-only}): for a quick look at the first one. (A second
     * rebuild holds the first one's table while it builds its own; before explain read its cells
     * from the store, it held the first one's observations too, and at 10 M networks did not fit
     * in 9 GB.)
     */
    private static boolean firstOnly;

    private static Instant now() {
        return fixedNow > 0 ? Instant.ofEpochMilli(fixedNow) : Instant.now();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of("target/learned-scale");
        int maxSamples = 1;
        long http = 0;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--max-samples" -> maxSamples = Integer.parseInt(args[++i]);
                case "--http" -> http = Long.parseLong(args[++i].replace("_", ""));
                case "--now" -> fixedNow = Long.parseLong(args[++i].replace("_", ""));
                case "--first-only" -> firstOnly = true;
                default -> sizes.add(Integer.parseInt(args[i].replace("_", "")));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000_000, 10_000_000);
        }
        System.out.printf(Locale.ROOT, "JVM %s, max heap %d MB, %d cpus; %s%n", System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                ApiRoutingQuality.uptime());
        for (int n : sizes) {
            measure(n, maxSamples, http, Files.createDirectories(out.resolve(Integer.toString(n))));
        }
    }

    private static void measure(int size, int maxSamples, long http, Path dir) throws Exception {
        long base = usedAfterGc();
        long t0 = System.nanoTime();
        GeneratedInternet world = GeneratedInternet.generate(GeneratedInternet.Params.standard(1, size)
                .withMaxSamples(maxSamples));
        world.writeGeoCsv(dir.resolve("geo.csv"));
        CsvGeoTable geo = CsvGeoTable.read(dir.resolve("geo.csv"));
        long t1 = System.nanoTime();
        writeClients(world, dir.resolve("clients.bin"));
        Files.write(dir.resolve("regions.txt"), world.regions().stream().map(r -> r.name()).toList());
        long samples = world.sampleCount(0);
        long beforeLearner = usedAfterGc();
        System.out.printf(Locale.ROOT, "%n== %s%ngenerate + geolocation: %.1f s; world %.0f MB; %,d samples (round 0)%n",
                world.describe(), (t1 - t0) / 1e9, (beforeLearner - base) / 1048576.0, samples);

        LearningParameters d = LearningParameters.DEFAULTS;
        LearningParameters params = new LearningParameters(d.halfLife(), d.ipv4Levels(), d.ipv6Levels(),
                d.changeMinSamples(), d.changeSigmas(), d.changeMinMs(), d.holdBack(), d.hysteresisMs(),
                d.hysteresisSigmas(), d.staticSamples(), (int) Math.min(Integer.MAX_VALUE, samples + 1));
        LearnedLatency[] box = {new LearnedLatency(params)}; // dropped below, to weigh the estimator alone
        LearnedLatency learner = box[0];
        List<String> names = world.regions().stream().map(r -> r.name()).toList();
        long now = now().toEpochMilli();
        long t2 = System.nanoTime();
        List<Measurement> batch = new ArrayList<>(MeasurementFeed.BATCH);
        long[] taken = new long[1];
        world.samples(0, now - 48 * 3_600_000L, now - 3_600_000L, null, (ip, region, rtt, time) -> {
            batch.add(new Measurement(IpPrefix.ofIpv4(ip & 0xffffff00, 24), names.get(region), rtt, time, "bench"));
            if (batch.size() == MeasurementFeed.BATCH) {
                taken[0] += box[0].add(batch);
                batch.clear();
            }
        });
        taken[0] += learner.add(batch);
        batch.clear();
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "add (in process, %,d-sample batches, including making the samples): %.1f s, "
                + "%,.0f samples/s; %,d taken%n", MeasurementFeed.BATCH, (t3 - t2) / 1e9, samples / ((t3 - t2) / 1e9), taken[0]);

        int networkCount = world.networkCount();
        if (http == 0) {
            // Nothing needs the world any more: let it go (788 MB at 10 M), so that a 10 M learner's
            // second rebuild, which holds the first one's table while it builds its own, fits in 9 GB.
            // What it weighed comes off the baseline (the samples it made, now the learner's, stay).
            long withWorld = usedAfterGc();
            world = null;
            beforeLearner -= withWorld - usedAfterGc();
        }
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        long cpu = threadCpu();
        long process = processCpu();
        long residentBefore = residentMegabytes("VmRSS");
        long t4 = System.nanoTime();
        LatencyEstimator estimator = learner.rebuild(now(), new LatencyTableBuilder().build(), geo, catalogue);
        long t5 = System.nanoTime();
        long cpu1 = threadCpu();
        long process1 = processCpu();
        // The rebuild runs its linear phases on a small pool too: the process's CPU (all threads,
        // garbage collection and compilation included) is the figure to compare with the wall time.
        System.out.printf(Locale.ROOT, "rebuild: first (every sample pending) %.1f s wall, %.1f s CPU of this thread, "
                        + "%.1f s CPU of the process; table checksum %016x%n", (t5 - t4) / 1e9, (cpu1 - cpu) / 1e9,
                (process1 - process) / 1e9, checksum(estimator.table()));
        // Memory the process had never touched before costs far more to fault in than memory it
        // touched and freed (on a virtual machine whose host takes back what the guest frees,
        // several times more): what the rebuild's own working set added to the process's peak.
        System.out.printf(Locale.ROOT, "resident: %d MB before the rebuild, %d MB after, %d MB at the peak so far%n",
                residentBefore, residentMegabytes("VmRSS"), residentMegabytes("VmHWM"));
        // What the first rebuild leaves behind (learner, its published state, the estimator): a
        // second rebuild needs this plus its own working set, so it says whether the second fits.
        System.out.printf(Locale.ROOT, "heap retained after the first rebuild: %.0f MB%n",
                (usedAfterGc() - beforeLearner) / 1048576.0);
        LatencyEstimator again = estimator;
        if (!firstOnly) {
            again = learner.rebuild(now(), new LatencyTableBuilder().build(), geo, catalogue);
            long t6 = System.nanoTime();
            long process2 = processCpu();
            System.out.printf(Locale.ROOT, "rebuild: second (nothing new) %.1f s wall, %.1f s CPU of the process; "
                    + "table checksum %016x%n", (t6 - t5) / 1e9, (process2 - process1) / 1e9, checksum(again.table()));
        }
        estimator = null;
        long retained = usedAfterGc() - beforeLearner;
        System.out.printf(Locale.ROOT, "heap retained by the learner and its estimator: %.0f MB = %.1f B per network%n",
                retained / 1048576.0, (double) retained / networkCount);
        Path checkpoint = dir.resolve(LatencyLearningService.CHECKPOINT_FILE);
        long t7 = System.nanoTime();
        learner.checkpoint(checkpoint);
        long t8 = System.nanoTime();
        System.out.printf(Locale.ROOT, "checkpoint: %.1f s, %.0f MB%n", (t8 - t7) / 1e9, Files.size(checkpoint) / 1048576.0);
        learner = null;
        box[0] = null;
        long tableOnly = usedAfterGc() - beforeLearner;
        System.out.printf(Locale.ROOT, "of which the routing table (the estimator alone, the learner dropped): %.0f MB = "
                + "%.1f B per network, %,d rows%n", tableOnly / 1048576.0, (double) tableOnly / networkCount,
                again.table().prefixCount());
        if (http > 0) {
            again = null;
            ingest(world, dir, http);
        }
    }

    /**
     * Posts {@code count} samples (round 1, made into request bodies before the clock starts) to a
     * server that restored the size's checkpoint, and waits for a rebuild that folds them in.
     */
    private static void ingest(GeneratedInternet world, Path dir, long count) throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        Path data = Files.createDirectories(serverDir.resolve("data"));
        Files.copy(dir.resolve(LatencyLearningService.CHECKPOINT_FILE),
                data.resolve(LatencyLearningService.CHECKPOINT_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(dir.resolve("geo.csv"), serverDir.resolve("geo.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(serverDir.resolve("wayfinder.yaml"), ApiRoutingQuality.learnedConfig(world, count + 1)
                + "storage:\n  dir: data\n");
        List<String> names = world.regions().stream().map(r -> r.name()).toList();
        // The bodies first, so that the rate is the server's, not this client's JSON writing.
        List<byte[]> bodies = new ArrayList<>();
        java.util.concurrent.BlockingQueue<byte[]> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        MeasurementFeed.Batcher batcher = new MeasurementFeed.Batcher(names, queue);
        long now = now().toEpochMilli();
        long[] made = new long[1];
        try {
            world.samples(1, now - 3_600_000L, now - 60_000L, null, (ip, region, rtt, time) -> {
                if (made[0]++ < count) {
                    batcher.accept(ip, region, rtt, time);
                } else {
                    throw new StopFeeding();
                }
            });
        } catch (StopFeeding stop) {
            // enough
        }
        batcher.flush();
        queue.drainTo(bodies);
        long t0 = System.nanoTime();
        try (WayfinderServer server = ApiRoutingQuality.start(serverDir.resolve("wayfinder.yaml"))) {
            long t1 = System.nanoTime();
            URI api = URI.create("http://127.0.0.1:" + server.apiPort() + "/");
            long first = ApiRoutingQuality.rebuild(api);
            String load = ApiRoutingQuality.uptime();
            MeasurementFeed feed = new MeasurementFeed(api, ApiRoutingQuality.WRITER_TOKEN, 2);
            MeasurementFeed.Result result = feed.post(bodies);
            long rebuild = ApiRoutingQuality.rebuild(api);
            System.out.printf(Locale.ROOT, "server start with the checkpoint: %.1f s; rebuild after restore %d ms%n",
                    (t1 - t0) / 1e9, first);
            System.out.printf(Locale.ROOT, "HTTP ingestion: %,d samples in %d requests of %,d, 2 connections: %.1f s, "
                            + "%,.0f samples/s (%,d accepted, %,d rejected); rebuild after it %d ms; %s%n", result.posted(),
                    result.requests(), MeasurementFeed.BATCH, result.nanos() / 1e9, result.samplesPerSecond(),
                    result.accepted(), result.rejected(), rebuild, load);
        }
    }

    private static final class StopFeeding extends RuntimeException {
        StopFeeding() {
            super(null, null, false, false);
        }
    }

    /** The networks' addresses, shuffled (seed 7), low bit set for a measured network; big-endian ints. */
    private static void writeClients(GeneratedInternet world, Path file) throws IOException {
        int[] order = new int[world.networkCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(7);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
            for (int n : order) {
                out.writeInt(world.networkAddress(n) | (world.measured(n) ? 1 : 0));
            }
        }
    }

    /** Every row's figures, in row order: equal tables have equal checksums. */
    static long checksum(io.wayfinder.latency.LatencyTable table) {
        long h = table.prefixCount();
        for (int e = 0; e < table.prefixCount(); e++) {
            h = h * 31 + table.entryLength(e);
            for (int c = 0; c < table.columnCount(); c++) {
                h = h * 31 + table.tenths(e, c);
            }
        }
        return h;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** A figure of /proc/self/status in MB ({@code VmRSS}: resident now; {@code VmHWM}: its peak), -1 where there is none. */
    private static long residentMegabytes(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long usedAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
