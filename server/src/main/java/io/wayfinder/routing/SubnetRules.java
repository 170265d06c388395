package io.wayfinder.routing;

import io.wayfinder.net.IpRange;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.SubnetConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The checks of {@code subnets} that Subnet routing and subnet overrides share: the ranges of two
 * endpoints never overlap (Azure rejects such a profile: an address must map to one endpoint), and
 * a fallback takes none. An endpoint's own ranges may overlap; they are merged.
 */
final class SubnetRules {
    private SubnetRules() {
    }

    private record Owned(IpRange range, int endpoint, int item) {
    }

    static void check(ProfileConfig profile, String path, ConfigErrors errors) {
        if (profile.fallback() != null && !profile.fallback().subnets().isEmpty()) {
            errors.add(path + ".fallback.subnets", "a fallback answers only when every endpoint is Degraded; it takes no subnets");
        }
        List<Owned> all = new ArrayList<>();
        for (int j = 0; j < profile.endpoints().size(); j++) {
            List<SubnetConfig> subnets = profile.endpoints().get(j).subnets();
            for (int k = 0; k < subnets.size(); k++) {
                all.add(new Owned(subnets.get(k).range(), j, k));
            }
        }
        all.sort(Comparator.comparing((Owned o) -> o.range().first()));
        // Sweep in address order, keeping the range that reaches furthest: any later range that
        // starts before it ends overlaps it.
        Owned reach = null;
        for (Owned o : all) {
            if (reach != null && reach.range().overlaps(o.range()) && reach.endpoint() != o.endpoint()) {
                EndpointConfig other = profile.endpoints().get(reach.endpoint());
                errors.add(path + ".endpoints[" + o.endpoint() + "].subnets[" + o.item() + "]",
                        o.range() + " overlaps " + reach.range() + " of endpoint '" + other.name() + "' (endpoints["
                                + reach.endpoint() + "].subnets[" + reach.item() + "]): an address must map to one endpoint");
            }
            if (reach == null || reach.range().ipv6() != o.range().ipv6() || o.range().last().compareTo(reach.range().last()) > 0) {
                reach = o;
            }
        }
    }
}
