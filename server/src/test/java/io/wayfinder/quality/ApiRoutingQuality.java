package io.wayfinder.quality;

import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.runtime.WayfinderServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * The routing-quality benchmark of issue 11: how often each router sends a client network of a
 * {@link GeneratedInternet} to its truly fastest region, and what the others cost.
 *
 * <ul>
 * <li><b>Nearest region:</b> the region closest to where the world's geolocation CSV puts the network.</li>
 * <li><b>CSV table:</b> today's path. The same raw samples, averaged per /24 and region into a
 *     {@code prefix,region,rtt_ms,samples} file (the mean, as a producer of such a file would write
 *     it), served by a real Wayfinder with that file as {@code latency.sources}. And the same with the
 *     median of each pair's samples instead: what a robust statistic alone, without borrowing, gives.</li>
 * <li><b>Learned table:</b> a real Wayfinder with {@code api:} and learning on, no latency file; the raw
 *     samples are posted to {@code POST /api/v1/measurements} ({@link MeasurementFeed}), then a rebuild
 *     is asked for ({@code POST /api/v1/latency/rebuild}).</li>
 * </ul>
 * Both servers are asked over DNS, with an ECS option per client network ({@link DnsRegionAsker});
 * the answers are compared with the truth, which no server ever sees. With {@code congestion}, one
 * region then slows by 50 ms for a tenth of the networks it serves; a new round of samples (which
 * reflect it) is posted, and the learned server is asked again after each of two rebuilds.
 *
 * <p>Everything talks to loopback only; the servers get ephemeral ports and a temporary directory.
 */
public final class ApiRoutingQuality {
    static final String WRITER_TOKEN = "quality-writer-token-0123456789";
    private static final long HOUR = 3_600_000L;

    /**
     * The configuration that turns learning on, under {@code latency:}: rebuilt only when the benchmark
     * asks (the schedule's hour never comes), with room for a whole round of samples before the first
     * rebuild folds them in (the default bound, 8 M, would drop the rest of a large world's first round).
     */
    static String learningYaml(long maxPendingSamples) {
        return """
                  learn: true
                  rebuildInterval: 1h
                  learning: {maxPendingSamples: %d}
                """.formatted(Math.max(8_000_000, Math.min(500_000_000, maxPendingSamples)));
    }

    /** Groups of client networks, by what was measured of them. */
    enum Group {
        MEASURED("measured (own samples)"),
        MEASURED_FASTEST_MISSING("... none to its fastest region"),
        NEVER_MEASURED("never measured"),
        NEVER_MEASURED_LIT("... its /20 has measured networks"),
        NEVER_MEASURED_DARK("... nothing measured in its /20"),
        ALL("all");

        final String label;

        Group(String label) {
            this.label = label;
        }
    }

    /** What to run. */
    record Options(GeneratedInternet.Params world, boolean csv, boolean learned, boolean congestion, int senders,
                   int dnsThreads) {
        static Options of(GeneratedInternet.Params world) {
            return new Options(world, true, true, true, 2, 4);
        }

        Options withoutLearned() {
            return new Options(world, csv, false, false, senders, dnsThreads);
        }

        Options withoutCongestion() {
            return new Options(world, csv, learned, false, senders, dnsThreads);
        }
    }

    /** Where each router sent each network, and the scores. */
    record Run(GeneratedInternet world, int[] fastest, Map<String, int[]> choices, Map<String, Map<Group, QualityScore>> scores,
               List<MeasurementFeed.Result> feeds, List<Long> rebuildMillis, CongestionRun congestion) {
    }

    /** The congestion run: who should have moved, who did, who moved without cause. */
    record CongestionRun(GeneratedInternet.Congestion event, int[] fastestAfter, int[] afterFirst, int[] afterSecond,
                         Map<Moved, double[]> moved, Map<Moved, Integer> counts, Map<Group, QualityScore> afterScores) {
    }

    private ApiRoutingQuality() {
    }

