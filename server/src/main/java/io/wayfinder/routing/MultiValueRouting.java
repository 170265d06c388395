package io.wayfinder.routing;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MultiValue routing, as Azure's: every endpoint is an IPv4 or IPv6 address, and a query gets up to
 * {@code maxReturn} (1-10, default 2) available addresses of the family it asks for (A or AAAA).
 * Azure leaves the order and the subset unsaid; here both come from rendezvous hashing of the
 * client network, so one client always gets the same records in the same order, different clients
 * start on different addresses, and an address that leaves moves no other.
 */
final class MultiValueRouting implements RoutingMethod {
    /** Azure's default {@code maxReturn}. */
    static final int DEFAULT_MAX_RETURN = 2;

    @Override
    public String name() {
        return "MultiValue";
    }

    @Override
    public boolean uses(MethodField field) {
        return field == MethodField.maxReturn;
    }

    @Override
    public void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors) {
        List<EndpointConfig> all = profile.endpointsWithFallback();
        Map<IpPrefix, Integer> owners = new HashMap<>(); // address -> the endpoint that has it
        for (int j = 0; j < all.size(); j++) {
            EndpointConfig e = all.get(j);
            String ePath = j < profile.endpoints().size() ? path + ".endpoints[" + j + "]" : path + ".fallback";
            if (e.type() != EndpointType.external) {
                errors.add(ePath + ".type", "MultiValue endpoints must be external IPv4 or IPv6 addresses, not nested profiles");
            } else if (!IpPrefix.looksLikeAddress(e.target())) {
                errors.add(ePath + ".target", "'" + e.target() + "' is a name; MultiValue endpoints must be IPv4 or IPv6 addresses");
            } else if (j < profile.endpoints().size()) {
                duplicate(profile, e, j, ePath, owners, errors);
            }
        }
    }

    /**
     * An address may be the target of one endpoint only (Azure rejects a repeated one): two would put
     * the same record twice in one answer, which RFC 2181 (5) forbids within an RRset.
     */
    private static void duplicate(ProfileConfig profile, EndpointConfig e, int j, String ePath, Map<IpPrefix, Integer> owners,
                                  ConfigErrors errors) {
        IpPrefix address;
        try {
            address = IpPrefix.parse(e.target());
        } catch (IllegalArgumentException ex) {
            return; // reported with the target's other checks
        }
        Integer previous = owners.putIfAbsent(address, j);
        if (previous != null) {
            errors.add(ePath + ".target", address.addressText() + " is already the target of endpoint '"
                    + profile.endpoints().get(previous).name() + "' (endpoints[" + previous + "]): an address answers once");
        }
    }

    @Override
    public MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints) {
        int maxReturn = config.maxReturn() == null ? DEFAULT_MAX_RETURN : config.maxReturn();
        return (availability, inputs) -> {
            List<Endpoint> v4 = new ArrayList<>();
            List<Endpoint> v6 = new ArrayList<>();
            for (Endpoint e : Candidates.of(availability)) {
                (e.target() instanceof Target.Ipv6 ? v6 : v4).add(e);
            }
            return new Addresses(v4.toArray(new Endpoint[0]), v6.toArray(new Endpoint[0]), maxReturn);
        };
    }

    private record Addresses(Endpoint[] ipv4, Endpoint[] ipv6, int maxReturn) implements Chooser {
        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            Endpoint[] family = context.wantsIpv6() ? ipv6 : ipv4;
            if (family.length == 0) {
                return Chooser.noData(Reason.NO_ADDRESS_OF_TYPE, trace);
            }
            if (family.length == 1) {
                return Chooser.answer(family[0], Reason.ONLY_CANDIDATE, context, trace);
            }
            // The order depends on the client: the answer holds for its hashed network.
            context.usedHash();
            long clientHash = context.clientHash();
            int count = Math.min(maxReturn, family.length);
            long previous = -1; // unsigned: above every score, so the first pass takes the highest
            for (int k = 0; k < count; k++) {
                // Selection by descending score, without sorting or allocating: the highest below the last pick.
                int best = -1;
                long bestScore = 0;
                for (int i = 0; i < family.length; i++) {
                    long score = StableHash.score(clientHash, family[i].seed());
                    if (Long.compareUnsigned(score, previous) < 0 && (best < 0 || Long.compareUnsigned(score, bestScore) > 0)) {
                        best = i;
                        bestScore = score;
                    }
                }
                previous = bestScore;
                trace.chosen(family[best], Reason.MULTI_VALUE);
                context.answer(family[best]);
            }
            return RoutingOutcome.ANSWER;
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            boolean loserIsV6 = loser.target() instanceof Target.Ipv6;
            if (loserIsV6 != context.wantsIpv6()) {
                return "an " + (loserIsV6 ? "IPv6" : "IPv4") + " address; the query asked for " + (context.wantsIpv6() ? "AAAA" : "A");
            }
            return "maxReturn is " + maxReturn + ": the stable hash of the client network put " + winners.size()
                    + " other addresses first";
        }
    }
}
