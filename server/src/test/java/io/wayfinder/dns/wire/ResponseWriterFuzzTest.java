package io.wayfinder.dns.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A property test of name compression, run by Jazzer: whatever mix of names the writer is given
 * (drawn from a few labels, so that they share suffixes in every way; with owners that are pointers
 * to the question, to earlier record data, or compressed names of their own), dnsjava (which
 * rejects forward and looping pointers) reads back exactly the names that were written, every
 * response fits its limit, and droppable records go last-first.
 *
 * <p>Without {@code JAZZER_FUZZ} this replays the seeds in
 * {@code src/test/resources/io/wayfinder/dns/wire/ResponseWriterFuzzTestInputs/}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl server test -Dtest='ResponseWriterFuzzTest'}.
 */
class ResponseWriterFuzzTest {
    private static final InetSocketAddress SENDER = new InetSocketAddress("198.51.100.7", 53000);
    private static final String[] LABELS = {"a", "b", "ns1", "ns2", "example", "test", "net", "dns", "Www", "x"};
    private static final byte[] SOA_NUMBERS = new byte[20];
    private static final byte[] A = {0, 4, (byte) 192, 0, 2, 1};

    /** One record as written: where it is, its owner and its names in rdata. */
    private record Written(int section, Name owner, int type, Name first, Name second, boolean droppable) {
    }

    @FuzzTest(maxDuration = "60s")
    void compressedNamesReadBackAsWritten(FuzzedDataProvider data) throws IOException {
        Name question = name(data);
        boolean tcp = data.consumeBoolean();
        DnsQuery query = new DnsQuery();
        byte[] packet = Message.newQuery(Record.newRecord(question, Type.NS, DClass.IN)).toWire();
        assertThat(QueryDecoder.decode(Unpooled.wrappedBuffer(packet), SENDER, tcp, query)).isEqualTo(QueryDecoder.OK);

        ResponseWriter writer = new ResponseWriter();
        ByteBuf out = Unpooled.buffer();
        writer.begin(out, query);
        writer.answer();
        List<Written> written = new ArrayList<>();
        List<Integer> nameOffsets = new ArrayList<>();
        List<Name> namesAtOffsets = new ArrayList<>();
        nameOffsets.add(ResponseWriter.QUESTION_NAME);
        namesAtOffsets.add(question);
        int section = 0;
        boolean droppable = false;
        int records = data.consumeInt(0, 60);
        for (int i = 0; i < records; i++) {
            int move = data.consumeInt(0, 9);
            if (move == 0 && section < 2) {
                section++;
                droppable = false;
                if (section == 1) {
                    writer.authority();
                } else {
                    writer.additional();
                }
            } else if (move == 1 && section == 2 && !droppable) {
                writer.droppable();
                droppable = true;
            }
            Name owner;
            if (data.consumeBoolean()) {
                int k = data.consumeInt(0, nameOffsets.size() - 1);
                writer.pointer(nameOffsets.get(k));
                owner = namesAtOffsets.get(k);
            } else {
                owner = name(data);
                writer.name(wire(owner));
            }
            int kind = data.consumeInt(0, 3);
            if (kind == 0) {
                writer.record(RecordType.A, 60, A);
                written.add(new Written(section, owner, Type.A, null, null, droppable));
            } else if (kind == 3) {
                Name mname = name(data);
                Name rname = name(data);
                writer.soaRecord(60, wire(mname), wire(rname), SOA_NUMBERS);
                written.add(new Written(section, owner, Type.SOA, mname, rname, droppable));
            } else {
                int type = kind == 1 ? RecordType.NS : RecordType.CNAME;
                Name target = name(data);
                nameOffsets.add(writer.nameRecord(type, 60, wire(target)));
                namesAtOffsets.add(target);
                written.add(new Written(section, owner, type, target, null, droppable));
            }
        }
        writer.finish(Rcode.NOERROR, true, -1);
        byte[] wire = ByteBufUtil.getBytes(out);
        Message response = new Message(wire);

        assertThat(response.numBytes()).isEqualTo(wire.length);
        assertThat(wire.length).isLessThanOrEqualTo(writer.limit());
        if (response.getHeader().getFlag(Flags.TC)) {
            assertThat(response.getSection(Section.ANSWER)).isEmpty();
            return;
        }
        int[] sections = {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL};
        for (int s = 0; s < 3; s++) {
            int sectionIndex = s;
            List<Written> expected = written.stream().filter(w -> w.section() == sectionIndex).toList();
            List<Record> actual = response.getSection(sections[s]);
            if (s == 2) {
                long required = expected.stream().filter(w -> !w.droppable()).count();
                assertThat(actual.size()).as("required additional records are all there").isGreaterThanOrEqualTo((int) required);
            } else {
                assertThat(actual).hasSameSizeAs(expected);
            }
            for (int k = 0; k < actual.size(); k++) {
                Written w = expected.get(k);
                Record r = actual.get(k);
                assertThat(r.getName()).as("owner").isEqualTo(w.owner());
                assertThat(r.getType()).isEqualTo(w.type());
                if (r instanceof NSRecord ns) {
                    assertThat(ns.getTarget()).isEqualTo(w.first());
                } else if (r instanceof CNAMERecord cname) {
                    assertThat(cname.getTarget()).isEqualTo(w.first());
                } else if (r instanceof SOARecord soa) {
                    assertThat(soa.getHost()).isEqualTo(w.first());
                    assertThat(soa.getAdmin()).isEqualTo(w.second());
                }
            }
        }
    }

    /** A name of 0 to 4 labels from a small set (mixed case included), so names share suffixes often. */
    private static Name name(FuzzedDataProvider data) throws IOException {
        int labels = data.consumeInt(0, 4);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            text.append(LABELS[data.consumeInt(0, LABELS.length - 1)]).append('.');
        }
        return labels == 0 ? Name.root : Name.fromString(text.toString());
    }

    private static byte[] wire(Name name) {
        return WireNames.toWire(name.toString());
    }
}
