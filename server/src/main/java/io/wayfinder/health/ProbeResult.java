package io.wayfinder.health;

import java.time.Instant;

/**
 * The outcome of one health probe.
 *
 * @param reason what happened, in words for logs and the status output: "HTTP 200",
 *               "HTTP 503", "timeout after 5000 ms", "connection refused",
 *               "expected 200-299, got 301", "cannot resolve api.example.net"
 */
public record ProbeResult(boolean success, String reason, Instant at, long elapsedMillis) {

    public static ProbeResult success(String reason, Instant at, long elapsedMillis) {
        return new ProbeResult(true, reason, at, elapsedMillis);
    }

    public static ProbeResult failure(String reason, Instant at, long elapsedMillis) {
        return new ProbeResult(false, reason, at, elapsedMillis);
    }
}
