package io.wayfinder.runtime;

import static io.wayfinder.runtime.DnsServerIntegrationTest.addresses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** Editing the configuration of a running server changes its answers; a bad edit changes nothing. */
class ConfigReloadIntegrationTest {

    @Test
    void disablingAnEndpointMovesItsClientsAndABadEditKeepsTheRunningConfiguration(@TempDir Path dir) throws Exception {
        try (TestDeployment deployment = TestDeployment.start(dir)) {
            assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.10");

            String disabled = TestDeployment.config().replace(
                    "{name: eu, target: 192.0.2.10, endpointLocation: westeurope}",
                    "{name: eu, target: 192.0.2.10, endpointLocation: westeurope, endpointStatus: Disabled}");
            deployment.rewriteConfig(disabled);
            // Next fastest for London is northeurope: the nested web-eu profile, whose primary answers.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false)))
                            .containsExactly("192.0.2.20"));

            deployment.rewriteConfig(disabled.replace("trafficRoutingMethod: Performance", "trafficRoutingMethod: Fastest"));
            await().atMost(Duration.ofSeconds(10)).until(() -> deployment.server.rejectedReloads() == 1);
            assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.20");

            deployment.rewriteConfig(disabled);
            await().atMost(Duration.ofSeconds(10)).until(() -> deployment.server.reloads() == 2);

            // Editing a data file reloads too: with northeurope now slow, London's next fastest is eastus.
            Files.writeString(dir.resolve("latency.csv"), TestDeployment.LATENCY.replace(
                    "81.2.69.0/24,northeurope,12,20", "81.2.69.0/24,northeurope,300,20"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(addresses(deployment.ask("www.app.test", Type.AAAA, "81.2.69.0/24", false)))
                            .containsExactly("2001:db8:0:0:0:0:0:10"));
        }
    }
}
