package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The real server on ephemeral loopback ports, asked with dnsjava over UDP and TCP, IPv4 and IPv6.
 * Each test states one behaviour a resolver relies on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one server for the class; a subclass serves it another way (configText)
class DnsServerIntegrationTest {
    @TempDir
    static Path dir;
    static TestDeployment deployment;

    @BeforeAll
    void start() throws Exception {
        deployment = TestDeployment.start(dir, configText());
    }

    @AfterAll
    void stop() {
        if (deployment != null) {
            deployment.close();
            deployment = null;
        }
    }

    /** The configuration the server starts with. */
    String configText() {
        return TestDeployment.config();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void ecsClientInLondonGetsTheEuropeanEndpointWithScope24(boolean tcp) throws IOException {
        Message response = deployment.ask("www.app.test", Type.A, "81.2.69.0/24", tcp);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(addresses(response)).containsExactly("192.0.2.10");
        assertThat(response.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(20);
        ClientSubnetOption ecs = ecs(response);
        assertThat(ecs.getSourcePrefixLength()).isEqualTo(24);
        assertThat(ecs.getScopePrefixLength()).isEqualTo(24);
        assertThat(ecs.getAddress().getHostAddress()).isEqualTo("81.2.69.0");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void ecsClientInTokyoGetsTheAsianCname(boolean tcp) throws IOException {
        Message response = deployment.ask("www.app.test", Type.A, "1.0.16.0/24", tcp);
        List<Record> answer = response.getSection(Section.ANSWER);
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0)).isInstanceOf(CNAMERecord.class);
        assertThat(((CNAMERecord) answer.get(0)).getTarget().toString()).isEqualTo("asia.cdn.example.net.");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void ipv6EcsClientIsRoutedByItsSlash48(boolean tcp) throws IOException {
        Message response = deployment.ask(deployment.ipv6, "www.app.test", Type.A, "2a00:1450:4009::/56", tcp);
        assertThat(addresses(response)).containsExactly("192.0.2.10");
        assertThat(ecs(response).getScopePrefixLength()).isEqualTo(48);
    }

    @Test
    void aNestedEndpointAnswersThroughItsChildProfilesMethod() throws IOException {
        Message response = deployment.ask("www.app.test", Type.A, "198.51.100.0/24", false);
        assertThat(addresses(response)).containsExactly("192.0.2.20");
        assertThat(response.getSection(Section.ANSWER).get(0).getTTL()).as("the queried profile's TTL").isEqualTo(20);
    }

    @Test
    void anAaaaQueryForAnIpv4EndpointIsNodataWithTheSoaMinimumAsNegativeTtl() throws IOException {
        Message response = deployment.ask("www.app.test", Type.AAAA, "81.2.69.0/24", false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        List<Record> authority = response.getSection(Section.AUTHORITY);
        assertThat(authority).singleElement().isInstanceOf(SOARecord.class);
        assertThat(authority.get(0).getTTL()).isEqualTo(60);
        assertThat(((SOARecord) authority.get(0)).getMinimum()).isEqualTo(60);
    }

    @Test
    void anIpv6EndpointAnswersAaaa() throws IOException {
        Message response = deployment.ask("www.app.test", Type.AAAA, "24.0.0.0/24", false);
        // 24.0.0.0/24 is in neither table nor geolocation: every region ties and the stable hash decides.
        Message again = deployment.ask("www.app.test", Type.AAAA, "24.0.0.0/24", false);
        assertThat(response.sectionToString(Section.ANSWER)).isEqualTo(again.sectionToString(Section.ANSWER));
    }

    @Test
    void theSameClientAlwaysGetsTheSameAnswer() throws IOException {
        Map<String, String> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int net = 0; net < 40; net++) {
                String subnet = "100.64." + net + ".0/24";
                String answer = deployment.ask("split.app.test", Type.A, subnet, false).sectionToString(Section.ANSWER);
                assertThat(first.computeIfAbsent(subnet, k -> answer)).isEqualTo(answer);
            }
        }
        assertThat(first.values().stream().distinct()).as("weighted routing spreads networks over both").hasSize(2);
    }

    @Test
    void severalEndpointsInTheWinningRegionShareItsClientsByNetwork() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        // 81.2.64.0/20 holds the measured 81.2.69.0/24: its aggregate sends all these /24s to westeurope.
        for (int net = 64; net < 80; net++) {
            Message response = deployment.ask("pair.app.test", Type.A, "81.2." + net + ".0/24", false);
            counts.merge(addresses(response).get(0), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder("192.0.2.80", "192.0.2.81");
    }

    @Test
    void withoutEcsTheResolverAddressIsTheClientAndNoEcsOptionIsReturned() throws IOException {
        Message response = deployment.ask("www.app.test", Type.A, null, false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            assertThat(opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)).isEmpty();
        }
    }

    @Test
    void aQueryWithEdnsGetsOptWithPayload1232() throws IOException {
        Message response = deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false);
        assertThat(response.getOPT().getPayloadSize()).isEqualTo(1232);
    }

