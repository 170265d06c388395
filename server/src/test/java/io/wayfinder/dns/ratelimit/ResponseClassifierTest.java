package io.wayfinder.dns.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.ResponseWriter;
import io.wayfinder.dns.wire.WireNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Which kind a response is and what it is counted by, read from responses written with the codec. */
class ResponseClassifierTest {
    private static final byte[] ADDRESS = {0, 4, (byte) 192, 0, 2, 1};
    private static final byte[] SOA = {0, 4, 1, 2, 3, 4}; // the rdata is skipped, never read

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "answer,            ANSWER",
        "nodata,            NODATA",
        "nxdomain,          NXDOMAIN",
        "cname-to-nxdomain, NXDOMAIN",
        "too-large,         ANSWER",
        "refused,           ERROR",
        "servfail,          ERROR",
    })
    void classifiesWhatWasWritten(String response, ResponseKind kind) {
        DnsQuery query = query("www.app.test", Type.A, false);
        ByteBuf out = write(query, response);
        assertThat(ResponseClassifier.kind(QueryDecoder.OK, out, 0)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "decoder status {0}")
    @CsvSource({"1", "4", "16"})
    void aQueryTheDecoderRejectedIsAnError(int status) {
        DnsQuery query = query("www.app.test", Type.A, false);
        ByteBuf out = Unpooled.buffer();
        new ResponseWriter().error(out, query, status);
        assertThat(ResponseClassifier.kind(status, out, 0)).isEqualTo(ResponseKind.ERROR);
    }

    @Test
    void answersAreCountedByNameAndType() {
        assertThat(hash("www.app.test", Type.A, "answer")).isEqualTo(hash("www.app.test", Type.A, "answer"))
                .isNotEqualTo(hash("www.app.test", Type.AAAA, "answer"))
                .isNotEqualTo(hash("api.app.test", Type.A, "answer"));
    }

    @Test
    void nodataIsCountedByNameWhateverTheType() {
        assertThat(hash("www.app.test", Type.TXT, "nodata")).isEqualTo(hash("www.app.test", Type.MX, "nodata"))
                .isNotEqualTo(hash("api.app.test", Type.TXT, "nodata"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"x1.app.test", "deep.x2.app.test", "X3.APP.Test", "app.test"})
    void nxdomainIsCountedByZoneWhateverTheName(String name) {
        long zone = ResponseClassifier.hash(WireNames.toWire("app.test"), WireNames.toWire("app.test").length);
        assertThat(hash(name, Type.A, "nxdomain")).as("SOA owner as a pointer into the question").isEqualTo(zone);
        assertThat(hash(name, Type.A, "nxdomain-uncompressed")).as("SOA owner written out").isEqualTo(zone);
        assertThat(hash(name, Type.A, "cname-to-nxdomain")).as("after a CNAME").isEqualTo(zone);
    }

    @Test
    void errorsAreCountedByNetworkAlone() {
        assertThat(hash("www.app.test", Type.A, "refused")).isZero();
        assertThat(hash("other.example", Type.TXT, "refused")).isZero();
    }

    private static long hash(String name, int type, String response) {
        DnsQuery query = query(name, type, false);
        ByteBuf out = write(query, response);
        ResponseKind kind = ResponseClassifier.kind(QueryDecoder.OK, out, 0);
        return ResponseClassifier.nameHash(kind, query, out, 0);
    }

    /** A response to {@code query} as the answerer would write it; NXDOMAIN and NODATA carry app.test's SOA. */
    private static ByteBuf write(DnsQuery query, String response) {
        ByteBuf out = Unpooled.buffer();
        ResponseWriter w = new ResponseWriter();
        w.begin(out, query);
        switch (response) {
            case "answer" -> {
                w.answer().pointer(ResponseWriter.QUESTION_NAME).record(Type.A, 30, ADDRESS);
                w.finish(Rcode.NOERROR, true, -1);
            }
            case "nodata" -> {
                soa(w, query, true);
                w.finish(Rcode.NOERROR, true, -1);
            }
            case "nxdomain", "nxdomain-uncompressed" -> {
                soa(w, query, response.equals("nxdomain"));
                w.finish(Rcode.NXDOMAIN, true, -1);
            }
            case "cname-to-nxdomain" -> {
                int lengthAt = w.answer().pointer(ResponseWriter.QUESTION_NAME).recordWithOpenRdata(Type.CNAME, 30);
                w.name(WireNames.toWire("missing.app.test"));
                w.endRdata(lengthAt);
                soa(w, query, true);
                w.finish(Rcode.NXDOMAIN, true, -1);
            }
            case "too-large" -> {
                for (int i = 0; i < 200; i++) {
                    w.answer().pointer(ResponseWriter.QUESTION_NAME).record(Type.A, 30, ADDRESS);
                }
                w.finish(Rcode.NOERROR, true, -1); // over 512 bytes: TC, no records
            }
            case "refused" -> w.finish(Rcode.REFUSED, false, -1);
            case "servfail" -> w.finish(Rcode.SERVFAIL, false, -1);
            default -> throw new IllegalArgumentException(response);
        }
        return out;
    }

    /** app.test's SOA in the authority section, owned by a pointer into the question or by the name written out. */
    private static void soa(ResponseWriter w, DnsQuery query, boolean pointer) {
        w.authority();
        byte[] zone = WireNames.toWire("app.test");
        int suffix = query.nameLength() - zone.length;
        if (pointer) {
            w.pointer(ResponseWriter.QUESTION_NAME + suffix);
        } else {
            w.name(zone);
        }
        w.record(Type.SOA, 60, SOA);
    }

    static DnsQuery query(String name, int type, boolean tcp) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
            DnsQuery query = new DnsQuery();
            int status = QueryDecoder.decode(Unpooled.wrappedBuffer(m.toWire()), new InetSocketAddress("192.0.2.1", 5353), tcp, query);
            assertThat(status).isEqualTo(QueryDecoder.OK);
            return query;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
