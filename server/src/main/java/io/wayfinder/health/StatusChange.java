package io.wayfinder.health;

/**
 * A probed endpoint changed status; {@code reason} is the probe result that caused it. The indices
 * are the endpoint's position in the configuration the monitor was given.
 */
public record StatusChange(int profileIndex, int endpointIndex, String profile, String endpoint, MonitorStatus from,
                           MonitorStatus to, String reason) {
    @Override
    public String toString() {
        return "endpoint " + profile + "/" + endpoint + ": " + from + " -> " + to + " (" + reason + ")";
    }
}
