package io.wayfinder.beacon;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.api.Test;

class AddressRateLimiterTest {
    static final long SECOND = 1_000_000_000L;

    static byte[] ip(String text) {
        return IpPrefix.parseAddress(text);
    }

    @Test
    void aBurstThenOneTokenPerIntervalWithTheWaitSaid() {
        AddressRateLimiter limiter = new AddressRateLimiter(6, 3, 1000); // one token every 10 s
        long t = 5 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(ip("192.0.2.1"), t)).as("post " + i).isZero();
        }
        assertThat(limiter.acquire(ip("192.0.2.1"), t)).isEqualTo(10);
        assertThat(limiter.acquire(ip("192.0.2.1"), t + 4 * SECOND)).as("refused posts take no token").isEqualTo(6);
        assertThat(limiter.acquire(ip("192.0.2.1"), t + 10 * SECOND)).isZero();
        assertThat(limiter.acquire(ip("192.0.2.1"), t + 10 * SECOND)).isEqualTo(10);
        // A long quiet spell refills the bucket to the burst, not beyond.
        long later = t + 3600 * SECOND;
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(ip("192.0.2.1"), later)).isZero();
        }
        assertThat(limiter.acquire(ip("192.0.2.1"), later)).isPositive();
    }

    @Test
    void addressesAreCountedApartAndAnIpv6Slash64IsOneAddress() {
        AddressRateLimiter limiter = new AddressRateLimiter(1, 1, 1000);
        assertThat(limiter.acquire(ip("192.0.2.1"), 0)).isZero();
        assertThat(limiter.acquire(ip("192.0.2.1"), 0)).isPositive();
        assertThat(limiter.acquire(ip("192.0.2.2"), 0)).isZero();
        assertThat(limiter.acquire(ip("2001:db8:0:1::1"), 0)).isZero();
        assertThat(limiter.acquire(ip("2001:db8:0:1:ffff::9"), 0)).as("the same /64").isPositive();
        assertThat(limiter.acquire(ip("2001:db8:0:2::1"), 0)).as("another /64").isZero();
        assertThat(limiter.acquire(ip("0.0.0.0"), 0)).as("never the same as an IPv6 /64").isZero();
        assertThat(limiter.acquire(ip("ffff:ffff:ffff:ffff::"), 0)).isZero();
    }

    @Test
    void memoryIsBoundedAndAFloodOnlyMakesItForget() {
        AddressRateLimiter limiter = new AddressRateLimiter(1, 1, 160);
        assertThat(limiter.capacity()).isEqualTo(160);
        assertThat(limiter.acquire(ip("192.0.2.1"), 0)).isZero();
        assertThat(limiter.acquire(ip("192.0.2.1"), 0)).isPositive();
        for (int i = 0; i < 100_000; i++) {
            limiter.acquire(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, 0);
        }
        assertThat(limiter.tracked()).isLessThanOrEqualTo(160);
        // Evicted: it starts again with a full bucket (its burst), as if it had been quiet.
        assertThat(limiter.acquire(ip("192.0.2.1"), 0)).isZero();
        assertThat(limiter.acquire(ip("192.0.2.1"), 0)).isPositive();
    }
}
