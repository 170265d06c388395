package io.wayfinder.answer;

import static io.wayfinder.answer.PrefetchTestWorld.decode;
import static io.wayfinder.answer.PrefetchTestWorld.respond;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.ResponseWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * An answerer hands the last query's client network to routing again when the next query's is the
 * same, and makes a new one whenever anything differs: address, length, family, or ECS against the
 * sender.
 */
class QueryAnswererClientNetworkTest {
    private static final PrefetchTestWorld WORLD = new PrefetchTestWorld();

    /**
     * One answerer for a sequence of queries whose clients differ in one part at a time gives each the
     * answer (ECS scope included) that a new answerer gives it.
     */
    @Test
    void everyClientGetsTheAnswerOfAFreshAnswerer() {
        String a = WORLD.inside(5, 0);
        String b = WORLD.inside(6, 0);
        String host = WORLD.inside(5, 77);
        List<String[]> clients = List.of( // {ECS or "-", sender}
                new String[] {a + "/24", host}, new String[] {a + "/24", host}, new String[] {a + "/25", host},
                new String[] {a + "/24", host}, new String[] {b + "/24", host}, new String[] {b + "/24", host},
                new String[] {a + "/16", host}, new String[] {"-", host}, new String[] {"-", host},
                new String[] {host + "/32", host}, new String[] {"-", WORLD.inside(5, 78)},
                new String[] {"2a00:1450:4009::/48", host}, new String[] {"2a00:1450:4009::/48", host},
                new String[] {"2a00:1450:4009::/56", host}, new String[] {"2a00:1450:4008::/48", host},
                new String[] {"-", "2a00:1450:4009::1"}, new String[] {"-", "2a00:1450:4009::1"},
                new String[] {"-", "2a00:1450:4009::2"}, new String[] {a + "/24", host});
        QueryAnswerer one = new QueryAnswerer(() -> WORLD.snapshot);
        ResponseWriter writer = new ResponseWriter();
        for (int i = 0; i < clients.size(); i++) {
            String ecs = clients.get(i)[0].equals("-") ? null : clients.get(i)[0];
            byte[] packet = PrefetchTestWorld.query(i, "www.app.test", Type.A, ecs);
            String sender = clients.get(i)[1];
            assertThat(respond(one, writer, decode(packet, sender))).as("query %d (ECS %s, from %s)", i, ecs, sender)
                    .isEqualTo(respond(new QueryAnswerer(() -> WORLD.snapshot), writer, decode(packet, sender)));
        }
    }

    /** Answering the same client network again makes no object. */
    @Test
    void theSameClientAgainAllocatesNothing() {
        QueryAnswerer answerer = new QueryAnswerer(() -> WORLD.snapshot);
        ResponseWriter writer = new ResponseWriter();
        DnsQuery ecs = decode(PrefetchTestWorld.query(1, "www.app.test", Type.A, WORLD.inside(1, 0) + "/24"), "192.0.2.1");
        DnsQuery plain = decode(PrefetchTestWorld.query(2, "www.app.test", Type.A, null), WORLD.inside(2, 9));
        ByteBuf out = Unpooled.directBuffer(4096);
        for (int i = 0; i < 20_000; i++) {
            out.clear();
            answerer.respond(i < 10_000 ? ecs : plain, writer, out);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            out.clear();
            answerer.respond(plain, writer, out);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 10,000 answers to one client").isLessThan(4096);
    }
}
