package io.wayfinder.routing;

import io.wayfinder.health.HealthStatuses;
import io.wayfinder.health.MonitorStatus;
import io.wayfinder.latency.LatencyEstimator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything routing reads for one configuration, one state of health and one latency table: the
 * compiled profiles with their choosers. Immutable; a change builds a new one, reusing every
 * profile whose inputs did not change.
 */
public final class RoutingTable {
    private final RoutingPlan plan;
    private final HealthStatuses health;
    private final LatencyEstimator estimator;
    private final RegionRef[] regions;
    private final Profile[] profiles;
    /**
     * {@code readsLatency[i]}: routing through profile {@code i} may read the client's latency-table
     * row, in its own chooser or in a nested profile it can answer through. Worked out here, not per
     * query, because it depends on health (the candidates) as well as on the configuration.
     */
    private final boolean[] readsLatency;

    private RoutingTable(RoutingPlan plan, HealthStatuses health, LatencyEstimator estimator, RegionRef[] regions,
                         Profile[] profiles) {
        this.plan = plan;
        this.health = health;
        this.estimator = estimator;
        this.regions = regions;
        this.profiles = profiles;
        this.readsLatency = new boolean[profiles.length];
        boolean[] done = new boolean[profiles.length];
        for (int i = 0; i < profiles.length; i++) {
            readsLatency(i, done);
        }
    }

    /** Fills readsLatency[i], nested children first (validation guarantees there is no cycle). */
    private boolean readsLatency(int i, boolean[] done) {
        if (!done[i]) {
            Profile profile = profiles[i];
            Availability availability = profile.availability();
            boolean reads = profile.chooser().readsLatency();
            for (int k = 0; k < availability.candidateCount(); k++) {
                if (availability.endpoint(availability.candidate(k)).target() instanceof Target.Nested nested) {
                    reads |= readsLatency(nested.profileIndex(), done);
                }
            }
            readsLatency[i] = reads;
            done[i] = true;
        }
        return readsLatency[i];
    }

    /**
     * Works out every endpoint's status (probed, or rolled up from a nested child), each profile's
     * candidates, and its chooser. Cannot fail.
     *
     * @param previous the table this one replaces, or null: a profile whose statuses are the same
     *                 under the same plan and estimator is taken over as it is
     */
    public static RoutingTable build(RoutingPlan plan, HealthStatuses health, LatencyEstimator estimator, RoutingTable previous) {
        boolean reusable = previous != null && previous.plan == plan && previous.estimator == estimator;
        RegionRef[] regions = reusable ? previous.regions : plan.regionsFor(estimator.table());
        RoutingInputs inputs = new RoutingInputs(estimator, regions);
        MonitorStatus[][] statuses = new MonitorStatus[plan.profileCount()][];
        for (int i = 0; i < statuses.length; i++) {
            statusesOf(i, plan, health, statuses);
        }
        Profile[] profiles = new Profile[statuses.length];
        for (int i = 0; i < profiles.length; i++) {
            PlannedProfile planned = plan.profile(i);
            Availability availability = availability(planned, statuses[i]);
            Profile before = reusable ? previous.profiles[i] : null;
            profiles[i] = before != null && before.availability().sameAs(availability) ? before
                    : new Profile(planned, availability, chooser(planned, availability, inputs));
        }
        return new RoutingTable(plan, health, estimator, regions, profiles);
    }

    /** Fills statuses[i], children first (validation guarantees there is no cycle). */
    private static void statusesOf(int i, RoutingPlan plan, HealthStatuses health, MonitorStatus[][] statuses) {
        if (statuses[i] != null) {
            return;
        }
        PlannedProfile profile = plan.profile(i);
        Endpoint[] endpoints = profile.endpoints();
        MonitorStatus[] out = new MonitorStatus[endpoints.length];
        for (int j = 0; j < out.length; j++) {
            Endpoint e = endpoints[j];
            if (!profile.config().enabled()) {
                out[j] = MonitorStatus.Inactive;
            } else if (!e.enabled()) {
                out[j] = MonitorStatus.Disabled;
            } else if (e.target() instanceof Target.Nested nested) {
                statusesOf(nested.profileIndex(), plan, health, statuses);
                PlannedProfile child = plan.profile(nested.profileIndex());
                out[j] = NestedRollUp.status(e, child.config().enabled(), child.endpoints(), statuses[nested.profileIndex()]);
                if (e.alwaysServe() && out[j] != MonitorStatus.Stopped) {
                    out[j] = MonitorStatus.Unmonitored;
                }
            } else if (e.fallback() || e.alwaysServe()) {
                out[j] = MonitorStatus.Unmonitored; // a fallback is never probed: it answers only when all else is Degraded
            } else {
                MonitorStatus probed = health.status(i, j);
                out[j] = probed == null ? MonitorStatus.Unmonitored : probed;
            }
        }
        statuses[i] = out;
    }

