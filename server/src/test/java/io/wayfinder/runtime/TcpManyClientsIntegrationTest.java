package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * DNS over TCP as bench/tcp loads it, at test scale, on the real server: hundreds of connections
 * from one address (limits raised as the benchmark raises them), each with queries pipelined, and
 * queries of many sizes arriving split at arbitrary points. Every query is answered, in order, on
 * its own connection; nothing is refused or closed by the server.
 */
class TcpManyClientsIntegrationTest {
    static final int CONNECTIONS = 300;
    static final int PIPELINED = 8;

    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.startWithTcpAndMetrics(dir,
                "{maxConnections: " + (2 * CONNECTIONS) + ", maxConnectionsPerAddress: " + (2 * CONNECTIONS) + "}");
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    @Test
    void hundredsOfConnectionsFromOneAddressEachPipeliningAreAllAnsweredInOrder() throws Exception {
        double rejectedBefore = total("wayfinder_dns_tcp_connections_rejected_total");
        double closedBefore = total("wayfinder_dns_tcp_connections_closed_total");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int c = 0; c < CONNECTIONS; c++) {
                Socket s = new Socket(deployment.ipv4.getAddress(), deployment.ipv4.getPort());
                s.setSoTimeout(5000);
                sockets.add(s);
            }
            for (int c = 0; c < CONNECTIONS; c++) { // every connection has its queries under way at once
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int q = 0; q < PIPELINED; q++) {
                    all.write(TcpFramingIntegrationTest.framed(DnsServerIntegrationTest.rawQuery(c * PIPELINED + q)));
                }
                sockets.get(c).getOutputStream().write(all.toByteArray());
            }
            for (int c = 0; c < CONNECTIONS; c++) {
                DataInputStream in = new DataInputStream(sockets.get(c).getInputStream());
                for (int q = 0; q < PIPELINED; q++) {
                    byte[] answer = readFramed(in);
                    assertThat(TcpFramingIntegrationTest.id(answer)).as("connection %d, answer %d", c, q)
                            .isEqualTo(c * PIPELINED + q);
                    assertThat(new Message(answer).getRcode()).isEqualTo(Rcode.NOERROR);
                }
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(total("wayfinder_dns_tcp_connections_rejected_total")).isEqualTo(rejectedBefore);
        assertThat(total("wayfinder_dns_tcp_connections_closed_total")).isEqualTo(closedBefore);
    }

    @Test
    void queriesOfManySizesSplitAtArbitraryPointsAreAllAnsweredInOrder() throws IOException {
        Random random = new Random(13);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int queries = 200;
        for (int q = 0; q < queries; q++) {
            byte[] query = DnsServerIntegrationTest.rawQuery(q);
            // some bare, some with an OPT record padded (RFC 7830) by up to 4 KB
            byte[] message = q % 3 == 0 ? query
                    : TcpFramingIntegrationTest.padded(query, query.length + 15 + random.nextInt(4096));
            all.write(TcpFramingIntegrationTest.framed(message));
        }
        byte[] bytes = all.toByteArray();
        try (Socket socket = new Socket(deployment.ipv4.getAddress(), deployment.ipv4.getPort())) {
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true); // each piece its own segment: reads end inside messages and length fields
            OutputStream out = socket.getOutputStream();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(1500));
                out.write(bytes, at, n);
                out.flush();
                at += n;
            }
            DataInputStream in = new DataInputStream(socket.getInputStream());
            for (int q = 0; q < queries; q++) {
                byte[] answer = readFramed(in);
                assertThat(TcpFramingIntegrationTest.id(answer)).isEqualTo(q);
                assertThat(new Message(answer).getRcode()).isEqualTo(Rcode.NOERROR);
            }
        }
    }

    private static byte[] readFramed(DataInputStream in) throws IOException {
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        return answer;
    }

    /** A counter summed over its labels (0 before anything was counted). */
    private static double total(String name) throws IOException, InterruptedException {
        double sum = 0;
        for (String line : deployment.scrape().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
