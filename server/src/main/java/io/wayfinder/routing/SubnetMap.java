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
 *
 * <h2>Scope when no range holds the client</h2>
 * A prefix longer than the client's network can never hold a network of that length, so it must not
 * narrow the scope of a "not held" answer: an ECS /16 next to a /32 range is answered for the widest
 * block around it that holds no prefix of length 16 or less, not for the /16 alone. The prefixes are
 * kept in address order with a sparse table of their lengths, so that the nearest prefix of at most
 * the client's length on either side is found in O(log n) without allocating.
 */
final class SubnetMap {
    static final SubnetMap EMPTY = new SubnetMap(PrefixMap.empty(), new Endpoint[0], new IpPrefix[0]);

    private final PrefixMap prefixes;
    /** The endpoint each prefix entry belongs to. */
    private final Endpoint[] owners;
    /** The prefixes in address order (IPv4 first), by entry: entry i is {@code sorted[i]}. */
    private final IpPrefix[] sorted;
    /** How many of {@link #sorted} are IPv4. */
    private final int ipv4Count;
    /** {@code shortest[k][i]}: the shortest length among {@code sorted[i .. i + 2^k - 1]}. */
    private final byte[][] shortest;

    private SubnetMap(PrefixMap prefixes, Endpoint[] owners, IpPrefix[] sorted) {
        this.prefixes = prefixes;
        this.owners = owners;
        this.sorted = sorted;
        int v4 = 0;
        while (v4 < sorted.length && !sorted[v4].ipv6()) {
            v4++;
        }
        this.ipv4Count = v4;
        int levels = 1;
        while ((1 << levels) <= sorted.length) {
            levels++;
        }
        shortest = new byte[levels][];
        shortest[0] = new byte[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            shortest[0][i] = (byte) sorted[i].length();
        }
        for (int k = 1; k < levels; k++) {
            int half = 1 << (k - 1);
            shortest[k] = new byte[Math.max(0, sorted.length - (1 << k) + 1)];
            for (int i = 0; i < shortest[k].length; i++) {
                shortest[k][i] = (byte) Math.min(shortest[k - 1][i] & 0xFF, shortest[k - 1][i + half] & 0xFF);
            }
        }
    }

    private record Owned(IpPrefix prefix, Endpoint owner) {
    }

    /** @param configs the endpoints' configurations, by endpoint index (a fallback, if any, last) */
    static SubnetMap of(List<Endpoint> endpoints, List<EndpointConfig> configs) {
        List<Owned> all = new ArrayList<>();
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
                    all.add(new Owned(prefix, endpoints.get(j)));
                }
            }
        }
        if (all.isEmpty()) {
            return EMPTY;
        }
        all.sort((a, b) -> a.prefix().compareTo(b.prefix()));
        PrefixMap.Builder builder = new PrefixMap.Builder();
        Endpoint[] owners = new Endpoint[all.size()];
        IpPrefix[] sorted = new IpPrefix[all.size()];
        for (Owned o : all) {
            int entry = builder.add(o.prefix());
            owners[entry] = o.owner();
            sorted[entry] = o.prefix();
        }
        return new SubnetMap(builder.build(), owners, sorted);
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
        int entry = prefixes.entryAt(interval);
        if (entry == PrefixMap.NO_ENTRY || prefixes.length(entry) > client.length()) {
            context.widenScope(notHeldLength(client));
            return null;
        }
        context.widenScope(prefixes.holdingLength(interval, client));
        trace.inSubnet(owners[entry], prefixes.prefix(entry));
        return owners[entry];
    }

    /**
     * The shortest s such that client/s holds no prefix of at most the client's length (one that
     * could hold a network of that length): the nearest such prefix on each side must stay outside,
     * so s is one more than the leading bits the client shares with it.
     */
    private int notHeldLength(IpPrefix client) {
        int from = client.ipv6() ? ipv4Count : 0;
        int to = client.ipv6() ? sorted.length : ipv4Count;
        int length = client.length();
        // The first prefix that starts after the client's first address.
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (startsAtOrBefore(sorted[mid], client)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        int scope = 0;
        int before = lastNoLongerThan(from, low, length);
        if (before >= 0) {
            IpPrefix p = sorted[before];
            scope = Math.max(scope, sharedBits(client, p.lastHi(), p.lastLo()) + 1);
        }
        int after = firstNoLongerThan(low, to, length);
        if (after >= 0) {
            IpPrefix p = sorted[after];
            scope = Math.max(scope, sharedBits(client, p.hi(), p.lo()) + 1);
        }
        return Math.min(scope, length);
    }

    private static boolean startsAtOrBefore(IpPrefix p, IpPrefix client) {
        int c = Long.compareUnsigned(p.hi(), client.hi());
        return c < 0 || (c == 0 && Long.compareUnsigned(p.lo(), client.lo()) <= 0);
    }

    /** The last index in [from, end) whose prefix is at most {@code length} long, or -1. */
    private int lastNoLongerThan(int from, int end, int length) {
        int p = end;
        for (int k = shortest.length - 1; k >= 0; k--) {
            int w = 1 << k;
            if (p - w >= from && (shortest[k][p - w] & 0xFF) > length) {
                p -= w;
            }
        }
        return p - 1 >= from ? p - 1 : -1;
    }

    /** The first index in [start, to) whose prefix is at most {@code length} long, or -1. */
    private int firstNoLongerThan(int start, int to, int length) {
        int p = start;
        for (int k = shortest.length - 1; k >= 0; k--) {
            int w = 1 << k;
            if (p + w <= to && (shortest[k][p] & 0xFF) > length) {
                p += w;
            }
        }
        return p < to ? p : -1;
    }

    /** How many leading bits the client's first address shares with an address of its family. */
    private static int sharedBits(IpPrefix client, long hi, long lo) {
        if (!client.ipv6()) {
            return Long.numberOfLeadingZeros((client.lo() ^ lo) & 0xFFFF_FFFFL) - 32;
        }
        long h = client.hi() ^ hi;
        return h != 0 ? Long.numberOfLeadingZeros(h) : 64 + Long.numberOfLeadingZeros(client.lo() ^ lo);
    }
}
