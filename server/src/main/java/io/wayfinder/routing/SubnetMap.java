package io.wayfinder.routing;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.IpRange;
import io.wayfinder.net.PrefixMap;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.SubnetConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code subnets} of a profile's enabled endpoints, for Subnet routing and for subnet overrides:
 * which endpoint's ranges hold a client. Each endpoint's ranges are merged and cut into the fewest
 * prefixes, so a lookup is one longest-prefix match; validation has made sure that no two endpoints'
 * ranges overlap, so no prefix here lies inside another. A range holds a client when it holds the
 * client's whole network (an ECS /16 is not held by a /24 inside it). Immutable.
 */
final class SubnetMap {
    static final SubnetMap EMPTY = new SubnetMap(PrefixMap.empty(), new Endpoint[0]);

    private final PrefixMap prefixes;
    /** The endpoint each prefix entry belongs to. */
    private final Endpoint[] owners;

    private SubnetMap(PrefixMap prefixes, Endpoint[] owners) {
        this.prefixes = prefixes;
        this.owners = owners;
    }

    /** @param configs the endpoints' configurations, by endpoint index (a fallback, if any, last) */
    static SubnetMap of(List<Endpoint> endpoints, List<EndpointConfig> configs) {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        List<Endpoint> owners = new ArrayList<>();
        for (int j = 0; j < configs.size(); j++) {
            EndpointConfig config = configs.get(j);
            if (!config.enabled() || config.subnets().isEmpty()) {
                continue; // a disabled endpoint's subnets are as if they did not exist (Azure)
            }
            List<IpRange> ranges = new ArrayList<>();
            for (SubnetConfig s : config.subnets()) {
                ranges.add(s.range());
            }
            for (IpRange range : IpRange.union(ranges)) {
                for (IpPrefix prefix : range.prefixes()) {
                    builder.add(prefix);
                    owners.add(endpoints.get(j));
                }
            }
        }
        if (owners.isEmpty()) {
            return EMPTY;
        }
        return new SubnetMap(builder.build(), owners.toArray(new Endpoint[0]));
    }

    boolean isEmpty() {
        return owners.length == 0;
    }

    /**
     * The endpoint whose subnets hold the client, or null. Either way the answer depends on the
     * client's network, so the scope widens to the shortest prefix around the client inside which
     * every network of its length would find the same.
     */
    Endpoint find(RoutingContext context, Trace trace) {
        IpPrefix client = context.client();
        int interval = prefixes.interval(client);
        context.widenScope(prefixes.holdingLength(interval, client));
        int entry = prefixes.entryAt(interval);
        if (entry == PrefixMap.NO_ENTRY || prefixes.length(entry) > client.length()) {
            return null;
        }
        trace.inSubnet(owners[entry], prefixes.prefix(entry));
        return owners[entry];
    }
}
