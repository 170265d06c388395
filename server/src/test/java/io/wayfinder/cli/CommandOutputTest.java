package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees of a tool, run as its own process (logging is set up once per process, so only a
 * process shows it): stdout holds the result alone, and stderr holds no log lines of the machinery
 * the tool runs. Probing endpoints that refuse connections makes the monitor log WARN lines
 * (Degraded, fail-open) in a server; a tool prints those facts in its result instead.
 */
class CommandOutputTest {
    private static final String CONFIG = """
            zones:
              - name: example.test
                nameservers: [ns1.example.test]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                monitorConfig: {protocol: TCP, port: 1, intervalInSeconds: 2, timeoutInSeconds: 1, toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: a, target: 127.0.0.1}
                  - {name: b, target: 127.0.0.2}
            """;

    @TempDir
    Path dir;

    @Test
    void statusPrintsItsTableAndNoLogLines() throws Exception {
        Path config = Files.writeString(dir.resolve("wayfinder.yaml"), CONFIG);

        ProcessRun ran = ProcessRun.of("status", "--config", config.toString());

        assertThat(ran.exitCode()).as("not all is healthy").isEqualTo(StatusCommand.EXIT_UNHEALTHY);
        assertThat(ran.err()).isEmpty();
        assertThat(ran.out().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).startsWith("profile web: "));
        assertThat(ran.out()).contains("FAIL-OPEN").contains("Degraded").doesNotContain(" WARN ");
    }

    @Test
    void explainWithProbesPrintsTheDecisionAndNoLogLines() throws Exception {
        Path config = Files.writeString(dir.resolve("wayfinder.yaml"), CONFIG);

        ProcessRun ran = ProcessRun.of("explain", "--config", config.toString(), "--profile", "web", "--client", "192.0.2.1", "--probe");

        assertThat(ran.exitCode()).isZero();
        assertThat(ran.err()).isEmpty();
        assertThat(ran.out()).startsWith("client   192.0.2.1/32 (resolver address)\n").contains("FAIL-OPEN");
    }

    @Test
    void errorsStillGoToStderr() throws Exception {
        ProcessRun ran = ProcessRun.of("check-config", dir.resolve("missing.yaml").toString());

        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.out()).isEmpty();
        assertThat(ran.err()).contains("does not exist");
    }

    @Test
    void onlyServeKeepsItsLog() {
        assertThat(WayfinderCommand.serving(new String[] {"serve", "--config", "x"})).isTrue();
        assertThat(WayfinderCommand.serving(new String[] {"status", "--config", "serve"})).isFalse();
        assertThat(WayfinderCommand.serving(new String[] {"--help"})).isFalse();
    }
}
