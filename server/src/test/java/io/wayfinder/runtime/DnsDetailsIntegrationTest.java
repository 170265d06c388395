package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * DNS details that compliance testers and zone checkers look at: TSIG-signed queries, compression
 * of names in record data, and glue for name servers inside the served zones. Each answer is read
 * from the raw bytes the server sent, parsed by dnsjava.
 */
class DnsDetailsIntegrationTest {
    private static final int UDP_LIMIT = 1232;

    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    static void start() throws Exception {
        deployment = TestDeployment.startWithTcpAndMetrics(dir, "{}");
    }

    @AfterAll
    static void stop() {
        deployment.close();
    }

    // ---- TSIG (RFC 8945 §5.2.1): we hold no keys, so every signed query is NOTAUTH/BADKEY

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aTsigSignedQueryIsAnsweredNotauthWithAnUnsignedBadkeyTsig(boolean tcp) throws IOException {
        Message query = query("www.app.test.", Type.A, true);
        query.setTSIG(new TSIG(TSIG.HMAC_SHA256, "transfer-key.example.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
        byte[] wire = query.toWire(65535);

        Message response = new Message(tcp ? sendTcp(wire) : sendUdp(wire));

        assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(response.getRcode()).isEqualTo(Rcode.NOTAUTH);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getQuestion().getName()).isEqualTo(Name.fromString("www.app.test."));
        TSIGRecord tsig = response.getTSIG();
        assertThat(tsig).as("the TSIG record, last in the response").isNotNull();
        assertThat(tsig.getName()).isEqualTo(Name.fromString("transfer-key.example."));
        assertThat(tsig.getAlgorithm()).isEqualTo(TSIG.HMAC_SHA256);
        assertThat(tsig.getError()).isEqualTo(Rcode.BADKEY);
        assertThat(tsig.getSignature()).as("unsigned: MAC size 0").isEmpty();
        assertThat(tsig.getOriginalID()).isEqualTo(query.getHeader().getID());
        assertThat(tsig.getTimeSigned()).isEqualTo(new Message(wire).getTSIG().getTimeSigned());
        assertThat(response.getOPT()).as("the query's EDNS is answered too").isNotNull();
    }

    @Test
    void notauthAnswersAreCountedInTheMetrics() throws Exception {
        Message query = query("www.app.test.", Type.A, false);
        query.setTSIG(new TSIG(TSIG.HMAC_SHA256, "k.example.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
        sendUdp(query.toWire(65535));

        assertThat(deployment.metric("wayfinder_dns_responses_total{rcode=\"NOTAUTH\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aTsigRecordThatIsNotTheLastRecordIsFormerr() throws IOException {
        Message query = query("www.app.test.", Type.A, false);
        query.setTSIG(new TSIG(TSIG.HMAC_SHA256, "k.example.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
        Message signed = new Message(query.toWire(65535));
        Message reordered = new Message(signed.getHeader().getID());
        reordered.getHeader().setFlag(Flags.RD);
        reordered.addRecord(signed.getQuestion(), Section.QUESTION);
        reordered.addRecord(signed.getTSIG(), Section.ADDITIONAL);
        reordered.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);

        byte[] response = sendUdp(reordered.toWire());

        assertThat(response[3] & 0xF).isEqualTo(Rcode.FORMERR);
    }

    // ---- name compression in record data (RFC 1035 §4.1.4)

    @Test
    void nameServersSharingASuffixFitOneUdpResponseCompressed() throws IOException {
        byte[] wire = sendUdp(query("wide.test.", Type.NS, true).toWire());
        Message response = new Message(wire);

        assertThat(uncompressedSize(response)).as("what the answer would take uncompressed").isGreaterThan(UDP_LIMIT);
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getSection(Section.ANSWER)).hasSize(24);
        assertThat(((NSRecord) response.getSection(Section.ANSWER).get(23)).getTarget())
                .isEqualTo(Name.fromString("ns23.a-rather-long-dns-provider-name.example.net."));
        assertThat(wire.length).isLessThanOrEqualTo(UDP_LIMIT);
    }

    @Test
    void longNameServerNamesAreCompressedToTheirFirstLabel() throws IOException {
        byte[] wire = sendTcp(query("big.test.", Type.NS, true).toWire());
        Message response = new Message(wire);

        assertThat(response.getSection(Section.ANSWER)).hasSize(24);
        // Each NS after the first spells only its own first label, then points at "example.net".
        int firstLabels = 0;
        for (Record r : response.getSection(Section.ANSWER)) {
            firstLabels += ((NSRecord) r).getTarget().getLabel(0).length; // the length byte included
        }
        int expected = 12 + "big.test.".length() + 1 + 4 // header, question
                + 24 * (2 + 10) + firstLabels + 24 * 2 + "example.net".length() // NS records
                + 11; // OPT
        assertThat(wire.length).isEqualTo(expected);
        assertThat(uncompressedSize(response) - wire.length).as("bytes saved").isGreaterThan(250);
    }

    // ---- glue (RFC 9471): addresses of name servers inside the served zones

    @Test
    void theApexNsAnswerCarriesGlueForItsInZoneNameServer() throws IOException {
        Message response = new Message(sendUdp(query("app.test.", Type.NS, true).toWire()));

        assertThat(response.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.NS)
                .extracting(r -> ((NSRecord) r).getTarget().toString())
                .containsExactly("ns1.app.test.", "ns2.elsewhere.test.");
        assertThat(response.getSection(Section.ADDITIONAL)).filteredOn(r -> r.getType() != Type.OPT)
                .extracting(r -> r.getName() + " " + r.getTTL() + " " + Type.string(r.getType()) + " " + r.rdataToString())
                .containsExactly("ns1.app.test. 3600 A 127.0.0.1", "ns1.app.test. 3600 AAAA 0:0:0:0:0:0:0:1");
    }

    @Test
    void glueThatDoesNotFitIsDroppedWithoutTruncating() throws IOException {
        byte[] wire = sendUdp(query("crowded.test.", Type.NS, true).toWire());
        Message udp = new Message(wire);
        Message tcp = new Message(sendTcp(query("crowded.test.", Type.NS, true).toWire()));

        assertThat(udp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(udp.getSection(Section.ANSWER)).hasSize(20);
        assertThat(wire.length).isLessThanOrEqualTo(UDP_LIMIT);
        List<Record> udpGlue = glue(udp);
        assertThat(udpGlue).isNotEmpty().hasSizeLessThan(80);
        assertThat(glue(tcp)).hasSize(80).startsWith(udpGlue.toArray(new Record[0]));
        assertThat(udpGlue).allSatisfy(r -> assertThat(r).isInstanceOf(AAAARecord.class));
    }

    // ---- every answer parses

    static Stream<Arguments> everyNameAndType() {
        List<Arguments> out = new ArrayList<>();
        String[] names = {"app.test.", "www.app.test.", "eu.app.test.", "alias.app.test.", "dangling.app.test.",
            "deep.app.test.", "www.deep.app.test.", "ns1.app.test.", "loop-a.app.test.", "nope.app.test.",
            "big.test.", "wide.test.", "crowded.test.", "ns7.crowded.test.", "x.crowded.test.", "example.com."};
        int[] types = {Type.A, Type.AAAA, Type.NS, Type.SOA, Type.CNAME, Type.MX, Type.ANY};
        for (String name : names) {
            for (int type : types) {
                out.add(Arguments.of(name, type));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyNameAndType")
    void everyAnswerParsesAndFitsItsTransport(String name, int type) throws IOException {
        for (boolean edns : new boolean[] {false, true}) {
            byte[] udp = sendUdp(query(name, type, edns).toWire());
            Message response = new Message(udp);
            assertThat(response.numBytes()).isEqualTo(udp.length);
            assertThat(udp.length).isLessThanOrEqualTo(edns ? UDP_LIMIT : 512);
            byte[] tcp = sendTcp(query(name, type, edns).toWire());
            assertThat(new Message(tcp).numBytes()).isEqualTo(tcp.length);
        }
    }

    // ---- helpers

    private static List<Record> glue(Message response) {
        return response.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT).toList();
    }

    /** The size of the response with every name written in full (the owners still pointers to the question). */
    private static int uncompressedSize(Message response) {
        int size = 12 + response.getQuestion().getName().length() + 4;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : response.getSection(section)) {
                size += r.getType() == Type.OPT ? 11 : 2 + 10 + r.rdataToWireCanonical().length;
            }
        }
        return size;
    }

    static Message query(String name, int type, boolean edns) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (edns) {
            query.addRecord(new OPTRecord(UDP_LIMIT, 0, 0), Section.ADDITIONAL);
        }
        return query;
    }

    static byte[] sendUdp(byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            socket.send(new DatagramPacket(query, query.length, deployment.ipv4));
            byte[] buffer = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return java.util.Arrays.copyOf(buffer, reply.getLength());
        }
    }

    static byte[] sendTcp(byte[] query) throws IOException {
        InetSocketAddress server = deployment.ipv4;
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(3000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readUnsignedShort()];
            in.readFully(response);
            return response;
        }
    }
}