    public static Run run(Options options, Path dir) throws IOException, InterruptedException {
        GeneratedInternet world = GeneratedInternet.generate(options.world());
        int[] fastest = world.fastest(null);
        Path geoFile = dir.resolve("geo.csv");
        world.writeGeoCsv(geoFile);
        Map<String, int[]> choices = new LinkedHashMap<>();
        choices.put("nearest region", nearest(world, CsvGeoTable.read(geoFile)));

        long now = System.currentTimeMillis();
        long from = now - 48 * HOUR;
        long to = now - 2 * HOUR;
        if (options.csv()) {
            // Today's table, as a producer that averages would write it, and as one that takes medians.
            for (boolean median : new boolean[] {false, true}) {
                Path csvDir = Files.createDirectories(dir.resolve(median ? "csv-median" : "csv"));
                Files.copy(geoFile, csvDir.resolve("geo.csv"));
                writeCsvTable(world, 0, from, to, median, csvDir.resolve("latency.csv"));
                Files.writeString(csvDir.resolve("wayfinder.yaml"), csvConfig(world));
                try (WayfinderServer server = start(csvDir.resolve("wayfinder.yaml"))) {
                    choices.put(median ? "CSV table of medians" : "CSV table",
                            new DnsRegionAsker(server.dnsAddresses().get(0), options.dnsThreads()).ask(world));
                }
            }
        }
        List<MeasurementFeed.Result> feeds = new ArrayList<>();
        List<Long> rebuilds = new ArrayList<>();
        CongestionRun congestion = null;
        if (options.learned()) {
            Path learnDir = Files.createDirectories(dir.resolve("learned"));
            Files.copy(geoFile, learnDir.resolve("geo.csv"));
            Files.writeString(learnDir.resolve("wayfinder.yaml"), learnedConfig(world, world.sampleCount(0) + 1));
            try (WayfinderServer server = start(learnDir.resolve("wayfinder.yaml"))) {
                URI api = URI.create("http://127.0.0.1:" + server.apiPort() + "/");
                DnsRegionAsker asker = new DnsRegionAsker(server.dnsAddresses().get(0), options.dnsThreads());
                MeasurementFeed feed = new MeasurementFeed(api, WRITER_TOKEN, options.senders());
                feeds.add(feed.post(world, 0, from, to, null));
                rebuilds.add(rebuild(api));
                int[] learned = asker.ask(world);
                choices.put("learned table", learned);
                if (options.congestion()) {
                    int region = world.congestibleRegion(fastest, 50);
                    GeneratedInternet.Congestion event = world.congestion(region, 50, 0.1, fastest, options.world().seed());
                    feeds.add(feed.post(world, 1, now - HOUR, System.currentTimeMillis() - 1000, event));
                    rebuilds.add(rebuild(api));
                    int[] first = asker.ask(world);
                    rebuilds.add(rebuild(api));
                    int[] second = asker.ask(world);
                    congestion = congestionRun(world, event, learned, first, second);
                }
            }
        }
        Map<String, Map<Group, QualityScore>> scores = new LinkedHashMap<>();
        choices.forEach((name, chosen) -> scores.put(name, score(world, fastest, chosen, null)));
        return new Run(world, fastest, choices, scores, feeds, rebuilds, congestion);
    }

    // ---------------------------------------------------------------------------------------------
    // The routers' inputs.

