package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Response-rate limiting on the real server, with a limit of 5 responses a second and slip 2.
 * Each test sends from its own loopback /24 (127.0.N.1: every 127/8 address works on Linux), so
 * their counts do not mix. A burst is 40 queries sent at once; if it happens to straddle a second
 * boundary, up to twice the limit is answered, which the assertions allow.
 */
class RateLimitIntegrationTest {
    private static final int LIMIT = 5;
    private static final int BURST = 40;

    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.start(dir, withRateLimit(TestDeployment.config(), "{responsesPerSecond: 5, slip: 2}"));
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    static String withRateLimit(String config, String rateLimit) {
        String listen = "  listen: [\"127.0.0.1:0\", \"[::1]:0\"]\n";
        assertThat(config).contains(listen);
        return config.replace(listen, listen + "  rateLimit: " + rateLimit + "\n")
                .replace("zones:\n", "metrics:\n  listen: \"127.0.0.1:0\"\nzones:\n");
    }

    @Test
    void aBurstFromOneClientGetsTheLimitAnsweredAndTheRestTruncatedOrDropped() throws Exception {
        long slippedBefore = metric("slipped");
        long droppedBefore = metric("dropped");
        Burst burst = burst(deployment.ipv4, "127.0.11.1", "www.app.test", Type.A, BURST);
        assertThat(burst.answered).as("full answers").isBetween(LIMIT, 2 * LIMIT);
        assertThat(burst.truncated).as("empty TC answers (slip 2: one in two over the limit)")
                .isBetween((BURST - 2 * LIMIT) / 2, (BURST - LIMIT + 1) / 2);
        assertThat(burst.silent()).as("dropped").isBetween((BURST - 2 * LIMIT) / 2, (BURST - LIMIT) / 2);
        assertThat(metric("slipped") - slippedBefore).isEqualTo(burst.truncated);
        assertThat(metric("dropped") - droppedBefore).isEqualTo(burst.silent());
    }

    @Test
    void tcpIsNeverLimited() throws Exception {
        assertThat(burst(deployment.ipv4, "127.0.12.1", "www.app.test", Type.A, BURST).silent())
                .as("UDP from this network is being limited").isPositive();
        SimpleResolver tcp = TestDeployment.resolver(deployment.ipv4, true);
        tcp.setLocalAddress(new InetSocketAddress("127.0.12.1", 0));
        for (int i = 0; i < BURST; i++) {
            Message response = tcp.send(query("www.app.test", Type.A, i));
            assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(response.getSection(Section.ANSWER)).hasSize(1);
        }
    }

    @Test
    void anotherNetworkIsUnaffected() throws Exception {
        assertThat(burst(deployment.ipv4, "127.0.13.1", "www.app.test", Type.A, BURST).silent()).isPositive();
        Burst other = burst(deployment.ipv4, "127.0.14.1", "www.app.test", Type.A, LIMIT);
        assertThat(other.answered).as("a client in 127.0.14.0/24 while 127.0.13.0/24 is limited").isEqualTo(LIMIT);
    }

    @Test
    void anotherKindOfResponseIsCountedApart() throws Exception {
        assertThat(burst(deployment.ipv4, "127.0.15.1", "www.app.test", Type.A, BURST).silent()).isPositive();
        Burst nxdomain = burst(deployment.ipv4, "127.0.15.1", "nothing.app.test", Type.A, LIMIT);
        assertThat(nxdomain.answered).as("NXDOMAIN to the limited network").isEqualTo(LIMIT);
    }

    @Test
    void ipv6ClientsAreLimitedToo() throws Exception {
        Burst burst = burst(deployment.ipv6, "::1", "www.app.test", Type.A, BURST);
        assertThat(burst.answered).isBetween(LIMIT, 2 * LIMIT);
        assertThat(burst.truncated).isPositive();
    }

    @Test
    void zeroTurnsItOffAndAReloadTurnsItOn(@TempDir Path own) throws Exception {
        String off = withRateLimit(TestDeployment.config(), "{responsesPerSecond: 0}");
        try (TestDeployment unlimited = TestDeployment.start(own, off)) {
            assertThat(burst(unlimited.ipv4, "127.0.16.1", "www.app.test", Type.A, BURST).answered).isEqualTo(BURST);
            long reloads = unlimited.server.reloads();
            unlimited.rewriteConfig(withRateLimit(TestDeployment.config(), "{responsesPerSecond: 5, slip: 0}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> unlimited.server.reloads() > reloads);
            Burst limited = burst(unlimited.ipv4, "127.0.16.1", "www.app.test", Type.A, BURST);
            assertThat(limited.answered).isBetween(LIMIT, 2 * LIMIT);
            assertThat(limited.truncated).as("slip 0").isZero();
        }
    }

    /** What came back for a burst of queries sent at once from one local address. */
    record Burst(int sent, int answered, int truncated) {
        int silent() {
            return sent - answered - truncated;
        }
    }

    static Burst burst(InetSocketAddress server, String from, String name, int type, int count) throws IOException {
        int answered = 0;
        int truncated = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(from, 0))) {
            socket.setReceiveBufferSize(1 << 20);
            for (int i = 0; i < count; i++) {
                byte[] wire = query(name, type, i).toWire();
                socket.send(new DatagramPacket(wire, wire.length, server));
            }
            socket.setSoTimeout(700);
            byte[] buffer = new byte[4096];
            while (answered + truncated < count) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    break; // the rest were dropped
                }
                Message response = new Message(java.util.Arrays.copyOf(buffer, packet.getLength()));
                if (response.getHeader().getFlag(Flags.TC)) {
                    assertThat(response.getSection(Section.ANSWER)).as("a slipped response is empty").isEmpty();
                    assertThat(response.getQuestion().getName()).isEqualTo(Name.fromString(name, Name.root));
                    truncated++;
                } else {
                    assertThat(response.getRcode()).isIn(Rcode.NOERROR, Rcode.NXDOMAIN);
                    answered++;
                }
            }
        }
        return new Burst(count, answered, truncated);
    }

    static Message query(String name, int type, int id) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        query.getHeader().setID(id);
        return query;
    }

    /** {@code wayfinder_dns_rate_limited_total{action=...}} from the metrics endpoint. */
    static long metric(String action) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + deployment.server.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        String prefix = "wayfinder_dns_rate_limited_total{action=\"" + action + "\"} ";
        return response.body().lines().filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(-1);
    }
}
