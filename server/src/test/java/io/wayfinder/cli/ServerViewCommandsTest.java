package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wayfinder.api.ApiDeployment;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import tools.jackson.databind.JsonNode;

/** {@code status --server}, {@code explain --server} and {@code audit} against a running server. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class ServerViewCommandsTest {
    @TempDir
    Path dir;

    @Test
    void statusOfAHealthyServerExitsZero() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            ClientRun run = server.runAs(ApiDeployment.READER, "status");

            assertThat(run.exitCode()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).startsWith("""
                    profile web: Online
                      endpoint       target                   status           fails oks since                last probe
                      primary        192.0.2.10               Unmonitored      -     -   -                    -
                    """).endsWith("healthy: 3 profile(s), 0 endpoint(s) Degraded, 0 profile(s) failing open or on fallback\n");

            ClientRun json = server.runAs(ApiDeployment.READER, "status", "-o", "json");
            JsonNode status = ApiDeployment.JSON.readTree(json.out());
            assertThat(status.get("summary").get("healthy").asBoolean()).isTrue();
            assertThat(status.get("configuration").get("profiles").asString()).isEqualTo("store");
        }
    }

    @Test
    void statusExitsNonZeroWhenAnEndpointIsDegraded() throws Exception {
        try (ServerSocket up = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            // One port: open on 127.0.0.1, refused on 127.0.0.2.
            String profiles = """
                    profiles:
                      - name: web
                        trafficRoutingMethod: Priority
                        dnsConfig: {relativeName: www}
                        monitorConfig: {protocol: TCP, port: %d, intervalInSeconds: 1, timeoutInSeconds: 0.5, toleratedNumberOfFailures: 0}
                        endpoints:
                          - {name: up, target: 127.0.0.1}
                          - {name: down, target: 127.0.0.2}
                    """.formatted(up.getLocalPort());
            try (ClientServer server = ClientServer.start(dir, ApiDeployment.SETTINGS + profiles)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> !server.get("/api/v1/status").get("summary").get("healthy")
                        .asBoolean());

                ClientRun run = server.runAs(ApiDeployment.READER, "status");

                assertThat(run.exitCode()).isEqualTo(StatusCommand.EXIT_UNHEALTHY);
                assertThat(run.out()).contains("\n  down           127.0.0.2                Degraded         ")
                        .contains("connection refused")
                        .endsWith("NOT HEALTHY: 1 profile(s), 1 endpoint(s) Degraded, 0 profile(s) failing open or on fallback\n");
                assertThat(run.err()).isEmpty();

                ClientRun json = server.runAs(ApiDeployment.READER, "status", "-o", "json");
                assertThat(json.exitCode()).isEqualTo(StatusCommand.EXIT_UNHEALTHY);
                assertThat(ApiDeployment.JSON.readTree(json.out()).get("summary").get("endpointsDegraded").asInt()).isEqualTo(1);
            }
        }
    }

    @Test
    void explainFromTheServerIsTheDecisionExplainPrintsFromTheFile() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            String[] question = {"--profile", "parent", "--client", "81.2.69.0/24"};
            // The file's profiles seeded the store unchanged, and nothing is probed: the same world.
            ClientRun local = ClientRun.of(concat(new String[] {"explain", "--config", server.configFile.toString(), "--json"},
                    question));
            ClientRun remote = server.runAs(ApiDeployment.READER, concat(new String[] {"explain", "-o", "json"}, question));

            assertThat(remote.exitCode()).as(remote.err()).isZero();
            assertThat(remote.out()).isEqualTo(local.out());
            assertThat(ApiDeployment.JSON.readTree(remote.out()).get("answers").get(0).get("target").asString())
                    .isEqualTo("192.0.2.20");

            ClientRun localText = ClientRun.of(concat(new String[] {"explain", "--config", server.configFile.toString()}, question));
            ClientRun remoteText = server.runAs(ApiDeployment.READER, concat(new String[] {"explain"}, question));
            assertThat(remoteText.out()).isEqualTo(localText.out()).contains("answer   only -> 192.0.2.20");
        }
    }

    @Test
    void explainFromTheServerChecksItsQuestionLikeTheLocalOne() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            ClientRun badClient = server.runAs(ApiDeployment.READER, "explain", "--profile", "web", "--client", "300.1.1.1");
            assertThat(badClient.exitCode()).isEqualTo(2);
            assertThat(badClient.err()).startsWith("--client ");

            ClientRun unknown = server.runAs(ApiDeployment.READER, "explain", "--profile", "nope", "--client", "192.0.2.1");
            assertThat(unknown.exitCode()).isEqualTo(2);
            assertThat(unknown.err()).contains("404 Not Found: no profile named 'nope' is served");

            ClientRun both = server.runAs(ApiDeployment.READER, "explain", "--config", server.configFile.toString(),
                    "--profile", "web", "--client", "192.0.2.1");
            assertThat(both.exitCode()).isEqualTo(2);
            assertThat(both.err()).contains("Give --config FILE or --server URL, not both");
        }
    }

    @Test
    void auditPrintsEachWriteWithWhatItChanged() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            server.run("endpoint", "disable", "web", "primary");

            ClientRun run = server.runAs(ApiDeployment.READER, "audit", "--profile", "web");

            assertThat(run.exitCode()).isZero();
            assertThat(run.out().lines().toList()).hasSize(5);
            assertThat(run.out().lines().findFirst()).hasValueSatisfying(l -> assertThat(l).matches("TIME +REVISION +ACTOR +ACTION +RESOURCE"));
            assertThat(run.out().lines().skip(1).findFirst()).hasValueSatisfying(l -> assertThat(l)
                    .matches("\\d{4}-\\d\\d-\\d\\dT[^ ]+Z +4 +ci +PATCH +profiles/web/endpoints/primary"));
            assertThat(run.out()).contains("\n    profile web: endpoint primary: endpointStatus Enabled -> Disabled\n")
                    .contains(" seed ");

            ClientRun json = server.runAs(ApiDeployment.READER, "audit", "--limit", "1", "-o", "json");
            assertThat(ApiDeployment.JSON.readTree(json.out())).isEqualTo(server.get("/api/v1/audit?limit=1"));

            ClientRun bad = server.runAs(ApiDeployment.READER, "audit", "--since", "yesterday");
            assertThat(bad.exitCode()).isEqualTo(2);
            assertThat(bad.err()).contains("400 Bad Request").contains("\n  since: must be a UTC time");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
