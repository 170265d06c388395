package io.wayfinder.answer;

import static io.wayfinder.answer.PrefetchTestWorld.decode;
import static io.wayfinder.answer.PrefetchTestWorld.respond;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.ResponseWriter;
import io.wayfinder.net.IpPrefix;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

/**
 * {@link QueryAnswerer#prefetch}: it touches the latency row of the client that routing will use,
 * only for a name whose profile may read it, allocates nothing, and never changes an answer.
 */
class QueryAnswererPrefetchTest {
    private static final PrefetchTestWorld WORLD = new PrefetchTestWorld();
    private static final String OTHER_V4 = "198.51.100.7";
    private static final String V6 = "2a00:1450:4009::1";

    /**
     * @param ecs     none; table/N: an address of a table /24 with source length N; v6: an IPv6 /48
     * @param sender  table: an address of another table /24; other: an IPv4 address outside the table; v6
     * @param touched which client's row is read: ecs, sender or none
     */
    @ParameterizedTest(name = "{0}, ECS {1}, sender {2}: touches {3}")
    @CsvSource({
        "www.app.test, table/24, other, ecs",
        "www.app.test, table/32, table, ecs",
        "www.app.test, none, table, sender",
        "www.app.test, table/20, table, none",    // shorter than /24: not the direct index's
        "www.app.test, v6, table, none",          // the ECS subnet is the client, not the sender
        "www.app.test, none, v6, none",
        "WWW.App.Test, table/24, other, ecs",     // names are matched lower-cased
        "outer.app.test, table/24, other, ecs",   // Weighted over the nested Performance profile
        "one.app.test, table/24, other, none",    // one endpoint: nothing to compare
        "left-one.app.test, table/24, other, none", // one of two left by health
        "off.app.test, table/24, other, none",    // disabled: NXDOMAIN before any method runs
        "split.app.test, table/24, other, none",
        "outer-one.app.test, table/24, other, none", // Priority over the nested one-endpoint profile
        "alias.app.test, table/24, other, none",  // reached through a CNAME: not looked into
        "app.test, table/24, other, none",
        "nothing.app.test, table/24, other, none",
        "elsewhere.test, table/24, other, none",
    })
    void touchesTheRowOfTheClientThatRoutingUses(String name, String ecs, String sender, String touched) {
        String ecsAddress = WORLD.inside(3, 77);
        String senderAddress = switch (sender) {
            case "table" -> WORLD.inside(5, 9);
            case "v6" -> V6;
            default -> OTHER_V4;
        };
        String ecsOption = switch (ecs) {
            case "none" -> null;
            case "v6" -> "2a00:1450:4009::/48";
            default -> ecsAddress + "/" + ecs.substring("table/".length());
        };
        DnsQuery query = decode(PrefetchTestWorld.query(1, name, Type.A, ecsOption), senderAddress);
        QueryAnswerer answerer = new QueryAnswerer(() -> WORLD.snapshot);

        answerer.prefetch(new DnsQuery[] {query}, 1);

        int expected = switch (touched) {
            case "ecs" -> touch(ecsAddress);
            case "sender" -> touch(senderAddress);
            default -> 0;
        };
        assertThat(answerer.prefetched()).isEqualTo(expected);
    }

    /** The row's figure, which must not be 0 for the test above to tell a touch from none. */
    private static int touch(String address) {
        int figure = WORLD.estimator.touch(IpPrefix.parse(address + "/32").ipv4());
        assertThat(figure).as("what touching %s reads", address).isNotZero();
        return figure;
    }

