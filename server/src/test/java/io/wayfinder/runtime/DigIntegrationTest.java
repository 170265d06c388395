package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as the standard tools see it: BIND's dig and Knot's kdig, with ECS over UDP and TCP.
 * bin/test installs both; where they are missing the tests are skipped, unless
 * WAYFINDER_REQUIRE_DIG=1 (as bin/test sets when it could install them) makes that a failure.
 */
class DigIntegrationTest {
    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.start(dir);
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @ParameterizedTest(name = "{0} {2} via {1}")
    @CsvSource({
        "dig,  +notcp, 81.2.69.0/24,        A,    192.0.2.10",
        "dig,  +tcp,   81.2.69.0/24,        A,    192.0.2.10",
        "kdig, +notcp, 1.0.16.0/24,         A,    asia.cdn.example.net.",
        "kdig, +tcp,   198.51.100.0/24,     A,    192.0.2.20",
        "dig,  +notcp, 2a00:1450:4009::/48, A,    192.0.2.10",
    })
    void answersEcsQueries(String tool, String transport, String subnet, String type, String expected) throws Exception {
        List<String> out = run(tool, "@127.0.0.1", "-p", String.valueOf(deployment.ipv4.getPort()), "www.app.test", type,
                "+subnet=" + subnet, transport, "+short");
        assertThat(out).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"dig", "kdig"})
    void showsTheEcsScopeAndAuthoritativeAnswer(String tool) throws Exception {
        String text = String.join("\n", run(tool, "@" + host(deployment.ipv6), "-p",
                String.valueOf(deployment.ipv6.getPort()), "www.app.test", "A", "+subnet=81.2.69.0/24"));
        assertThat(text).contains("NOERROR").containsPattern("(?i)flags: qr aa");
        assertThat(text).containsPattern("(?i)client-subnet: 81\\.2\\.69\\.0/24/24");
    }

    @Test
    void digSeesTruncationAndRetriesOverTcp() throws Exception {
        String text = String.join("\n", run("dig", "@127.0.0.1", "-p", String.valueOf(deployment.ipv4.getPort()),
                "big.test", "NS", "+noedns"));
        assertThat(text).contains("Truncated, retrying in TCP mode").contains("ANSWER: 24");
    }

    @Test
    void digSeesNxdomainWithTheSoa() throws Exception {
        String text = String.join("\n", run("dig", "@127.0.0.1", "-p", String.valueOf(deployment.ipv4.getPort()),
                "missing.app.test", "A"));
        assertThat(text).contains("status: NXDOMAIN").contains("AUTHORITY: 1").containsPattern("app\\.test\\.\\s+60\\s+IN\\s+SOA");
    }

    @Test
    void digSeesNotauthAndAnUnsignedBadkeyForATsigSignedQuery() throws Exception {
        String text = String.join("\n", run("dig", "-y", "hmac-sha256:transfer-key:c2VjcmV0IGtleSBmb3IgdGVzdHM=",
                "@127.0.0.1", "-p", String.valueOf(deployment.ipv4.getPort()), "www.app.test", "A"));
        assertThat(text).contains("status: NOTAUTH")
                .containsPattern("transfer-key\\.\\s+0\\s+ANY\\s+TSIG\\s+hmac-sha256\\. \\d+ 300 0 \\d+ BADKEY 0");
    }

    private static String host(InetSocketAddress address) {
        return address.getAddress().getHostAddress();
    }

    static List<String> run(String... command) throws IOException, InterruptedException {
        assumeTool(command[0]);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
        }
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return lines;
    }

    static void assumeTool(String tool) throws IOException, InterruptedException {
        boolean present = new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        if ("1".equals(System.getenv("WAYFINDER_REQUIRE_DIG"))) {
            assertThat(present).as(tool + " is required (WAYFINDER_REQUIRE_DIG=1)").isTrue();
        }
        assumeTrue(present, tool + " is not installed");
    }
}
