package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.wayfinder.answer.PrefetchTestWorld;
import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.dns.ratelimit.FixedClockLimiters;
import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.ratelimit.ResponseRateSettings;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.ResponseWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/**
 * {@link QueryBatch}: a batch decoded, prefetched, then answered gets, datagram for datagram, what
 * {@link QueryProcessor#process} (the Netty path, one datagram at a time) gives: the same bytes,
 * the same drops, the same counters, the same rate-limit verdicts. The answers come from the real
 * {@link QueryAnswerer} over a latency table with the direct index, so the prefetch reads rows.
 */
class QueryBatchTest {
    private static final PrefetchTestWorld WORLD = new PrefetchTestWorld();
    private static final ResponseRateSettings LIMIT = new ResponseRateSettings(5, 2, 24, 64);
    /** Sends a third of the datagrams: the rate limit slips and drops its answers. */
    private static final String HEAVY_SENDER = "203.0.113.9";
    private static final int[] RCODES = {Rcode.NOERROR, Rcode.FORMERR, Rcode.SERVFAIL, Rcode.NXDOMAIN, Rcode.NOTIMP,
        Rcode.REFUSED, Rcode.NOTAUTH, Rcode.BADVERS};

    private record Datagram(byte[] bytes, InetSocketAddress sender) {
    }

    @Test
    void aMixedBatchGetsTheResponsesOfOneAtATime() {
        List<Datagram> datagrams = mixedDatagrams();
        Side alone = new Side();
        Side batched = new Side();
        List<byte[]> expected = new ArrayList<>();
        for (Datagram d : datagrams) {
            ByteBuf r = alone.processor.process(Unpooled.wrappedBuffer(d.bytes), d.sender, false,
                    UnpooledByteBufAllocator.DEFAULT, 0);
            expected.add(r == null ? null : ByteBufUtil.getBytes(r));
        }

        QueryBatch batch = new QueryBatch(batched.processor, 32);
        ByteBuf[] out = new ByteBuf[32];
        for (int i = 0; i < out.length; i++) {
            out[i] = Unpooled.buffer(64 << 10);
        }
        int[] sizes = {1, 16, 32, 7, 32, 3, 32, 17};
        int from = 0;
        for (int b = 0; from < datagrams.size(); b++) {
            int n = Math.min(sizes[b % sizes.length], datagrams.size() - from);
            for (int i = 0; i < n; i++) {
                Datagram d = datagrams.get(from + i);
                writeSender(batch.query(i), d.sender);
                batch.decode(i, Unpooled.wrappedBuffer(d.bytes));
            }
            batch.prefetch(n);
            for (int i = 0; i < n; i++) {
                byte[] got = batch.respond(i, out[i]) ? ByteBufUtil.getBytes(out[i]) : null;
                assertThat(got).as("response to datagram %d", from + i).isEqualTo(expected.get(from + i));
            }
            batch.finish();
            from += n;
        }

        assertThat(batched.stats.dropped()).as("dropped").isEqualTo(alone.stats.dropped()).isPositive();
        assertThat(batched.stats.failures()).as("failures").isEqualTo(alone.stats.failures()).isPositive();
        for (int rcode : RCODES) {
            assertThat(batched.stats.responses(rcode)).as("responses with rcode %d", rcode)
                    .isEqualTo(alone.stats.responses(rcode));
        }
        assertThat(alone.stats.responses(Rcode.FORMERR)).as("FORMERR answered").isPositive();
        assertThat(alone.stats.responses(Rcode.NOTIMP)).as("NOTIMP answered").isPositive();
        assertThat(alone.stats.responses(Rcode.BADVERS)).as("BADVERS answered").isPositive();
        assertThat(batched.limiter.slipped()).as("slipped").isEqualTo(alone.limiter.slipped()).isPositive();
        assertThat(batched.limiter.dropped()).as("rate-limit drops").isEqualTo(alone.limiter.dropped()).isPositive();
        assertThat(batched.answerer.prefetchedAnything()).as("the prefetch read rows").isTrue();
    }

    /** A slot the transport skips (a truncated datagram) answers nothing, whatever it held in the batch before. */
    @Test
    void aSkippedSlotAnswersNothing() {
        Side side = new Side();
        QueryBatch batch = new QueryBatch(side.processor, 2);
        ByteBuf out = Unpooled.buffer(4096);
        writeSender(batch.query(0), new InetSocketAddress("198.51.100.1", 5353));
        assertThat(batch.decode(0, Unpooled.wrappedBuffer(PrefetchTestWorld.query(1, "www.app.test", Type.A, null)))).isTrue();
        batch.prefetch(1);
        assertThat(batch.respond(0, out)).as("the first batch's answer").isTrue();

        batch.skip(0);
        batch.prefetch(1);
        assertThat(batch.respond(0, out)).as("the skipped slot of the next batch").isFalse();
    }

