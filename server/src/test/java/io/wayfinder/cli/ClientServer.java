package io.wayfinder.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.wayfinder.api.ApiDeployment;
import io.wayfinder.control.LatencyLearningService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * An {@link ApiDeployment} for the client commands to talk to, with the arguments that name it
 * ({@code --server}, {@code --token}), and the server's log kept out of what a command prints.
 */
final class ClientServer implements AutoCloseable {
    /** web and eu, and parent: Performance between eu (nested, westeurope) and us (eastus), so latency shows. */
    static final String PROFILES = ApiDeployment.WEB_AND_EU + """
              - name: parent
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: parent}
                endpoints:
                  - {name: child, type: nested, target: eu, endpointLocation: westeurope}
                  - {name: us, target: 192.0.2.30, endpointLocation: eastus}
            """;

    private final ApiDeployment deployment;
    private final Level level;
    final Path configFile;
    final String url;

    private ClientServer(ApiDeployment deployment, Level level) {
        this.deployment = deployment;
        this.level = level;
        this.configFile = deployment.configFile;
        this.url = deployment.url();
    }

    static ClientServer start(Path dir) throws Exception {
        return start(dir, ApiDeployment.SETTINGS + PROFILES);
    }

    static ClientServer start(Path dir, String config) throws Exception {
        return start(dir, config, LatencyLearningService.Learners.LEARNED);
    }

    /** With this learner (latency learning's tests give {@code FakeLearning}). */
    static ClientServer start(Path dir, String config, LatencyLearningService.Learners learners) throws Exception {
        // The server runs in the test's process: its log (written to whatever System.err is at the
        // time) would land in the stderr a test captures from a command. A command's own process has
        // no server; CommandOutputTest checks what it prints there.
        Logger root = root();
        Level level = root.getLevel();
        root.setLevel(Level.OFF);
        try {
            return new ClientServer(ApiDeployment.start(dir, config, learners), level);
        } catch (Exception | Error e) {
            root.setLevel(level);
            throw e;
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** {@code wayfinder args... --server URL --token WRITER}. */
    ClientRun run(String... args) {
        return ClientRun.of(named(ApiDeployment.WRITER, args));
    }

    /** The same, with {@code stdin} as standard input. */
    ClientRun runWithStdin(String stdin, String... args) {
        return ClientRun.withStdin(stdin, named(ApiDeployment.WRITER, args));
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
        return ApiDeployment.json(deployment.get(path));
    }

    /** Queries {@code name} {@code times} times as a resolver passing ECS {@code network/24}, then merges Traffic View. */
    void queryFrom(String name, String network, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            if (deployment.askFor(name, network, 24) != 0) {
                throw new AssertionError(name + " from " + network + " was not answered NOERROR");
            }
        }
        deployment.mergeTraffic();
    }

    /** Queries {@code name} once without ECS (the network counted is the resolver's, 127.0.0.0/24), then merges Traffic View. */
    void queryWithoutEcs(String name) throws Exception {
        if (deployment.rcode(name) != 0) {
            throw new AssertionError(name + " was not answered NOERROR");
        }
        deployment.mergeTraffic();
    }

    /** The store's revision: it grows with every write, so an unchanged revision means nothing was written. */
    long revision() throws Exception {
        return get("/api/v1/profiles").get("revision").asLong();
    }

    @Override
    public void close() {
        try {
            deployment.close();
        } finally {
            root().setLevel(level);
        }
    }
}
