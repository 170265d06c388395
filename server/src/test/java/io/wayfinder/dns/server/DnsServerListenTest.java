package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.ratelimit.ResponseRateSettings;
import io.wayfinder.dns.wire.Rcode;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where the listeners are bound and where answers come from. Resolvers and checkers (dnsviz) send
 * from connected UDP sockets, which take only datagrams from the address and port they sent to: an
 * answer from any other address is lost. So every test asks from connected sockets.
 *
 * <p>Wildcard listens are expanded into "the host's addresses", which these tests give as loopback
 * ones (127.0.0.2 included: a socket bound to 0.0.0.0 answers a query sent there from 127.0.0.1),
 * so that nothing listens beyond loopback.
 */
class DnsServerListenTest {
    /** Answers every query REFUSED: enough to see who answers, and from where. */
    private static final Responder REFUSE = (query, writer, out) -> {
        writer.begin(out, query);
        writer.finish(Rcode.REFUSED, false, 0);
    };

    private static final DnsServer.HostAddresses LOOPBACK = ipv6 -> {
        List<InetAddress> out = new ArrayList<>(List.of(address("127.0.0.1"), address("127.0.0.2")));
        if (ipv6) {
            out.add(address("::1"));
        }
        return out;
    };

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static final ResponseRateLimiter NO_RATE_LIMIT = new ResponseRateLimiter(ResponseRateSettings.OFF);
    private static final java.time.Duration S = java.time.Duration.ofSeconds(1);
    private static final TcpLimits TCP_LIMITS = TcpLimits.of(S, S, S, 0, 16, 32);

    private DnsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWildcardIsBoundAsEachAddressOfTheHostSoAnswersLeaveFromTheAddressAsked() throws Exception {
        server = new DnsServer(() -> REFUSE, 2, NO_RATE_LIMIT, TCP_LIMITS, LOOPBACK);

        List<InetSocketAddress> bound = server.start(List.of(new InetSocketAddress("0.0.0.0", 0)));

        assertThat(bound).extracting(a -> a.getAddress().getHostAddress()).containsExactly("127.0.0.1", "127.0.0.2");
        int port = bound.get(0).getPort();
        assertThat(bound).extracting(InetSocketAddress::getPort).as("one port for all").containsOnly(port);
        assertThat(askConnected(new InetSocketAddress("127.0.0.2", port), 20))
                .as("answers from 127.0.0.2, where the query went").isEqualTo(20);
        assertThat(askConnected(new InetSocketAddress("127.0.0.1", port), 20)).isEqualTo(20);
    }

    @Test
    void theIpv4AndIpv6WildcardsTogetherOnOnePortStartAndAnswerOnLoopback() throws Exception {
        int port = freePort();
        server = new DnsServer(() -> REFUSE, 2, NO_RATE_LIMIT, TCP_LIMITS, LOOPBACK);

        List<InetSocketAddress> bound = server.start(List.of(new InetSocketAddress("0.0.0.0", port),
                new InetSocketAddress("::", port)));

        assertThat(bound).extracting(a -> a.getAddress().getHostAddress())
                .as("each address once").containsExactly("127.0.0.1", "127.0.0.2", "0:0:0:0:0:0:0:1");
        assertThat(bound).extracting(InetSocketAddress::getPort).containsOnly(port);
        assertThat(askConnected(new InetSocketAddress("127.0.0.2", port), 1)).isEqualTo(1);
        assertThat(askConnected(new InetSocketAddress("::1", port), 1)).isEqualTo(1);
    }

    @Test
    void manyClientsOnDistinctPortsEachGetTheirAnswerFromTheAddressAndPortTheyAsked() throws Exception {
        server = new DnsServer(() -> REFUSE, 2, NO_RATE_LIMIT, TCP_LIMITS);
        List<InetSocketAddress> bound = server.start(List.of(new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("::1", 0)));

        for (InetSocketAddress address : bound) {
            assertThat(askConnected(address, 200)).as("clients of %s answered", address).isEqualTo(200);
        }
    }

    /**
     * Sends one query from each of {@code clients} UDP sockets connected to {@code server} (so on
     * distinct source ports, spread over the SO_REUSEPORT sockets) and counts the clients that got
     * the answer with their query's ID. A connected socket receives only from {@code server}.
     */
    private static int askConnected(InetSocketAddress server, int clients) throws IOException {
        List<DatagramChannel> channels = new ArrayList<>();
        Map<DatagramChannel, Integer> ids = new HashMap<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < clients; i++) {
                DatagramChannel ch = DatagramChannel.open(server.getAddress() instanceof Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channels.add(ch);
                ch.bind(new InetSocketAddress(server.getAddress(), 0));
                ch.connect(server);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
                int id = 0x1000 + i;
                ids.put(ch, id);
                ch.write(ByteBuffer.wrap(query(id)));
            }
            int answered = 0;
            long deadline = System.nanoTime() + 5_000_000_000L;
            ByteBuffer buffer = ByteBuffer.allocate(512);
            while (answered < clients && System.nanoTime() < deadline) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    buffer.clear();
                    if (ch.read(buffer) >= 2 && buffer.getShort(0) == (short) (int) ids.get(ch)) {
                        answered++;
                        key.cancel();
                    }
                }
                selector.selectedKeys().clear();
            }
            return answered;
        } finally {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
    }

    /** An A query for "a." with the given ID. */
    private static byte[] query(int id) {
        return new byte[] {(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
    }

    /** A port free for both UDP and TCP on loopback, at the time of asking. */
    private static int freePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    return port;
                } catch (IOException taken) {
                    if (attempt > 10) {
                        throw taken;
                    }
                }
            }
        }
    }
}
