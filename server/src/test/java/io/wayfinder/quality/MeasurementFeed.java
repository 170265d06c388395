package io.wayfinder.quality;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts a {@link GeneratedInternet}'s raw samples to a running server's {@code POST /api/v1/measurements},
 * as JSON lines ({@code {"clientIp", "region", "rttMs", "time"}}, the time in epoch milliseconds) in batches of {@link #BATCH}, the
 * request limit. One thread writes the batches while {@code senders} threads post them, each over its
 * own connection, so that the server, not this client, is what a rate measures (the writer runs
 * ahead by at most {@code senders} batches).
 */
final class MeasurementFeed {
    /** The API's limit on samples per request. */
    static final int BATCH = 100_000;
    static final String PATH = "/api/v1/measurements";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] END = new byte[0];

    /** What the server said about a feed. */
    record Result(long posted, long accepted, long rejected, long dropped, int requests, long nanos,
                  List<String> rejections) {
        double samplesPerSecond() {
            return posted / (nanos / 1e9);
        }
    }

    private final URI endpoint;
    private final String token;
    private final int senders;

    MeasurementFeed(URI apiBase, String token, int senders) {
        this.endpoint = apiBase.resolve(PATH);
        this.token = token;
        this.senders = senders;
    }

    /** Posts one round of the world's samples (see {@link GeneratedInternet#samples}). */
    Result post(GeneratedInternet world, int round, long fromMillis, long toMillis, GeneratedInternet.Congestion congestion)
            throws IOException, InterruptedException {
        List<String> names = world.regions().stream().map(r -> r.name()).toList();
        return post(sink -> world.samples(round, fromMillis, toMillis, congestion, sink), names);
    }

    /** Posts whatever {@code source} writes into its sink, in batches. */
    Result post(java.util.function.Consumer<GeneratedInternet.SampleSink> source, List<String> regionNames)
            throws IOException, InterruptedException {
        return send(batches -> {
            Batcher batcher = new Batcher(regionNames, batches);
            source.accept(batcher);
            batcher.flush();
        });
    }

    /** Posts request bodies made beforehand (so that a rate is the server's alone). */
    Result post(List<byte[]> bodies) throws IOException, InterruptedException {
        return send(batches -> {
            for (byte[] body : bodies) {
                try {
                    batches.put(body);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        });
    }

    private Result send(java.util.function.Consumer<BlockingQueue<byte[]>> producer) throws IOException, InterruptedException {
        BlockingQueue<byte[]> batches = new ArrayBlockingQueue<>(senders);
        AtomicLong posted = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<String> rejections = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            Thread t = new Thread(() -> {
                try {
                    byte[] body;
                    while ((body = batches.take()) != END) {
                        if (failure.get() != null) {
                            continue; // drain, so the writer never blocks
                        }
                        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(2))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        requests.incrementAndGet();
                        for (int retry = 0; response.statusCode() == 503 && retry < 60; retry++) {
                            Thread.sleep(1000); // the server reads a few batches at a time: Retry-After 1
                            response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            requests.incrementAndGet();
                        }
                        if (response.statusCode() / 100 != 2) {
                            throw new IOException("POST " + PATH + ": " + response.statusCode() + " " + response.body());
                        }
                        posted.addAndGet(lines(body));
                        JsonNode json = JSON.readTree(response.body());
                        accepted.addAndGet(json.path("accepted").asLong());
                        rejected.addAndGet(json.path("rejected").asLong());
                        dropped.addAndGet(json.path("dropped").asLong());
                        if (json.path("rejected").asLong() > 0 && rejections.size() < 5) {
                            rejections.add(response.body().length() > 500 ? response.body().substring(0, 500) : response.body());
                        }
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                    drain(batches);
                }
            }, "measurement-feed-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        try {
            producer.accept(batches);
        } finally {
            for (int i = 0; i < senders; i++) {
                batches.put(END);
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IOException("feeding measurements failed: " + failure.get().getMessage(), failure.get());
        }
        return new Result(posted.get(), accepted.get(), rejected.get(), dropped.get(), (int) requests.get(), nanos, List.copyOf(rejections));
    }

    private static int lines(byte[] body) {
        int n = 0;
        for (byte b : body) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private static void drain(BlockingQueue<byte[]> batches) {
        try {
            while (batches.take() != END) {
                // discard
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes samples as JSON lines and hands over each full batch. */
    static final class Batcher implements GeneratedInternet.SampleSink {
        private final List<String> regionNames;
        private final BlockingQueue<byte[]> out;
        private final StringBuilder text = new StringBuilder(BATCH * 96);
        private int inBatch;

        Batcher(List<String> regionNames, BlockingQueue<byte[]> out) {
            this.regionNames = regionNames;
            this.out = out;
        }

        @Override
        public void accept(int clientIp, int region, double rttMs, long timeMillis) {
            line(text, clientIp, regionNames.get(region), rttMs, timeMillis);
            if (++inBatch == BATCH) {
                flush();
            }
        }

        void flush() {
            if (inBatch == 0) {
                return;
            }
            byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
            text.setLength(0);
            inBatch = 0;
            try {
                out.put(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** One sample as a JSON line (the API's measurement shape). */
    static void line(StringBuilder out, int clientIp, String region, double rttMs, long timeMillis) {
        out.append("{\"clientIp\":\"").append(clientIp >>> 24).append('.').append((clientIp >>> 16) & 255).append('.')
                .append((clientIp >>> 8) & 255).append('.').append(clientIp & 255).append("\",\"region\":\"").append(region)
                .append("\",\"rttMs\":").append(rttMs).append(",\"time\":").append(timeMillis).append("}\n");
    }
}
