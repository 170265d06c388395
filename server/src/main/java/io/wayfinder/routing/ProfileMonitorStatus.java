package io.wayfinder.routing;

import io.wayfinder.health.MonitorStatus;

/**
 * A profile's monitor status, rolled up from its endpoints as Azure Traffic Manager does:
 * Disabled when the profile is disabled; Degraded when any endpoint is Degraded; Online when any
 * is Online (or served unmonitored); CheckingEndpoints while any is still being checked; Inactive
 * when no endpoint is enabled.
 */
public enum ProfileMonitorStatus {
    Disabled, Degraded, Online, CheckingEndpoints, Inactive;

    public static ProfileMonitorStatus of(Profile profile) {
        if (!profile.enabled()) {
            return Disabled;
        }
        boolean online = false;
        boolean checking = false;
        for (Endpoint e : profile.endpoints()) {
            if (e.fallback()) {
                continue;
            }
            MonitorStatus s = profile.status(e.index());
            if (s == MonitorStatus.Degraded) {
                return Degraded;
            }
            online |= s == MonitorStatus.Online || s == MonitorStatus.Unmonitored;
            checking |= s == MonitorStatus.CheckingEndpoint;
        }
        return online ? Online : checking ? CheckingEndpoints : Inactive;
    }
}