    /** The region closest to where the geolocation puts each network (region 0 when it cannot). */
    static int[] nearest(GeneratedInternet world, CsvGeoTable geo) {
        int[] out = new int[world.networkCount()];
        List<Region> regions = world.regions();
        for (int n = 0; n < out.length; n++) {
            GeoLocation where = geo.locate(world.prefix(n));
            if (!where.known()) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < regions.size(); r++) {
                double km = GreatCircle.kilometres(where.latitude(), where.longitude(), regions.get(r).latitude(),
                        regions.get(r).longitude());
                if (km < best) {
                    best = km;
                    out[n] = r;
                }
            }
        }
        return out;
    }

    /**
     * Today's table: the mean of each /24's samples to each region, with their count. Samples arrive
     * network by network and region by region, so one running sum does.
     */
    static void writeCsvTable(GeneratedInternet world, int round, long from, long to, boolean median, Path file)
            throws IOException {
        List<String> names = world.regions().stream().map(Region::name).toList();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("prefix,region,rtt_ms,samples\n");
            class Pair implements GeneratedInternet.SampleSink {
                int network = -1;
                int region = -1;
                double sum;
                int count;
                double[] values = new double[16];

                @Override
                public void accept(int clientIp, int r, double rttMs, long timeMillis) {
                    int net = clientIp & 0xffffff00;
                    if (net != network || r != region) {
                        write();
                        network = net;
                        region = r;
                    }
                    sum += rttMs;
                    if (count == values.length) {
                        values = java.util.Arrays.copyOf(values, 2 * count);
                    }
                    values[count++] = rttMs;
                }

                double figure() {
                    if (!median) {
                        return sum / count;
                    }
                    java.util.Arrays.sort(values, 0, count);
                    return count % 2 == 1 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
                }

                void write() {
                    if (count == 0) {
                        return;
                    }
                    try {
                        out.write((network >>> 24) + "." + ((network >>> 16) & 255) + "." + ((network >>> 8) & 255)
                                + ".0/24," + names.get(region) + "," + String.format(Locale.ROOT, "%.2f", figure()) + ","
                                + count + "\n");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    sum = 0;
                    count = 0;
                }
            }
            Pair pair = new Pair();
            world.samples(round, from, to, null, pair);
            pair.write();
        }
    }

    private static String settings(GeneratedInternet world) {
        return """
                dns:
                  listen: ["127.0.0.1:0"]
                  rateLimit: {responsesPerSecond: 0}
                geolocation:
                  csv: geo.csv
                """;
    }

    static String csvConfig(GeneratedInternet world) {
        return settings(world) + """
                latency:
                  sources: [latency.csv]
                """ + DnsRegionAsker.profileYaml(regionNames(world));
    }

    static String learnedConfig(GeneratedInternet world, long maxPendingSamples) {
        return settings(world) + """
                api:
                  listen: "127.0.0.1:0"
                  tokens:
                    - {name: quality, token: %s, role: writer}
                latency:
                """.formatted(WRITER_TOKEN) + learningYaml(maxPendingSamples) + DnsRegionAsker.profileYaml(regionNames(world));
    }

    private static List<String> regionNames(GeneratedInternet world) {
        return world.regions().stream().map(Region::name).toList();
    }

    static WayfinderServer start(Path config) throws IOException {
        try {
            return WayfinderServer.start(config, new WayfinderServer.Options(List.of(), 2, 250));
        } catch (Exception e) {
            throw new IOException("the server did not start from " + config + ": " + e.getMessage(), e);
        }
    }

    /** Asks for a rebuild and waits until its table is served; returns how long it took, as the server says. */
    static long rebuild(URI api) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/latency/rebuild"))
                .timeout(Duration.ofMinutes(10)).header("Authorization", "Bearer " + WRITER_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("POST /api/v1/latency/rebuild: " + response.statusCode() + " " + response.body());
        }
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body()).path("tookMillis")
                .asLong((System.nanoTime() - start) / 1_000_000);
    }

    // ---------------------------------------------------------------------------------------------
    // Scores.

    static IntPredicate member(GeneratedInternet world, int[] fastest, Group group) {
        return n -> switch (group) {
            case MEASURED -> world.measured(n);
            case MEASURED_FASTEST_MISSING -> world.measured(n) && !world.measuredTo(n, fastest[n]);
            case NEVER_MEASURED -> !world.measured(n);
            case NEVER_MEASURED_LIT -> !world.measured(n) && !world.darkBlock(world.blockOf(n));
            case NEVER_MEASURED_DARK -> !world.measured(n) && world.darkBlock(world.blockOf(n));
            case ALL -> true;
        };
    }

    static Map<Group, QualityScore> score(GeneratedInternet world, int[] fastest, int[] chosen,
                                          GeneratedInternet.Congestion congestion) {
        Map<Group, QualityScore> out = new EnumMap<>(Group.class);
        double[] extra = new double[chosen.length];
        for (int n = 0; n < chosen.length; n++) {
            extra[n] = chosen[n] == fastest[n] ? 0 : world.extraMs(n, chosen[n], fastest[n], congestion);
        }
        for (Group g : Group.values()) {
            IntPredicate in = member(world, fastest, g);
            double[] picked = new double[chosen.length];
            int count = 0;
            for (int n = 0; n < chosen.length; n++) {
                if (in.test(n)) {
                    picked[count++] = extra[n];
                }
            }
            out.put(g, QualityScore.of(picked, count));
        }
        return out;
    }

    /**
     * Kinds of networks in a congestion run. The slowed ones (in a congested block, sent to the slowed
     * region before, and no longer fastest there) by the evidence of the slowdown they got: their own
     * new samples to the region, at least {@code changeMinSamples} (5, the learner's default) or fewer
     * (which the learner holds back for up to {@code holdBack}, an hour), or none (only borrowed: a
     * measured network not measured to that region, or a never-measured one). The others: not slowed.
     */
    enum Moved {
        SLOWED_OWN("slowed, 5 or more new samples to the region: moved off"),
        SLOWED_SPARSE("slowed, 1-4 new samples to the region: moved off"),
        SLOWED_MEASURED_NONE("slowed, measured but not to that region: moved off"),
        SLOWED_NEVER("slowed, never measured: moved off"),
        OTHERS_MEASURED("not slowed, measured: answer changed"),
        OTHERS_NEVER("not slowed, never measured: answer changed");

        final String label;

        Moved(String label) {
            this.label = label;
        }
    }

    static final int CHANGE_MIN_SAMPLES = 5;

    static CongestionRun congestionRun(GeneratedInternet world, GeneratedInternet.Congestion event, int[] before,
                                       int[] first, int[] second) {
        int[] fastestAfter = world.fastest(event);
        int region = event.region();
        int[] count = new int[Moved.values().length];
        int[] afterFirst = new int[count.length];
        int[] afterSecond = new int[count.length];
        for (int n = 0; n < before.length; n++) {
            boolean hit = event.blocks().get(world.blockOf(n));
            Moved kind;
            if (hit) {
                if (before[n] != region || fastestAfter[n] == region) {
                    continue; // not sent there, or still fastest there: nothing to move
                }
                int fresh = world.samplesFor(n, region, 1);
                kind = !world.measured(n) ? Moved.SLOWED_NEVER : fresh >= CHANGE_MIN_SAMPLES ? Moved.SLOWED_OWN
                        : fresh > 0 ? Moved.SLOWED_SPARSE : Moved.SLOWED_MEASURED_NONE;
                afterFirst[kind.ordinal()] += first[n] != region ? 1 : 0;
                afterSecond[kind.ordinal()] += second[n] != region ? 1 : 0;
            } else {
                kind = world.measured(n) ? Moved.OTHERS_MEASURED : Moved.OTHERS_NEVER;
                afterFirst[kind.ordinal()] += first[n] != before[n] ? 1 : 0;
                afterSecond[kind.ordinal()] += second[n] != before[n] ? 1 : 0;
            }
            count[kind.ordinal()]++;
        }
        Map<Moved, double[]> moved = new EnumMap<>(Moved.class);
        Map<Moved, Integer> counts = new EnumMap<>(Moved.class);
        for (Moved m : Moved.values()) {
            counts.put(m, count[m.ordinal()]);
            moved.put(m, new double[] {share(afterFirst[m.ordinal()], count[m.ordinal()]),
                    share(afterSecond[m.ordinal()], count[m.ordinal()])});
        }
        return new CongestionRun(event, fastestAfter, first, second, moved, counts,
                score(world, fastestAfter, second, event));
    }

    private static double share(int part, int whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    // ---------------------------------------------------------------------------------------------
    // The report.

    static String report(Run run, String load) {
        StringBuilder out = new StringBuilder();
        GeneratedInternet world = run.world();
        out.append("Generated internet (seed ").append(world.params().seed()).append("): ").append(world.describe())
                .append(".\n\n");
        out.append(nearTies(world, run.fastest())).append("\n\n");
        out.append("Share sent to the truly fastest region / mean extra RTT / p95 extra RTT:\n\n");
        out.append("| Client networks | Count |");
        run.scores().keySet().forEach(name -> out.append(' ').append(name).append(" |"));
        out.append("\n|---|---:|").append("---:|".repeat(run.scores().size())).append('\n');
        for (Group g : Group.values()) {
            int count = run.scores().values().iterator().next().get(g).count();
            out.append("| ").append(g.label).append(" | ").append(String.format(Locale.ROOT, "%,d", count)).append(" |");
            run.scores().values().forEach(s -> out.append(' ').append(s.get(g).cell()).append(" |"));
            out.append('\n');
        }
        // The targets' figures unrounded: a share shown as 97.0% may lie either side of 97%.
        run.scores().forEach((name, s) -> {
            QualityScore all = s.get(Group.ALL);
            out.append(String.format(Locale.ROOT, "%n%s, all networks: %.2f%% to the fastest region (%,d of %,d), %.3f ms of mean extra RTT.",
                    name, 100 * all.toFastest(), Math.round(all.toFastest() * all.count()), all.count(), all.meanExtraMs()));
        });
        out.append('\n');
        out.append("\nNear-ties counted as hits: share sent to a region within 0.5 ms of the truly fastest:\n\n");
        out.append("| Client networks |");
        run.scores().keySet().forEach(name -> out.append(' ').append(name).append(" |"));
        out.append("\n|---|").append("---:|".repeat(run.scores().size())).append('\n');
        for (Group g : Group.values()) {
            out.append("| ").append(g.label).append(" |");
            run.scores().values().forEach(s -> out.append(' ').append(s.get(g).nearCell()).append(" |"));
            out.append('\n');
        }
        for (MeasurementFeed.Result feed : run.feeds()) {
            out.append(String.format(Locale.ROOT, "%nFed %,d samples in %d requests: %,d accepted, %,d rejected, %,d dropped, "
                            + "%.1f s (%,.0f samples/s).", feed.posted(), feed.requests(), feed.accepted(), feed.rejected(),
                    feed.dropped(),
                    feed.nanos() / 1e9, feed.samplesPerSecond()));
            feed.rejections().forEach(r -> out.append("\n  rejected: ").append(r));
        }
        if (!run.rebuildMillis().isEmpty()) {
            out.append("\nRebuilds (the server's tookMillis): ").append(run.rebuildMillis()).append(" ms.\n");
        }
        CongestionRun c = run.congestion();
        if (c != null) {
            int[] networks = new int[1];
            for (int k = c.event().blocks().nextSetBit(0); k >= 0; k = c.event().blocks().nextSetBit(k + 1)) {
                networks[0] += world.blockEnd(k) - world.blockStart(k);
            }
            out.append(String.format(Locale.ROOT, "%nCongestion: %s slower by %.0f ms for %,d networks in %,d /20 blocks.%n%n",
                    world.regions().get(c.event().region()).name(), c.event().extraMs(), networks[0],
                    c.event().blocks().cardinality()));
            out.append("| Networks | Count | after 1 rebuild | after 2 rebuilds |\n|---|---:|---:|---:|\n");
            for (Moved m : Moved.values()) {
                out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %s |%n", m.label, c.counts().get(m),
                        percent(c.moved().get(m)[0]), percent(c.moved().get(m)[1])));
            }
            out.append("\nLearned table after the congestion (2 rebuilds), against the new truth:\n\n");
            out.append("| Client networks | Count | learned table |\n|---|---:|---:|\n");
            for (Group g : Group.values()) {
                QualityScore s = c.afterScores().get(g);
                out.append(String.format(Locale.ROOT, "| %s | %,d | %s |%n", g.label, s.count(), s.cell()));
            }
        }
        if (load != null) {
            out.append("\nLoad: ").append(load).append('\n');
        }
        return out.toString();
    }

    /** How many networks have another region within 0.5 ms and 1 ms of their fastest: near-ties, where a miss costs little. */
    static String nearTies(GeneratedInternet world, int[] fastest) {
        int half = 0;
        int one = 0;
        for (int n = 0; n < fastest.length; n++) {
            double best = world.trueRttMs(n, fastest[n]);
            double second = Double.POSITIVE_INFINITY;
            for (int r = 0; r < world.regionCount(); r++) {
                if (r != fastest[n]) {
                    second = Math.min(second, world.trueRttMs(n, r));
                }
            }
            half += second - best < 0.5 ? 1 : 0;
            one += second - best < 1 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "Near-ties: %.1f%% of the networks have a second region within 0.5 ms of their "
                + "fastest, %.1f%% within 1 ms.", 100.0 * half / fastest.length, 100.0 * one / fastest.length);
    }

    static String percent(Double share) {
        return share == null || share.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /**
     * {@code [--networks N] [--seed S] [--regions R] [--max-samples M] [--no-csv] [--no-learned]
     * [--no-congestion]}: prints the report as Markdown.
     */
    public static void main(String[] args) throws Exception {
        boolean csv = true;
        boolean learned = true;
        boolean congestion = true;
        List<String> others = new ArrayList<>();
        GeneratedInternet.Params params = worldParams(args, others);
        for (String arg : others) {
            switch (arg) {
                case "--no-csv" -> csv = false;
                case "--no-learned" -> learned = false;
                case "--no-congestion" -> congestion = false;
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        Options options = new Options(params, csv, learned, learned && congestion, 2, 4);
        Path dir = Files.createTempDirectory("wayfinder-quality-");
        String loadBefore = uptime();
        long start = System.nanoTime();
        Run run = run(options, dir);
        String load = "before " + loadBefore + "; after " + uptime() + String.format(Locale.ROOT, "; %.0f s in all",
                (System.nanoTime() - start) / 1e9);
        System.out.print(report(run, load));
        deleteTree(dir);
    }

    /**
     * The world of {@code [--networks N] [--seed S] [--regions R] [--max-samples M]} (the README's:
     * 100,000 networks, seed 1, 20 regions, 40 samples); every other argument goes to {@code others}, in order.
     */
    static GeneratedInternet.Params worldParams(String[] args, List<String> others) {
        int networks = 100_000;
        long seed = 1;
        int regions = 20;
        int maxSamples = 40;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--networks" -> networks = Integer.parseInt(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--regions" -> regions = Integer.parseInt(args[++i]);
                case "--max-samples" -> maxSamples = Integer.parseInt(args[++i]);
                default -> others.add(args[i]);
            }
        }
        return GeneratedInternet.Params.standard(seed, networks).withRegions(regions).withMaxSamples(maxSamples);
    }

    static String uptime() {
        try {
            String text = Files.readString(Path.of("/proc/loadavg")).trim();
            return "load average " + String.join(", ", List.of(text.split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "load average unknown";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
