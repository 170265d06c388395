package io.wayfinder.health;

import io.wayfinder.routing.MonitorStatus;

/** A monitored endpoint changed status; {@code reason} is the probe result that caused it. */
public record StatusChange(String profile, String endpoint, MonitorStatus from, MonitorStatus to, String reason) {
    @Override
    public String toString() {
        return "endpoint " + profile + "/" + endpoint + ": " + from + " -> " + to + " (" + reason + ")";
    }
}
