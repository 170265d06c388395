package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.RoutingTableBuilder;
import io.wayfinder.routing.TestRoutingTables;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nested endpoints are never probed, yet their status changes are logged like a probed one's:
 * found by comparing each routing table with the previous one, with what the child has left.
 */
class NestedStatusWatchTest {
    /** parent nests kid (one IPv4 and one IPv6 endpoint, both monitored) and has a backup. */
    private static final String CONFIG = """
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: parent
                trafficRoutingMethod: Priority
                profileStatus: %s
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: kid, type: nested, target: child, minChildEndpoints: 1, minChildEndpointsIPv6: 1, endpointStatus: %s}
                  - {name: backup, target: 192.0.2.9}
              - name: child
                trafficRoutingMethod: Priority
                profileStatus: %s
                monitorConfig: {protocol: TCP, port: 80}
                endpoints:
                  - {name: v4, target: 127.0.2.1}
                  - {name: v6, target: "::1"}
            """;

    private final NestedStatusWatch watch = new NestedStatusWatch();
    private RoutingTableBuilder enabled;

    @BeforeEach
    void build() {
        enabled = builder("Enabled");
    }

    private static RoutingTableBuilder builder(String childStatus) {
        return builder("Enabled", "Enabled", childStatus);
    }

    private static RoutingTableBuilder builder(String parentStatus, String kidStatus, String childStatus) {
        return TestRoutingTables.builder(CONFIG.formatted(parentStatus, kidStatus, childStatus));
    }

    private static RoutingTable table(RoutingTableBuilder builder, MonitorStatus v4, MonitorStatus v6) {
        return TestRoutingTables.table(builder, "child/v4=" + v4 + " child/v6=" + v6);
    }

    @Test
    void theStatusesAServerStartsWithAreNotChanges() {
        assertThat(watch.observe(table(enabled, MonitorStatus.CheckingEndpoint, MonitorStatus.CheckingEndpoint))).isEmpty();
    }

    @Test
    void aChildLosingItsOnlyIpv6EndpointDegradesTheNestedEndpointWithTheReason() {
        watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Online));

        assertThat(watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Degraded))).containsExactly(
                "endpoint parent/kid: Online -> Degraded (child profile child: 1 of 2 endpoints available;"
                        + " needs minChildEndpoints 1, IPv6 1 (has 0))");
        assertThat(watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Degraded))).as("no change, no line").isEmpty();
        assertThat(watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Online))).containsExactly(
                "endpoint parent/kid: Degraded -> Online (child profile child: 2 of 2 endpoints available;"
                        + " needs minChildEndpoints 1, IPv6 1 (has 1))");
    }

    @Test
    void checkingChildrenAreCounted() {
        watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Online));

        assertThat(watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.CheckingEndpoint))).containsExactly(
                "endpoint parent/kid: Online -> CheckingEndpoint (child profile child: 1 of 2 endpoints available,"
                        + " 1 being checked; needs minChildEndpoints 1, IPv6 1 (has 0))");
    }

    @Test
    void aChildDisabledByAReloadStopsTheNestedEndpoint() {
        watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Online));

        assertThat(watch.observe(table(builder("Disabled"), MonitorStatus.Online, MonitorStatus.Online))).containsExactly(
                "endpoint parent/kid: Online -> Stopped (child profile child is disabled)");
    }

    @Test
    void aChangeTheParentMadeIsNamedAsSuch() {
        watch.observe(table(enabled, MonitorStatus.Online, MonitorStatus.Online));

        assertThat(watch.observe(table(builder("Enabled", "Disabled", "Enabled"), MonitorStatus.Online, MonitorStatus.Online)))
                .containsExactly("endpoint parent/kid: Online -> Disabled (endpoint disabled)");
        assertThat(watch.observe(table(builder("Disabled", "Disabled", "Enabled"), MonitorStatus.Online, MonitorStatus.Online)))
                .containsExactly("endpoint parent/kid: Disabled -> Inactive (profile disabled)");
    }
}
