package io.wayfinder.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProbeIntervalsTest {
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final IpPrefix A = IpPrefix.parse("81.2.69.0/24");
    private static final IpPrefix B = IpPrefix.parse("2001:db8::/48");

    @Test
    void aNetworkIsDueOncePerInterval() {
        ProbeIntervals intervals = new ProbeIntervals(5 * MINUTE);
        long t = 100 * MINUTE;
        assertThat(intervals.due(A, t)).as("never probed").isTrue();
        intervals.probed(A, t);
        assertThat(intervals.due(A, t)).isFalse();
        assertThat(intervals.due(A, t + 5 * MINUTE - 1)).isFalse();
        assertThat(intervals.due(A, t + 5 * MINUTE)).isTrue();
        assertThat(intervals.due(B, t)).as("networks apart").isTrue();
    }

    @Test
    void theWaitIsUntilTheFirstNetworkIsDue() {
        ProbeIntervals intervals = new ProbeIntervals(5 * MINUTE);
        intervals.probed(A, 0);
        intervals.probed(B, 2 * MINUTE);
        assertThat(intervals.nanosUntilDue(List.of(A, B), 3 * MINUTE)).isEqualTo(2 * MINUTE);
        assertThat(intervals.nanosUntilDue(List.of(B), 3 * MINUTE)).isEqualTo(4 * MINUTE);
    }

    @Test
    void networksThatLeaveTheTargetsAreForgotten() {
        ProbeIntervals intervals = new ProbeIntervals(5 * MINUTE);
        intervals.probed(A, 0);
        intervals.probed(B, 0);
        intervals.retain(Set.of(B));
        assertThat(intervals.due(A, 0)).isTrue();
        assertThat(intervals.due(B, 0)).isFalse();
    }
}
