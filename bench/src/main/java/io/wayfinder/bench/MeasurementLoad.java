package io.wayfinder.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingestion rate of {@code POST /api/v1/measurements} on loopback: starts {@code wayfinder serve}
 * from a jar with latency learning on (Wayfinder's own learner) and posts pre-generated batches of
 * measurements from several connections for a while, counting what the server accepted.
 *
 * <pre>
 *   java -cp benchmarks.jar io.wayfinder.bench.MeasurementLoad --jar wayfinder-all.jar
 *        [--seconds 30] [--connections 2] [--batch 100000] [--format json|ndjson] [--server-opts "-Xmx2g"]
 * </pre>
 *
 * The learned table is rebuilt every 10 s meanwhile, as a busy server's would be, and the learner
 * folds the samples in between rebuilds once a million wait; the rebuilds' and folds' CPU is part
 * of what is measured. What the learner could not take (its cap of 8 M new samples waiting) the
 * answer says as {@code dropped}; this counts it apart from what was kept, and at the end asks
 * the server's coverage for its own count.
 *
 * <p>Samples are IPv4 addresses in 200,000 /24s, 8 Azure regions, RTTs of 5-300 ms and ISO-8601
 * times within the last hour (the most expensive form of time to read); every batch differs. The
 * bodies are built before the clock starts, so the client's own cost is sending them. The rate is
 * samples accepted divided by the time from the first request to the last answer; the first
 * {@value #WARMUP_SECONDS} seconds (the JIT compiling the parser) are run and not counted.
 */
public final class MeasurementLoad {
    static final int WARMUP_SECONDS = 10;
    private static final String TOKEN = "bench-writer-token-0123456789abcdef";
    private static final String[] REGIONS = {"westeurope", "northeurope", "eastus", "westus2", "southeastasia",
        "japaneast", "australiaeast", "brazilsouth"};
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\":(\\d+)");
    private static final Pattern DROPPED = Pattern.compile("\"dropped\":(\\d+)");

    private MeasurementLoad() {
    }

    public static void main(String[] args) throws Exception {
        String jar = null;
        int seconds = 30;
        int connections = 2;
        int batch = 100_000;
        String format = "json";
        String serverOpts = "-Xmx2g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jar" -> jar = args[++i];
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--connections" -> connections = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--format" -> format = args[++i];
                case "--server-opts" -> serverOpts = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (jar == null) {
            throw new IllegalArgumentException("--jar wayfinder-all.jar is required");
        }
        boolean lines = format.equals("ndjson");
        Path dir = Files.createTempDirectory("wayfinder-ingest");
        int apiPort = freePort();
        int dnsPort = freePort();
        Files.writeString(dir.resolve("wayfinder.yaml"), """
                dns:
                  listen: ["127.0.0.1:%d"]
                api:
                  listen: "127.0.0.1:%d"
                  tokens: [{name: bench, token: %s, role: writer}]
                zones: [{name: bench.test, nameservers: [ns1.bench.test]}]
                latency:
                  learn: true
                  rebuildInterval: 10s
                profiles: []
                """.formatted(dnsPort, apiPort, TOKEN));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(serverOpts.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar, "serve", "--config", dir.resolve("wayfinder.yaml").toString(), "--log-level", "warn"));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI uri = URI.create("http://127.0.0.1:" + apiPort + "/api/v1/measurements");
            waitUntilReady(http, apiPort, server, dir);

            int bodies = Math.max(4, connections * 2);
            System.out.printf(Locale.ROOT, "generating %d bodies of %,d samples (%s)...%n", bodies, batch, format);
            List<byte[]> generated = new ArrayList<>();
            Random random = new Random(1);
            long bytes = 0;
            for (int b = 0; b < bodies; b++) {
                byte[] body = body(random, batch, lines);
                bytes += body.length;
                generated.add(body);
            }
            System.out.printf(Locale.ROOT, "%.1f bytes a sample; warming up for %d s...%n", (double) bytes / bodies / batch,
                    WARMUP_SECONDS);
            run(http, uri, generated, connections, WARMUP_SECONDS, lines);
            System.out.printf(Locale.ROOT, "measuring for %d s with %d connection(s)...%n", seconds, connections);
            double[] r = run(http, uri, generated, connections, seconds, lines);
            long posted = (long) r[2] * batch;
            // "accepted" is what the learner took (kept); "dropped" passed the checks but met the
            // learner's pending cap. The server's own counters, over the whole run (warm-up too),
            // say the same from its side.
            System.out.printf(Locale.ROOT, "%,d samples posted in %.1f s (%d requests, %.0f ms each on average): %,d kept"
                            + " by the learner = %,.0f samples/s kept; %,d dropped at the pending cap; %,d rejected%n",
                    posted, r[1], (long) r[2], r[1] * 1000 * connections / r[2], (long) r[0], r[0] / r[1], (long) r[3],
                    posted - (long) r[0] - (long) r[3]);
            HttpResponse<String> coverage = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                    + "/api/v1/latency/coverage")).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher pending = Pattern.compile("\"pendingSamples\":(\\d+)").matcher(coverage.body());
            Matcher droppedSince = Pattern.compile("\"droppedSamples\":(\\d+)").matcher(coverage.body());
            System.out.printf(Locale.ROOT, "the server's learner at the end: %s samples pending (not yet folded in), %s dropped"
                    + " since start%n", pending.find() ? pending.group(1) : "?", droppedSince.find() ? droppedSince.group(1) : "?");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** Posts the bodies round-robin from {@code connections} threads for {@code seconds}; {accepted, seconds, requests}. */
    private static double[] run(HttpClient http, URI uri, List<byte[]> bodies, int connections, int seconds, boolean lines)
            throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int first = c;
            Thread t = new Thread(() -> {
                for (int k = first; System.nanoTime() < end; k += connections) {
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", lines ? "application/x-ndjson" : "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(k % bodies.size()))).build();
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        Matcher m = ACCEPTED.matcher(r.body());
                        if (r.statusCode() != 200 || !m.find()) {
                            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        }
                        accepted.addAndGet(Long.parseLong(m.group(1)));
                        Matcher d = DROPPED.matcher(r.body());
                        if (d.find()) {
                            dropped.addAndGet(Long.parseLong(d.group(1)));
                        }
                        requests.incrementAndGet();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "load-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new double[] {accepted.get(), elapsed, requests.get(), dropped.get()};
    }

    private static byte[] body(Random random, int n, boolean lines) {
        StringBuilder out = new StringBuilder(n * 100);
        long now = System.currentTimeMillis();
        out.append(lines ? "" : "[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(lines ? "\n" : ",\n");
            }
            int net = random.nextInt(200_000);
            out.append("{\"clientIp\":\"").append(11 + net / 65536).append('.').append(net / 256 % 256).append('.')
                    .append(net % 256).append('.').append(1 + random.nextInt(254))
                    .append("\",\"region\":\"").append(REGIONS[random.nextInt(REGIONS.length)])
                    .append("\",\"rttMs\":").append(5 + random.nextInt(2950) / 10.0)
                    .append(",\"time\":\"").append(java.time.Instant.ofEpochMilli(now - random.nextInt(3_600_000)))
                    .append("\"}");
        }
        out.append(lines ? "\n" : "]");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void waitUntilReady(HttpClient http, int port, Process server, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited: " + Files.readString(dir.resolve("server.log")));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not ready within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
