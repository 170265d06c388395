package io.wayfinder.routing;

/** What health monitoring knows of external endpoints, read when a routing table is built. */
@FunctionalInterface
public interface HealthView {
    /** No monitoring: every enabled external endpoint is Unmonitored (served). */
    HealthView UNMONITORED = (profile, endpoint) -> null;

    /**
     * The probe-derived status (CheckingEndpoint, Online or Degraded) of an enabled external
     * endpoint, or null when it is not monitored.
     */
    MonitorStatus status(String profileName, String endpointName);
}
