package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the client commands do when the server cannot be reached, fails, refuses, or is not named:
 * the exit code (1 runtime, 2 input), the lines on stderr, and never the token. A stand-in server
 * (the JDK's) plays the API where a real one cannot be made to fail, and records what it was sent.
 */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class ClientFailuresTest {
    private static final String TOKEN = "secret-token-0123456789abcdef";

    @TempDir
    Path dir;

    /** A request the stand-in server got: method, path and the headers that matter here. */
    record Seen(String method, String path, String ifMatch, String authorization, String contentType, String body) {
    }

    /** The JDK's HTTP server on loopback, answering each request with {@code answer}. */
    private static HttpServer standIn(List<Seen> seen, Answer answer) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        http.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("If-Match"), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            answer.answer(exchange);
        });
        http.start();
        return http;
    }

    interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private static void send(HttpExchange exchange, int status, String etag, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (etag != null) {
            exchange.getResponseHeaders().add("ETag", etag);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String url(HttpServer http) {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @Test
    void anUnreachableServerExits1NamingItsUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }

        ClientRun run = ClientRun.of("profile", "list", "--server", "127.0.0.1:" + port, "--token", TOKEN);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("cannot reach the server at http://127.0.0.1:" + port + ": connection refused (is it"
                + " running, with api: set? --server or WAYFINDER_SERVER names its api.listen)\n");
    }

    @Test
    void aServerErrorExits1WithItsMessage() throws IOException {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer http = standIn(seen, exchange -> send(exchange, 503, null,
                "{\"status\":503,\"error\":\"Service Unavailable\",\"message\":\"the store failed: disk I/O error\",\"errors\":[]}"));
        try {
            ClientRun run = ClientRun.of("export", "--server", url(http), "--token", TOKEN);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("GET /api/v1/profiles: 503 Service Unavailable: the store failed: disk I/O error\n");
            assertThat(seen).singleElement().satisfies(s -> assertThat(s.authorization()).isEqualTo("Bearer " + TOKEN));
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aServerThatIsNotTheApiIsSaidSo() throws IOException {
        HttpServer http = standIn(new CopyOnWriteArrayList<>(), exchange -> {
            byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        try {
            ClientRun run = ClientRun.of("profile", "list", "--server", url(http), "--token", TOKEN);

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("the answer is not JSON; is " + url(http) + " a Wayfinder API (api.listen)?");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void anEndpointEditSendsIfMatchWithTheVersionItReadAndSays412IsSomeoneElsesChange() throws IOException {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        HttpServer http = standIn(seen, exchange -> {
            if (exchange.getRequestMethod().equals("GET")) {
                send(exchange, 200, "\"7\"", """
                        {"version": 7, "name": "web", "zone": "app.test", "trafficRoutingMethod": "Weighted",
                         "dnsConfig": {"relativeName": "www", "ttl": 30},
                         "endpoints": [{"name": "a", "target": "192.0.2.1"}, {"name": "b", "target": "192.0.2.2"}]}
                        """);
            } else {
                // Someone else wrote version 8 in between.
                send(exchange, 412, null, "{\"status\":412,\"error\":\"Precondition Failed\",\"message\":\"profile web is at"
                        + " version 8, not the one the request names\",\"errors\":[]}");
            }
        });
        try {
            ClientRun run = ClientRun.of("endpoint", "set", "web", "b", "weight=5", "endpointStatus=Disabled",
                    "--server", url(http), "--token", TOKEN);

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("""
                    PATCH /api/v1/profiles/web/endpoints/b: 412 Precondition Failed: profile web is at version 8, not the one the request names
                    profile web was changed by someone else since it was read (at version 7); nothing was changed. Run again
                    """);
            assertThat(seen).extracting(Seen::method).containsExactly("GET", "PATCH");
            Seen patch = seen.get(1);
            assertThat(patch.ifMatch()).isEqualTo("\"7\"");
            assertThat(patch.contentType()).isEqualTo("application/merge-patch+json");
            assertThat(patch.body()).isEqualTo("{\"weight\":5,\"endpointStatus\":\"Disabled\"}");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aWrongTokenExits2WithoutPrintingIt() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            ClientRun run = server.runAs(TOKEN, "profile", "list");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("""
                    GET /api/v1/profiles: 401 Unauthorized: the token is not valid (it is not one of api.tokens)
                    give a token of the server's api.tokens: --token TOKEN or the environment variable WAYFINDER_TOKEN
                    """);
            assertThat(run.out() + run.err()).doesNotContain(TOKEN);
        }
    }

    @Test
    void aTokenThatCannotBeAHeaderIsRefusedWithoutQuotingIt() {
        ClientRun run = ClientRun.of("profile", "list", "--server", "127.0.0.1:1", "--token", "bad token\n");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("the token has characters no token of api.tokens has (they are visible ASCII)\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            profile list                               | Missing the server: --server URL or the environment variable WAYFINDER_SERVER
            profile list --server ftp://x              | --server ftp://x: not an http:// or https:// URL with a host
            profile list --server http://h:1/?q=1      | --server http://h:1/?q=1: a server URL has no user, query or fragment
            status                                     | Missing the configuration: --config FILE, or --server URL to ask a running server
            explain --profile web --client 192.0.2.1   | Missing the configuration: --config FILE, or --server URL to ask a running server
            status --server 127.0.0.1:1 --rounds 2     | --rounds probes from here, with --config
            profile                                    | Missing what to do: list, show, create, update or delete
            endpoint                                   | Missing what to do: list, show, enable, disable or set
            profile create                             | Missing required option: '--file=FILE'
            export -o table                            | Invalid value for option '--output'
            """)
    void usageErrorsExit2(String args, String message) {
        assumeTrue(System.getenv(ServerOptions.SERVER_VARIABLE) == null, "WAYFINDER_SERVER is set in this environment");

        ClientRun run = ClientRun.of(args.split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains(message);
    }
}
