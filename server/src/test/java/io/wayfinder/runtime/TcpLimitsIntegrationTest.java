package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * What one TCP client can hold of the real server (dns.tcp), at small scale: small limits and short
 * timeouts so that each attack plays out in a second or two. Each test connects from its own
 * loopback address (127.0.0.x), so the per-address limit of one does not touch another, and waits
 * until the connections of the one before are gone. Outcomes are asserted (closed, counted,
 * answered), never durations.
 */
class TcpLimitsIntegrationTest {
    static final int PER_ADDRESS = 4;
    static final int GLOBAL = 8;
    static final int PENDING = 4;
    static final String TCP = "{idleTimeout: 3s, messageTimeout: 1s, writeTimeout: 1s, maxConnections: " + GLOBAL
            + ", maxConnectionsPerAddress: " + PER_ADDRESS + ", maxPendingAnswers: " + PENDING + "}";

    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.startWithTcpAndMetrics(dir, TCP);
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @BeforeEach
    void noConnectionLeftFromTheTestBefore() {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            double open = deployment.metric("wayfinder_dns_tcp_connections_open");
            return Double.isNaN(open) || open == 0;
        });
    }

    @Test
    void aClientThatNeverReadsIsNoLongerReadThenClosedWhileOthersAreAnswered() throws Exception {
        double pausedBefore = count("wayfinder_dns_tcp_reads_paused_total");
        double closedBefore = count("wayfinder_dns_tcp_connections_closed_total{reason=\"write_timeout\"}");
        Socket attacker = new Socket();
        attacker.setReceiveBufferSize(4096); // before connect: the window it offers stays small
        attacker.bind(new InetSocketAddress("127.0.0.21", 0));
        attacker.connect(deployment.ipv4);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> writeUntilClosed(attacker, writing), "never-reads");
        writer.start();
        try {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> count("wayfinder_dns_tcp_reads_paused_total") > pausedBefore);

            // what the server holds for it is bounded: the answers it may leave waiting, one read and one message
            assertThat(deployment.metric("wayfinder_dns_tcp_pending_answers")).isLessThanOrEqualTo(PENDING);
            assertThat(deployment.metric("wayfinder_dns_tcp_buffered_bytes")).isLessThanOrEqualTo(PENDING * 512 + 2 * 65_537);
            // and everyone else is answered, over UDP and over TCP
            assertThat(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false).getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", true).getRcode()).isEqualTo(Rcode.NOERROR);

            // its answers are not taken within the write timeout: closed, and counted
            await().atMost(Duration.ofSeconds(5)).until(() -> !writing.get());
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> count("wayfinder_dns_tcp_connections_closed_total{reason=\"write_timeout\"}") > closedBefore);
        } finally {
            attacker.close();
            writer.join(5000);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> deployment.metric("wayfinder_dns_tcp_buffered_bytes") == 0);
        assertThat(deployment.metric("wayfinder_dns_tcp_pending_answers")).isZero();
    }

    @Test
    void pipelinedQueriesBeyondThePendingLimitAreAllAnsweredInOrder() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int id = 1; id <= 100; id++) {
            all.write(framed(DnsServerIntegrationTest.rawQuery(id)));
        }
        try (Socket socket = connectFrom("127.0.0.20")) {
            socket.getOutputStream().write(all.toByteArray());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                ids.add(((answer[0] & 0xFF) << 8) | (answer[1] & 0xFF));
            }
            assertThat(ids).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 100).boxed().toList());
        }
    }

    @Test
    void aClientSendingAByteAtATimeIsClosedByTheMessageDeadline() throws Exception {
        double before = count("wayfinder_dns_tcp_connections_closed_total{reason=\"message_timeout\"}");
        byte[] query = framed(DnsServerIntegrationTest.rawQuery(7));
        try (Socket slow = connectFrom("127.0.0.22")) {
            Thread dripper = new Thread(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    for (byte b : query) { // a byte every 100 ms: 3 s for the query, every byte within the idle timeout
                        out.write(b);
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed it
                }
            }, "slowloris");
            dripper.start();

            assertThat(closedByServer(slow)).as("closed, unanswered").isTrue();
            dripper.join(5000);
        }
        await().atMost(Duration.ofSeconds(5)).until(
                () -> count("wayfinder_dns_tcp_connections_closed_total{reason=\"message_timeout\"}") > before);
    }

    @Test
    void connectionsOverThePerAddressLimitAreRefusedAndCounted() throws Exception {
        double before = count("wayfinder_dns_tcp_connections_rejected_total{reason=\"per_address\"}");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                held.add(connectFrom("127.0.0.23"));
                assertThat(answeredOn(held.get(i), 10 + i)).isTrue();
            }
            try (Socket over = connectFrom("127.0.0.23")) {
                assertThat(answeredOn(over, 20)).as("the connection over the limit").isFalse();
            }
            try (Socket other = connectFrom("127.0.0.24")) {
                assertThat(answeredOn(other, 21)).as("another address").isTrue();
            }
            for (int i = 0; i < PER_ADDRESS; i++) {
                assertThat(answeredOn(held.get(i), 30 + i)).as("the connections within the limit").isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> count("wayfinder_dns_tcp_connections_rejected_total{reason=\"per_address\"}") == before + 1);

            held.remove(0).close(); // a slot is free again once one of them closes
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (Socket again = connectFrom("127.0.0.23")) {
                    return answeredOn(again, 40);
                }
            });
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void connectionsOverTheGlobalLimitAreRefusedAndCounted() throws Exception {
        double before = count("wayfinder_dns_tcp_connections_rejected_total{reason=\"global\"}");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < GLOBAL; i++) {
                held.add(connectFrom(i < PER_ADDRESS ? "127.0.0.25" : "127.0.0.26"));
                assertThat(answeredOn(held.get(i), 50 + i)).isTrue();
            }
            try (Socket over = connectFrom("127.0.0.27")) {
                assertThat(answeredOn(over, 60)).as("the connection over the limit").isFalse();
            }
            assertThat(deployment.ask("www.app.test", Type.A, null, false).getRcode())
                    .as("UDP meanwhile").isEqualTo(Rcode.NOERROR);
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> count("wayfinder_dns_tcp_connections_rejected_total{reason=\"global\"}") == before + 1);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedAndCounted() throws Exception {
        double before = count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle\"}");
        try (Socket idle = connectFrom("127.0.0.28")) {
            assertThat(answeredOn(idle, 70)).isTrue();

            assertThat(closedByServer(idle)).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(
                () -> count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle\"}") > before);
    }

    @Test
    void aConnectionAcceptedWhileMoreThanHalfAreOpenIsClosedAfterTheShorterIdleTimeAndCountedApart() throws Exception {
        double crowdedBefore = count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle_crowded\"}");
        double idleBefore = count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle\"}");
        List<Socket> first = new ArrayList<>();
        try {
            for (int i = 0; i < GLOBAL / 2; i++) { // half the slots: not yet crowded
                first.add(connectFrom("127.0.0.29"));
                assertThat(answeredOn(first.get(i), 80 + i)).isTrue();
            }
            try (Socket late = connectFrom("127.0.0.30")) {
                assertThat(answeredOn(late, 90)).as("a crowded connection is answered like any other").isTrue();

                assertThat(closedByServer(late)).as("closed after the crowded idle time (messageTimeout)").isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle_crowded\"}") == crowdedBefore + 1);
            for (Socket s : first) {
                assertThat(closedByServer(s)).isTrue();
            }
            await().atMost(Duration.ofSeconds(5)).until(
                    () -> count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle\"}") >= idleBefore + GLOBAL / 2);
            assertThat(count("wayfinder_dns_tcp_connections_closed_total{reason=\"idle_crowded\"}"))
                    .as("the connections opened before the crowd kept their own idle timeout").isEqualTo(crowdedBefore + 1);
        } finally {
            for (Socket s : first) {
                s.close();
            }
        }
    }

    /** A counter's value; 0 when the server does not export it (yet). */
    private static double count(String sample) throws IOException, InterruptedException {
        double v = deployment.metric(sample);
        return Double.isNaN(v) ? 0 : v;
    }

    private static Socket connectFrom(String source) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
        socket.connect(deployment.ipv4, 3000);
        socket.setSoTimeout(3000);
        return socket;
    }

    /** Sends one query on the connection; whether its answer comes back. */
    private static boolean answeredOn(Socket socket, int id) {
        try {
            socket.getOutputStream().write(framed(DnsServerIntegrationTest.rawQuery(id)));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            Message m = new Message(answer);
            return m.getHeader().getID() == id;
        } catch (IOException closedOrTimedOut) {
            return false;
        }
    }

    /**
     * Reads until the server closes the connection (end of stream, or a reset); false when 10 s pass
     * without that (the timeout is a bound on the test, not the behaviour under test).
     */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            while (in.read(buffer) >= 0) {
                // an answer would be read here; the tests that call this expect none, or only earlier ones
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Writes pipelined queries until the server closes the connection; never reads. */
    private static void writeUntilClosed(Socket socket, AtomicBoolean writing) {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int id = 0; id < 1000; id++) {
            batch.writeBytes(framed(DnsServerIntegrationTest.rawQuery(id)));
        }
        byte[] bytes = batch.toByteArray();
        try {
            OutputStream out = socket.getOutputStream();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a bound on the test only
            while (System.nanoTime() < deadline) {
                out.write(bytes); // blocks once the server stops reading; fails once it closes
            }
        } catch (IOException closed) {
            // the server closed it
        } finally {
            writing.set(false);
        }
    }

    static byte[] framed(byte[] message) {
        byte[] out = new byte[2 + message.length];
        out[0] = (byte) (message.length >>> 8);
        out[1] = (byte) message.length;
        System.arraycopy(message, 0, out, 2, message.length);
        return out;
    }
}
