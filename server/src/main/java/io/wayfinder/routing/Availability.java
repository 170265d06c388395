package io.wayfinder.routing;

import io.wayfinder.health.MonitorStatus;
import java.util.List;

/**
 * A profile's endpoints in one state of health: each one's monitor status, and the
 * <em>candidates</em>, the endpoints that may answer: the served ones, or, when every eligible one
 * is Degraded, all the eligible ones (the profile fails open, as Azure's does). Immutable; its
 * arrays never leave it.
 */
public final class Availability {
    private final Endpoint[] endpoints;
    private final MonitorStatus[] statuses;
    private final int[] candidates;
    private final boolean[] candidate;
    private final boolean failOpen;
    private final boolean onFallback;

    Availability(Endpoint[] endpoints, MonitorStatus[] statuses, int[] candidates, boolean failOpen, boolean onFallback) {
        this.endpoints = endpoints;
        this.statuses = statuses;
        this.candidates = candidates;
        this.failOpen = failOpen;
        this.onFallback = onFallback;
        this.candidate = new boolean[endpoints.length];
        for (int j : candidates) {
            candidate[j] = true;
        }
    }

    public int endpointCount() {
        return endpoints.length;
    }

    public Endpoint endpoint(int index) {
        return endpoints[index];
    }

    public List<Endpoint> endpoints() {
        return List.of(endpoints);
    }

    public MonitorStatus status(int index) {
        return statuses[index];
    }

    /** How many endpoints may answer. */
    public int candidateCount() {
        return candidates.length;
    }

    /** The k-th endpoint that may answer, in profile order. */
    public int candidate(int k) {
        return candidates[k];
    }

    public boolean isCandidate(int index) {
        return candidate[index];
    }

    /** Whether the candidates are eligible-but-Degraded endpoints served anyway. */
    public boolean failOpen() {
        return failOpen;
    }

    /** Whether every eligible endpoint is Degraded and the fallback (the only candidate) answers instead. */
    public boolean onFallback() {
        return onFallback;
    }

    /** Same statuses, so the same candidates: a chooser built from one serves the other. */
    boolean sameAs(Availability other) {
        return java.util.Arrays.equals(statuses, other.statuses);
    }
}
