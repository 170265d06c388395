package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import io.wayfinder.profile.read.MinimalConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client as a script runs it: its own process, the server and token from the environment
 * ({@code WAYFINDER_SERVER}, {@code WAYFINDER_TOKEN}), stdout holding the result alone and stderr
 * nothing but errors (no log line), the exit code from {@code System.exit}.
 */
class ClientProcessTest {
    @TempDir
    Path dir;

    @Test
    void theServerAndTokenComeFromTheEnvironmentAndOnlyTheResultIsPrinted() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            Map<String, String> env = Map.of(ServerOptions.SERVER_VARIABLE, server.url,
                    ServerOptions.TOKEN_VARIABLE, ApiDeployment.WRITER);

            ProcessRun exported = ProcessRun.of(env, "", "export");
            assertThat(exported.exitCode()).isZero();
            assertThat(exported.err()).isEmpty();
            assertThat(exported.out()).startsWith("# The profiles of " + server.url);

            String edited = exported.out().replace("ttl: 5", "ttl: 7");
            ProcessRun dryRun = ProcessRun.of(env, edited, "apply", "-f", "-", "--dry-run");
            assertThat(dryRun.exitCode()).isZero();
            assertThat(dryRun.err()).isEmpty();
            assertThat(dryRun.out()).isEqualTo("""
                    profile web: dnsConfig.ttl 5 -> 7
                    dry run: 0 to create, 1 to update, 0 to delete, 2 unchanged; nothing was changed
                    """);

            ProcessRun applied = ProcessRun.of(env, edited, "apply", "-f", "-");
            assertThat(applied.exitCode()).isZero();
            assertThat(applied.err()).isEmpty();
            assertThat(server.get("/api/v1/profiles/web").get("dnsConfig").get("ttl").asInt()).isEqualTo(7);

            ProcessRun refused = ProcessRun.of(env, "", "profile", "delete", "eu");
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).startsWith("DELETE /api/v1/profiles/eu: 400 Bad Request: ");

            for (ProcessRun ran : List.of(exported, dryRun, applied, refused)) {
                assertThat(ran.out() + ran.err()).doesNotContain(ApiDeployment.WRITER).doesNotContain(" INFO ")
                        .doesNotContain(" WARN ");
            }
        }
    }

    @Test
    void anOptionWinsOverItsVariable() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            ProcessRun ran = ProcessRun.of(Map.of(ServerOptions.SERVER_VARIABLE, "http://127.0.0.1:1",
                            ServerOptions.TOKEN_VARIABLE, "not-the-token-0123456789"), "",
                    "profile", "list", "--server", server.url, "--token", ApiDeployment.READER, "-o", "json");

            assertThat(ran.exitCode()).as(ran.err()).isZero();
            assertThat(ApiDeployment.JSON.readTree(ran.out()).get("profiles")).hasSize(3);
        }
    }

    @Test
    void withAConfigurationStatusReadsTheFileEvenWhenTheEnvironmentNamesAServer() throws Exception {
        Path config = Files.writeString(dir.resolve("plain.yaml"), MinimalConfig.TEXT);

        ProcessRun ran = ProcessRun.of(Map.of(ServerOptions.SERVER_VARIABLE, "http://127.0.0.1:1"), "", "status", "--config", config.toString());

        assertThat(ran.exitCode()).isZero();
        assertThat(ran.out()).startsWith("profile web: Online\n").endsWith("healthy: 1 profile(s), 0 endpoint(s) Degraded,"
                + " 0 profile(s) failing open or on fallback\n");
    }
}
