package io.wayfinder.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzz tests for the query decoder, with dnsjava as the oracle.
 *
 * <p>Without {@code JAZZER_FUZZ} set (CI) each method replays its seeds from
 * {@code src/test/resources/io/wayfinder/dns/wire/QueryDecoderFuzzTestInputs/<method>/}, crash
 * inputs found earlier included. To fuzz one method: {@code JAZZER_FUZZ=1 mvn -pl server test
 * -Dtest='QueryDecoderFuzzTest#decodeNeverThrows'}; findings land in that directory as
 * {@code crash-*} files and stay there as seeds.
 */
class QueryDecoderFuzzTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 53000);

    /** Whatever arrives, the decoder answers with one of its statuses and never throws. */
    @FuzzTest(maxDuration = "60s")
    void decodeNeverThrows(byte[] packet) {
        DnsQuery query = new DnsQuery();
        for (boolean tcp : new boolean[] {false, true}) {
            int status = QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, tcp, query);

            assertThat(status).isIn(QueryDecoder.OK, QueryDecoder.DROP, QueryDecoder.FORMERR, QueryDecoder.NOTIMP,
                    QueryDecoder.BADVERS, QueryDecoder.NOTAUTH);
        }
    }

    /**
     * Differential: a query dnsjava parses without error, with exactly one question, is not
     * dropped or refused as malformed, and both read the same question and EDNS parameters, except
     * where {@link #strictnessReason} names a rule the decoder enforces and dnsjava does not.
     */
    @FuzzTest(maxDuration = "60s")
    void acceptsTheQueriesDnsjavaAccepts(byte[] packet) {
        DnsQuery query = new DnsQuery();
        int status = QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, false, query);
        Message message = parseOrNull(packet);
        if (message == null || !isPlainQuery(message) || strictnessReason(packet, message) != null) {
            return;
        }

        Record question = message.getQuestion();
        if (message.getTSIG() != null) {
            assertThat(status).as("status for a signed query dnsjava accepts").isEqualTo(QueryDecoder.NOTAUTH);
            assertThat(query.signed()).isTrue();
            return;
        }
        assertThat(status).as("status for a query dnsjava accepts").isIn(QueryDecoder.OK, QueryDecoder.BADVERS);
        assertThat(Arrays.copyOf(query.lowerName(), query.nameLength()))
                .as("lower-cased question name")
                .isEqualTo(question.getName().toWireCanonical());
        assertThat(query.qtype()).isEqualTo(question.getType());
        assertThat(query.qclass()).isEqualTo(question.getDClass());
        assertThat(query.id()).isEqualTo(message.getHeader().getID());
        assertThat(query.recursionDesired()).isEqualTo(message.getHeader().getFlag(Flags.RD));

        OPTRecord opt = message.getOPT();
        assertThat(query.edns()).isEqualTo(opt != null);
        if (opt == null) {
            return;
        }
        assertThat(query.udpPayloadSize()).isEqualTo(opt.getPayloadSize());
        assertThat(query.ednsVersion).isEqualTo(opt.getVersion());
        assertThat(query.dnssecOk).isEqualTo((opt.getFlags() & ExtendedFlags.DO) != 0);
        assertThat(status).isEqualTo(opt.getVersion() == 0 ? QueryDecoder.OK : QueryDecoder.BADVERS);
        List<EDNSOption> subnets = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
        assertThat(query.hasClientSubnet()).isEqualTo(!subnets.isEmpty());
        if (!subnets.isEmpty()) {
            ClientSubnetOption ecs = (ClientSubnetOption) subnets.get(0);
            assertThat(query.clientSubnetFamily()).isEqualTo(ecs.getFamily());
            assertThat(query.clientSubnetSourceLength()).isEqualTo(ecs.getSourcePrefixLength());
            assertThat(query.clientSubnetAddress()).isEqualTo(Arrays.copyOf(ecs.getAddress().getAddress(), 16));
        }
    }

    /**
     * Whatever the decoder makes of a packet it does not drop, the response written for it (an
     * answer when it decoded, else an error) is a message dnsjava reads in full, with the query's
     * ID, QR set and the question echoed byte for byte.
     */
    @FuzzTest(maxDuration = "60s")
    void answersEveryPacketItDoesNotDropWithAReadableMessage(byte[] packet) throws IOException {
        DnsQuery query = new DnsQuery();
        int status = QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, false, query);
        if (status == QueryDecoder.DROP) {
            return;
        }
        ResponseWriter writer = new ResponseWriter();
        ByteBuf out = Unpooled.buffer();
        if (status == QueryDecoder.OK) {
            writer.begin(out, query);
            writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(RecordType.A, 60, new byte[] {0, 4, 1, 2, 3, 4});
            writer.finish(Rcode.NOERROR, true, query.clientSubnetSourceLength());
        } else {
            writer.error(out, query, status);
        }
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = new Message(wire);

        assertThat(response.numBytes()).isEqualTo(wire.length);
        assertThat(wire.length).isLessThanOrEqualTo(writer.limit());
        assertThat(response.getHeader().getID()).isEqualTo(query.id());
        assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(response.getRcode()).isEqualTo(status == QueryDecoder.OK ? Rcode.NOERROR : status);
        assertThat(response.getHeader().getCount(Section.QUESTION)).isEqualTo(query.questionParsed ? 1 : 0);
        if (query.questionParsed) {
            int length = query.nameLength() + 4;
            assertThat(Arrays.copyOfRange(wire, 12, 12 + length)).isEqualTo(Arrays.copyOfRange(packet, 12, 12 + length));
        }
    }

    // ---- the oracle

    private static Message parseOrNull(byte[] packet) {
        try {
            return new Message(packet);
        } catch (IOException | RuntimeException e) {
            // dnsjava throws unchecked exceptions on some inputs (TTLs of 2^31 and above, IPv4-mapped
            // addresses in ECS): for this test that is a rejection like any other.
            return null;
        }
    }

    private static boolean isPlainQuery(Message message) {
        return !message.getHeader().getFlag(Flags.QR)
                && message.getHeader().getOpcode() == Opcode.QUERY
                && message.getHeader().getCount(Section.QUESTION) == 1
                && message.getSection(Section.QUESTION).size() == 1;
    }

    /**
     * Why the decoder may refuse a query dnsjava accepts, or null when it must not. Each reason is
     * a rule the decoder enforces on purpose and dnsjava, a general-purpose library, does not.
     */
    static String strictnessReason(byte[] packet, Message message) {
        if (message.getHeader().getFlag(Flags.TC)) {
            // dnsjava swallows parse errors in a message with TC set (it expects truncated responses).
            return "TC set: dnsjava tolerates a cut-off message";
        }
        if (questionNameHasPointer(packet)) {
            // Nothing legitimate precedes the question, so a pointer there points into the header.
            return "compression pointer in the question name";
        }
        int opts = 0;
        for (Record r : message.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                opts++;
            }
        }
        if (opts > 1) {
            return "more than one OPT record (RFC 6891 §6.1.1: FORMERR)";
        }
        OPTRecord opt = message.getOPT();
        if (opt == null) {
            return null;
        }
        if (!opt.getName().equals(Name.root) || !optOwnerIsOneZeroByte(packet, message)) {
            return "OPT owner other than the single root byte (RFC 6891 §6.1.2: MUST be 0)";
        }
        List<EDNSOption> subnets = opt.getOptions(EDNSOption.Code.CLIENT_SUBNET);
        if (subnets.size() > 1) {
            return "more than one Client Subnet option";
        }
        if (subnets.size() == 1 && ((ClientSubnetOption) subnets.get(0)).getScopePrefixLength() != 0) {
            return "ECS scope other than 0 in a query (RFC 7871 §6: MUST be 0 in queries)";
        }
        return null;
    }

    private static boolean questionNameHasPointer(byte[] packet) {
        int pos = 12;
        while (pos < packet.length) {
            int len = packet[pos] & 0xFF;
            if (len == 0) {
                return false;
            }
            if ((len & 0xC0) != 0) {
                return true;
            }
            pos += 1 + len;
        }
        return false;
    }

    /**
     * Walks a message dnsjava has already parsed (so its structure holds) to the OPT record and
     * says whether its owner is written as the one byte 0, not as a pointer to a root label.
     */
    private static boolean optOwnerIsOneZeroByte(byte[] packet, Message message) {
        int pos = 12;
        pos = skipName(packet, pos) + 4;
        int records = message.getHeader().getCount(Section.ANSWER) + message.getHeader().getCount(Section.AUTHORITY)
                + message.getHeader().getCount(Section.ADDITIONAL);
        for (int i = 0; i < records; i++) {
            int nameEnd = skipName(packet, pos);
            int type = ((packet[nameEnd] & 0xFF) << 8) | (packet[nameEnd + 1] & 0xFF);
            if (type == Type.OPT && i >= records - message.getHeader().getCount(Section.ADDITIONAL)) {
                return nameEnd - pos == 1;
            }
            int rdlength = ((packet[nameEnd + 8] & 0xFF) << 8) | (packet[nameEnd + 9] & 0xFF);
            pos = nameEnd + 10 + rdlength;
        }
        return true;
    }

    private static int skipName(byte[] packet, int pos) {
        while (true) {
            int len = packet[pos] & 0xFF;
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                return pos + 2;
            }
            pos += 1 + len;
        }
    }
}
