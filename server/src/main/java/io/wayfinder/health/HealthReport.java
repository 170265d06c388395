package io.wayfinder.health;

import io.wayfinder.health.MonitorStatus;
import java.time.Instant;

/** One monitored endpoint's health, for the status output and the API. */
public record HealthReport(String profile, String endpoint, String target, MonitorStatus status, Instant since,
                           ProbeResult lastResult, int consecutiveFailures, int consecutiveSuccesses) {
}
