package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.testing.CapturedLog;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error answer of the API, from the router, the tokens, the resources and Jetty itself, is
 * counted in {@code wayfinder_api_errors_total} by status and route (never by the path a client
 * chose) and logged.
 */
class ErrorAnswersApiTest {
    @TempDir
    Path dir;
    ApiDeployment d;
    private final CapturedLog log = new CapturedLog(ApiErrors.class);

    @BeforeEach
    void start() throws Exception {
        d = ApiDeployment.start(dir);
    }

    @AfterEach
    void stop() {
        d.close();
        log.close();
    }

    String metrics() throws Exception {
        return d.send(d.request("/metrics", null).GET().build()).body();
    }

    static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static String errors(int status, String route) {
        return "wayfinder_api_errors_total{route=\"" + route + "\",status=\"" + status + "\"}";
    }

    @Test
    void eachErrorAnswerIsCountedByStatusAndRouteAndLogged() throws Exception {
        assertThat(d.send(d.request("/no/such/thing", null).GET().build()).statusCode()).isEqualTo(404);
        assertThat(d.send(d.request("/no/such/other", null).GET().build()).statusCode()).isEqualTo(404);
        assertThat(d.send(d.request("/healthz", null).DELETE().build()).statusCode()).isEqualTo(405);
        assertThat(d.send(d.request("/api/v1/profiles", null).GET().build()).statusCode()).isEqualTo(401);
        assertThat(d.send(d.request("/api/v1/profiles/web", ApiDeployment.READER).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode()).isEqualTo(403);
        String big = "{\"x\": \"" + "a".repeat(RequestBodies.MAX_BYTES) + "\"}";
        assertThat(d.write("PUT", "/api/v1/profiles/web", big).statusCode()).isEqualTo(413);

        String m = metrics();
        assertThat(value(m, errors(404, ApiErrors.NO_ROUTE))).isEqualTo(2);
        assertThat(value(m, errors(405, "/healthz"))).isEqualTo(1);
        assertThat(value(m, errors(401, "/api/v1/profiles"))).isEqualTo(1);
        assertThat(value(m, errors(403, "/api/v1/profiles/{name}"))).isEqualTo(1);
        assertThat(value(m, errors(413, "/api/v1/profiles/{name}"))).isEqualTo(1);
        assertThat(m).as("a path the client chose is never a label").doesNotContain("/no/such");

        assertThat(log.lines()).contains(
                "API answered 404 to GET /no/such/thing from 127.0.0.1: no such resource: /no/such/thing (see API reference"
                        + " in the README) (at most one such line every 10 s)",
                "API answered 401 to GET /api/v1/profiles from 127.0.0.1: a token is required: Authorization: Bearer TOKEN"
                        + " (one of api.tokens) (at most one such line every 10 s)");
        assertThat(log.lines()).as("the second 404 within 10 s: counted, not logged")
                .noneMatch(l -> l.contains("/no/such/other"));
        assertThat(log.lines()).anyMatch(l -> l.startsWith("API answered 405 to DELETE /healthz from 127.0.0.1: DELETE is not allowed"))
                .anyMatch(l -> l.startsWith("API answered 403 to PUT /api/v1/profiles/web from 127.0.0.1: token 'dashboard' is a reader"))
                .anyMatch(l -> l.startsWith("API answered 413 to PUT /api/v1/profiles/web from 127.0.0.1: the body is larger"));
    }

    @Test
    void whatJettyRefusesBeforeAnyRouteIsCountedToo() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", d.server.apiPort()), 3000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 ");
        }
        assertThat(value(metrics(), errors(400, ApiErrors.NO_ROUTE))).isEqualTo(1);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("API answered 400 to a request Jetty refused from 127.0.0.1"));
    }
}
