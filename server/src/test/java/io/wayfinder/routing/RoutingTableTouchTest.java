package io.wayfinder.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RoutingTable#readsRow}: true exactly when routing through the profile may read the
 * client's latency row: a Performance choice with something to compare, in the profile or a nested
 * one it can answer through, for a client of /24 or longer. {@link RoutingTable#touch} reads it.
 */
class RoutingTableTouchTest {
    private static final RoutingTable TABLE = RoutingTestWorld.profiles("""
            - name: web
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: www}
              endpoints:
                - {name: eu, target: 192.0.2.1, endpointLocation: westeurope}
                - {name: us, target: 192.0.2.2, endpointLocation: eastus}
            - name: one
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: one}
              endpoints:
                - {name: only, target: 192.0.2.3, endpointLocation: westeurope}
            - name: left-one
              trafficRoutingMethod: Performance
              dnsConfig: {relativeName: left-one}
              endpoints:
                - {name: eu, target: 192.0.2.4, endpointLocation: westeurope}
                - {name: us, target: 192.0.2.5, endpointLocation: eastus}
            - name: off
              trafficRoutingMethod: Performance
              profileStatus: Disabled
              dnsConfig: {relativeName: off}
              endpoints:
                - {name: eu, target: 192.0.2.6, endpointLocation: westeurope}
                - {name: us, target: 192.0.2.7, endpointLocation: eastus}
            - name: split
              trafficRoutingMethod: Weighted
              dnsConfig: {relativeName: split}
              endpoints:
                - {name: a, target: 192.0.2.8, weight: 1}
                - {name: b, target: 192.0.2.9, weight: 3}
            - name: outer
              trafficRoutingMethod: Weighted
              dnsConfig: {relativeName: outer}
              endpoints:
                - {name: a, target: 192.0.2.10, weight: 1}
                - {name: web, type: nested, target: web, weight: 1}
            - name: outer-one
              trafficRoutingMethod: Priority
              dnsConfig: {relativeName: outer-one}
              endpoints:
                - {name: one, type: nested, target: one, priority: 1}
            """)
            .directIndexFrom(0)
            .latency("81.2.69.0/24", "westeurope", 10)
            .latency("81.2.69.0/24", "eastus", 80)
            .health("left-one", "us", MonitorStatus.Stopped)
            .build();
    private static final int CLIENT = IpPrefix.parse("81.2.69.7/32").ipv4();

    @Test
    void touchReadsTheEstimatorsRow() {
        assertThat(TABLE.touch(CLIENT)).as("the settled row's first figure").isNotZero().isEqualTo(TABLE.estimator().touch(CLIENT));
    }

    @ParameterizedTest(name = "{0}, client /{1}: reads the row: {2}")
    @CsvSource({
        "web, 32, true",
        "web, 24, true",
        "web, 23, false",      // the estimator's first read is then an interval search, not the row
        "web, 0, false",
        "one, 32, false",      // one endpoint: the same answer for every client
        "left-one, 32, false", // one of two left by health
        "off, 32, false",      // NXDOMAIN before any method runs
        "split, 32, false",
        "outer, 32, true",     // through the nested Performance profile
        "outer-one, 32, false",
    })
    void readsTheRowExactlyWhenRoutingMayReadIt(String profile, int length, boolean reads) {
        assertThat(TABLE.readsRow(TABLE.profile(profile).index(), length)).isEqualTo(reads);
    }
}
