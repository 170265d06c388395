package io.wayfinder.answer;

import io.wayfinder.dns.wire.WireNames;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.ZoneConfig;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.RoutingPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS side of a configuration, which health changes never touch: the served zones, every name
 * that exists in them, and each external endpoint's record, all pre-encoded. Built once per
 * configuration. Immutable (its fields are read only by this package's query path).
 */
public final class ZoneData {
    private final RoutingPlan plan;
    final NameTable<Zone> zones;
    final NameTable<NameNode> names;
    final EndpointRecord[][] records;

    private ZoneData(RoutingPlan plan, NameTable<Zone> zones, NameTable<NameNode> names, EndpointRecord[][] records) {
        this.plan = plan;
        this.zones = zones;
        this.names = names;
        this.records = records;
    }

    /**
     * @param serial the SOA serial of every zone that does not set its own
     */
    public static ZoneData build(RoutingPlan plan, long serial) {
        WayfinderConfig config = plan.config();
        NameTable.Builder<Zone> zones = new NameTable.Builder<>();
        NameTable.Builder<NameNode> names = new NameTable.Builder<>();
        List<Zone> zoneList = new ArrayList<>();
        for (ZoneConfig zc : config.zones()) {
            Zone zone = new Zone(zc, zc.serial() >= 0 ? zc.serial() : serial);
            zoneList.add(zone);
            zones.put(zone.wireName, zone);
            names.put(zone.wireName, new NameNode(zone, NameNode.Kind.APEX, -1, new byte[0][], new byte[0][]));
        }
        for (ZoneConfig zc : config.zones()) {
            for (ZoneConfig.Nameserver ns : zc.nameservers()) {
                Zone owner = zoneOf(zoneList, ns.name());
                if (owner == null || ns.addresses().isEmpty()) {
                    continue;
                }
                List<byte[]> v4 = new ArrayList<>();
                List<byte[]> v6 = new ArrayList<>();
                for (String address : ns.addresses()) {
                    byte[] bytes = IpPrefix.parseAddress(address);
                    (bytes.length == 4 ? v4 : v6).add(Zone.withLength(bytes));
                }
                NameNode existing = names.get(WireNames.toWire(ns.name()));
                NameNode.Kind kind = existing != null && existing.kind == NameNode.Kind.APEX ? NameNode.Kind.APEX : NameNode.Kind.HOST;
                addWithParents(names, owner, ns.name(), new NameNode(owner, kind, -1,
                        v4.toArray(new byte[0][]), v6.toArray(new byte[0][])));
            }
        }
        for (ProfileConfig pc : config.profiles()) {
            if (pc.fqdn() == null) {
                continue;
            }
            Zone zone = zoneOf(zoneList, pc.fqdn());
            addWithParents(names, zone, pc.fqdn(), new NameNode(zone, NameNode.Kind.PROFILE, plan.profileIndex(pc.name()),
                    new byte[0][], new byte[0][]));
        }
        EndpointRecord[][] records = new EndpointRecord[plan.profileCount()][];
        for (int p = 0; p < records.length; p++) {
            List<Endpoint> endpoints = plan.endpoints(p);
            records[p] = new EndpointRecord[endpoints.size()];
            for (Endpoint e : endpoints) {
                records[p][e.index()] = EndpointRecord.of(e.target());
            }
        }
        NameTable<NameNode> nameTable = names.build();
        for (Zone zone : zoneList) {
            for (int i = 0; i < zone.nsNames.length; i++) {
                NameNode host = nameTable.get(zone.nsNames[i]);
                if (host != null && host.ipv4.length + host.ipv6.length > 0) {
                    zone.nsHosts[i] = host; // glue: a name server inside a served zone, with addresses
                }
            }
        }
        return new ZoneData(plan, zones.build(), nameTable, records);
    }

    /** The configuration, compiled, that these zones serve. */
    public RoutingPlan plan() {
        return plan;
    }

    /** Adds a name and, as empty non-terminals, every name between it and its zone's apex. */
    private static void addWithParents(NameTable.Builder<NameNode> names, Zone zone, String name, NameNode node) {
        names.put(WireNames.toWire(name), node);
        String parent = name;
        while (true) {
            int dot = parent.indexOf('.');
            parent = parent.substring(dot + 1);
            if (dot < 0 || parent.equals(zone.name) || parent.length() <= zone.name.length()) {
                return;
            }
            byte[] wire = WireNames.toWire(parent);
            if (names.get(wire) == null) {
                names.put(wire, new NameNode(zone, NameNode.Kind.EMPTY, -1, new byte[0][], new byte[0][]));
            }
        }
    }

    private static Zone zoneOf(List<Zone> zones, String name) {
        for (Zone z : zones) {
            if (name.equals(z.name) || name.endsWith("." + z.name)) {
                return z;
            }
        }
        return null;
    }

    /** The served zone that contains a wire name, by trying each of its suffixes; null when none. */
    Zone zoneContaining(byte[] name, int offset, int length) {
        int end = offset + length;
        int pos = offset;
        while (pos < end) {
            Zone z = zones.get(name, pos, end - pos);
            if (z != null) {
                return z;
            }
            int label = name[pos];
            if (label == 0) {
                return null;
            }
            pos += label + 1;
        }
        return null;
    }
}
