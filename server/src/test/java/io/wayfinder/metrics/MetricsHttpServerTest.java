package io.wayfinder.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What fails on the metrics endpoint is answered as such and counted in the registry it serves. */
class MetricsHttpServerTest {
    private static final String FAILURES = "wayfinder_metrics_http_failures_total";

    @Test
    void aScrapeThatFailsIsAnswered500AndCounted() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        AtomicBoolean broken = new AtomicBoolean(true);
        GaugeWithCallback.builder().name("fragile").help("a collector with a bug while broken is set")
                .callback(cb -> {
                    if (broken.get()) {
                        throw new IllegalStateException("a collector's bug");
                    }
                    cb.call(1);
                }).register(registry);
        try (MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry)) {
            HttpResponse<String> failed = get(server.port());
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("a collector's bug");
            assertThat(server.failures(MetricsHttpServer.Failure.SCRAPE)).isEqualTo(1);

            broken.set(false);
            HttpResponse<String> scrape = get(server.port());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(FAILURES + "{reason=\"scrape\"} 1.0")
                    .contains(FAILURES + "{reason=\"bad_request\"} 0.0")
                    .contains(FAILURES + "{reason=\"connection\"} 0.0");
        }
    }

    @Test
    void aRequestThatCannotBeParsedIsAnswered400AndCounted() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry);
             Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /" + "m".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status).isEqualTo("HTTP/1.1 400");

            assertThat(server.failures(MetricsHttpServer.Failure.BAD_REQUEST)).isEqualTo(1);
            assertThat(get(server.port()).body()).contains(FAILURES + "{reason=\"bad_request\"} 1.0");
        }
    }

    /** A client that closes before its request is whole (as a port check does) went away: not a failure. */
    @Test
    void aClientThatClosesBeforeItsRequestIsWholeIsNotAFailure() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (MetricsHttpServer server = MetricsHttpServer.start(new InetSocketAddress("127.0.0.1", 0), registry)) {
            for (String sent : new String[] {"", "GET /met", "GET /metrics HTTP/1.1\r\nHost: x\r\n"}) {
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
                }
            }
            String scrape = get(server.port()).body(); // after the three: one event loop takes them in order

            assertThat(scrape).contains(FAILURES + "{reason=\"bad_request\"} 0.0")
                    .contains(FAILURES + "{reason=\"connection\"} 0.0");
        }
    }

    private static HttpResponse<String> get(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
