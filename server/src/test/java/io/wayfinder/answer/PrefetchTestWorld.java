package io.wayfinder.answer;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.health.HealthStatuses;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
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
 * prefetch really reads them), and the names a prefetch must tell apart: {@code www} (Performance
 * over three regions), {@code one} (Performance with one endpoint: nothing to compare),
 * {@code split} (Weighted), {@code outer} (Weighted over a nested {@code www}), {@code alias}
 * (a CNAME to {@code www}), plus the apex, a name that does not exist and one outside the zone.
 *
 * <p>The table: 2,000 random /24s in 10.0.0.0/8 (one cell in ten missing, so some rows do not
 * settle), a few /16s and a /28 inside a /24, and one IPv6 /48.
 */
public final class PrefetchTestWorld {
    public static final String ZONE = "app.test";
    public static final List<String> NAMES = List.of("www.app.test", "one.app.test", "split.app.test",
            "outer.app.test", "alias.app.test", "app.test", "nothing.app.test", "elsewhere.test");
    private static final List<String> REGIONS = List.of("westeurope", "eastus", "southeastasia");
    private static final String YAML = """
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [192.0.2.53]}
                hostmaster: hostmaster.app.test
            profiles:
              - name: web
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                  - {name: us, target: 192.0.2.11, endpointLocation: eastus}
                  - {name: asia, target: "2001:db8::12", endpointLocation: southeastasia}
              - name: one
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: one}
                endpoints:
                  - {name: only, target: 192.0.2.20, endpointLocation: westeurope}
              - name: split
                trafficRoutingMethod: Weighted
                dnsConfig: {relativeName: split}
                endpoints:
                  - {name: a, target: 192.0.2.30, weight: 1}
                  - {name: b, target: 192.0.2.31, weight: 3}
              - name: outer
                trafficRoutingMethod: Weighted
                dnsConfig: {relativeName: outer}
                endpoints:
                  - {name: web, type: nested, target: web, weight: 1}
              - name: alias
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: alias}
                endpoints:
                  - {name: to-www, target: www.app.test}
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
        snapshot = snapshot(YAML, estimator);
    }

    /** A snapshot of another configuration over the same table. */
    public static Snapshot snapshot(String yaml, LatencyEstimator estimator) {
        RoutingPlan plan;
        try {
            plan = RoutingPlan.compile(ConfigLoader.reader().parse(yaml, null));
        } catch (ConfigException e) {
            throw new AssertionError("test configuration is invalid: " + e.errors(), e);
        }
        return new Snapshot(ZoneData.build(plan, 1), RoutingTable.build(plan, HealthStatuses.NONE, estimator, null),
                Instant.EPOCH);
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

    /** An address from its text, without a name lookup. */
    public static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