    @Test
    void aCnameToAProfileInsideTheZoneIsFollowedInTheSameAnswer() throws IOException {
        Message response = deployment.ask("alias.app.test", Type.A, "81.2.69.0/24", false);
        List<Record> answer = response.getSection(Section.ANSWER);
        assertThat(answer).hasSize(2);
        assertThat(answer.get(0)).isInstanceOf(CNAMERecord.class);
        assertThat(answer.get(0).getTTL()).isEqualTo(50);
        assertThat(answer.get(1).getName().toString()).isEqualTo("eu.app.test.");
        assertThat(((ARecord) answer.get(1)).getAddress().getHostAddress()).isEqualTo("192.0.2.20");
        assertThat(answer.get(1).getTTL()).isEqualTo(40);
    }

    @Test
    void aCnameToAMissingNameInsideTheZoneEndsInNxdomain() throws IOException {
        Message response = deployment.ask("dangling.app.test", Type.A, null, false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getSection(Section.ANSWER)).singleElement().isInstanceOf(CNAMERecord.class);
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void theApexAnswersSoaAndNs() throws IOException {
        Message soa = deployment.ask("app.test", Type.SOA, null, false);
        assertThat(soa.getSection(Section.ANSWER)).singleElement().isInstanceOf(SOARecord.class);
        SOARecord record = (SOARecord) soa.getSection(Section.ANSWER).get(0);
        assertThat(record.getHost().toString()).isEqualTo("ns1.app.test.");
        assertThat(record.getAdmin().toString()).isEqualTo("hostmaster.app.test.");
        assertThat(record.getTTL()).isEqualTo(3600);
        Message ns = deployment.ask("app.test", Type.NS, null, true);
        assertThat(ns.getSection(Section.ANSWER)).extracting(r -> ((NSRecord) r).getTarget().toString())
                .containsExactly("ns1.app.test.", "ns2.elsewhere.test.");
    }

    @Test
    void aNameServerInsideTheZoneHasItsAddresses() throws IOException {
        assertThat(addresses(deployment.ask("ns1.app.test", Type.A, null, false))).containsExactly("127.0.0.1");
        Message aaaa = deployment.ask("ns1.app.test", Type.AAAA, null, false);
        assertThat(((AAAARecord) aaaa.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void anUnknownNameInTheZoneIsNxdomainWithTheSoa() throws IOException {
        Message response = deployment.ask("nope.app.test", Type.A, "81.2.69.0/24", false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(ecs(response).getScopePrefixLength()).as("the answer holds for every client").isZero();
    }

    @Test
    void anEmptyNonTerminalIsNodataNotNxdomain() throws IOException {
        Message response = deployment.ask("deep.app.test", Type.A, null, false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        assertThat(addresses(deployment.ask("www.deep.app.test", Type.A, null, false))).containsExactly("192.0.2.50");
    }

    @Test
    void aNameOutsideTheServedZonesIsRefusedWithoutAa() throws IOException {
        Message response = deployment.ask("www.example.com", Type.A, null, false);
        assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(response.getHeader().getFlag(Flags.RA)).as("no recursion").isFalse();
    }

    @Test
    void aDisabledProfileAnswersNxdomain() throws IOException {
        assertThat(deployment.ask("off.app.test", Type.A, null, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aProfileWhoseEndpointsAreAllDisabledAnswersNxdomain() throws IOException {
        assertThat(deployment.ask("empty.app.test", Type.A, null, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void namesAreCaseInsensitiveAndTheQuestionIsEchoedExactly() throws IOException {
        Message response = deployment.ask("WwW.App.TeSt", Type.A, "81.2.69.0/24", false);
        assertThat(addresses(response)).containsExactly("192.0.2.10");
        assertThat(response.getQuestion().getName().toString()).isEqualTo("WwW.App.TeSt.");
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndCompleteOverTcp() throws IOException {
        Message udp = deployment.ask("big.test", Type.NS, null, false);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(udp.getSection(Section.ANSWER)).isEmpty();
        Message tcp = deployment.ask("big.test", Type.NS, null, true);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(24);
    }

    @Test
    void aMalformedClientSubnetGetsFormerrAndTheServerKeepsAnswering() throws IOException {
        byte[] query = rawQuery(0x1234);
        // ECS option claiming /24 but carrying 4 address bytes: RFC 7871 says FORMERR.
        byte[] bad = withOpt(query, new byte[] {0, 8, 0, 8, 0, 1, 24, 0, 81, 2, 69, 7});
        byte[] response = sendUdp(bad);
        assertThat(response[3] & 0xF).isEqualTo(Rcode.FORMERR);
        assertThat(((response[0] & 0xFF) << 8) | (response[1] & 0xFF)).isEqualTo(0x1234);
        assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.10");
    }

    @Test
    void anotherOpcodeGetsNotimp() throws IOException {
        byte[] query = rawQuery(0x4321);
        query[2] = (byte) (4 << 3); // NOTIFY
        assertThat(sendUdp(query)[3] & 0xF).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void garbageNeverStopsTheServer() throws IOException {
        java.util.Random random = new java.util.Random(7);
        // From a network of its own: the FORMERRs and NOTIMPs it earns count against the sender's
        // response-rate limit (200 errors a second per /24), not against the other tests' 127.0.0.1.
        try (DatagramSocket socket = new DatagramSocket(new java.net.InetSocketAddress("127.0.99.1", 0))) {
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[random.nextInt(64)];
                random.nextBytes(junk);
                socket.send(new DatagramPacket(junk, junk.length, deployment.ipv4));
            }
        }
        assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", true))).containsExactly("192.0.2.10");
        assertThat(deployment.server.dns().stats().failures()).as("no query hit a bug").isZero();
    }

    @Test
    void aZoneTransferIsRefused() {
        // dnsjava's resolver treats AXFR specially and reports the rcode as an exception.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deployment.ask("app.test", Type.AXFR, null, true))
                .hasMessageContaining("REFUSED");
    }

    @Test
    void aZoneTransferOfANameThatDoesNotExistIsRefusedToo() throws IOException {
        byte[] query = rawQuery(77);
        query[query.length - 3] = (byte) 252; // QTYPE AXFR, for www.app.test
        byte[] nxName = query.clone();
        nxName[12 + 1] = 'x'; // xww.app.test: in the zone, but no such name
        for (byte[] q : List.of(query, nxName)) {
            byte[] reply = sendUdp(q);
            assertThat(reply[3] & 0xF).as("rcode").isEqualTo(Rcode.REFUSED);
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aCnameLoopBetweenProfilesEndsBeforeItRepeatsARecord(boolean tcp) throws IOException {
        Message response = deployment.ask("loop-a.app.test", Type.A, null, tcp);

        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).extracting(Record::toString)
                .containsExactly("loop-a.app.test.\t30\tIN\tCNAME\tloop-b.app.test.",
                        "loop-b.app.test.\t30\tIN\tCNAME\tloop-a.app.test.");
    }

    // --- helpers ---

    static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .filter(r -> r instanceof ARecord || r instanceof AAAARecord)
                .map(r -> r instanceof ARecord a ? a.getAddress().getHostAddress() : ((AAAARecord) r).getAddress().getHostAddress())
                .toList();
    }

    static ClientSubnetOption ecs(Message response) {
        List<EDNSOption> options = response.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);
        assertThat(options).hasSize(1);
        return (ClientSubnetOption) options.get(0);
    }

    /** A minimal A query for www.app.test with EDNS-less header, id given. */
    static byte[] rawQuery(int id) {
        byte[] name = {3, 'w', 'w', 'w', 3, 'a', 'p', 'p', 4, 't', 'e', 's', 't', 0};
        byte[] q = new byte[12 + name.length + 4];
        q[0] = (byte) (id >>> 8);
        q[1] = (byte) id;
        q[5] = 1;
        System.arraycopy(name, 0, q, 12, name.length);
        q[12 + name.length + 1] = 1;
        q[12 + name.length + 3] = 1;
        return q;
    }

    /** The query with an OPT record whose rdata is the given options. */
    static byte[] withOpt(byte[] query, byte[] options) {
        byte[] out = new byte[query.length + 11 + options.length];
        System.arraycopy(query, 0, out, 0, query.length);
        out[11] = 1; // ARCOUNT
        int p = query.length;
        out[p++] = 0;
        out[p++] = 0;
        out[p++] = 41;
        out[p++] = 0x04;
        out[p++] = (byte) 0xD0; // payload 1232
        p += 4; // extended rcode, version, flags
        out[p++] = (byte) (options.length >>> 8);
        out[p++] = (byte) options.length;
        System.arraycopy(options, 0, out, p, options.length);
        return out;
    }

    static byte[] sendUdp(byte[] query) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            socket.send(new DatagramPacket(query, query.length, deployment.ipv4));
            byte[] buffer = new byte[2048];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            socket.receive(reply);
            return java.util.Arrays.copyOf(buffer, reply.getLength());
        }
    }

    static Duration patience() {
        return Duration.ofSeconds(10);
    }

    static void awaitAnswer(String subnet, String expected) {
        await().atMost(patience()).untilAsserted(() ->
                assertThat(addresses(deployment.ask("www.app.test", Type.A, subnet, false))).containsExactly(expected));
    }
}