    /**
     * Batches of 32 queries (every name, A, AAAA and ANY, clients with and without ECS, IPv4 and
     * IPv6, in and out of the table), all prefetched before any is answered, get byte for byte the
     * answers that the same queries get one at a time without a prefetch.
     */
    @Test
    void aPrefetchedBatchGetsTheAnswersOfOneAtATime() {
        Random random = new Random(7);
        QueryAnswerer alone = new QueryAnswerer(() -> WORLD.snapshot);
        QueryAnswerer batched = new QueryAnswerer(() -> WORLD.snapshot);
        ResponseWriter writer = new ResponseWriter();
        int[] types = {Type.A, Type.AAAA, Type.ANY};
        int routed = 0;
        for (int round = 0; round < 40; round++) {
            List<DnsQuery> batch = new ArrayList<>();
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String name = PrefetchTestWorld.NAMES.get(random.nextInt(PrefetchTestWorld.NAMES.size()));
                String client = random.nextInt(4) == 0 ? OTHER_V4 : WORLD.inside(random.nextInt(3000), random.nextInt(256));
                String ecs = switch (random.nextInt(5)) {
                    case 0 -> null;
                    case 1 -> "2a00:1450:4009:" + Integer.toHexString(random.nextInt(1 << 16)) + "::/56";
                    case 2 -> client + "/" + (16 + random.nextInt(17));
                    default -> client + "/24";
                };
                String sender = random.nextBoolean() ? WORLD.inside(random.nextInt(3000), 1) : V6;
                byte[] packet = PrefetchTestWorld.query(round * 32 + i, name, types[random.nextInt(types.length)], ecs);
                DnsQuery query = decode(packet, sender);
                batch.add(query);
                expected.add(respond(alone, writer, decode(packet, sender)));
            }
            batched.prefetch(batch.toArray(new DnsQuery[0]), batch.size());
            for (int i = 0; i < batch.size(); i++) {
                assertThat(respond(batched, writer, batch.get(i))).as("answer %d of round %d", i, round)
                        .isEqualTo(expected.get(i));
            }
            routed = batched.prefetched();
        }
        assertThat(routed).as("the batches touched rows").isNotZero();
    }

    /**
     * The prefetch leaves on each query where it found the name, the slot of the name's node in the
     * zones' name table, for the answer; decoding the next packet clears it.
     */
    @Test
    void aPrefetchLeavesTheNameItFoundOnTheQuery() {
        QueryAnswerer answerer = new QueryAnswerer(() -> WORLD.snapshot);
        DnsQuery found = decode(PrefetchTestWorld.query(1, "WWW.app.test", Type.A, null), OTHER_V4);
        DnsQuery missing = decode(PrefetchTestWorld.query(2, "nothing.app.test", Type.A, null), OTHER_V4);
        assertThat(found.prefetchedNameSlot()).as("before any prefetch").isEqualTo(-1);

        answerer.prefetch(new DnsQuery[] {found, missing}, 2);

        NameTable<NameNode> names = WORLD.snapshot.zones().names;
        assertThat(found.prefetchedNameSlot()).isNotNegative();
        assertThat(names.at(found.prefetchedNameSlot()))
                .isSameAs(names.get(org.xbill.DNS.Name.fromConstantString("www.app.test.").toWire())).isNotNull();
        assertThat(missing.prefetchedNameSlot()).isEqualTo(-1);
        QueryDecoder.decode(Unpooled.wrappedBuffer(PrefetchTestWorld.query(3, "www.app.test", Type.A, null)),
                new java.net.InetSocketAddress(OTHER_V4, 53), false, found);
        assertThat(found.prefetchedNameSlot()).as("after the next decode").isEqualTo(-1);
    }

    /**
     * A query prefetched in one snapshot and answered after the next one is published gets the new
     * snapshot's answer: the name found in the old zones is not used.
     */
    @Test
    void aQueryAnsweredAfterTheSnapshotChangedIsLookedUpAgain() {
        Snapshot without = PrefetchTestWorld.snapshot("""
                - name: other
                  trafficRoutingMethod: Weighted
                  dnsConfig: {relativeName: other}
                  endpoints:
                    - {name: a, target: 192.0.2.40, weight: 1}
                """, "", WORLD.estimator);
        java.util.concurrent.atomic.AtomicReference<Snapshot> current = new java.util.concurrent.atomic.AtomicReference<>(WORLD.snapshot);
        QueryAnswerer answerer = new QueryAnswerer(current::get);
        ResponseWriter writer = new ResponseWriter();
        byte[] packet = PrefetchTestWorld.query(1, "www.app.test", Type.A, WORLD.inside(1, 1) + "/24");
        DnsQuery query = decode(packet, OTHER_V4);
        answerer.prefetch(new DnsQuery[] {query}, 1);
        assertThat(query.prefetchedNameSlot()).as("the prefetch found www").isNotNegative();

        current.set(without);
        byte[] answer = respond(answerer, writer, query);

        assertThat(answer).isEqualTo(respond(new QueryAnswerer(() -> without), writer, decode(packet, OTHER_V4)));
        assertThat(answer[3] & 0xF).as("rcode").isEqualTo(org.xbill.DNS.Rcode.NXDOMAIN);
    }

    @Test
    void aPrefetchAllocatesNothing() {
        QueryAnswerer answerer = new QueryAnswerer(() -> WORLD.snapshot);
        DnsQuery[] queries = {
            decode(PrefetchTestWorld.query(1, "www.app.test", Type.A, WORLD.inside(1, 1) + "/24"), OTHER_V4),
            decode(PrefetchTestWorld.query(2, "www.app.test", Type.A, null), WORLD.inside(2, 2)),
            decode(PrefetchTestWorld.query(3, "split.app.test", Type.A, null), V6),
            decode(PrefetchTestWorld.query(4, "nothing.app.test", Type.A, null), OTHER_V4),
        };
        for (int i = 0; i < 20_000; i++) {
            answerer.prefetch(queries, 1 + (i & 3));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            answerer.prefetch(queries, 1 + (i & 3));
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 10,000 prefetches of 1-4 queries").isLessThan(4096);
    }
}
