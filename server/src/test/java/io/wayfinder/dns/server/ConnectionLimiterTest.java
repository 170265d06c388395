package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionLimiterTest {
    @Test
    void aClientGetsItsLimitThenIsRefusedPerAddress() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1");

        Object first = limiter.acquire(a);
        Object second = limiter.acquire(a);

        assertThat(first).isNotInstanceOf(TcpStats.Refusal.class);
        assertThat(second).isNotInstanceOf(TcpStats.Refusal.class);
        assertThat(limiter.acquire(a)).isEqualTo(TcpStats.Refusal.PER_ADDRESS);
        assertThat(limiter.acquire(InetAddress.getByName("192.0.2.2"))).isNotInstanceOf(TcpStats.Refusal.class);
    }

    @Test
    void aReleasedSlotCanBeTakenAgain() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(100, 1);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        Object slot = limiter.acquire(a);

        limiter.release(slot);

        assertThat(limiter.acquire(a)).isNotInstanceOf(TcpStats.Refusal.class);
    }

    @Test
    void theGlobalLimitCountsEveryClient() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(3, 16);
        for (int i = 1; i <= 3; i++) {
            assertThat(limiter.acquire(InetAddress.getByName("192.0.2." + i))).isNotInstanceOf(TcpStats.Refusal.class);
        }

        assertThat(limiter.acquire(InetAddress.getByName("192.0.2.9"))).isEqualTo(TcpStats.Refusal.GLOBAL);
    }

    @Test
    void aRefusalPerAddressGivesBackItsGlobalSlot() throws UnknownHostException {
        ConnectionLimiter limiter = new ConnectionLimiter(2, 1);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        limiter.acquire(a);
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire(a)).isEqualTo(TcpStats.Refusal.PER_ADDRESS);
        }

        assertThat(limiter.acquire(InetAddress.getByName("192.0.2.2"))).isNotInstanceOf(TcpStats.Refusal.class);
    }

    @ParameterizedTest(name = "{0} and {1}: same client {2}")
    @CsvSource({
        "2001:db8:1:2::1, 2001:db8:1:2:ffff::9, true",   // one /64: one host
        "2001:db8:1:2::1, 2001:db8:1:3::1,      false",
        "192.0.2.1,       192.0.2.1,            true",
        "192.0.2.1,       192.0.2.2,            false",
        "0.0.0.1,         ::1,                  false",  // an IPv4 key never equals an IPv6 one
    })
    void aClientIsAnIpv4AddressOrAnIpv6Slash64(String a, String b, boolean same) throws UnknownHostException {
        Object ka = ConnectionLimiter.key(InetAddress.getByName(a));
        Object kb = ConnectionLimiter.key(InetAddress.getByName(b));

        assertThat(ka.equals(kb)).isEqualTo(same);
    }
}
