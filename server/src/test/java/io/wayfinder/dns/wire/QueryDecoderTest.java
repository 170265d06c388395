package io.wayfinder.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSIDOption;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@link QueryDecoder} against queries built by dnsjava (what real resolvers send) and against
 * hand-crafted bytes (what dnsjava refuses to build: malformed and hostile packets).
 */
class QueryDecoderTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 53000);
    private static final int ID = 0x1234;
    private static final int RD = 0x0100;
    private static final byte[] A_IN = bytes(0, 1, 0, 1);

    private final DnsQuery query = new DnsQuery();

    // ---- accepted queries

    @Test
    void decodesAPlainAQuery() throws IOException {
        int status = decode(query("www.example.test.", Type.A).toWire());

        assertThat(status).isEqualTo(QueryDecoder.OK);
        assertThat(query.id()).isEqualTo(ID);
        assertThat(query.opcode()).isZero();
        assertThat(query.recursionDesired()).isTrue();
        assertThat(query.qtype()).isEqualTo(RecordType.A);
        assertThat(query.qclass()).isEqualTo(RecordType.IN);
        assertThat(lowerName()).isEqualTo(WireNames.toWire("www.example.test"));
        assertThat(query.nameText()).isEqualTo("www.example.test");
        assertThat(query.edns()).isFalse();
        assertThat(query.udpPayloadSize()).isEqualTo(512);
        assertThat(query.hasClientSubnet()).isFalse();
        assertThat(query.sender()).isEqualTo(SENDER);
        assertThat(query.overTcp()).isFalse();
    }

    @ParameterizedTest(name = "RD={0}")
    @ValueSource(booleans = {true, false})
    void readsRecursionDesired(boolean rd) throws IOException {
        Message m = query("www.example.test.", Type.AAAA);
        if (!rd) {
            m.getHeader().unsetFlag(Flags.RD);
        }

        assertThat(decode(m.toWire())).isEqualTo(QueryDecoder.OK);
        assertThat(query.recursionDesired()).isEqualTo(rd);
        assertThat(query.qtype()).isEqualTo(RecordType.AAAA);
    }

    static Stream<Arguments> questionNames() {
        return Stream.of(
                arguments("www.Example.TEST", "www.example.test"),
                arguments("WWW.EXAMPLE.TEST", "www.example.test"),
                arguments("already.lower", "already.lower"),
                // '@' (0x40) and '[' (0x5B) sit just outside A-Z and must stay as they are.
                arguments("@Z[.A", "@z[.a"),
                // Bytes above 0x7F are not ASCII letters: only A-Z is folded (RFC 4343).
                arguments("\\196X\\214", "\\196x\\214"),
                arguments("", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("questionNames")
    void lowerCasesTheLookupNameButLeavesTheRawQuestionAsSent(String sent, String lookup) throws IOException {
        byte[] packet = query(sent + ".", Type.A).toWire();
        byte[] rawName = new Name(sent + ".").toWire();

        assertThat(decode(packet)).isEqualTo(QueryDecoder.OK);
        assertThat(Arrays.copyOfRange(packet, 12, 12 + rawName.length)).isEqualTo(rawName);
        assertThat(lowerName()).isEqualTo(new Name(lookup + ".").toWire());
        assertThat(query.nameLength()).isEqualTo(rawName.length);
    }

    static Stream<Arguments> ednsHeaders() {
        return Stream.of(
                arguments(1232, false),
                arguments(4096, true),
                arguments(512, false),
                // Below 512 is kept as sent; the response writer treats it as 512 (RFC 6891 §6.2.5).
                arguments(100, true),
                arguments(65535, false));
    }

    @ParameterizedTest(name = "payload {0}, DO {1}")
    @MethodSource("ednsHeaders")
    void readsEdnsPayloadSizeAndDnssecOk(int payload, boolean dnssecOk) throws IOException {
        Message m = query("www.example.test.", Type.A);
        m.addRecord(new OPTRecord(payload, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);

        assertThat(decode(m.toWire())).isEqualTo(QueryDecoder.OK);
        assertThat(query.edns()).isTrue();
        assertThat(query.udpPayloadSize()).isEqualTo(payload);
        assertThat(query.dnssecOk).isEqualTo(dnssecOk);
        assertThat(query.ednsVersion).isZero();
        assertThat(query.hasClientSubnet()).isFalse();
    }

    static Stream<Arguments> clientSubnets() {
        return Stream.of(
                arguments("192.0.2.0", 24, 1, address(192, 0, 2)),
                arguments("198.51.100.77", 32, 1, address(198, 51, 100, 77)),
                arguments("10.0.0.0", 8, 1, address(10)),
                arguments("192.0.2.0", 23, 1, address(192, 0, 2)),
                arguments("2001:db8:1234:5600::", 56, 2, address(0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56)),
                arguments("2001:db8::", 32, 2, address(0x20, 0x01, 0x0d, 0xb8)),
                arguments("2001:db8::80", 121, 2,
                        address(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80)),
                arguments("0.0.0.0", 0, 1, address()),
                arguments("::", 0, 2, address()));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("clientSubnets")
    void readsClientSubnet(String address, int source, int family, byte[] expected) throws IOException {
        byte[] packet = ednsQuery(new ClientSubnetOption(source, InetAddress.getByName(address))).toWire();

        assertThat(decode(packet)).isEqualTo(QueryDecoder.OK);
        assertThat(query.hasClientSubnet()).isTrue();
        assertThat(query.clientSubnetFamily()).isEqualTo(family);
        assertThat(query.clientSubnetSourceLength()).isEqualTo(source);
        assertThat(query.clientSubnetAddress()).isEqualTo(expected);
    }

    @Test
    void forgetsThePreviousPacketWhenReused() throws IOException {
        decode(ednsQuery(new ClientSubnetOption(32, InetAddress.getByName("198.51.100.77"))).toWire());
        assertThat(query.hasClientSubnet()).isTrue();

        assertThat(decode(ednsQuery(new ClientSubnetOption(8, InetAddress.getByName("10.0.0.0"))).toWire()))
                .isEqualTo(QueryDecoder.OK);
        assertThat(query.clientSubnetAddress()).isEqualTo(address(10));

        assertThat(decode(query("Other.Test.", Type.A).toWire())).isEqualTo(QueryDecoder.OK);
        assertThat(query.edns()).isFalse();
        assertThat(query.hasClientSubnet()).isFalse();
        assertThat(query.udpPayloadSize()).isEqualTo(512);
        assertThat(lowerName()).isEqualTo(WireNames.toWire("other.test"));
    }

    static Stream<Arguments> packetsWithRecordsBeyondTheQuestion() throws IOException {
        Name owner = Name.fromString("www.example.test.");
        Name zone = Name.fromString("example.test.");
        Record a = new ARecord(owner, DClass.IN, 300, InetAddress.getByName("192.0.2.1"));
        Record ns = new NSRecord(zone, DClass.IN, 300, Name.fromString("ns1.example.test."));
        Record soa = new SOARecord(zone, DClass.IN, 300, Name.fromString("ns1.example.test."),
                Name.fromString("hostmaster.example.test."), 1, 3600, 600, 86400, 60);
        Record glue = new ARecord(Name.fromString("ns1.example.test."), DClass.IN, 300,
                InetAddress.getByName("192.0.2.53"));

        Message answer = query("www.example.test.", Type.A);
        answer.addRecord(a, Section.ANSWER);
        Message authority = query("www.example.test.", Type.A);
        authority.addRecord(soa, Section.AUTHORITY);
        authority.addRecord(ns, Section.AUTHORITY);
        Message all = query("www.example.test.", Type.A);
        all.addRecord(a, Section.ANSWER);
        all.addRecord(ns, Section.AUTHORITY);
        all.addRecord(glue, Section.ADDITIONAL);
        all.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        all.addRecord(glue, Section.ADDITIONAL);
        // A record owned by a pointer back into the question, written by hand.
        byte[] handPointer = concat(header(RD, 1, 1, 0, 0), question("www.example.test"),
                bytes(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1));
        // An owner that is labels followed by a pointer.
        byte[] labelsThenPointer = concat(header(RD, 1, 0, 1, 0), question("www.example.test"),
                bytes(3, 'f', 'o', 'o', 0xC0, 16, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1));
        return Stream.of(
                arguments("an A record in the answer section", answer.toWire()),
                arguments("SOA and NS in the authority section", authority.toWire()),
                arguments("records in every section around the OPT", all.toWire()),
                arguments("an owner that is a pointer to the question", handPointer),
                arguments("an owner of labels then a pointer", labelsThenPointer));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packetsWithRecordsBeyondTheQuestion")
    void skipsRecordsOutsideTheQuestion(String description, byte[] packet) {
        assertThat(decode(packet)).isEqualTo(QueryDecoder.OK);
        assertThat(query.qtype()).isEqualTo(RecordType.A);
        assertThat(lowerName()).isEqualTo(WireNames.toWire("www.example.test"));
    }

    static Stream<Arguments> optionsAroundClientSubnet() throws IOException {
        EDNSOption ecs = new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0"));
        EDNSOption unknown = new GenericEDNSOption(65001, new byte[] {1, 2, 3});
        EDNSOption empty = new GenericEDNSOption(65002, new byte[0]);
        EDNSOption nsid = new NSIDOption(new byte[0]);
        // Code 8 is only ECS; neighbours 7 and 9 must not be mistaken for it.
        EDNSOption seven = new GenericEDNSOption(7, new byte[] {0, 1, 24, 5, 1, 2, 3});
        EDNSOption nine = new GenericEDNSOption(9, new byte[] {0, 3, 99, 99});
        return Stream.of(
                arguments("unknown before ECS", List.of(unknown, ecs), true),
                arguments("unknown after ECS", List.of(ecs, unknown), true),
                arguments("NSID, empty, ECS", List.of(nsid, empty, ecs), true),
                arguments("codes 7 and 9 around ECS", List.of(seven, ecs, nine), true),
                arguments("unknown only", List.of(unknown, empty), false),
                arguments("codes 7 and 9 only", List.of(seven, nine), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optionsAroundClientSubnet")
    void skipsUnknownEdnsOptions(String description, List<EDNSOption> options, boolean hasEcs) throws IOException {
        assertThat(decode(ednsQuery(options.toArray(new EDNSOption[0])).toWire())).isEqualTo(QueryDecoder.OK);
        assertThat(query.edns()).isTrue();
        assertThat(query.hasClientSubnet()).isEqualTo(hasEcs);
        if (hasEcs) {
            assertThat(query.clientSubnetSourceLength()).isEqualTo(24);
            assertThat(query.clientSubnetAddress()).isEqualTo(address(192, 0, 2));
        }
    }

    static Stream<Arguments> trailingBytes() {
        return Stream.of(
                arguments("one zero byte", bytes(0)),
                arguments("a pointer-looking pair", bytes(0xC0, 0xFF)),
                arguments("a whole extra OPT record", opt(4096, 1, 0)),
                arguments("a kilobyte of 0xFF", filled(1024, 0xFF)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trailingBytes")
    void toleratesBytesAfterTheLastRecord(String description, byte[] trailer) throws IOException {
        Message m = ednsQuery(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0")));

        assertThat(decode(concat(m.toWire(), trailer))).isEqualTo(QueryDecoder.OK);
        assertThat(query.hasClientSubnet()).isTrue();
        assertThat(query.udpPayloadSize()).isEqualTo(1232);
    }

    static Stream<Arguments> namesAtTheLimit() {
        return Stream.of(
                arguments("a question name of 255 bytes",
                        concat(header(RD, 1, 0, 0, 0), longName(255), A_IN)),
                arguments("an answer owner of 255 bytes",
                        concat(header(RD, 1, 1, 0, 0), question("www.example.test"), longName(255), aRdata())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namesAtTheLimit")
    void acceptsNamesOf255Bytes(String description, byte[] packet) {
        assertThat(decode(packet)).isEqualTo(QueryDecoder.OK);
    }

    @Test
    void decodesFromTheReaderIndexOfTheBuffer() throws IOException {
        Message m = ednsQuery(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0")));
        m.addRecord(new ARecord(Name.fromString("www.example.test."), DClass.IN, 60,
                InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        byte[] wire = m.toWire();
        // As a TCP frame: two length bytes the decoder must not count as part of the message.
        ByteBuf framed = Unpooled.wrappedBuffer(concat(bytes(wire.length >> 8, wire.length & 0xFF), wire));
        framed.readerIndex(2);

        assertThat(QueryDecoder.decode(framed, SENDER, true, query)).isEqualTo(QueryDecoder.OK);
        assertThat(query.id()).isEqualTo(ID);
        assertThat(lowerName()).isEqualTo(WireNames.toWire("www.example.test"));
        assertThat(query.hasClientSubnet()).isTrue();
        assertThat(query.overTcp()).isTrue();
    }

    // ---- rejected queries

    static Stream<Arguments> malformedQueries() {
        byte[] q = question("www.example.test");
        byte[] www = bytes(3, 'w', 'w', 'w');
        byte[] a = aRdata();
        byte[] ednsHeader = header(RD, 1, 0, 0, 1);
        return Stream.of(
                // Header and question
                arguments("qdcount 0", header(RD, 0, 0, 0, 0)),
                arguments("qdcount 0 with a question after the header", concat(header(RD, 0, 0, 0, 0), q)),
                arguments("qdcount 2", concat(header(RD, 2, 0, 0, 0), q, q)),
                arguments("qdcount 1 and nothing after the header", header(RD, 1, 0, 0, 0)),
                arguments("qtype cut after one byte", concat(header(RD, 1, 0, 0, 0), www, bytes(0, 0))),
                arguments("qclass missing", concat(header(RD, 1, 0, 0, 0), www, bytes(0, 0, 1))),
                arguments("qclass cut after one byte", concat(header(RD, 1, 0, 0, 0), www, bytes(0, 0, 1, 0))),
                arguments("name running past the end", concat(header(RD, 1, 0, 0, 0), bytes(3, 'w', 'w'))),
                arguments("name without its root label", concat(header(RD, 1, 0, 0, 0), www)),
                arguments("question label of 64 bytes",
                        concat(header(RD, 1, 0, 0, 0), bytes(64), filled(64, 'a'), bytes(0), A_IN)),
                arguments("question label type 0x80",
                        concat(header(RD, 1, 0, 0, 0), bytes(0x80, 'a'), bytes(0), A_IN)),
                arguments("question pointer back into the header",
                        concat(header(RD, 1, 0, 0, 0), bytes(0xC0, 4), A_IN)),
                arguments("question pointer to itself", concat(header(RD, 1, 0, 0, 0), bytes(0xC0, 12), A_IN)),
                arguments("question pointer after a label",
                        concat(header(RD, 1, 0, 0, 0), www, bytes(0xC0, 12), A_IN)),
                arguments("question name of 256 bytes", concat(header(RD, 1, 0, 0, 0), longName(256), A_IN)),
                // Answer and authority records
                arguments("ancount 1 and no answer", concat(header(RD, 1, 1, 0, 0), q)),
                arguments("answer cut inside its fixed fields",
                        concat(header(RD, 1, 1, 0, 0), q, bytes(0xC0, 12, 0, 1, 0, 1, 0, 0, 0))),
                arguments("answer rdata past the end",
                        concat(header(RD, 1, 1, 0, 0), q, bytes(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2))),
                arguments("answer owner pointer forward",
                        concat(header(RD, 1, 1, 0, 0), q, bytes(0xC0, 0x40), a)),
                arguments("answer owner pointer to itself",
                        concat(header(RD, 1, 1, 0, 0), q, bytes(0xC0, 34), a)),
                arguments("answer owner pointer cut after one byte", concat(header(RD, 1, 1, 0, 0), q, bytes(0xC0))),
                arguments("authority owner label of 64 bytes",
                        concat(header(RD, 1, 0, 1, 0), q, bytes(64), filled(64, 'a'), bytes(0), a)),
                arguments("authority owner label type 0x40",
                        concat(header(RD, 1, 0, 1, 0), q, bytes(0x40, 'a', 0), a)),
                arguments("answer owner of 257 bytes", concat(header(RD, 1, 1, 0, 0), q, longName(257), a)),
                arguments("answer owner of 256 bytes", concat(header(RD, 1, 1, 0, 0), q, longName(256), a)),
                arguments("additional owner of 256 bytes", concat(header(RD, 1, 0, 0, 1), q, longName(256), a)),
                // Additional records and OPT
                arguments("arcount 1 and no record", concat(ednsHeader, q)),
                arguments("additional rdata past the end",
                        concat(ednsHeader, q, bytes(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 192, 0, 2, 1))),
                arguments("two OPT records", concat(header(RD, 1, 0, 0, 2), q, opt(1232, 0, 0), opt(1232, 0, 0))),
                arguments("two OPT records around an A",
                        concat(header(RD, 1, 0, 0, 3), q, opt(1232, 0, 0), bytes(0xC0, 12), a, opt(1232, 0, 0))),
                arguments("OPT owned by the question name",
                        concat(ednsHeader, q, bytes(0xC0, 12), Arrays.copyOfRange(opt(1232, 0, 0), 1, 11))),
                arguments("OPT owned by an uncompressed name",
                        concat(ednsHeader, q, bytes(1, 'x'), opt(1232, 0, 0))),
                arguments("OPT rdata past the end",
                        concat(ednsHeader, q, bytes(0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 8, 0, 8, 0, 4))),
                arguments("option length overrunning the OPT rdata",
                        concat(ednsHeader, q, opt(1232, 0, 0, bytes(0xFD, 0xE9, 0, 5, 1, 2, 3, 4)))),
                arguments("ECS length overrunning the OPT rdata",
                        concat(ednsHeader, q, opt(1232, 0, 0, bytes(0, 8, 0, 8, 0, 1, 24, 0, 192, 0, 2)))),
                arguments("option header cut inside the OPT rdata",
                        concat(ednsHeader, q, opt(1232, 0, 0, bytes(0, 8, 0)))),
                arguments("ECS shorter than family, source and scope",
                        concat(ednsHeader, q, opt(1232, 0, 0, option(8, bytes(0, 1, 0))))),
                arguments("ECS family 0", ecsQuery(0, 0, 0)),
                arguments("ECS family 3", ecsQuery(3, 24, 0, 192, 0, 2)),
                arguments("ECS IPv4 source 33", ecsQuery(1, 33, 0, 192, 0, 2, 1, 0)),
                arguments("ECS IPv6 source 129", ecsQuery(2, 129, 0, concatInts(filled(16, 0x20), bytes(0)))),
                arguments("ECS scope 24 in a query", ecsQuery(1, 24, 24, 192, 0, 2)),
                arguments("ECS scope 1 with source 0", ecsQuery(1, 0, 1)),
                arguments("ECS /24 with 4 address bytes", ecsQuery(1, 24, 0, 192, 0, 2, 0)),
                arguments("ECS /24 with 2 address bytes", ecsQuery(1, 24, 0, 192, 0)),
                arguments("ECS /0 with 1 address byte", ecsQuery(1, 0, 0, 0)),
                arguments("ECS IPv6 /56 with 8 address bytes",
                        ecsQuery(2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0)),
                arguments("ECS /23 with bit 24 set", ecsQuery(1, 23, 0, 192, 0, 3)),
                arguments("ECS /1 with bit 2 set", ecsQuery(1, 1, 0, 0x40)),
                arguments("ECS IPv6 /57 with bit 58 set",
                        ecsQuery(2, 57, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x40)),
                arguments("two ECS options", concat(ednsHeader, q, opt(1232, 0, 0,
                        option(8, bytes(0, 1, 24, 0, 192, 0, 2)), option(8, bytes(0, 1, 24, 0, 192, 0, 2))))),
                // TSIG (RFC 8945 §5.2): last, and whole
                arguments("TSIG before OPT", concat(header(RD, 1, 0, 0, 2), q, tsig(bytes(0), 0, 0), opt(1232, 0, 0))),
                arguments("TSIG rdata ending inside the fudge", concat(header(RD, 1, 0, 0, 1), q,
                        bytes(1, 'k', 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 9), hmacSha256(), bytes(0, 0, 0, 0, 0, 0))),
                arguments("TSIG MAC size past the rdata", concat(header(RD, 1, 0, 0, 1), q, tsig(bytes(0), 40, 0))),
                arguments("TSIG other length past the rdata", concat(header(RD, 1, 0, 0, 1), q, tsig(bytes(0), 0, 3))),
                arguments("TSIG key name pointing forward",
                        concat(header(RD, 1, 0, 0, 1), q, tsig(bytes(0xC0, 0x7F), 0, 0))));
    }

    /** A TSIG record owned by {@code owner}, hmac-sha256, with a MAC and other data claimed but absent. */
    private static byte[] tsig(byte[] owner, int macSize, int otherLength) {
        byte[] rdata = concat(hmacSha256(), bytes(0, 0, 0x65, 0x5F, 0, 0, 1, 0x2C, macSize >> 8, macSize & 0xFF,
                ID >> 8, ID & 0xFF, 0, 0, otherLength >> 8, otherLength & 0xFF));
        return concat(owner, bytes(0, 250, 0, 255, 0, 0, 0, 0, rdata.length >> 8, rdata.length & 0xFF), rdata);
    }

    private static byte[] hmacSha256() {
        return WireNames.toWire("hmac-sha256");
    }

    @Test
    void answersASignedQueryNotauthAndKeepsWhereItsTsigPartsAre() throws IOException {
        Message m = ednsQuery();
        // A key name under the question's name, which dnsjava compresses into a pointer.
        m.setTSIG(new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "key.www.example.test.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
        byte[] wire = m.toWire(65535);

        assertThat(decode(wire)).isEqualTo(QueryDecoder.NOTAUTH);
        assertThat(query.signed()).isTrue();
        assertThat(query.tsigKeyNameLength).isEqualTo(WireNames.toWire("key.www.example.test").length);
        ByteBuf copy = Unpooled.buffer();
        QueryDecoder.copyName(Unpooled.wrappedBuffer(wire), 0, query.tsigKeyNameOffset, copy);
        assertThat(io.netty.buffer.ByteBufUtil.getBytes(copy)).isEqualTo(WireNames.toWire("key.www.example.test"));
        assertThat(query.tsigOriginalId).isEqualTo(ID);
    }

    @Test
    void forgetsTheSignatureOfThePreviousPacket() throws IOException {
        Message m = query("www.example.test.", Type.A);
        m.setTSIG(new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
        assertThat(decode(m.toWire(65535))).isEqualTo(QueryDecoder.NOTAUTH);

        assertThat(decode(query("www.example.test.", Type.A).toWire())).isEqualTo(QueryDecoder.OK);
        assertThat(query.signed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedQueries")
    void answersMalformedQueriesWithFormerr(String description, byte[] packet) {
        assertThat(decode(packet)).isEqualTo(QueryDecoder.FORMERR);
    }

    static Stream<Arguments> notQueries() throws IOException {
        byte[] plain = query("www.example.test.", Type.A).toWire();
        byte[] response = plain.clone();
        response[2] |= (byte) 0x80;
        byte[] responseWithOtherOpcode = plain.clone();
        responseWithOtherOpcode[2] |= (byte) (0x80 | 4 << 3);
        return Stream.of(
                arguments("empty", new byte[0]),
                arguments("one byte", bytes(0)),
                arguments("eleven bytes", Arrays.copyOf(plain, 11)),
                arguments("a response", response),
                arguments("a NOTIFY response", responseWithOtherOpcode));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notQueries")
    void dropsWhatIsNotAQuery(String description, byte[] packet) {
        assertThat(decode(packet)).isEqualTo(QueryDecoder.DROP);
    }

    static Stream<Arguments> otherOpcodes() throws IOException {
        Message notify = query("example.test.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        notify.getHeader().unsetFlag(Flags.RD);
        notify.getHeader().setFlag(Flags.AA);
        Update update = new Update(Name.fromString("example.test."));
        update.add(Name.fromString("www.example.test."), Type.A, 300, "192.0.2.1");
        update.delete(Name.fromString("old.example.test."), Type.A);
        return Stream.of(
                arguments("IQUERY (1)", header(1 << 11, 0, 0, 0, 0)),
                arguments("STATUS (2)", concat(header(2 << 11, 1, 0, 0, 0), question("example.test"))),
                arguments("NOTIFY (4)", notify.toWire()),
                arguments("UPDATE (5)", update.toWire()),
                arguments("DSO (6)", header(6 << 11, 0, 0, 0, 0)),
                arguments("15 with garbage after the header", concat(header(15 << 11, 7, 7, 7, 7), filled(3, 0xC0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherOpcodes")
    void answersOtherOpcodesWithNotimp(String description, byte[] packet) {
        assertThat(decode(packet)).isEqualTo(QueryDecoder.NOTIMP);
    }

    @ParameterizedTest(name = "version {0}")
    @ValueSource(ints = {1, 2, 255})
    void answersEdnsVersionsAboveZeroWithBadvers(int version) throws IOException {
        Message m = query("www.example.test.", Type.A);
        m.addRecord(new OPTRecord(1232, 0, version), Section.ADDITIONAL);

        assertThat(decode(m.toWire())).isEqualTo(QueryDecoder.BADVERS);
        assertThat(query.edns()).isTrue();
        assertThat(query.ednsVersion).isEqualTo(version);
    }

    static Stream<Arguments> newerVersionOptions() {
        return Stream.of(
                arguments("ECS scope 24", option(8, bytes(0, 1, 24, 24, 192, 0, 2))),
                arguments("ECS family 3", option(8, bytes(0, 3, 24, 0, 192, 0, 2))),
                arguments("two ECS options", concat(option(8, bytes(0, 1, 0, 0)), option(8, bytes(0, 1, 0, 0)))));
    }

    /**
     * RFC 6891 §6.1.3: a responder that does not implement the VERSION of the request answers
     * BADVERS. The options of a newer version are that version's business, so a version-0 server
     * cannot call them malformed (BIND checks the version before it looks at any option).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("newerVersionOptions")
    void answersBadversWithoutJudgingTheOptionsOfANewerVersion(String description, byte[] options) {
        byte[] packet = concat(header(RD, 1, 0, 0, 1), question("www.example.test"), opt(1232, 1, 0, options));

        assertThat(decode(packet)).isEqualTo(QueryDecoder.BADVERS);
    }

    // ---- helpers

    private int decode(byte[] packet) {
        return QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, false, query);
    }

    private byte[] lowerName() {
        return Arrays.copyOf(query.lowerName(), query.nameLength());
    }

    private static Message query(String name, int type) throws IOException {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        m.getHeader().setID(ID);
        return m;
    }

    private static Message ednsQuery(EDNSOption... options) throws IOException {
        Message m = query("www.example.test.", Type.A);
        m.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
        return m;
    }

    /** 16 address bytes: the given ones, then zeros, as {@link DnsQuery#clientSubnetAddress()} holds them. */
    private static byte[] address(int... leading) {
        return Arrays.copyOf(bytes(leading), 16);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static int[] concatInts(byte[]... parts) {
        byte[] all = concat(parts);
        int[] out = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i] & 0xFF;
        }
        return out;
    }

    private static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] header(int flags, int qdcount, int ancount, int nscount, int arcount) {
        return bytes(ID >> 8, ID & 0xFF, flags >> 8, flags & 0xFF, 0, qdcount, 0, ancount, 0, nscount, 0, arcount);
    }

    /** A question for type A, class IN; the name is written as given (case kept). */
    private static byte[] question(String name) {
        return concat(rawName(name), A_IN);
    }

    private static byte[] rawName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    /** A name of exactly {@code wireLength} bytes in wire format, root label included. */
    private static byte[] longName(int wireLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int remaining = wireLength - 1;
        while (remaining > 0) {
            int take = Math.min(64, remaining);
            if (remaining - take == 1) {
                take--; // leave room for a one-byte label, not a stray zero
            }
            out.write(take - 1);
            out.writeBytes(filled(take - 1, 'a'));
            remaining -= take;
        }
        out.write(0);
        return out.toByteArray();
    }

    /** The fields of an A record after its owner: type, class, TTL, rdlength, 192.0.2.1. */
    private static byte[] aRdata() {
        return bytes(0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1);
    }

    /** An OPT record: root owner, type 41, payload size, extended rcode 0, version, flags, options. */
    private static byte[] opt(int payload, int version, int flags, byte[]... options) {
        byte[] rdata = concat(options);
        return concat(bytes(0, 0, 41, payload >> 8, payload & 0xFF, 0, version, flags >> 8, flags & 0xFF,
                rdata.length >> 8, rdata.length & 0xFF), rdata);
    }

    private static byte[] option(int code, byte[] data) {
        return concat(bytes(code >> 8, code & 0xFF, data.length >> 8, data.length & 0xFF), data);
    }

    /** A query with one ECS option made of the given fields, however wrong. */
    private static byte[] ecsQuery(int family, int source, int scope, int... address) {
        byte[] ecs = concat(bytes(family >> 8, family & 0xFF, source, scope), bytes(address));
        return concat(header(RD, 1, 0, 0, 1), question("www.example.test"), opt(1232, 0, 0, option(8, ecs)));
    }
}
