package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The metrics endpoint of the real server, as Prometheus and as a careless or hostile client use it:
 * GET and HEAD on /metrics only, and connections that never send a request cannot block a scrape.
 */
class MetricsEndpointIntegrationTest {
    @TempDir
    static Path dir;
    static TestDeployment deployment;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.startWithTcpAndMetrics(dir, "{}");
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void getOnMetricsIsAScrape() throws Exception {
        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(response.body()).contains("wayfinder_dns_responses_total{rcode=\"NOERROR\"}",
                "wayfinder_dns_tcp_connections_open");
    }

    @Test
    void headOnMetricsHasTheHeadersAndNoBody() throws Exception {
        HttpResponse<String> response = send("HEAD", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE"})
    void anotherMethodOnMetricsIs405(String method) throws Exception {
        HttpResponse<String> response = send(method, "/metrics");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/", "/metric", "/metrics/x", "/favicon.ico", "/-/healthy"})
    void anotherPathIs404(String path) throws Exception {
        assertThat(send("GET", path).statusCode()).isEqualTo(404);
    }

    @Test
    void aScrapeIsAnsweredWhileTwentyConnectionsSitIdle() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket("127.0.0.1", deployment.server.metricsPort());
                if (i % 2 == 1) { // one byte of a request, then nothing: what held a thread of the JDK server each
                    s.getOutputStream().write('G');
                    s.getOutputStream().flush();
                }
                idle.add(s);
            }

            assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aScrapeIsAnsweredWhileTwentyConnectionsHaveSentHalfARequest() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket("127.0.0.1", deployment.server.metricsPort());
                OutputStream out = s.getOutputStream();
                out.write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }

            assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aClientThatLeavesBeforeReadingItsScrapeDoesNotStopTheNext() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket("127.0.0.1", deployment.server.metricsPort())) {
                s.setSoLinger(true, 0); // a reset, as a killed scraper leaves
                s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }

        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + deployment.server.metricsPort() + path))
                .timeout(Duration.ofSeconds(3))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