    /**
     * The method's chooser, when it has something to choose from: a profile with no candidate
     * answers NXDOMAIN and one on its fallback answers with it, both decided by {@link Router}
     * before any method runs.
     */
    private static Chooser chooser(PlannedProfile planned, Availability availability, RoutingInputs inputs) {
        if (availability.candidateCount() == 0 || availability.onFallback()) {
            return Router.NOT_REACHED;
        }
        return planned.methodPlan().chooser(availability, inputs);
    }

    /** The candidates: served endpoints; else, when all eligible ones are Degraded, the fallback or them all. */
    private static Availability availability(PlannedProfile planned, MonitorStatus[] statuses) {
        Endpoint[] endpoints = planned.endpoints();
        List<Integer> served = new ArrayList<>();
        List<Integer> eligible = new ArrayList<>();
        int fallback = -1;
        for (int j = 0; j < endpoints.length; j++) {
            if (endpoints[j].fallback()) {
                // A fallback that cannot answer (disabled, or nesting a profile that is stopped or
                // down): fail open as without one, rather than answer nothing.
                fallback = statuses[j].served() ? j : -1;
                continue;
            }
            if (statuses[j].served()) {
                served.add(j);
            }
            if (statuses[j].eligible()) {
                eligible.add(j);
            }
        }
        boolean allDegraded = served.isEmpty() && !eligible.isEmpty();
        boolean onFallback = allDegraded && fallback >= 0;
        boolean failOpen = allDegraded && !onFallback;
        List<Integer> chosen = onFallback ? List.of(fallback) : failOpen ? eligible : served;
        int[] candidates = chosen.stream().sorted(Comparator.naturalOrder()).mapToInt(Integer::intValue).toArray();
        return new Availability(endpoints, statuses, candidates, failOpen, onFallback);
    }

    public RoutingPlan plan() {
        return plan;
    }

    /** The probe statuses this table was built with. */
    public HealthStatuses health() {
        return health;
    }

    public Profile profile(int index) {
        return profiles[index];
    }

    /** Looks a profile up by name, case-insensitively; null when there is none. */
    public Profile profile(String name) {
        int i = plan.profileIndex(name);
        return i < 0 ? null : profiles[i];
    }

    public List<Profile> profiles() {
        return List.of(profiles);
    }

    public RegionRef region(int index) {
        return regions[index];
    }

    public List<RegionRef> regions() {
        return List.of(regions);
    }

    public LatencyEstimator estimator() {
        return estimator;
    }

    /**
     * Whether routing an IPv4 client network of this length through profile {@code profileIndex}
     * may read the client's latency-table row first, so that {@link #touch} reads what it will: the
     * profile (or a nested one it can answer through) may read latency, and the client is /24 or
     * longer (for a shorter one the estimator's first read is an interval search, not the row).
     */
    public boolean readsRow(int profileIndex, int clientLength) {
        return clientLength >= 24 && readsLatency[profileIndex];
    }

    /**
     * Reads ahead what routing an IPv4 client will read first from the latency table
     * ({@link LatencyEstimator#touch}), where {@link #readsRow} says it will: for a pass over a
     * batch of queries before they are answered, so that their cache misses overlap. Changes
     * nothing, allocates nothing, takes no lock.
     *
     * @return a figure that means nothing; the caller keeps a sum of them so that the reads are
     *         not optimised away
     */
    public int touch(int ipv4Address) {
        return estimator.touch(ipv4Address);
    }
}
