package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.testing.CapturedLog;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** A query whose answer fails in a loop (a bug the SERVFAIL hides from the client): counted each time, logged once. */
class ServerStatsFailureLogTest {
    @Test
    void everyFailureIsCountedAndOneLineWithItsStackTraceIsWritten() throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString("www.example."), Type.A, DClass.IN));
        DnsQuery query = new DnsQuery();
        assertThat(QueryDecoder.decode(Unpooled.wrappedBuffer(m.toWire()), new InetSocketAddress("127.0.0.1", 5353), false, query))
                .isEqualTo(QueryDecoder.OK);
        ServerStats stats = new ServerStats();
        try (CapturedLog log = new CapturedLog(ServerStats.class)) {
            for (int i = 0; i < 20; i++) {
                stats.recordFailure(new IllegalStateException("a responder bug"), query);
            }
            assertThat(stats.failures()).isEqualTo(20);
            assertThat(log.lines()).containsExactly(
                    "answering www.example type 1 failed (SERVFAIL sent) (at most one such line every 10 s)");
            assertThat(log.levels()).containsExactly(Level.ERROR);
            assertThat(log.throwables().get(0).getMessage()).isEqualTo("a responder bug");
        }
    }
}
