package io.wayfinder.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnectionSlotsTest {
    @Test
    void aClientGetsItsLimitThenIsRefusedPerAddress() throws UnknownHostException {
        ConnectionSlots slots = new ConnectionSlots(100, 2);
        InetAddress a = InetAddress.getByName("192.0.2.1");

        Object first = slots.acquire(a);
        Object second = slots.acquire(a);

        assertThat(first).isNotInstanceOf(ConnectionSlots.Refusal.class);
        assertThat(second).isNotInstanceOf(ConnectionSlots.Refusal.class);
        assertThat(slots.acquire(a)).isEqualTo(ConnectionSlots.Refusal.PER_ADDRESS);
        assertThat(slots.acquire(InetAddress.getByName("192.0.2.2"))).isNotInstanceOf(ConnectionSlots.Refusal.class);
    }

    @ParameterizedTest(name = "{0} of 8 open: crowded {1}")
    @CsvSource({"1, false", "4, false", "5, true", "8, true"})
    void crowdedWhenMoreThanHalfTheSlotsAreTaken(int open, boolean crowded) throws UnknownHostException {
        ConnectionSlots slots = new ConnectionSlots(8, 8);
        for (int i = 0; i < open; i++) {
            slots.acquire(InetAddress.getByName("192.0.2.1"));
        }
        assertThat(slots.crowded()).isEqualTo(crowded);
    }

    @Test
    void aReleasedSlotCanBeTakenAgain() throws UnknownHostException {
        ConnectionSlots slots = new ConnectionSlots(100, 1);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        Object slot = slots.acquire(a);

        slots.release(slot);

        assertThat(slots.acquire(a)).isNotInstanceOf(ConnectionSlots.Refusal.class);
    }

    @Test
    void theGlobalLimitCountsEveryClient() throws UnknownHostException {
        ConnectionSlots slots = new ConnectionSlots(3, 16);
        for (int i = 1; i <= 3; i++) {
            assertThat(slots.acquire(InetAddress.getByName("192.0.2." + i))).isNotInstanceOf(ConnectionSlots.Refusal.class);
        }

        assertThat(slots.acquire(InetAddress.getByName("192.0.2.9"))).isEqualTo(ConnectionSlots.Refusal.GLOBAL);
    }

    @Test
    void aRefusalPerAddressGivesBackItsGlobalSlot() throws UnknownHostException {
        ConnectionSlots slots = new ConnectionSlots(2, 1);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        slots.acquire(a);
        for (int i = 0; i < 10; i++) {
            assertThat(slots.acquire(a)).isEqualTo(ConnectionSlots.Refusal.PER_ADDRESS);
        }

        assertThat(slots.acquire(InetAddress.getByName("192.0.2.2"))).isNotInstanceOf(ConnectionSlots.Refusal.class);
    }

    @Test
    void aGlobalOnlySlotIgnoresThePerAddressLimitButCountsGlobally() throws UnknownHostException {
        ConnectionSlots slots = new ConnectionSlots(3, 1);
        Object proxied = slots.acquireGlobalOnly();
        Object again = slots.acquireGlobalOnly();
        assertThat(slots.acquire(InetAddress.getByName("192.0.2.1"))).isNotInstanceOf(ConnectionSlots.Refusal.class);

        assertThat(slots.acquireGlobalOnly()).isEqualTo(ConnectionSlots.Refusal.GLOBAL);
        slots.release(proxied);
        slots.release(again);
        assertThat(slots.open()).isEqualTo(1);
        assertThat(slots.acquire(InetAddress.getByName("192.0.2.2"))).as("per-address counts untouched by the releases")
                .isNotInstanceOf(ConnectionSlots.Refusal.class);
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
        Object ka = ConnectionSlots.key(InetAddress.getByName(a));
        Object kb = ConnectionSlots.key(InetAddress.getByName(b));

        assertThat(ka.equals(kb)).isEqualTo(same);
    }
}
