package io.wayfinder.health;

/**
 * What the probes say of every monitored endpoint, at one moment, by index: {@code status(p, e)} is
 * the probe-derived status (CheckingEndpoint, Online or Degraded) of endpoint {@code e} of profile
 * {@code p} in the configuration the monitor was last given, or null when that endpoint is not
 * probed. Indices are the positions in the configuration's lists, resolved when the monitor is
 * configured, so reading a status allocates nothing. Immutable.
 */
public final class HealthStatuses {
    /** Nothing probed: every endpoint is unmonitored. */
    public static final HealthStatuses NONE = new HealthStatuses(new MonitorStatus[0][]);

    private final MonitorStatus[][] byProfile;

    private HealthStatuses(MonitorStatus[][] byProfile) {
        this.byProfile = byProfile;
    }

    /** A copy of {@code byProfile} (rows may be null or short: those endpoints are not probed). */
    public static HealthStatuses of(MonitorStatus[][] byProfile) {
        MonitorStatus[][] copy = new MonitorStatus[byProfile.length][];
        for (int p = 0; p < copy.length; p++) {
            copy[p] = byProfile[p] == null ? null : byProfile[p].clone();
        }
        return new HealthStatuses(copy);
    }

    /** The probe-derived status, or null when the endpoint is not probed. */
    public MonitorStatus status(int profile, int endpoint) {
        if (profile >= byProfile.length || byProfile[profile] == null || endpoint >= byProfile[profile].length) {
            return null;
        }
        return byProfile[profile][endpoint];
    }
}
