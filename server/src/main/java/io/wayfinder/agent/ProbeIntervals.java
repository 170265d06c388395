package io.wayfinder.agent;

import io.wayfinder.net.IpPrefix;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Politeness per target: a network is probed at most once per interval, however often the targets
 * are fetched or rounds run. Keyed by network; networks that leave the target list are forgotten at
 * the next {@link #retain}, so the map is never larger than the target list. Guarded by {@code this}.
 */
public final class ProbeIntervals {
    private final long intervalNanos;
    /** The monotonic time each network was last probed. */
    private final Map<IpPrefix, Long> lastProbe = new HashMap<>();

    public ProbeIntervals(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Whether {@code network} may be probed at {@code nowNanos}. */
    public synchronized boolean due(IpPrefix network, long nowNanos) {
        Long last = lastProbe.get(network);
        return last == null || nowNanos - last >= intervalNanos;
    }

    /** Records a probe round of {@code network}, started at {@code nowNanos}. */
    public synchronized void probed(IpPrefix network, long nowNanos) {
        lastProbe.put(network, nowNanos);
    }

    /** How long until the first of {@code networks} is due again (0 if one is due now or was never probed). */
    public synchronized long nanosUntilDue(Iterable<IpPrefix> networks, long nowNanos) {
        long soonest = Long.MAX_VALUE;
        for (IpPrefix n : networks) {
            Long last = lastProbe.get(n);
            long wait = last == null ? 0 : Math.max(0, last + intervalNanos - nowNanos);
            soonest = Math.min(soonest, wait);
        }
        return soonest == Long.MAX_VALUE ? intervalNanos : soonest;
    }

    /** Forgets the networks not in {@code current}. */
    public synchronized void retain(Set<IpPrefix> current) {
        lastProbe.keySet().retainAll(current);
    }
}
