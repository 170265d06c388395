package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.ratelimit.ResponseRateSettings;
import io.wayfinder.dns.wire.Rcode;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * An Error thrown while answering (here a StackOverflowError from the responder; in the field an
 * OutOfMemoryError while allocating) never escapes the event loop unseen: it is counted and logged,
 * that one query goes unanswered, and the listener answers the next.
 */
class ListenerErrorTest {
    private static final Duration S = Duration.ofSeconds(5);
    private DnsServer server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws Exception {
        Responder responder = (query, writer, out) -> {
            if (query.qtype() == Type.TXT) {
                throw new StackOverflowError("a responder bug");
            }
            writer.begin(out, query);
            writer.finish(Rcode.NOERROR, true, 0);
        };
        server = new DnsServer(() -> responder, 1, new ResponseRateLimiter(ResponseRateSettings.OFF),
                TcpLimits.of(S, S, S, 0, 16, 32));
        address = server.start(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))).get(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anErrorOverUdpIsCountedAndTheNextQueryAnswered() throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            socket.send(packet(query(1, Type.TXT)));
            assertThat(receive(socket)).as("the query that hit the error").isNull();

            socket.setSoTimeout(3000);
            socket.send(packet(query(2, Type.A)));
            assertThat(receive(socket)).isNotNull().satisfies(m -> assertThat(m.getHeader().getID()).isEqualTo(2));
        }
        assertThat(server.stats().listenerErrors()).isEqualTo(1);
    }

    @Test
    void anErrorOverTcpClosesThatConnectionIsCountedAndANewConnectionIsAnswered() throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(framed(query(1, Type.TXT)));
            assertThat(socket.getInputStream().read()).as("closed, unanswered").isEqualTo(-1);
        }
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(framed(query(2, Type.A)));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            assertThat(new Message(answer).getHeader().getID()).isEqualTo(2);
        }
        assertThat(server.stats().listenerErrors()).isEqualTo(1);
        await().atMost(S).until(() -> server.tcpStats().closed(TcpStats.CloseReason.ERROR) == 1);
    }

    private static byte[] query(int id, int type) throws IOException {
        Message m = Message.newQuery(Record.newRecord(Name.fromString("x.test."), type, DClass.IN));
        m.getHeader().setID(id);
        return m.toWire();
    }

    private DatagramPacket packet(byte[] message) {
        return new DatagramPacket(message, message.length, address);
    }

    private static Message receive(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException none) {
            return null;
        }
        return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }

    private static byte[] framed(byte[] message) {
        byte[] out = new byte[2 + message.length];
        out[0] = (byte) (message.length >>> 8);
        out[1] = (byte) message.length;
        System.arraycopy(message, 0, out, 2, message.length);
        return out;
    }
}
