package io.wayfinder.routing;

import io.wayfinder.health.MonitorStatus;

/**
 * The status of a nested endpoint from its child profile's endpoints, as Azure Traffic Manager
 * rolls it up: Online while at least {@code minChildEndpoints} children are Online (and the IPv4
 * and IPv6 minimums are met), CheckingEndpoint while Online + CheckingEndpoint children reach
 * those numbers, Degraded below them, Stopped when the child is disabled or has no enabled endpoint.
 * The parent never probes the child.
 */
public final class NestedRollUp {
    private NestedRollUp() {
    }

    static MonitorStatus status(Endpoint nested, boolean childEnabled, Endpoint[] children, MonitorStatus[] childStatuses) {
        if (!childEnabled) {
            return MonitorStatus.Stopped;
        }
        Census census = new Census(children, childStatuses);
        if (census.enabled == 0) {
            return MonitorStatus.Stopped;
        }
        if (census.online.meets(nested)) {
            return MonitorStatus.Online;
        }
        if (census.onlineOrChecking.meets(nested)) {
            return MonitorStatus.CheckingEndpoint;
        }
        return MonitorStatus.Degraded;
    }

    /**
     * In words, what the child profile has against what the nested endpoint needs: the reason a
     * nested endpoint has its status, as a probe result is a probed endpoint's.
     */
    public static String describe(Endpoint nested, Profile child) {
        if (!child.enabled()) {
            return "child profile " + child.name() + " is disabled";
        }
        Census census = new Census(child.availability());
        if (census.enabled == 0) {
            return "child profile " + child.name() + " has no enabled endpoint";
        }
        int checking = census.onlineOrChecking.all - census.online.all;
        StringBuilder needs = new StringBuilder("minChildEndpoints " + nested.minChild());
        if (nested.minChildIpv4() > 0) {
            needs.append(", IPv4 ").append(nested.minChildIpv4()).append(" (has ").append(census.online.ipv4).append(')');
        }
        if (nested.minChildIpv6() > 0) {
            needs.append(", IPv6 ").append(nested.minChildIpv6()).append(" (has ").append(census.online.ipv6).append(')');
        }
        return "child profile " + child.name() + ": " + census.online.all + " of " + census.enabled + " endpoints available"
                + (checking > 0 ? ", " + checking + " being checked" : "") + "; needs " + needs;
    }

    /** The child's endpoints by status; its fallback is a last resort, never a reason to call the child available. */
    private static final class Census {
        int enabled;
        final Counts online = new Counts();
        final Counts onlineOrChecking = new Counts();

        Census(Availability child) {
            this(child.endpoints().toArray(new Endpoint[0]), statusesOf(child));
        }

        private static MonitorStatus[] statusesOf(Availability child) {
            MonitorStatus[] out = new MonitorStatus[child.endpointCount()];
            for (int k = 0; k < out.length; k++) {
                out[k] = child.status(k);
            }
            return out;
        }

        Census(Endpoint[] children, MonitorStatus[] statuses) {
            for (int k = 0; k < children.length; k++) {
                if (children[k].fallback()) {
                    continue;
                }
                MonitorStatus s = statuses[k];
                if (s != MonitorStatus.Disabled && s != MonitorStatus.Stopped && s != MonitorStatus.Inactive) {
                    enabled++;
                }
                if (s == MonitorStatus.Online || s == MonitorStatus.Unmonitored) {
                    online.add(children[k].target());
                    onlineOrChecking.add(children[k].target());
                } else if (s == MonitorStatus.CheckingEndpoint) {
                    onlineOrChecking.add(children[k].target());
                }
            }
        }
    }

    /** Available child endpoints, in all and by the record type they can answer. */
    private static final class Counts {
        int all;
        int ipv4;
        int ipv6;

        void add(Target target) {
            all++;
            // A name (CNAME) or a nested profile may lead to either family, so it counts for both.
            if (!(target instanceof Target.Ipv6)) {
                ipv4++;
            }
            if (!(target instanceof Target.Ipv4)) {
                ipv6++;
            }
        }

        boolean meets(Endpoint nested) {
            return all >= nested.minChild() && ipv4 >= nested.minChildIpv4() && ipv6 >= nested.minChildIpv6();
        }
    }
}
