package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;

/**
 * DNS over TCP as RFC 7766 has clients use it, on the real server: several queries written at once
 * on one connection, garbage after good queries, and messages up to the 65,535 bytes that a 2-byte
 * length prefix allows.
 */
class TcpFramingIntegrationTest {
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

    @Test
    void pipelinedQueriesOnOneConnectionAreAllAnswered() throws IOException {
        List<byte[]> answers = exchange(framed(DnsServerIntegrationTest.rawQuery(1)),
                framed(DnsServerIntegrationTest.rawQuery(2)), framed(DnsServerIntegrationTest.rawQuery(3)));

        assertThat(answers).extracting(TcpFramingIntegrationTest::id).containsExactly(1, 2, 3);
        assertThat(answers).allSatisfy(a -> assertThat(new Message(a).getRcode()).isEqualTo(Rcode.NOERROR));
    }

    @Test
    void aGoodQueryWrittenTogetherWithAResponsePacketIsAnsweredBeforeTheConnectionCloses() throws IOException {
        byte[] notAQuery = DnsServerIntegrationTest.rawQuery(2);
        notAQuery[2] |= (byte) 0x80; // QR: a response, which a server drops

        List<byte[]> answers = exchange(framed(DnsServerIntegrationTest.rawQuery(1)), framed(notAQuery));

        assertThat(answers).extracting(TcpFramingIntegrationTest::id).containsExactly(1);
    }

    @Test
    void aGoodQueryWrittenTogetherWithAnEmptyFrameIsAnswered() throws IOException {
        List<byte[]> answers = exchange(framed(DnsServerIntegrationTest.rawQuery(1)), new byte[] {0, 0});

        assertThat(answers).extracting(TcpFramingIntegrationTest::id).containsExactly(1);
    }

    @Test
    void aQueryOfTheLargestSizeTcpCanCarryIsAnswered() throws IOException {
        byte[] query = padded(DnsServerIntegrationTest.rawQuery(9), 65535);

        List<byte[]> answers = exchange(framed(query));

        assertThat(answers).singleElement().satisfies(a -> {
            assertThat(id(a)).isEqualTo(9);
            assertThat(new Message(a).getRcode()).isEqualTo(Rcode.NOERROR);
        });
    }

    /** The query with an OPT record holding one Padding option (RFC 7830) that brings it to {@code size} bytes. */
    static byte[] padded(byte[] query, int size) {
        int padding = size - query.length - 11 - 4;
        byte[] option = new byte[4 + padding];
        option[1] = 12;
        option[2] = (byte) (padding >>> 8);
        option[3] = (byte) padding;
        byte[] out = DnsServerIntegrationTest.withOpt(query, option);
        assertThat(out).hasSize(size);
        return out;
    }

    static byte[] framed(byte[] message) {
        byte[] out = new byte[2 + message.length];
        out[0] = (byte) (message.length >>> 8);
        out[1] = (byte) message.length;
        System.arraycopy(message, 0, out, 2, message.length);
        return out;
    }

    /** Writes all frames in one write, then reads answers until the server closes or goes quiet. */
    private static List<byte[]> exchange(byte[]... frames) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            all.write(f);
        }
        List<byte[]> answers = new ArrayList<>();
        try (Socket socket = new Socket(deployment.ipv4.getAddress(), deployment.ipv4.getPort())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(all.toByteArray());
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (answers.size() < frames.length) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException closed) {
                    break;
                }
                byte[] answer = new byte[length];
                in.readFully(answer);
                answers.add(answer);
            }
        }
        return answers;
    }

    static int id(byte[] message) {
        return ((message[0] & 0xFF) << 8) | (message[1] & 0xFF);
    }
}
