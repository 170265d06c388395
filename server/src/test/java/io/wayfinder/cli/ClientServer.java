package io.wayfinder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.runtime.WayfinderServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Wayfinder with {@code api:} on ephemeral loopback ports, its store in a temporary
 * directory, for the client commands to talk to; and the arguments that name it. A writer token
 * ({@link #WRITER}, named {@code ci}) and a reader token ({@link #READER}).
 */
final class ClientServer implements AutoCloseable {
    static final String WRITER = "writer-token-0123456789abcdef";
    static final String READER = "reader-token-0123456789abcdef";
    static final JsonMapper JSON = JsonMapper.builder().build();

    static final String SETTINGS = """
            dns:
              listen: ["127.0.0.1:0"]
            api:
              listen: "127.0.0.1:0"
              tokens:
                - {name: ci, token: %s, role: writer}
                - {name: dashboard, token: %s, role: reader}
            zones:
              - name: app.test
                nameservers: [ns1.app.test]
            geolocation:
              csv: geo.csv
            latency:
              sources: [latency.csv]
            """.formatted(WRITER, READER);

    static final String PROFILES = """
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www, ttl: 5}
                endpoints:
                  - {name: primary, target: 192.0.2.10}
                  - {name: secondary, target: 192.0.2.11}
              - name: eu
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: eu}
                endpoints:
                  - {name: only, target: 192.0.2.20}
              - name: parent
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: parent}
                endpoints:
                  - {name: child, type: nested, target: eu, endpointLocation: westeurope}
                  - {name: us, target: 192.0.2.30, endpointLocation: eastus}
            """;

    final Path dir;
    final Path configFile;
    final WayfinderServer server;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Level level;

    private ClientServer(Path dir, Path configFile, WayfinderServer server, Level level) {
        this.level = level;
        this.dir = dir;
        this.configFile = configFile;
        this.server = server;
        this.url = "http://127.0.0.1:" + server.apiPort();
    }

    static ClientServer start(Path dir) throws Exception {
        return start(dir, SETTINGS + PROFILES);
    }

    static ClientServer start(Path dir, String config) throws Exception {
        return start(dir, config, LatencyLearningService.Learners.LEARNED);
    }

    /** With this learner (latency learning's tests give {@code FakeLearning}). */
    static ClientServer start(Path dir, String config, LatencyLearningService.Learners learners) throws Exception {
        Files.writeString(dir.resolve("latency.csv"), """
                prefix,region,rtt_ms,samples
                81.2.69.0/24,westeurope,10,20
                81.2.69.0/24,eastus,80,20
                """);
        Files.writeString(dir.resolve("geo.csv"), """
                prefix,latitude,longitude,country
                81.2.69.0/24,51.514301,-0.091224,GB
                """);
        Path file = dir.resolve("wayfinder.yaml");
        Files.writeString(file, config);
        // The server runs in the test's process: its log (written to whatever System.err is at the
        // time) would land in the stderr a test captures from a command. A command's own process has
        // no server; CommandOutputTest checks what it prints there.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level level = root.getLevel();
        root.setLevel(Level.OFF);
        try {
            return new ClientServer(dir, file, WayfinderServer.start(file,
                    new WayfinderServer.Options(List.of(), 1, 50).withLearners(learners)), level);
        } catch (Exception | Error e) {
            root.setLevel(level);
            throw e;
        }
    }

    /** {@code wayfinder args... --server URL --token WRITER}. */
    ClientRun run(String... args) {
        return ClientRun.of(named(WRITER, args));
    }

    /** The same, with {@code stdin} as standard input. */
    ClientRun runWithStdin(String stdin, String... args) {
        return ClientRun.withStdin(stdin, named(WRITER, args));
    }

    /** {@code wayfinder args... --server URL --token TOKEN}. */
    ClientRun runAs(String token, String... args) {
        return ClientRun.of(named(token, args));
    }

    private String[] named(String token, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url, "--token", token));
        return all.toArray(String[]::new);
    }

    /** GET of an API path with the reader token, as JSON. */
    JsonNode get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + READER).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** The store's revision: it grows with every write, so an unchanged revision means nothing was written. */
    long revision() throws Exception {
        return get("/api/v1/profiles").get("revision").asLong();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
        }
    }
}
