package io.wayfinder.profile.read;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.DnsNames;
import io.wayfinder.profile.ZoneConfig;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The {@code zones} section: the zones served, their name servers and SOA values. */
final class ZonesReader {
    static final int DEFAULT_ZONE_TTL = 3600;

    private ZonesReader() {
    }

    static List<ZoneConfig> zones(ConfigObject top) {
        List<ZoneConfig> zones = new ArrayList<>();
        ConfigErrors errors = top.errors();
        for (ConfigObject z : top.objects("zones")) {
            if (z == null) {
                continue;
            }
            String rawName = z.string("name", true);
            String name = rawName == null ? null : DnsNames.normalise(rawName, z.pathOf("name"), errors);
            List<ZoneConfig.Nameserver> nameservers = nameservers(z);
            String rawHostmaster = z.string("hostmaster", false);
            int at = rawHostmaster == null ? -1 : rawHostmaster.indexOf('@');
            String hostmaster = null;
            if (at >= 0 && (rawHostmaster.substring(0, at).contains(".") || rawHostmaster.indexOf('@', at + 1) >= 0)) {
                // The SOA writes the mailbox as a name: a dot before the @ would read as a label boundary.
                errors.add(z.pathOf("hostmaster"), "must be one mailbox with no dot before its '@', as in hostmaster@example.com");
            } else if (rawHostmaster != null) {
                hostmaster = DnsNames.normalise(rawHostmaster.replace('@', '.'), z.pathOf("hostmaster"), errors);
            }
            int ttl = z.integer("ttl", 0, Integer.MAX_VALUE, DEFAULT_ZONE_TTL);
            long serial = z.longInteger("serial", 0, 0xFFFF_FFFFL, -1);
            ConfigObject soa = z.object("soa");
            int refresh = 3600;
            int retry = 600;
            int expire = 1_209_600;
            int minimum = 30;
            if (soa != null) {
                refresh = soa.integer("refresh", 0, Integer.MAX_VALUE, refresh);
                retry = soa.integer("retry", 0, Integer.MAX_VALUE, retry);
                expire = soa.integer("expire", 0, Integer.MAX_VALUE, expire);
                minimum = soa.integer("minimum", 0, Integer.MAX_VALUE, minimum);
                soa.rejectUnknownKeys();
            }
            z.rejectUnknownKeys();
            if (name == null) {
                continue;
            }
            if (nameservers.isEmpty() && !z.has("nameservers")) {
                errors.add(z.pathOf("nameservers"), "is required: at least one name server");
            }
            if (hostmaster == null) {
                hostmaster = "hostmaster." + name;
            }
            zones.add(new ZoneConfig(name, nameservers, hostmaster, ttl, serial, refresh, retry, expire, minimum));
        }
        return zones;
    }

    private static List<ZoneConfig.Nameserver> nameservers(ConfigObject zone) {
        ConfigErrors errors = zone.errors();
        List<ZoneConfig.Nameserver> out = new ArrayList<>();
        List<JsonNode> items = zone.items("nameservers");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = zone.pathOf("nameservers") + "[" + i + "]";
            if (item.isValueNode() && !item.isNull()) {
                String name = DnsNames.normalise(item.asString(), path, errors);
                if (name != null) {
                    out.add(new ZoneConfig.Nameserver(name, List.of()));
                }
            } else if (item.isObject()) {
                ConfigObject ns = new ConfigObject(item, path, errors);
                String raw = ns.string("name", true);
                String name = raw == null ? null : DnsNames.normalise(raw, ns.pathOf("name"), errors);
                List<String> addresses = ns.strings("addresses");
                for (int a = 0; a < addresses.size(); a++) {
                    try {
                        IpPrefix.parseAddress(addresses.get(a));
                    } catch (IllegalArgumentException e) {
                        errors.add(ns.pathOf("addresses") + "[" + a + "]", e.getMessage());
                    }
                }
                ns.rejectUnknownKeys();
                if (name != null) {
                    out.add(new ZoneConfig.Nameserver(name, addresses));
                }
            } else {
                errors.add(path, "must be a name or a mapping with name and addresses");
            }
        }
        if (items.isEmpty() && zone.has("nameservers")) {
            errors.add(zone.pathOf("nameservers"), "needs at least one name server");
        }
        return out;
    }
}
