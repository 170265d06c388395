package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Every test of {@link DnsServerIntegrationTest} again, with UDP served by the FFM transport
 * ({@code dns.udpTransport: ffm}: recvmmsg/sendmmsg, Java 22+), plus what is particular to it:
 * bursts that fill its batches, short datagrams, and a stop that ends its threads.
 *
 * <p>On Java 17 (the default test run) it is skipped, as where the build had no JDK 25 to compile
 * the FFM classes. Where Temurin 25
 * is installed, the build runs it again on Java 25 ({@code ffm-on-java25} in server/pom.xml) with
 * {@code wayfinder.requireFfm}, which turns the skip into a failure.
 */
class FfmDnsServerIntegrationTest extends DnsServerIntegrationTest {
    private static final String LISTEN = "  listen: [\"127.0.0.1:0\", \"[::1]:0\"]\n";

    @Override
    @BeforeAll
    void start() throws Exception {
        assumeFfm();
        super.start();
    }

    @Override
    String configText() {
        return ffmConfig();
    }

    /** Skips on Java 17-21, or where the build had no JDK 22+ to compile the FFM classes (unless required). */
    static void assumeFfm() {
        if (Boolean.getBoolean("wayfinder.requireFfm")) {
            return;
        }
        assumeTrue(Runtime.version().feature() >= 22, "the FFM transport needs Java 22+ (running " + Runtime.version() + ")");
        try {
            Class.forName("io.wayfinder.dns.server.FfmUdpListeners");
        } catch (ClassNotFoundException e) {
            assumeTrue(false, "the FFM classes were not built (no JDK 25: server/pom.xml, profile java25)");
        }
    }

    static String ffmConfig() {
        String config = TestDeployment.config();
        if (!config.contains(LISTEN)) {
            throw new IllegalStateException("the test configuration no longer has the listen line this edits");
        }
        return config.replace(LISTEN, LISTEN + "  udpTransport: ffm\n");
    }

    @Test
    void udpIsServedByTheFfmThreadsOnePerSocket() {
        assertThat(ffmThreads(deployment.ipv4.getPort())).as("2 threads (Options), one per socket").hasSize(2);
        assertThat(ffmThreads(deployment.ipv6.getPort())).as("the same for [::1]").hasSize(2);
    }

    @Test
    void aBurstOfQueriesIsAllAnswered() throws IOException {
        // 20 clients, each from a /24 of its own (the response-rate limit allows 200 a second per /24),
        // each sending 100 queries back to back before reading: bursts that fill several recvmmsg batches.
        int clients = 20;
        int each = 100;
        BitSet answered = new BitSet(clients * each);
        List<DatagramSocket> sockets = new java.util.ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0." + (100 + c) + ".1", 0));
                socket.setSoTimeout(3000);
                sockets.add(socket);
            }
            for (int c = 0; c < clients; c++) {
                for (int i = 0; i < each; i++) {
                    byte[] q = query(c * each + i, "www.app.test");
                    sockets.get(c).send(new DatagramPacket(q, q.length, deployment.ipv4));
                }
            }
            byte[] buffer = new byte[1232];
            for (DatagramSocket socket : sockets) {
                for (int i = 0; i < each; i++) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    Message m = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
                    answered.set(m.getHeader().getID());
                }
            }
        } finally {
            sockets.forEach(DatagramSocket::close);
        }
        assertThat(answered.cardinality()).isEqualTo(clients * each);
    }

    @Test
    void aDatagramShorterThanAHeaderIsDroppedAndTheNextAnswered() throws IOException {
        long dropped = deployment.server.dns().stats().dropped();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(500);
            socket.send(new DatagramPacket(new byte[5], 5, deployment.ipv4));
            DatagramPacket nothing = new DatagramPacket(new byte[512], 512);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.receive(nothing))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(deployment.server.dns().stats().dropped()).isGreaterThan(dropped);
        assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.10");
    }

    @Test
    void garbageOverUdpLeavesUdpAnswering() throws IOException {
        java.util.Random random = new java.util.Random(11);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.97.1", 0))) {
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[random.nextInt(600)];
                random.nextBytes(junk);
                socket.send(new DatagramPacket(junk, junk.length, deployment.ipv4));
            }
        }
        assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.10");
        assertThat(deployment.server.dns().stats().listenerErrors()).isZero();
    }

    @Test
    void answersAreTimedAndCountedAsUdp() throws IOException {
        long before = deployment.server.dns().answerDurations().count(false);
        deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false);
        assertThat(deployment.server.dns().answerDurations().count(false)).isGreaterThan(before);
    }

    @Test
    @Timeout(60) // a guard against a hang, not a measurement: a stop takes about one receive timeout
    void stoppingEndsTheThreadsAndFreesThePort(@TempDir Path own) throws Exception {
        Files.createDirectories(own);
        TestDeployment other = TestDeployment.start(own, ffmConfig());
        int port = other.ipv4.getPort();
        assertThat(addresses(other.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.10");
        assertThat(ffmThreads(port)).isNotEmpty();
        other.close();
        assertThat(ffmThreads(port)).isEmpty();
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    private static List<Thread> ffmThreads(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("dns-udp-ffm-" + port + "-")).toList();
    }

    private static byte[] query(int id, String name) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
        q.getHeader().setID(id);
        return q.toWire();
    }
}
