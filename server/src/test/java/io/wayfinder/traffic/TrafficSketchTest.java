package io.wayfinder.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One event loop's interval counts: Space-Saving in sets of eight slots. */
class TrafficSketchTest {
    private static final long LONDON = NetworkKey.of(IpPrefix.parse("81.2.69.0/24"));
    private static final long SEATTLE = NetworkKey.of(IpPrefix.parse("216.160.83.0/24"));

    @Test
    void countsEachNetworkOfAProfileInOneSlot() {
        TrafficSketch s = new TrafficSketch(16);
        for (int i = 0; i < 5; i++) {
            s.record(LONDON, "web", false, 0, 0, "eu", "westeurope", 124);
        }
        s.record(LONDON, "api", false, 0, 0, "eu", "westeurope", -1);
        s.record(SEATTLE, "web", false, 0, 0, "us", "eastus", 700);
        assertThat(slot(s, LONDON, "web")).satisfies(i -> {
            assertThat(s.counts[i]).isEqualTo(5);
            assertThat(s.errors[i]).isZero();
            assertThat(s.rttTenths[i]).isEqualTo(5 * 124);
            assertThat(s.rttCounts[i]).isEqualTo(5);
            assertThat(s.endpoints[i]).isEqualTo("eu");
            assertThat(s.regions[i]).isEqualTo("westeurope");
        });
        assertThat(s.counts[slot(s, LONDON, "api")]).isEqualTo(1);
        assertThat(s.rttCounts[slot(s, LONDON, "api")]).isZero();
        assertThat(s.counts[slot(s, SEATTLE, "web")]).isEqualTo(1);
        assertThat(s.queries).isEqualTo(7);
        assertThat(s.replacements).isZero();
    }

    @Test
    void aProfileNamedByAnotherStringOfTheSameTextIsTheSameProfile() {
        TrafficSketch s = new TrafficSketch(16);
        s.record(LONDON, "web", false, 0, 0, null, null, -1);
        s.record(LONDON, new String("web"), false, 0, 0, null, null, -1); // a reload's copy of the name
        assertThat(s.counts[slot(s, LONDON, "web")]).isEqualTo(2);
    }

    @Test
    void keepsTheLastEndpointAndIgnoresAnswersWithoutOne() {
        TrafficSketch s = new TrafficSketch(16);
        s.record(LONDON, "web", false, 0, 0, "eu", "westeurope", -1);
        s.record(LONDON, "web", false, 0, 0, "eu-failover", "northeurope", -1);
        s.record(LONDON, "web", false, 0, 0, null, null, -1); // NXDOMAIN: nothing enabled
        int i = slot(s, LONDON, "web");
        assertThat(s.endpoints[i]).isEqualTo("eu-failover");
        assertThat(s.regions[i]).isEqualTo("northeurope");
    }

    @Test
    void aResolversAddressBeatsAnEcsNetworkAndTheLastOneStays() {
        TrafficSketch s = new TrafficSketch(16);
        s.record(LONDON, "web", false, 0, 0x5102_4507L, null, null, -1);
        int i = slot(s, LONDON, "web");
        assertThat(s.addressKinds[i]).isEqualTo(TrafficSketch.ECS_NETWORK);
        s.record(LONDON, "web", true, 0, 0x5102_4535L, null, null, -1);
        s.record(LONDON, "web", false, 0, 0x5102_4508L, null, null, -1);
        assertThat(s.addressKinds[i]).isEqualTo(TrafficSketch.RESOLVER);
        assertThat(s.addressLo[i]).isEqualTo(0x5102_4535L);
        s.record(LONDON, "web", true, 0, 0x5102_4536L, null, null, -1);
        assertThat(s.addressLo[i]).isEqualTo(0x5102_4536L);
    }

    /**
     * Space-Saving's promise, per set: every count overestimates by at most its error, and a key
     * more frequent than the set's share of the stream is kept. One set of eight: three heavy
     * networks among a thousand that query once.
     */
    @Test
    void heavyNetworksSurviveAStreamOfOneOffsWithBoundedError() {
        TrafficSketch s = new TrafficSketch(1);
        SplittableRandom random = new SplittableRandom(7);
        Map<Long, Integer> truth = new HashMap<>();
        long[] heavy = {LONDON, SEATTLE, NetworkKey.of(IpPrefix.parse("1.0.16.0/24"))};
        for (int i = 0; i < 3000; i++) {
            long key = i % 3 == 0 ? NetworkKey.of(IpPrefix.ofIpv4(0x0A00_0000 | (i << 8), 24)) : heavy[random.nextInt(3)];
            truth.merge(key, 1, Integer::sum);
            s.record(key, "web", false, 0, 0, null, null, -1);
        }
        for (long h : heavy) {
            int i = slot(s, h, "web");
            assertThat(i).as("a heavy network is kept").isNotNegative();
        }
        for (int i = 0; i < s.slots(); i++) {
            int actual = truth.get(s.networks[i]);
            assertThat(s.counts[i]).isGreaterThanOrEqualTo(actual);
            assertThat(s.counts[i] - s.errors[i]).isLessThanOrEqualTo(actual);
        }
        assertThat(s.replacements).isPositive();
        long sum = 0;
        for (int c : s.counts) {
            sum += c;
        }
        assertThat(sum).as("each query adds one to one count").isEqualTo(3000);
    }

    @Test
    void clearFreesEverySlot() {
        TrafficSketch s = new TrafficSketch(2);
        s.record(LONDON, "web", false, 0, 0, "eu", "westeurope", 10);
        s.clear();
        assertThat(s.profiles).containsOnlyNulls();
        assertThat(s.queries).isZero();
        s.record(SEATTLE, "web", false, 0, 0, null, null, -1);
        assertThat(s.counts[slot(s, SEATTLE, "web")]).isEqualTo(1);
        assertThat(s.endpoints[slot(s, SEATTLE, "web")]).isNull();
    }

    static int slot(TrafficSketch s, long network, String profile) {
        for (int i = 0; i < s.slots(); i++) {
            if (s.profiles[i] != null && s.networks[i] == network && s.profiles[i].equals(profile)) {
                return i;
            }
        }
        return -1;
    }
}
