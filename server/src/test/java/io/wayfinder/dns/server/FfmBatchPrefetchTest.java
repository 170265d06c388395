package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.ratelimit.ResponseRateSettings;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.ResponseWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The FFM socket's batch loop: every query of a receive batch is prefetched before the first of
 * them is answered, and each answer still goes out. The first query's answer is held until 20
 * more (and a malformed one) wait in the socket, so that the next {@code recvmmsg} takes them
 * together. Runs on Java 25 ({@code ffm-on-java25}); skipped on Java 17 as
 * {@code FfmDnsServerIntegrationTest} is.
 */
class FfmBatchPrefetchTest {
    private static final Duration S = Duration.ofSeconds(5);
    private static final int QUEUED = 20;
    /** "P" or "R" and the query's ID, in the order the socket's thread called the responder. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    /** The sender of each query the responder answered, as the query gives it, and its raw address bytes. */
    private final List<InetSocketAddress> senders = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> senderAddresses = new CopyOnWriteArrayList<>();
    private DnsServer server;
    private InetSocketAddress address;

    /** Once for the class, so that Java 17's run leaves it out rather than counting a skip. */
    @BeforeAll
    static void ffmOnly() {
        assumeFfm();
    }

    @BeforeEach
    void start() throws Exception {
        Responder recording = new Responder() {
            @Override
            public void respond(DnsQuery query, ResponseWriter writer, ByteBuf out) {
                calls.add("R" + query.id());
                String raw = Arrays.toString(query.senderAddress()); // the bytes the transport wrote, before sender() makes an object
                senders.add(query.sender());
                senderAddresses.add(InetSocketAddress.createUnresolved(raw, query.sender().getPort()));
                if (query.id() == 0) {
                    waitFor(release);
                }
                writer.begin(out, query);
                writer.finish(Rcode.NOERROR, true, 0);
            }

            @Override
            public void prefetch(DnsQuery[] queries, int count) {
                for (int i = 0; i < count; i++) {
                    calls.add("P" + queries[i].id());
                }
            }
        };
        server = new DnsServer(loop -> recording, 1, new ResponseRateLimiter(ResponseRateSettings.OFF),
                TcpLimits.of(S, S, S, 0, 16, 32), UdpTransport.FFM);
        address = server.start(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).get(0);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBatchIsPrefetchedWholeBeforeItIsAnswered() throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(5000);
            send(socket, query(0));
            await().atMost(S).until(() -> calls.contains("R0"));
            for (int id = 1; id <= QUEUED; id++) {
                send(socket, query(id));
            }
            byte[] malformed = query(QUEUED + 1);
            malformed[5] = 2; // two questions: FORMERR, answered without the responder
            send(socket, malformed);
            release.countDown();

            Set<Integer> answered = new HashSet<>();
            for (int i = 0; i < QUEUED + 2; i++) {
                answered.add(receive(socket).getHeader().getID());
            }
            assertThat(answered).hasSize(QUEUED + 2);
        }
        List<List<String>> batches = batches(calls);
        assertThat(batches.get(0)).containsExactly("P0", "R0");
        assertThat(batches).as("batches, each prefetched whole, then answered in the same order")
                .allSatisfy(b -> assertThat(b.subList(b.size() / 2, b.size()))
                        .isEqualTo(b.subList(0, b.size() / 2).stream().map(p -> "R" + p.substring(1)).toList()));
        assertThat(batches.stream().mapToInt(b -> b.size() / 2).sum()).as("queries for the responder").isEqualTo(QUEUED + 1);
        assertThat(batches).as("the queued queries came in a batch of more than one").anySatisfy(b -> assertThat(b).hasSizeGreaterThan(2));
        await().atMost(S).untilAsserted(() -> assertThat(server.answerDurations().count(false))
                .as("answers timed, each once").isEqualTo(QUEUED + 2));
    }

    /** The sender the transport copied out of the kernel's sockaddr: the client's address and port. */
    @Test
    void eachQueryKnowsItsSender() throws IOException {
        release.countDown();
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            for (int id = 1; id <= 3; id++) {
                send(socket, query(id));
                receive(socket);
            }
            InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
            assertThat(senders).hasSize(3).containsOnly(client);
            assertThat(senderAddresses).containsOnly(InetSocketAddress.createUnresolved(
                    Arrays.toString(InetAddress.getLoopbackAddress().getAddress()), socket.getLocalPort()));
        }
    }

    /** Cuts the calls where a prefetch follows an answer: each piece is one batch. */
    private static List<List<String>> batches(List<String> calls) {
        List<List<String>> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String call : calls) {
            if (call.startsWith("P") && !current.isEmpty() && current.get(current.size() - 1).startsWith("R")) {
                out.add(current);
                current = new ArrayList<>();
            }
            current.add(call);
        }
        out.add(current);
        return out;
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Skips on Java 17-21, or where the build had no JDK 22+ to compile the FFM classes (unless required). */
    private static void assumeFfm() {
        if (Boolean.getBoolean("wayfinder.requireFfm")) {
            return;
        }
        assumeTrue(Runtime.version().feature() >= 22, "the FFM transport needs Java 22+");
        try {
            Class.forName("io.wayfinder.dns.server.FfmUdpListeners");
        } catch (ClassNotFoundException e) {
            assumeTrue(false, "the FFM classes were not built (no JDK 25)");
        }
    }

    private static byte[] query(int id) throws IOException {
        Message m = Message.newQuery(Record.newRecord(Name.fromString("x.test."), Type.A, DClass.IN));
        m.getHeader().setID(id);
        return m.toWire();
    }

    private void send(DatagramSocket socket, byte[] message) throws IOException {
        socket.send(new DatagramPacket(message, message.length, address));
    }

    private static Message receive(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        socket.receive(p);
        return new Message(Arrays.copyOf(p.getData(), p.getLength()));
    }
}
