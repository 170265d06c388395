package io.wayfinder.routing;

import io.wayfinder.health.MonitorStatus;
import java.util.List;

/**
 * A profile compiled for the query path, for one state of health and latency: its endpoints, what
 * may answer ({@link Availability}) and its method's {@link Chooser}, all worked out when the
 * routing table is built, so that a query only picks. Immutable.
 */
public final class Profile {
    private final PlannedProfile plan;
    private final Availability availability;
    private final Chooser chooser;

    Profile(PlannedProfile plan, Availability availability, Chooser chooser) {
        this.plan = plan;
        this.availability = availability;
        this.chooser = chooser;
    }

    public String name() {
        return plan.config().name();
    }

    /** The profile's position in the configuration (and in its routing table). */
    public int index() {
        return plan.index();
    }

    /** The name it answers, or null for a profile reached only as a nested child. */
    public String fqdn() {
        return plan.config().fqdn();
    }

    public RoutingMethod method() {
        return plan.method();
    }

    public boolean enabled() {
        return plan.config().enabled();
    }

    public int ttl() {
        return plan.config().ttl();
    }

    public List<Endpoint> endpoints() {
        return availability.endpoints();
    }

    public Endpoint endpoint(int index) {
        return availability.endpoint(index);
    }

    /** Looks an endpoint up by name, case-insensitively; null when there is none. */
    public Endpoint endpoint(String endpointName) {
        for (int j = 0; j < availability.endpointCount(); j++) {
            if (availability.endpoint(j).name().equalsIgnoreCase(endpointName)) {
                return availability.endpoint(j);
            }
        }
        return null;
    }

    public MonitorStatus status(int endpoint) {
        return availability.status(endpoint);
    }

    public Availability availability() {
        return availability;
    }

    /** Whether every eligible endpoint is Degraded and they are served anyway. */
    public boolean failOpen() {
        return availability.failOpen();
    }

    /** Whether every eligible endpoint is Degraded and the fallback answers instead. */
    public boolean onFallback() {
        return availability.onFallback();
    }

    Chooser chooser() {
        return chooser;
    }

    PlannedProfile plan() {
        return plan;
    }
}
