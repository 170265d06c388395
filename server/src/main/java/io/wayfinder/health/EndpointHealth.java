package io.wayfinder.health;

import io.wayfinder.health.MonitorStatus;
import java.time.Instant;

/**
 * The health state machine of one monitored endpoint, as Azure Traffic Manager defines it, plus
 * a recovery threshold against flapping:
 *
 * <pre>
 *   CheckingEndpoint --success--> Online
 *   CheckingEndpoint / Online --(tolerated + 1) consecutive failures--> Degraded
 *   Degraded --requiredSuccesses consecutive successes--> Online
 * </pre>
 *
 * A success resets the failure count and a failure the success count. Pure: time comes in with
 * each result, so tests drive it with no clock and no sleeps. Not thread-safe; the monitor
 * serialises the results of one endpoint.
 */
public final class EndpointHealth {
    private final int toleratedFailures;
    private final int requiredSuccesses;
    private MonitorStatus status = MonitorStatus.CheckingEndpoint;
    private int consecutiveFailures;
    private int consecutiveSuccesses;
    private ProbeResult last;
    private Instant since;

    /** A change of status caused by a probe result. */
    public record Transition(MonitorStatus from, MonitorStatus to, ProbeResult cause) {
    }

    public EndpointHealth(int toleratedFailures, int requiredSuccesses, Instant start) {
        if (toleratedFailures < 0 || requiredSuccesses < 1) {
            throw new IllegalArgumentException("tolerated failures must be >= 0 and required successes >= 1");
        }
        this.toleratedFailures = toleratedFailures;
        this.requiredSuccesses = requiredSuccesses;
        this.since = start;
    }

    /**
     * The same state under new thresholds (an operator edited them): the status, counts and
     * history carry over, so an edit never puts a Degraded endpoint back into service by itself.
     * The new thresholds apply from the next result on.
     */
    public EndpointHealth withThresholds(int newTolerated, int newRequired) {
        EndpointHealth copy = new EndpointHealth(newTolerated, newRequired, since);
        copy.status = status;
        copy.consecutiveFailures = consecutiveFailures;
        copy.consecutiveSuccesses = consecutiveSuccesses;
        copy.last = last;
        return copy;
    }

    /** Feeds one probe result; returns the transition it caused, or null when the status holds. */
    public Transition record(ProbeResult result) {
        last = result;
        MonitorStatus before = status;
        if (result.success()) {
            consecutiveFailures = 0;
            consecutiveSuccesses++;
            if (status == MonitorStatus.CheckingEndpoint
                    || (status == MonitorStatus.Degraded && consecutiveSuccesses >= requiredSuccesses)) {
                status = MonitorStatus.Online;
            }
        } else {
            consecutiveSuccesses = 0;
            consecutiveFailures++;
            if (consecutiveFailures > toleratedFailures) {
                status = MonitorStatus.Degraded;
            }
        }
        if (status == before) {
            return null;
        }
        since = result.at();
        return new Transition(before, status, result);
    }

    public MonitorStatus status() {
        return status;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public int consecutiveSuccesses() {
        return consecutiveSuccesses;
    }

    /** The last probe result, or null before the first. */
    public ProbeResult lastResult() {
        return last;
    }

    /** When the endpoint entered its current status. */
    public Instant since() {
        return since;
    }
}
