package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    record Ran(int exitCode, String out, String err) {
    }

    private static Ran wayfinder(Map<String, String> environment, String stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WayfinderCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(ServerOptions.SERVER_VARIABLE);
        builder.environment().remove(ServerOptions.TOKEN_VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theServerAndTokenComeFromTheEnvironmentAndOnlyTheResultIsPrinted() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            Map<String, String> env = Map.of(ServerOptions.SERVER_VARIABLE, server.url,
                    ServerOptions.TOKEN_VARIABLE, ApiDeployment.WRITER);

            Ran exported = wayfinder(env, "", "export");
            assertThat(exported.exitCode()).isZero();
            assertThat(exported.err()).isEmpty();
            assertThat(exported.out()).startsWith("# The profiles of " + server.url);

            String edited = exported.out().replace("ttl: 5", "ttl: 7");
            Ran dryRun = wayfinder(env, edited, "apply", "-f", "-", "--dry-run");
            assertThat(dryRun.exitCode()).isZero();
            assertThat(dryRun.err()).isEmpty();
            assertThat(dryRun.out()).isEqualTo("""
                    profile web: dnsConfig.ttl 5 -> 7
                    dry run: 0 to create, 1 to update, 0 to delete, 2 unchanged; nothing was changed
                    """);

            Ran applied = wayfinder(env, edited, "apply", "-f", "-");
            assertThat(applied.exitCode()).isZero();
            assertThat(applied.err()).isEmpty();
            assertThat(server.get("/api/v1/profiles/web").get("dnsConfig").get("ttl").asInt()).isEqualTo(7);

            Ran refused = wayfinder(env, "", "profile", "delete", "eu");
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).startsWith("DELETE /api/v1/profiles/eu: 400 Bad Request: ");

            for (Ran ran : List.of(exported, dryRun, applied, refused)) {
                assertThat(ran.out() + ran.err()).doesNotContain(ApiDeployment.WRITER).doesNotContain(" INFO ")
                        .doesNotContain(" WARN ");
            }
        }
    }

    @Test
    void anOptionWinsOverItsVariable() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            Ran ran = wayfinder(Map.of(ServerOptions.SERVER_VARIABLE, "http://127.0.0.1:1",
                            ServerOptions.TOKEN_VARIABLE, "not-the-token-0123456789"), "",
                    "profile", "list", "--server", server.url, "--token", ApiDeployment.READER, "-o", "json");

            assertThat(ran.exitCode()).as(ran.err()).isZero();
            assertThat(ApiDeployment.JSON.readTree(ran.out()).get("profiles")).hasSize(3);
        }
    }

    @Test
    void withAConfigurationStatusReadsTheFileEvenWhenTheEnvironmentNamesAServer() throws Exception {
        Path config = Files.writeString(dir.resolve("plain.yaml"), """
                zones:
                  - name: example.test
                    nameservers: [ns1.example.test]
                profiles:
                  - name: web
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: www}
                    endpoints:
                      - {name: a, target: 192.0.2.1}
                """);

        Ran ran = wayfinder(Map.of(ServerOptions.SERVER_VARIABLE, "http://127.0.0.1:1"), "", "status", "--config", config.toString());

        assertThat(ran.exitCode()).isZero();
        assertThat(ran.out()).startsWith("profile web: Online\n").endsWith("healthy: 1 profile(s), 0 endpoint(s) Degraded,"
                + " 0 profile(s) failing open or on fallback\n");
    }
}
