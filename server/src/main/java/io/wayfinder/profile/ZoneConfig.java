package io.wayfinder.profile;

import java.util.List;

/**
 * A zone Wayfinder is authoritative for: its apex name, name servers and SOA. Names are lower case
 * without the trailing dot.
 */
public record ZoneConfig(String name, List<Nameserver> nameservers, String hostmaster, int ttl, long serial,
                         int refresh, int retry, int expire, int minimum) {
    public ZoneConfig {
        nameservers = List.copyOf(nameservers);
    }

    /** A name server of the zone; addresses are served as A/AAAA when its name is inside a served zone. */
    public record Nameserver(String name, List<String> addresses) {
        public Nameserver {
            addresses = List.copyOf(addresses);
        }
    }
}
