package io.wayfinder.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.ResponseWriter;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.RowReadingProfiles;
import io.wayfinder.routing.TestRoutingTables;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.xbill.DNS.Address;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A snapshot whose latency table has the direct IPv4 index and settled /24 rows (so that a
 * prefetch really reads them), and the names a prefetch must tell apart: those of
 * {@link RowReadingProfiles} (the profiles that do and do not read the client's row, with their
 * health), plus the apex, a name that does not exist and one outside the zone.
 *
 * <p>The table: 2,000 random /24s in 10.0.0.0/8 (one cell in ten missing, so some rows do not
 * settle), a few /16s and a /28 inside a /24, and one IPv6 /48.
 */
public final class PrefetchTestWorld {
    public static final List<String> NAMES = List.of("www.app.test", "one.app.test", "left-one.app.test",
            "off.app.test", "split.app.test", "outer.app.test", "outer-one.app.test", "alias.app.test", "app.test",
            "nothing.app.test", "elsewhere.test");
    private static final List<String> REGIONS = List.of("westeurope", "eastus", "southeastasia");
    /** The zone, with a name server inside it (glue) and a hostmaster, up to the profiles. */
    private static final String ZONE = """
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [192.0.2.53]}
                hostmaster: hostmaster.app.test
            profiles:
            """;

    /** The /24s of the table, as addresses of their first host. */
    public final List<Integer> slash24s = new ArrayList<>();
    public final LatencyEstimator estimator;
    public final Snapshot snapshot;

    public PrefetchTestWorld() {
        Random random = new Random(0xBA7C4L);
        LatencyTableBuilder table = new LatencyTableBuilder().directIndexFrom(0);
        for (int i = 0; i < 2000; i++) {
            int address = (10 << 24) | (random.nextInt(1 << 16) << 8);
            slash24s.add(address);
            for (String region : REGIONS) {
                if (random.nextInt(10) > 0) {
                    table.add(IpPrefix.ofIpv4(address, 24), region, 1 + random.nextInt(2000) / 10.0, 20);
                }
            }
        }
        for (int i = 0; i < 8; i++) {
            table.add(IpPrefix.ofIpv4((10 << 24) | (random.nextInt(256) << 16), 16), REGIONS.get(i % 3), 60 + i, 50);
        }
        table.add(IpPrefix.ofIpv4(slash24s.get(0) | 0x40, 28), REGIONS.get(1), 3, 20);
        table.add(IpPrefix.parse("2a00:1450:4009::/48"), REGIONS.get(0), 8, 20);
        estimator = new LatencyEstimator(table.build(), GeoLocator.NONE, DistanceModel.UNFITTED);
        snapshot = snapshot(RowReadingProfiles.YAML, RowReadingProfiles.HEALTH, estimator);
    }

    /**
     * A snapshot of other profiles in the same zone over the same table.
     *
     * @param profilesYaml YAML list items at the left margin, as {@link RowReadingProfiles#YAML}
     * @param health       what probes say, as {@link TestRoutingTables#statuses} reads it ("" for nothing)
     */
    public static Snapshot snapshot(String profilesYaml, String health, LatencyEstimator estimator) {
        RoutingPlan plan = TestRoutingTables.plan(ZONE + profilesYaml.indent(2));
        return new Snapshot(ZoneData.build(plan, 1),
                RoutingTable.build(plan, TestRoutingTables.statuses(plan, health), estimator, null), Instant.EPOCH);
    }

    /** A query with EDNS and, unless {@code ecs} is null, a Client Subnet option ("address/length", the address cut to it). */
    public static byte[] query(int id, String name, int type, String ecs) {
        try {
            Message m = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
            m.getHeader().setID(id);
            List<org.xbill.DNS.EDNSOption> options = new ArrayList<>();
            if (ecs != null) {
                String[] parts = ecs.split("/");
                int length = Integer.parseInt(parts[1]);
                options.add(new ClientSubnetOption(length, Address.truncate(InetAddress.getByName(parts[0]), length)));
            }
            m.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
            return m.toWire();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A dotted address inside the table's /24 number {@code i}. */
    public String inside(int i, int host) {
        int a = slash24s.get(i % slash24s.size()) | (host & 0xFF);
        return (a >>> 24) + "." + (a >>> 16 & 0xFF) + "." + (a >>> 8 & 0xFF) + "." + (a & 0xFF);
    }

    /** Decodes as the FFM transport does: the sender's bytes written into the query, no socket address. */
    static DnsQuery decode(byte[] packet, String sender) {
        DnsQuery query = new DnsQuery();
        byte[] address = address(sender).getAddress();
        System.arraycopy(address, 0, query.rawSenderAddress(address.length == 16), 0, address.length);
        query.rawSender(address.length == 16, 5353);
        int status = QueryDecoder.decode(Unpooled.wrappedBuffer(packet), null, false, query);
        assertThat(status).as("decoding the test query").isEqualTo(QueryDecoder.OK);
        return query;
    }

    /** The answerer's response to the query, as bytes. */
    static byte[] respond(QueryAnswerer answerer, ResponseWriter writer, DnsQuery query) {
        ByteBuf out = Unpooled.buffer(4096);
        answerer.respond(query, writer, out);
        return ByteBufUtil.getBytes(out);
    }

    /** An address from its text, without a name lookup. */
    public static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
