package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.FakeLearning;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent --once} in-process against a started server: one round on loopback (a listener on
 * 127.0.2.1, an RST from 127.0.0.1, 127.0.3.0/24 denied by file), its line on stderr and its exit
 * codes. Only loopback addresses are contacted.
 */
class AgentCommandTest {
    static final String MEASURER = LatencyImportTest.MEASURER;

    @TempDir
    Path dir;
    ClientServer server;
    FakeLearning learner;
    ServerSocketChannel answering;
    ServerSocketChannel denied;
    Path denyFile;

    @BeforeEach
    void start() throws Exception {
        String config = io.wayfinder.api.ApiDeployment.SETTINGS
                .replace("    - {name: dashboard,", "    - {name: agent, token: " + MEASURER + ", role: measurer}\n    - {name: dashboard,")
                .replace("  sources: [latency.csv]\n", "  sources: [latency.csv]\n  learn: true\n  rebuildInterval: 1h\n")
                + ClientServer.PROFILES;
        server = ClientServer.start(dir, config, (checkpoint, parameters) -> learner = new FakeLearning());
        answering = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.2.1", 0), 64);
        denied = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.3.1", port()), 64);
        answering.configureBlocking(false);
        denied.configureBlocking(false);
        denyFile = dir.resolve("deny.txt");
        Files.writeString(denyFile, "# networks that asked not to be probed\n127.0.3.0/24\n");
    }

    @AfterEach
    void stop() throws Exception {
        answering.close();
        denied.close();
        server.close();
    }

    private int port() throws Exception {
        return ((InetSocketAddress) answering.getLocalAddress()).getPort();
    }

    private void traffic() throws Exception {
        server.queryFrom("www.app.test", "127.0.2.0", 3);
        server.queryFrom("www.app.test", "127.0.3.0", 1);
        server.queryWithoutEcs("www.app.test");
    }

    private static int connections(ServerSocketChannel listener) throws Exception {
        int n = 0;
        for (SocketChannel c = listener.accept(); c != null; c = listener.accept()) {
            c.close();
            n++;
        }
        return n;
    }

    @Test
    void oneRoundMeasuresPostsAndExitsZero() throws Exception {
        traffic();
        ClientRun r = server.runAs(MEASURER, "agent", "--once", "--region", "westeurope", "--ports", String.valueOf(port()),
                "--deny", denyFile.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("agent westeurope round 1: 3 targets, 2 probed, 2 samples, 0 timeouts, 0 errors,"
                + " 1 denied, 0 not due; posted 2 (2 accepted), 0 waiting, 0 dropped").doesNotContain(MEASURER);
        assertThat(connections(answering)).isEqualTo(3);
        assertThat(connections(denied)).isZero();
        assertThat(learner.samples()).extracting(Measurement::network, Measurement::source).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(IpPrefix.parse("127.0.2.0/24"), "agent:westeurope"),
                org.assertj.core.groups.Tuple.tuple(IpPrefix.parse("127.0.0.0/24"), "agent:westeurope"));
    }

    @Test
    void withNoTrafficTheRoundIsEmptyAndStillARound() {
        ClientRun r = server.runAs(MEASURER, "agent", "--once", "--region", "westeurope");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("round 1: 0 targets, 0 probed");
        assertThat(learner.samples()).isEmpty();
    }

    @Test
    void anUnreachableServerExitsOne() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ClientRun r = ClientRun.of("agent", "--once", "--region", "westeurope", "--server", "http://127.0.0.1:" + closed,
                "--token", MEASURER);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("targets not refreshed").contains("cannot reach the server at http://127.0.0.1:" + closed)
                .doesNotContain(MEASURER);
    }

    @Test
    void aRefusalOfTheServerExitsTwo() {
        ClientRun unknown = server.runAs(MEASURER, "agent", "--once", "--region", "atlantis");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown region 'atlantis'");
        ClientRun reader = server.runAs(io.wayfinder.api.ApiDeployment.READER, "agent", "--once", "--region", "westeurope");
        assertThat(reader.exitCode()).as("a reader token may not read the targets").isEqualTo(2);
        assertThat(reader.err()).contains("403");
    }

    @Test
    void badOptionsExitTwoAndSayWhich() throws Exception {
        assertThat(server.runAs(MEASURER, "agent", "--once").exitCode()).as("no --region").isEqualTo(2);
        ClientRun port = server.runAs(MEASURER, "agent", "--once", "--region", "westeurope", "--ports", "53,0");
        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("--ports must be one or more ports from 1 to 65535");
        ClientRun timeout = server.runAs(MEASURER, "agent", "--once", "--region", "westeurope", "--timeout", "2 seconds");
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout '2 seconds' is not a duration");
        Path bad = dir.resolve("bad-deny.txt");
        Files.writeString(bad, "# ok\n10.0.0.0/8\n10.0.0.1/8\n");
        ClientRun deny = server.runAs(MEASURER, "agent", "--once", "--region", "westeurope", "--deny", bad.toString());
        assertThat(deny.exitCode()).isEqualTo(2);
        assertThat(deny.err()).contains(bad + ":3: '10.0.0.1/8': host bits are set beyond /8");
        ClientRun missing = ClientRun.of("agent", "--once", "--region", "westeurope");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing the server");
    }

    @Test
    void withoutOnceItRunsRoundsUntilSigterm() throws Exception {
        traffic();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WayfinderCommand.class.getName(),
                "agent", "--region", "westeurope", "--ports", String.valueOf(port()), "--deny", denyFile.toString(),
                "--server", server.url));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(ServerOptions.TOKEN_VARIABLE, MEASURER);
        Process process = builder.start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String first = err.readLine(); // blocks until the first round is logged
            assertThat(first).contains("round 1: 3 targets, 2 probed, 2 samples");
            assertThat(process.isAlive()).as("it waits for the next round").isTrue();
            process.toHandle().destroy(); // SIGTERM (Process.destroy would also close the streams read here)
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String rest = err.lines().collect(Collectors.joining("\n"));
            assertThat(rest).endsWith("agent stopped").doesNotContain("Exception");
        } finally {
            process.destroyForcibly();
        }
        assertThat(learner.samples()).hasSize(2);
    }

    @Test
    void theHelpSaysWhyTcpAndNotIcmp() {
        ClientRun r = ClientRun.of("agent", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("CAP_NET_RAW").contains("TCP 53").contains("--rate").contains("--deny")
                .contains("default: 53,443,80");
    }
}
