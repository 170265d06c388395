package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.health.StatusChange;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.TestRoutingTables;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every change of an endpoint's effective status is logged with its cause: the probe result for a
 * probed endpoint, what the child profile has left for a nested one (never probed), and the edit for
 * a configuration change.
 */
class StatusLogTest {
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

    private static final RoutingPlan ENABLED = plan("Enabled", "Enabled", "Enabled");

    private static RoutingPlan plan(String parentStatus, String kidStatus, String childStatus) {
        return TestRoutingTables.plan(CONFIG.formatted(parentStatus, kidStatus, childStatus));
    }

    private static RoutingTable table(RoutingPlan plan, MonitorStatus v4, MonitorStatus v6) {
        return TestRoutingTables.table(plan, "child/v4=" + v4 + " child/v6=" + v6);
    }

    /** The probe result that took child/v6 from one status to another. */
    private static List<StatusChange> v6(MonitorStatus from, MonitorStatus to, String reason) {
        return List.of(new StatusChange(1, 1, "child", "v6", from, to, reason));
    }

    @Test
    void theStatusesAServerStartsWithAreNotChanges() {
        assertThat(StatusLog.compare(null, table(ENABLED, MonitorStatus.CheckingEndpoint, MonitorStatus.CheckingEndpoint),
                StatusLog.Cause.CONFIGURATION, List.of())).isEmpty();
    }

    @Test
    void aProbeResultIsTheReasonOfTheProbedEndpointAndTheChildsCountOfTheNestedOne() {
        RoutingTable up = table(ENABLED, MonitorStatus.Online, MonitorStatus.Online);
        RoutingTable down = table(ENABLED, MonitorStatus.Online, MonitorStatus.Degraded);

        assertThat(StatusLog.compare(up, down, StatusLog.Cause.PROBE,
                v6(MonitorStatus.Online, MonitorStatus.Degraded, "connection refused"))).containsExactly(
                "endpoint parent/kid: Online -> Degraded (child profile child: 1 of 2 endpoints available;"
                        + " needs minChildEndpoints 1, IPv6 1 (has 0))",
                "endpoint child/v6: Online -> Degraded (connection refused)");
        assertThat(StatusLog.compare(down, down, StatusLog.Cause.PROBE, List.of())).as("no change, no line").isEmpty();
        assertThat(StatusLog.compare(down, up, StatusLog.Cause.PROBE,
                v6(MonitorStatus.Degraded, MonitorStatus.Online, "TCP connect in 1 ms"))).containsExactly(
                "endpoint parent/kid: Degraded -> Online (child profile child: 2 of 2 endpoints available;"
                        + " needs minChildEndpoints 1, IPv6 1 (has 1))",
                "endpoint child/v6: Degraded -> Online (TCP connect in 1 ms)");
    }

    @Test
    void checkingChildrenAreCounted() {
        assertThat(StatusLog.compare(table(ENABLED, MonitorStatus.Online, MonitorStatus.Online),
                table(ENABLED, MonitorStatus.Online, MonitorStatus.CheckingEndpoint), StatusLog.Cause.PROBE,
                v6(MonitorStatus.Online, MonitorStatus.CheckingEndpoint, "target changed"))).startsWith(
                "endpoint parent/kid: Online -> CheckingEndpoint (child profile child: 1 of 2 endpoints available,"
                        + " 1 being checked; needs minChildEndpoints 1, IPv6 1 (has 0))");
    }

    @Test
    void editsAreNamedAsTheConfigurationsDoing() {
        RoutingTable before = table(ENABLED, MonitorStatus.Online, MonitorStatus.Online);

        assertThat(StatusLog.compare(before, table(plan("Enabled", "Enabled", "Disabled"), MonitorStatus.Online,
                MonitorStatus.Online), StatusLog.Cause.CONFIGURATION, List.of())).containsExactly(
                "endpoint parent/kid: Online -> Stopped (configuration; child profile child is disabled)",
                "endpoint child/v4: Online -> Inactive (configuration: profile disabled)",
                "endpoint child/v6: Online -> Inactive (configuration: profile disabled)");
        assertThat(StatusLog.compare(before, table(plan("Enabled", "Disabled", "Enabled"), MonitorStatus.Online,
                MonitorStatus.Online), StatusLog.Cause.CONFIGURATION, List.of()))
                .containsExactly("endpoint parent/kid: Online -> Disabled (configuration: endpoint disabled)");
        assertThat(StatusLog.compare(before, table(plan("Disabled", "Enabled", "Enabled"), MonitorStatus.Online,
                MonitorStatus.Online), StatusLog.Cause.CONFIGURATION, List.of())).containsExactly(
                "endpoint parent/kid: Online -> Inactive (configuration: profile disabled)",
                "endpoint parent/backup: Unmonitored -> Inactive (configuration: profile disabled)");
    }
}
