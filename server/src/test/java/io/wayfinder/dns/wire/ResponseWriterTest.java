package io.wayfinder.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link ResponseWriter} output parsed back by dnsjava: what a resolver would make of it. Queries
 * come from {@link QueryDecoder}, as in the server.
 */
class ResponseWriterTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 53000);
    private static final byte[] A_192_0_2_1 = {0, 4, (byte) 192, 0, 2, 1};
    /** A private-use type whose rdata dnsjava takes as opaque bytes: filler of any size. */
    private static final int FILLER_TYPE = 65280;
    /** Owner pointer, type, class, TTL, rdlength: the bytes of a filler record besides its rdata. */
    private static final int FILLER_OVERHEAD = 12;
    private static final int OPT_WITHOUT_OPTIONS = 11;

    private final DnsQuery query = new DnsQuery();
    private final ResponseWriter writer = new ResponseWriter();
    private final ByteBuf out = Unpooled.buffer();

    // ---- header and question

    static Stream<Arguments> headers() {
        return Stream.of(
                arguments(0, true),
                arguments(0x1234, false),
                arguments(0xFFFF, true));
    }

    @ParameterizedTest(name = "id {0}, RD {1}")
    @MethodSource("headers")
    void copiesIdAndRecursionDesiredAndSetsQr(int id, boolean rd) throws IOException {
        Message q = query("www.example.test.", Type.A);
        q.getHeader().setID(id);
        if (!rd) {
            q.getHeader().unsetFlag(Flags.RD);
        }
        decodeOk(q.toWire(), false);

        Message response = answerA();

        assertThat(response.getHeader().getID()).isEqualTo(id);
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.RD)).isEqualTo(rd);
        assertThat(response.getHeader().getFlag(Flags.RA)).isFalse();
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getHeader().getOpcode()).isEqualTo(Opcode.QUERY);
        assertThat(response.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
    }

    @ParameterizedTest(name = "CD {0}")
    @ValueSource(booleans = {true, false})
    void copiesCheckingDisabledAndSetsNoAuthenticatedData(boolean cd) throws IOException {
        Message q = query("www.example.test.", Type.A);
        if (cd) {
            q.getHeader().setFlag(Flags.CD);
        }
        q.getHeader().setFlag(Flags.AD);
        decodeOk(q.toWire(), false);

        Message response = answerA();

        assertThat(response.getHeader().getFlag(Flags.CD)).isEqualTo(cd);
        assertThat(response.getHeader().getFlag(Flags.AD)).as("nothing here is DNSSEC-validated").isFalse();
    }

    @ParameterizedTest(name = "authoritative {0}")
    @ValueSource(booleans = {true, false})
    void setsAuthoritativeAnswerAsAsked(boolean authoritative) throws IOException {
        decodeOk(query("www.example.test.", Type.A).toWire(), false);

        writer.begin(out, query);
        writer.finish(Rcode.REFUSED, authoritative, -1);

        assertThat(parse().getHeader().getFlag(Flags.AA)).isEqualTo(authoritative);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"wWw.ExAmPlE.tEsT.", "WWW.EXAMPLE.TEST.", "www.example.test.", "\\196x.Test.", "."})
    void echoesTheQuestionByteForByte(String name) throws IOException {
        byte[] packet = query(name, Type.AAAA).toWire();
        decodeOk(packet, false);

        Message response = answerA();
        byte[] wire = ByteBufUtil.getBytes(out);
        int questionLength = new Name(name).toWire().length + 4;

        assertThat(Arrays.copyOfRange(wire, 12, 12 + questionLength))
                .isEqualTo(Arrays.copyOfRange(packet, 12, 12 + questionLength));
        assertThat(response.getHeader().getCount(Section.QUESTION)).isEqualTo(1);
        assertThat(response.getQuestion().getName().toString()).isEqualTo(name);
        assertThat(response.getQuestion().getType()).isEqualTo(Type.AAAA);
    }

    // ---- records

    @Test
    void writesAnAnswerOwnedByAPointerToTheQuestionName() throws IOException {
        decodeOk(query("Www.Example.Test.", Type.A).toWire(), false);

        Message response = answerA();

        assertThat(response.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r).isInstanceOf(ARecord.class);
            assertThat(r.getName()).isEqualTo(Name.fromString("www.example.test."));
            assertThat(r.getDClass()).isEqualTo(DClass.IN);
            assertThat(r.getTTL()).isEqualTo(300);
            assertThat(((ARecord) r).getAddress()).isEqualTo(InetAddress.getByName("192.0.2.1"));
        });
        assertThat(response.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(response.getSection(Section.ADDITIONAL)).isEmpty();
    }

    @Test
    void writesNxdomainWithTheSoaInAuthority() throws IOException {
        decodeOk(query("nope.example.test.", Type.A).toWire(), false);
        SOARecord soa = soa();

        writer.begin(out, query);
        // "example.test" starts after the 5 bytes of the "nope" label.
        writer.authority().pointer(ResponseWriter.QUESTION_NAME + 5).record(RecordType.SOA, 60, lengthAndRdata(soa));
        writer.finish(Rcode.NXDOMAIN, true, -1);
        Message response = parse();

        assertThat(response.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NXDOMAIN);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).singleElement().satisfies(r -> {
            assertThat(r).isInstanceOf(SOARecord.class);
            assertThat(r.getName()).isEqualTo(Name.fromString("example.test."));
            assertThat(r.getTTL()).isEqualTo(60);
            assertThat(r.rdataToString()).isEqualTo(soa.rdataToString());
        });
    }

    @Test
    void writesACnameWhoseTargetIsWrittenAfterTheRecord() throws IOException {
        decodeOk(query("www.example.test.", Type.A).toWire(), false);

        writer.begin(out, query);
        int lengthAt = writer.answer().pointer(ResponseWriter.QUESTION_NAME).recordWithOpenRdata(RecordType.CNAME, 300);
        int target = writer.offset();
        writer.name(WireNames.toWire("edge.example.net"));
        writer.endRdata(lengthAt);
        writer.pointer(target).record(RecordType.A, 30, A_192_0_2_1);
        writer.finish(Rcode.NOERROR, true, -1);
        Message response = parse();

        List<Record> answers = response.getSection(Section.ANSWER);
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0)).isInstanceOf(CNAMERecord.class);
        assertThat(((CNAMERecord) answers.get(0)).getTarget()).isEqualTo(Name.fromString("edge.example.net."));
        assertThat(answers.get(1).getName()).isEqualTo(Name.fromString("edge.example.net."));
        assertThat(((ARecord) answers.get(1)).getAddress()).isEqualTo(InetAddress.getByName("192.0.2.1"));
    }

    @ParameterizedTest(name = "EDNS {0}")
    @ValueSource(booleans = {false, true})
    void countsTheRecordsOfEachSection(boolean edns) throws IOException {
        decodeOk(edns ? ednsQuery(1232) : query("www.example.test.", Type.A).toWire(), false);

        writer.begin(out, query);
        writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 300, A_192_0_2_1);
        writer.pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 300, new byte[] {0, 4, (byte) 192, 0, 2, 2});
        writer.authority().pointer(ResponseWriter.QUESTION_NAME + 4)
                .record(RecordType.NS, 300, new byte[] {0, 6, 3, 'n', 's', '1', (byte) 0xC0, 16});
        writer.additional().name(WireNames.toWire("ns1.example.test")).record(RecordType.A, 300, A_192_0_2_1);
        writer.finish(Rcode.NOERROR, true, -1);
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = new Message(wire);

        assertThat(response.getHeader().getCount(Section.QUESTION)).isEqualTo(1);
        assertThat(response.getHeader().getCount(Section.ANSWER)).isEqualTo(2);
        assertThat(response.getHeader().getCount(Section.AUTHORITY)).isEqualTo(1);
        assertThat(response.getHeader().getCount(Section.ADDITIONAL)).isEqualTo(edns ? 2 : 1);
        assertThat(response.getOPT() != null).isEqualTo(edns);
        assertThat(response.numBytes()).isEqualTo(wire.length);
    }

    static Stream<Arguments> backwardMoves() {
        return Stream.<Arguments>of(
                arguments("authority then answer", (Consumer<ResponseWriter>) w -> w.authority().answer()),
                arguments("additional then authority", (Consumer<ResponseWriter>) w -> w.additional().authority()),
                arguments("additional then answer", (Consumer<ResponseWriter>) w -> w.additional().answer()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backwardMoves")
    void refusesToGoBackToAnEarlierSection(String description, Consumer<ResponseWriter> moves) throws IOException {
        decodeOk(query("www.example.test.", Type.A).toWire(), false);
        writer.begin(out, query);

        assertThatThrownBy(() -> moves.accept(writer)).isInstanceOf(IllegalStateException.class);
    }

    // ---- error responses

    static Stream<Arguments> errors() throws IOException {
        Message notify = query("example.test.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        byte[] twoQuestions = query("www.example.test.", Type.A).toWire();
        byte[] withSecond = concat(twoQuestions, Arrays.copyOfRange(twoQuestions, 12, twoQuestions.length));
        withSecond[5] = 2;
        return Stream.of(
                arguments("FORMERR for ECS family 3", ednsQueryWithEcsFamily(3), Rcode.FORMERR, true, true, Opcode.QUERY),
                arguments("FORMERR for two questions", withSecond, Rcode.FORMERR, false, false, Opcode.QUERY),
                arguments("NOTIMP for NOTIFY", notify.toWire(), Rcode.NOTIMP, false, false, Opcode.NOTIFY),
                arguments("REFUSED without EDNS", query("other.test.", Type.A).toWire(), Rcode.REFUSED,
                        true, false, Opcode.QUERY),
                arguments("SERVFAIL with EDNS", ednsQuery(4096), Rcode.SERVFAIL, true, true, Opcode.QUERY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void writesErrorsWithNoRecords(String description, byte[] packet, int rcode, boolean echoesQuestion,
            boolean hasOpt, int opcode) throws IOException {
        int status = QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, false, query);
        assertThat(status).isIn(QueryDecoder.OK, rcode);

        writer.error(out, query, rcode);
        Message response = parse();

        assertThat(response.getHeader().getID()).isEqualTo(query.id());
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getHeader().getOpcode()).isEqualTo(opcode);
        assertThat(response.getRcode()).isEqualTo(rcode);
        assertThat(response.getHeader().getCount(Section.QUESTION)).isEqualTo(echoesQuestion ? 1 : 0);
        if (echoesQuestion) {
            int length = query.nameLength() + 4;
            assertThat(Arrays.copyOfRange(ByteBufUtil.getBytes(out), 12, 12 + length))
                    .isEqualTo(Arrays.copyOfRange(packet, 12, 12 + length));
        }
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        assertThat(response.getSection(Section.AUTHORITY)).isEmpty();
        assertThat(response.getHeader().getCount(Section.ADDITIONAL)).isEqualTo(hasOpt ? 1 : 0);
        assertThat(response.getOPT() != null).isEqualTo(hasOpt);
    }

    @Test
    void reportsBadversAsAnExtendedRcodeInTheOpt() throws IOException {
        Message q = query("www.example.test.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 1), Section.ADDITIONAL);
        byte[] packet = q.toWire();
        assertThat(QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, false, query))
                .isEqualTo(QueryDecoder.BADVERS);

        writer.error(out, query, Rcode.BADVERS);
        Message response = parse();

        assertThat(response.getHeader().getRcode()).isZero();
        assertThat(response.getOPT().getExtendedRcode()).isEqualTo(1);
        assertThat(response.getRcode()).isEqualTo(org.xbill.DNS.Rcode.BADVERS);
        assertThat(response.getOPT().getVersion()).isZero();
        assertThat(response.getHeader().getCount(Section.QUESTION)).isEqualTo(1);
    }

    // ---- OPT and ECS

    static Stream<Arguments> ednsQueries() throws IOException {
        Message plain = query("www.example.test.", Type.A);
        return Stream.of(
                arguments("no EDNS", plain.toWire(), false),
                arguments("EDNS 512", ednsQuery(512), true),
                arguments("EDNS 1232", ednsQuery(1232), true),
                arguments("EDNS 4096", ednsQuery(4096), true),
                arguments("EDNS 65535 with ECS", ednsQueryWithEcs("192.0.2.0", 24), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ednsQueries")
    void writesAnOptAdvertising1232ExactlyWhenTheQueryHadOne(String description, byte[] packet, boolean edns)
            throws IOException {
        decodeOk(packet, false);

        Message response = answerA();
        OPTRecord opt = response.getOPT();

        if (!edns) {
            assertThat(opt).isNull();
            assertThat(response.getSection(Section.ADDITIONAL)).isEmpty();
            return;
        }
        assertThat(opt).isNotNull();
        assertThat(opt.getName()).isEqualTo(Name.root);
        assertThat(opt.getPayloadSize()).isEqualTo(1232);
        assertThat(opt.getVersion()).isZero();
        assertThat(opt.getExtendedRcode()).isZero();
        assertThat(response.getSection(Section.ADDITIONAL)).containsExactly(opt);
    }

    /** RFC 3225 §3: "The DO bit of the query MUST be copied in the response." */
    @ParameterizedTest(name = "DO {0}")
    @ValueSource(booleans = {false, true})
    void copiesTheDnssecOkBitOfTheQuery(boolean dnssecOk) throws IOException {
        Message q = query("www.example.test.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 0, dnssecOk ? ExtendedFlags.DO : 0), Section.ADDITIONAL);
        decodeOk(q.toWire(), false);

        OPTRecord opt = answerA().getOPT();

        assertThat((opt.getFlags() & ExtendedFlags.DO) != 0).isEqualTo(dnssecOk);
    }

    static Stream<Arguments> scopes() {
        return Stream.of(
                arguments("192.0.2.0", 24, 24, 24),
                arguments("192.0.2.0", 24, 16, 16),
                arguments("192.0.2.0", 24, -1, 0),
                arguments("198.51.100.77", 32, 32, 32),
                arguments("192.0.2.0", 23, 20, 20),
                arguments("0.0.0.0", 0, 0, 0),
                arguments("2001:db8:1234:5600::", 56, 48, 48),
                arguments("2001:db8:1234:5600::", 56, -1, 0),
                arguments("2001:db8::80", 121, 64, 64),
                arguments("::", 0, -1, 0));
    }

    @ParameterizedTest(name = "{0}/{1} scope {2}")
    @MethodSource("scopes")
    void echoesTheClientSubnetWithTheGivenScope(String address, int source, int scope, int expectedScope)
            throws IOException {
        decodeOk(ednsQueryWithEcs(address, source), false);

        writer.begin(out, query);
        writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 300, A_192_0_2_1);
        writer.finish(Rcode.NOERROR, true, scope);
        List<EDNSOption> options = parse().getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET);

        assertThat(options).singleElement().isInstanceOfSatisfying(ClientSubnetOption.class, ecs -> {
            assertThat(ecs.getFamily()).isEqualTo(address.contains(":") ? 2 : 1);
            assertThat(ecs.getSourcePrefixLength()).isEqualTo(source);
            assertThat(ecs.getScopePrefixLength()).isEqualTo(expectedScope);
            assertThat(ecs.getAddress()).isEqualTo(inet(address));
        });
    }

    @Test
    void writesNoClientSubnetWhenTheQueryHadNone() throws IOException {
        decodeOk(ednsQuery(1232), false);

        writer.begin(out, query);
        writer.finish(Rcode.NOERROR, true, 24);

        assertThat(parse().getOPT().getOptions()).isEmpty();
    }

    // ---- truncation

    /** One response size per row, with how the query came: transport, EDNS payload (-1: none), ECS. */
    static Stream<Arguments> sizesThatFit() {
        return Stream.of(
                arguments("UDP without EDNS", false, -1, null, 512),
                arguments("UDP with EDNS 512", false, 512, null, 512),
                arguments("UDP with EDNS 100 (taken as 512)", false, 100, null, 512),
                arguments("UDP with EDNS 800", false, 800, null, 800),
                arguments("UDP with EDNS 1232", false, 1232, null, 1232),
                arguments("UDP with EDNS 4096", false, 4096, null, 1232),
                arguments("UDP with EDNS 4096 and ECS /24", false, 4096, "192.0.2.0/24", 1232),
                arguments("UDP with EDNS 1000 and ECS /56", false, 1000, "2001:db8:1234:5600::/56", 1000),
                arguments("TCP without EDNS", true, -1, null, 513),
                arguments("TCP without EDNS, large", true, -1, null, 20000),
                arguments("TCP with EDNS 512", true, 512, null, 4096),
                arguments("TCP with EDNS 4096 and ECS /24", true, 4096, "192.0.2.0/24", 1233),
                arguments("TCP at the largest message", true, 1232, "2001:db8::/32", 65535));
    }

    @ParameterizedTest(name = "{0}: {4} bytes")
    @MethodSource("sizesThatFit")
    void sendsResponsesThatFitTheClientLimitWhole(String description, boolean tcp, int payload, String ecs, int size)
            throws IOException {
        decodeOk(queryFor(payload, ecs), tcp);

        writeFilledResponse(size);
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = new Message(wire);

        assertThat(wire).hasSize(size);
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getHeader().getCount(Section.ANSWER)).isEqualTo(1);
        assertThat(response.getHeader().getCount(Section.AUTHORITY)).isEqualTo(1);
        assertThat(response.getHeader().getCount(Section.ADDITIONAL)).isEqualTo(payload < 0 ? 1 : 2);
        assertThat(response.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
    }

    static Stream<Arguments> sizesThatDoNotFit() {
        return Stream.of(
                arguments("UDP without EDNS", false, -1, null, 513),
                arguments("UDP without EDNS, large", false, -1, null, 1200),
                arguments("UDP with EDNS 512", false, 512, null, 513),
                arguments("UDP with EDNS 100 (taken as 512)", false, 100, null, 513),
                arguments("UDP with EDNS 800", false, 800, null, 801),
                arguments("UDP with EDNS 1232", false, 1232, null, 1233),
                arguments("UDP with EDNS 4096", false, 4096, null, 1233),
                arguments("UDP with EDNS 4096, large", false, 4096, null, 4000),
                arguments("UDP with EDNS 4096 and ECS /24", false, 4096, "192.0.2.0/24", 1233),
                arguments("UDP with EDNS 1000 and ECS /56", false, 1000, "2001:db8:1234:5600::/56", 1001),
                arguments("TCP over the largest message", true, 1232, null, 65536));
    }

    @ParameterizedTest(name = "{0}: {4} bytes")
    @MethodSource("sizesThatDoNotFit")
    void truncatesResponsesOverTheClientLimitToTheQuestion(String description, boolean tcp, int payload, String ecs,
            int size) throws IOException {
        byte[] packet = queryFor(payload, ecs);
        decodeOk(packet, tcp);

        writeFilledResponse(size);
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = new Message(wire);

        assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOERROR);
        assertThat(response.getHeader().getCount(Section.QUESTION)).isEqualTo(1);
        assertThat(response.getHeader().getCount(Section.ANSWER)).isZero();
        assertThat(response.getHeader().getCount(Section.AUTHORITY)).isZero();
        assertThat(response.getHeader().getCount(Section.ADDITIONAL)).isEqualTo(payload < 0 ? 0 : 1);
        assertThat(wire).hasSize(12 + query.nameLength() + 4 + optLength(payload, ecs));
        if (ecs != null) {
            assertThat(response.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET)).hasSize(1);
        }
    }

    // ---- buffers

    @Test
    void writesAfterWhatIsAlreadyInTheBufferWithMessageRelativeOffsets() throws IOException {
        byte[] packet = query("Www.Example.Test.", Type.A).toWire();
        ByteBuf framed = Unpooled.wrappedBuffer(concat(new byte[] {0, (byte) packet.length}, packet));
        framed.readerIndex(2);
        assertThat(QueryDecoder.decode(framed, SENDER, true, query)).isEqualTo(QueryDecoder.OK);
        out.writeShort(0); // a TCP length prefix, filled in later by the caller

        writer.begin(out, query);
        assertThat(writer.offset()).isEqualTo(12 + query.nameLength() + 4);
        writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 300, A_192_0_2_1);
        writer.finish(Rcode.NOERROR, true, -1);
        byte[] all = ByteBufUtil.getBytes(out);
        Message response = new Message(Arrays.copyOfRange(all, 2, all.length));

        assertThat(all[0]).isZero();
        assertThat(all[1]).isZero();
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(response.getQuestion().getName().toString()).isEqualTo("Www.Example.Test.");
        assertThat(response.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(r.getName()).isEqualTo(Name.fromString("www.example.test.")));
    }

    @Test
    void startsAfreshWhenReused() throws IOException {
        decodeOk(query("www.example.test.", Type.A).toWire(), false);
        writeFilledResponse(600); // truncated
        out.clear();

        decodeOk(query("www.example.test.", Type.A).toWire(), false);
        Message response = answerA();

        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getHeader().getCount(Section.ANSWER)).isEqualTo(1);
        assertThat(response.getHeader().getCount(Section.AUTHORITY)).isZero();
        assertThat(response.getHeader().getCount(Section.ADDITIONAL)).isZero();
    }

    // ---- names in record data: compression (RFC 1035 §4.1.4)

    @Test
    void compressesNamesInRecordDataAgainstTheQuestionAndEachOther() throws IOException {
        decodeOk(query("Example.Test.", Type.NS).toWire(), false);

        writer.begin(out, query);
        int first = writer.answer().pointer(ResponseWriter.QUESTION_NAME)
                .nameRecord(RecordType.NS, 300, WireNames.toWire("ns1.example.test"));
        int second = writer.pointer(ResponseWriter.QUESTION_NAME)
                .nameRecord(RecordType.NS, 300, WireNames.toWire("ns1.example.test"));
        int third = writer.pointer(ResponseWriter.QUESTION_NAME)
                .nameRecord(RecordType.NS, 300, WireNames.toWire("ns2.dns.example.net"));
        int fourth = writer.pointer(ResponseWriter.QUESTION_NAME)
                .nameRecord(RecordType.NS, 300, WireNames.toWire("ns3.dns.example.net"));
        writer.finish(Rcode.NOERROR, true, -1);
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = parse();

        assertThat(response.getSection(Section.ANSWER)).extracting(r -> ((NSRecord) r).getTarget().toString())
                .containsExactly("ns1.Example.Test.", "ns1.Example.Test.", "ns2.dns.example.net.", "ns3.dns.example.net.");
        // "ns1" then a pointer to the question's "Example.Test"; then a pointer to that whole name.
        assertThat(Arrays.copyOfRange(wire, first, first + 6)).containsExactly(3, 'n', 's', '1', 0xC0, 12);
        assertThat(Arrays.copyOfRange(wire, second, second + 2)).containsExactly(0xC0, first);
        assertThat(wire[third + 4 + 4 + 8 + 4]).as("the first name under example.net is written in full").isZero();
        assertThat(Arrays.copyOfRange(wire, fourth, fourth + 6)).containsExactly(3, 'n', 's', '3', 0xC0, third + 4);
    }

    @Test
    void compressesTheNamesOfAnSoa() throws IOException {
        decodeOk(query("nope.example.test.", Type.A).toWire(), false);
        SOARecord soa = soa();
        byte[] numbers = Arrays.copyOfRange(lengthAndRdata(soa), lengthAndRdata(soa).length - 20, lengthAndRdata(soa).length);

        writer.begin(out, query);
        writer.authority().pointer(ResponseWriter.QUESTION_NAME + 5)
                .soaRecord(60, WireNames.toWire("ns1.example.test"), WireNames.toWire("hostmaster.example.test"), numbers);
        writer.finish(Rcode.NXDOMAIN, true, -1);
        int size = ByteBufUtil.getBytes(out).length;
        Message response = parse();

        assertThat(response.getSection(Section.AUTHORITY)).singleElement()
                .satisfies(r -> assertThat(r.rdataToString()).isEqualTo(soa.rdataToString()));
        assertThat(size).as("header, question, owner pointer, fixed fields, 'ns1'+ptr, 'hostmaster'+ptr, numbers")
                .isEqualTo(12 + 23 + 2 + 10 + 6 + 13 + 20);
    }

    static Stream<Arguments> glueSizes() {
        // Before the glue: header 12, question 22, the NS record 17 ("ns" + a pointer), OPT 11 = 62
        // bytes; each AAAA record after it is 28.
        return Stream.of(
                arguments(1232, 41),
                arguments(1204, 40),
                arguments(600, 19),
                arguments(512, 16));
    }

    @ParameterizedTest(name = "payload {0}: {1} of 41 glue records")
    @MethodSource("glueSizes")
    void dropsDroppableRecordsThatDoNotFitInsteadOfTruncating(int payload, int expectedGlue) throws IOException {
        decodeOk(queryFor(payload, null), false);
        writer.begin(out, query);
        int ns = writer.answer().pointer(ResponseWriter.QUESTION_NAME)
                .nameRecord(RecordType.NS, 300, WireNames.toWire("ns.example.test"));
        writer.additional().droppable();
        for (int i = 0; i < 41; i++) {
            writer.pointer(ns).record(RecordType.AAAA, 300, concat(new byte[] {0, 16}, new byte[15], new byte[] {(byte) i}));
        }
        writer.finish(Rcode.NOERROR, true, -1);
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = parse();

        assertThat(wire.length).isLessThanOrEqualTo(payload);
        assertThat(response.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(response.getSection(Section.ANSWER)).hasSize(1);
        assertThat(response.getSection(Section.ADDITIONAL)).filteredOn(r -> r.getType() == Type.AAAA)
                .extracting(r -> (int) r.rdataToWireCanonical()[15])
                .as("the first ones are kept").containsExactlyElementsOf(
                        java.util.stream.IntStream.range(0, expectedGlue).boxed().toList());
    }

    @Test
    void truncatesWhenRequiredRecordsDoNotFitWhateverIsDroppable() throws IOException {
        decodeOk(queryFor(512, null), false);
        writer.begin(out, query);
        writer.answer();
        filler(600);
        writer.additional().droppable();
        writer.pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 300, A_192_0_2_1);
        writer.finish(Rcode.NOERROR, true, -1);
        Message response = parse();

        assertThat(response.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void onlyAdditionalRecordsCanBeDroppable() throws IOException {
        decodeOk(query("www.example.test.", Type.A).toWire(), false);
        writer.begin(out, query);

        assertThatThrownBy(() -> writer.answer().droppable()).isInstanceOf(IllegalStateException.class);
    }

    // ---- TSIG (RFC 8945): no keys, so NOTAUTH with an unsigned BADKEY TSIG record

    @ParameterizedTest(name = "EDNS {0}")
    @ValueSource(booleans = {false, true})
    void answersASignedQueryWithAnUnsignedBadkeyTsigRecordLast(boolean edns) throws IOException {
        Message q = edns ? new Message(ednsQuery(1232)) : query("www.example.test.", Type.A);
        q.setTSIG(new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "Key.Example.", "c2VjcmV0IGtleSBmb3IgdGVzdHM="));
        byte[] packet = q.toWire(65535);
        assertThat(QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, false, query)).isEqualTo(QueryDecoder.NOTAUTH);

        writer.error(out, query, QueryDecoder.NOTAUTH);
        Message response = parse();

        assertThat(response.getRcode()).isEqualTo(org.xbill.DNS.Rcode.NOTAUTH);
        assertThat(response.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(response.getOPT() != null).isEqualTo(edns);
        List<Record> additional = response.getSection(Section.ADDITIONAL);
        org.xbill.DNS.TSIGRecord sent = new Message(packet).getTSIG();
        assertThat(additional.get(additional.size() - 1)).isInstanceOfSatisfying(org.xbill.DNS.TSIGRecord.class, tsig -> {
            assertThat(tsig.getName().toString()).isEqualTo("Key.Example.");
            assertThat(tsig.getDClass()).isEqualTo(DClass.ANY);
            assertThat(tsig.getTTL()).isZero();
            assertThat(tsig.getAlgorithm()).isEqualTo(org.xbill.DNS.TSIG.HMAC_SHA256);
            assertThat(tsig.getTimeSigned()).isEqualTo(sent.getTimeSigned());
            assertThat(tsig.getFudge()).isEqualTo(sent.getFudge());
            assertThat(tsig.getSignature()).isEmpty();
            assertThat(tsig.getOriginalID()).isEqualTo(sent.getOriginalID());
            assertThat(tsig.getError()).isEqualTo(org.xbill.DNS.Rcode.BADKEY);
            assertThat(tsig.getOther()).isNull();
        });
    }

    // ---- helpers

    private void decodeOk(byte[] packet, boolean tcp) {
        assertThat(QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, tcp, query)).isEqualTo(QueryDecoder.OK);
    }

    /** Answers the decoded query with one A record owned by the question name. */
    private Message answerA() throws IOException {
        writer.begin(out, query);
        writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 300, A_192_0_2_1);
        writer.finish(Rcode.NOERROR, true, -1);
        return parse();
    }

    private Message parse() throws IOException {
        byte[] wire = ByteBufUtil.getBytes(out);
        Message message = new Message(wire);
        assertThat(message.numBytes()).as("bytes dnsjava read").isEqualTo(wire.length);
        return message;
    }

    /**
     * Writes a response of exactly {@code size} bytes, OPT included, if nothing is truncated: one
     * filler record in each of the three sections, the rdata split between them.
     */
    private void writeFilledResponse(int size) {
        writer.begin(out, query);
        int rdata = size - writer.offset() - optLength() - 3 * FILLER_OVERHEAD;
        assertThat(rdata).isNotNegative();
        writer.answer();
        filler(rdata / 3);
        writer.authority();
        filler(rdata / 3);
        writer.additional();
        filler(rdata - 2 * (rdata / 3));
        writer.finish(Rcode.NOERROR, true, 24);
    }

    private void filler(int rdlength) {
        byte[] lengthAndRdata = new byte[2 + rdlength];
        lengthAndRdata[0] = (byte) (rdlength >> 8);
        lengthAndRdata[1] = (byte) rdlength;
        Arrays.fill(lengthAndRdata, 2, lengthAndRdata.length, (byte) 0x5A);
        writer.pointer(ResponseWriter.QUESTION_NAME).record(FILLER_TYPE, 60, lengthAndRdata);
    }

    private int optLength() {
        if (!query.edns()) {
            return 0;
        }
        return OPT_WITHOUT_OPTIONS + (query.hasClientSubnet() ? 8 + (query.clientSubnetSourceLength() + 7) / 8 : 0);
    }

    /** The OPT record size in bytes computed independently of the writer: from the query's parameters. */
    private static int optLength(int payload, String ecs) {
        if (payload < 0) {
            return 0;
        }
        if (ecs == null) {
            return OPT_WITHOUT_OPTIONS;
        }
        int source = Integer.parseInt(ecs.substring(ecs.indexOf('/') + 1));
        return OPT_WITHOUT_OPTIONS + 4 + 4 + (source + 7) / 8;
    }

    private static byte[] queryFor(int payload, String ecs) throws IOException {
        Message m = query("www.example.test.", Type.A);
        if (payload >= 0) {
            EDNSOption[] options = ecs == null ? new EDNSOption[0] : new EDNSOption[] {
                new ClientSubnetOption(Integer.parseInt(ecs.substring(ecs.indexOf('/') + 1)),
                        inet(ecs.substring(0, ecs.indexOf('/'))))
            };
            m.addRecord(new OPTRecord(payload, 0, 0, 0, options), Section.ADDITIONAL);
        }
        return m.toWire();
    }

    private static Message query(String name, int type) throws IOException {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        m.getHeader().setID(0x4242);
        return m;
    }

    private static byte[] ednsQuery(int payload) throws IOException {
        Message m = query("www.example.test.", Type.A);
        m.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        return m.toWire();
    }

    private static byte[] ednsQueryWithEcs(String address, int source) throws IOException {
        Message m = query("www.example.test.", Type.A);
        m.addRecord(new OPTRecord(65535, 0, 0, 0, new ClientSubnetOption(source, inet(address))),
                Section.ADDITIONAL);
        return m.toWire();
    }

    /** A query whose only ECS option, a /24 that ends the packet, claims address family {@code family}. */
    private static byte[] ednsQueryWithEcsFamily(int family) throws IOException {
        byte[] packet = ednsQueryWithEcs("192.0.2.0", 24);
        int at = packet.length - 3 - 4; // family(2) source(1) scope(1) address(3)
        packet[at] = (byte) (family >> 8);
        packet[at + 1] = (byte) family;
        return packet;
    }

    private static SOARecord soa() throws IOException {
        return new SOARecord(Name.fromString("example.test."), DClass.IN, 60, Name.fromString("ns1.example.test."),
                Name.fromString("hostmaster.example.test."), 2024010101L, 3600, 600, 1209600, 60);
    }

    private static byte[] lengthAndRdata(Record record) {
        byte[] rdata = record.rdataToWireCanonical();
        return concat(new byte[] {(byte) (rdata.length >> 8), (byte) rdata.length}, rdata);
    }

    private static InetAddress inet(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            buffer.writeBytes(part);
        }
        return buffer.toByteArray();
    }
}
