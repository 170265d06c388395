package io.wayfinder.health;

/**
 * An endpoint's monitor status, with Azure Traffic Manager's names and meanings. Whether an
 * endpoint in a status receives traffic is decided here, once.
 */
public enum MonitorStatus {
    /** Enabled and probed, no result yet: served. */
    CheckingEndpoint(true, true),
    /** Probes succeed: served. */
    Online(true, true),
    /** Probes fail beyond the tolerated count: not served (unless the whole profile fails open). */
    Degraded(false, true),
    /** The endpoint is disabled: neither probed nor served. */
    Disabled(false, false),
    /** A nested endpoint whose child profile is disabled or has no enabled endpoint: not served. */
    Stopped(false, false),
    /** The profile is disabled: its name answers NXDOMAIN. */
    Inactive(false, false),
    /** {@code alwaysServe}: served without probes. */
    Unmonitored(true, true);

    private final boolean served;
    private final boolean eligible;

    MonitorStatus(boolean served, boolean eligible) {
        this.served = served;
        this.eligible = eligible;
    }

    /** Receives traffic in normal operation. */
    public boolean served() {
        return served;
    }

    /** Counts toward fail-open: when every eligible endpoint is Degraded, they are all served. */
    public boolean eligible() {
        return eligible;
    }
}
