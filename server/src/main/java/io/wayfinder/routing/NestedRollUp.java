package io.wayfinder.routing;

/**
 * The status of a nested endpoint from its child profile's endpoints, as Azure Traffic Manager
 * rolls it up: Online while at least {@code minChildEndpoints} children are Online (and the IPv4
 * and IPv6 minimums are met), CheckingEndpoint while Online + CheckingEndpoint children reach
 * those numbers, Degraded below them, Stopped when the child is disabled or has no enabled endpoint.
 * The parent never probes the child.
 */
final class NestedRollUp {
    private NestedRollUp() {
    }

    static MonitorStatus status(Endpoint nested, boolean childEnabled, Endpoint[] children, MonitorStatus[] childStatuses) {
        if (!childEnabled) {
            return MonitorStatus.Stopped;
        }
        int enabled = 0;
        Counts online = new Counts();
        Counts onlineOrChecking = new Counts();
        for (int k = 0; k < children.length; k++) {
            if (children[k].fallback()) {
                continue; // a fallback is a last resort, never a reason to call the child available
            }
            MonitorStatus s = childStatuses[k];
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
        if (enabled == 0) {
            return MonitorStatus.Stopped;
        }
        if (online.meets(nested)) {
            return MonitorStatus.Online;
        }
        if (onlineOrChecking.meets(nested)) {
            return MonitorStatus.CheckingEndpoint;
        }
        return MonitorStatus.Degraded;
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