    /** Only queries that are answered by the responder are prefetched: not a FORMERR, NOTIMP or dropped one. */
    @Test
    void onlyQueriesForTheResponderArePrefetched() {
        List<Integer> prefetched = new ArrayList<>();
        Responder recording = new Responder() {
            @Override
            public void respond(DnsQuery query, ResponseWriter writer, ByteBuf out) {
                writer.begin(out, query);
                writer.finish(Rcode.NOERROR, true, 0);
            }

            @Override
            public void prefetch(DnsQuery[] queries, int count) {
                for (int i = 0; i < count; i++) {
                    prefetched.add(queries[i].id());
                }
            }
        };
        QueryBatch batch = new QueryBatch(new QueryProcessor(recording, new ServerStats(), null), 8);
        byte[][] packets = {good(1), formerr(2), response(3), good(4), notimp(5), new byte[5]};
        for (int i = 0; i < packets.length; i++) {
            writeSender(batch.query(i), new InetSocketAddress("198.51.100.1", 5353));
            batch.decode(i, Unpooled.wrappedBuffer(packets[i]));
        }
        batch.prefetch(packets.length);
        assertThat(prefetched).containsExactly(1, 4);
    }

    /**
     * 300 datagrams in a fixed random order: A, AAAA and ANY for every name of the world, with and
     * without ECS; malformed (two questions), another opcode, responses, runts, EDNS version 1, a
     * name whose answer throws (SERVFAIL); a third from one sender, over the rate limit.
     */
    private static List<Datagram> mixedDatagrams() {
        Random random = new Random(13);
        int[] types = {Type.A, Type.AAAA, Type.ANY};
        List<Datagram> out = new ArrayList<>();
        for (int id = 0; id < 300; id++) {
            String sender = id % 3 == 0 ? HEAVY_SENDER
                    : random.nextInt(5) == 0 ? "2001:db8::" + Integer.toHexString(id) : WORLD.inside(random.nextInt(2000), 1);
            String client = WORLD.inside(random.nextInt(2000), random.nextInt(256));
            String ecs = random.nextBoolean() ? null : client + "/" + (random.nextInt(4) == 0 ? 20 : 24);
            String name = PrefetchTestWorld.NAMES.get(random.nextInt(PrefetchTestWorld.NAMES.size()));
            byte[] bytes = switch (random.nextInt(12)) {
                case 0 -> formerr(id);
                case 1 -> notimp(id);
                case 2 -> response(id);
                case 3 -> new byte[1 + random.nextInt(11)];
                case 4 -> badvers(id);
                case 5 -> PrefetchTestWorld.query(id, "boom.app.test", Type.A, ecs);
                default -> PrefetchTestWorld.query(id, name, types[random.nextInt(types.length)], ecs);
            };
            out.add(new Datagram(bytes, new InetSocketAddress(PrefetchTestWorld.address(sender), 1024 + id)));
        }
        Collections.shuffle(out, random);
        return out;
    }

    private static byte[] good(int id) {
        return PrefetchTestWorld.query(id, "www.app.test", Type.A, null);
    }

    private static byte[] formerr(int id) {
        byte[] b = good(id);
        b[5] = 2; // QDCOUNT 2
        return b;
    }

    private static byte[] notimp(int id) {
        byte[] b = good(id);
        b[2] |= 2 << 3; // opcode 2 (STATUS)
        return b;
    }

    private static byte[] response(int id) {
        byte[] b = good(id);
        b[2] |= (byte) 0x80; // QR
        return b;
    }

    private static byte[] badvers(int id) {
        byte[] b = good(id);
        b[b.length - 11 + 6] = 1; // the OPT record's version, after its name (1), type (2), class (2), extended rcode (1)
        return b;
    }

    /** What the FFM transport does with the sender the kernel wrote. */
    private static void writeSender(DnsQuery query, InetSocketAddress sender) {
        byte[] a = sender.getAddress().getAddress();
        System.arraycopy(a, 0, query.rawSenderAddress(a.length == 16), 0, a.length);
        query.rawSender(a.length == 16, sender.getPort());
    }

    /** A processor with its own answerer, counters and rate limiter (on a clock that stands still). */
    private static final class Side {
        final ServerStats stats = new ServerStats();
        final ResponseRateLimiter limiter = FixedClockLimiters.limiter(LIMIT);
        final Answering answerer = new Answering(new QueryAnswerer(() -> WORLD.snapshot));
        final QueryProcessor processor = new QueryProcessor(answerer, stats, limiter);
    }

    /** The answerer, with a bug on one name (its answer throws: SERVFAIL), and a note of whether it prefetched. */
    private static final class Answering implements Responder {
        private final QueryAnswerer answerer;
        private boolean prefetched;

        Answering(QueryAnswerer answerer) {
            this.answerer = answerer;
        }

        @Override
        public void respond(DnsQuery query, ResponseWriter writer, ByteBuf out) {
            if (query.nameText().startsWith("boom.")) {
                throw new IllegalStateException("a responder bug");
            }
            answerer.respond(query, writer, out);
        }

        @Override
        public void prefetch(DnsQuery[] queries, int count) {
            prefetched |= count > 0;
            answerer.prefetch(queries, count);
        }

        boolean prefetchedAnything() {
            return prefetched;
        }
    }
}
