package io.wayfinder.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.wayfinder.net.IpPrefix;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Batches, the bounded buffer and the retry, against a stand-in for the API on loopback. */
class SamplePosterTest {
    HttpServer api;
    final List<String> bodies = new ArrayList<>();
    final List<String> queries = new ArrayList<>();
    volatile int status = 200;

    @BeforeEach
    void start() throws Exception {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/api/v1/measurements", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int lines = body.split("\n").length;
            synchronized (this) {
                bodies.add(body);
                queries.add(exchange.getRequestURI().getRawQuery() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                        + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            byte[] answer = (status == 200 ? "{\"accepted\": " + lines + ", \"rejected\": 0}"
                    : "{\"error\": \"Service Unavailable\", \"message\": \"try later\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    private SamplePoster poster(int batch, int capacity) {
        return new SamplePoster(new AgentHttp(URI.create("http://127.0.0.1:" + api.getAddress().getPort()), "t0ken"), batch, capacity);
    }

    private static List<Sample> samples(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new Sample(IpPrefix.parse("81.2." + i + ".0/24"), 1_000_000L * (i + 1),
                1_780_000_000_000L)).toList();
    }

    @Test
    void samplesArePostedAsJsonLinesInBatches() throws Exception {
        SamplePoster poster = poster(2, 10);
        poster.add(samples(0, 5));
        SamplePoster.Flush f = poster.flush("westeurope");
        assertThat(f.posted()).isEqualTo(5);
        assertThat(f.accepted()).isEqualTo(5);
        assertThat(f.failed()).isFalse();
        assertThat(bodies).extracting(b -> b.split("\n").length).containsExactly(2, 2, 1);
        assertThat(bodies.get(0)).startsWith(
                "{\"clientNetwork\":\"81.2.0.0/24\",\"region\":\"westeurope\",\"rttMs\":1.0,\"time\":1780000000000}\n");
        assertThat(queries).containsOnly("source=agent%3Awesteurope Bearer t0ken application/x-ndjson");
        assertThat(poster.waiting()).isZero();
    }

    @Test
    void aFailedPostKeepsTheSamplesForTheNextFlush() throws Exception {
        SamplePoster poster = poster(2, 10);
        poster.add(samples(0, 3));
        status = 503;
        SamplePoster.Flush f = poster.flush("westeurope");
        assertThat(f.failed()).isTrue();
        assertThat(f.refused()).as("a 5xx is worth trying again").isFalse();
        assertThat(f.error()).contains("503").contains("try later").doesNotContain("t0ken");
        assertThat(poster.waiting()).isEqualTo(3);
        assertThat(poster.failedPosts()).isEqualTo(1);
        status = 200;
        bodies.clear();
        assertThat(poster.flush("westeurope").posted()).isEqualTo(3);
        assertThat(String.join("", bodies)).contains("81.2.0.0/24").contains("81.2.2.0/24");
    }

    @Test
    void beyondTheBufferTheOldestAreDroppedAndCounted() throws Exception {
        SamplePoster poster = poster(2, 4);
        poster.add(samples(0, 3));
        poster.add(samples(3, 6));
        assertThat(poster.waiting()).isEqualTo(4);
        assertThat(poster.dropped()).isEqualTo(2);
        assertThat(poster.next()).extracting(s -> s.network().toString()).containsExactly("81.2.2.0/24", "81.2.3.0/24");
    }

    @Test
    void anUnreachableServerIsAFailureThatNamesItButNotTheToken() throws Exception {
        api.stop(0);
        SamplePoster poster = poster(2, 4);
        poster.add(samples(0, 1));
        SamplePoster.Flush f = poster.flush("westeurope");
        assertThat(f.failed()).isTrue();
        assertThat(f.error()).contains("cannot reach the server at http://127.0.0.1:").doesNotContain("t0ken");
        assertThat(poster.waiting()).isEqualTo(1);
    }
}
