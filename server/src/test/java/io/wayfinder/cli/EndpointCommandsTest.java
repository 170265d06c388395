package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import tools.jackson.databind.JsonNode;

/** {@code endpoint list|show|enable|disable|set} against a running server: output shapes, exit codes, merge patches. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class EndpointCommandsTest {
    @AutoClose
    private final ClientServer server;

    EndpointCommandsTest(@TempDir Path dir) throws Exception {
        server = ClientServer.start(dir);
    }

    @Test
    void listPrintsEachEndpointWithWhatItsMethodReads() {
        ClientRun run = server.run("endpoint", "list", "web");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                ENDPOINT   TARGET      STATUS   MONITOR      PRIORITY
                primary    192.0.2.10  Enabled  Unmonitored  1
                secondary  192.0.2.11  Enabled  Unmonitored  2
                """);
    }

    @Test
    void listAsJsonHasTheProfileItsVersionAndTheApisEndpoints() throws Exception {
        JsonNode out = ApiDeployment.JSON.readTree(server.run("endpoint", "list", "web", "-o", "json").out());

        assertThat(out.get("profile").asString()).isEqualTo("web");
        assertThat(out.get("version").asLong()).isEqualTo(1);
        assertThat(out.get("endpoints")).isEqualTo(server.get("/api/v1/profiles/web").get("endpoints"));
    }

    @Test
    void showPrintsTheEndpointsFields() throws Exception {
        ClientRun run = server.run("endpoint", "show", "parent", "us");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("""
                endpoint               parent/us (profile version 3)
                target                 192.0.2.30
                endpointStatus         Enabled
                endpointMonitorStatus  Unmonitored
                endpointLocation       eastus
                """);
        ClientRun json = server.run("endpoint", "show", "parent", "us", "-o", "json");
        assertThat(ApiDeployment.JSON.readTree(json.out())).isEqualTo(server.get("/api/v1/profiles/parent/endpoints/us"));
    }

    @Test
    void disableAndEnableSayWhatChangedAndTheVersions() throws Exception {
        ClientRun disabled = server.run("endpoint", "disable", "web", "primary");
        assertThat(disabled.exitCode()).isZero();
        assertThat(disabled.out()).isEqualTo("""
                endpoint web/primary updated (profile version 1 -> 4)
                  profile web: endpoint primary: endpointStatus Enabled -> Disabled
                """);
        assertThat(server.get("/api/v1/profiles/web/endpoints/primary").get("endpointMonitorStatus").asString())
                .isEqualTo("Disabled");

        ClientRun again = server.run("endpoint", "disable", "web", "PRIMARY");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).isEqualTo("endpoint web/primary unchanged (profile version 4): it already had those values\n");

        ClientRun enabled = server.run("endpoint", "enable", "web", "primary", "-o", "json");
        assertThat(enabled.exitCode()).isZero();
        assertThat(ApiDeployment.JSON.readTree(enabled.out())).isEqualTo(server.get("/api/v1/profiles/web/endpoints/primary"));
    }

    @Test
    void setSendsTheFieldsAsOneMergePatch() throws Exception {
        ClientRun run = server.run("endpoint", "set", "parent", "us", "endpointStatus=Disabled", "target=192.0.2.31",
                "subnets=[10.1.0.0/16]");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                endpoint parent/us updated (profile version 3 -> 4)
                  profile parent: endpoint us: target 192.0.2.30 -> 192.0.2.31
                  profile parent: endpoint us: endpointStatus Enabled -> Disabled
                  profile parent: endpoint us: subnets [] -> [10.1.0.0/16]
                """);
        JsonNode us = server.get("/api/v1/profiles/parent/endpoints/us");
        assertThat(us.get("target").asString()).isEqualTo("192.0.2.31");
        assertThat(us.get("endpointLocation").asString()).isEqualTo("eastus"); // not named: kept

        ClientRun reset = server.run("endpoint", "set", "parent", "us", "subnets=null", "endpointStatus=null");
        assertThat(reset.exitCode()).isZero();
        assertThat(server.get("/api/v1/profiles/parent/endpoints/us").has("subnets")).isFalse();
    }

    @Test
    void setReadsNumbersAsNumbers() throws Exception {
        server.run("profile", "delete", "parent");
        ClientRun run = server.run("endpoint", "set", "web", "secondary", "priority=5");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(server.get("/api/v1/profiles/web/endpoints/secondary").get("priority").asInt()).isEqualTo(5);
    }

    @Test
    void setOfAnUnknownFieldOrABadValueExits2WithTheServersErrors() throws Exception {
        long revision = server.revision();

        ClientRun unknown = server.run("endpoint", "set", "web", "primary", "wieght=5", "priority=0");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().lines()).hasSize(3);
        assertThat(unknown.err()).contains("400 Bad Request").contains("  profile web, endpoints[0].wieght: ")
                .contains("  profile web, endpoints[0].priority: ");
        assertThat(server.revision()).isEqualTo(revision);
    }

    @Test
    void anUnknownEndpointOrABadAssignmentExits2AndSendsNothing() throws Exception {
        long revision = server.revision();

        ClientRun unknown = server.run("endpoint", "disable", "web", "tertiary");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("profile web has no endpoint named 'tertiary'; its endpoints: primary, secondary\n");

        ClientRun noValue = server.run("endpoint", "set", "web", "primary", "weight=");
        assertThat(noValue.exitCode()).isEqualTo(2);
        assertThat(noValue.err()).isEqualTo("weight= has no value (weight=null puts it back to its default)\n");

        ClientRun noKey = server.run("endpoint", "set", "web", "primary", "5");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).isEqualTo("5: not KEY=VALUE (such as weight=5)\n");

        ClientRun none = server.run("endpoint", "set", "web", "primary");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(server.revision()).isEqualTo(revision);
    }

    @Test
    void theEditCommandsSayWhatHappensWhenSomeoneElseChangedTheProfile() {
        for (String command : new String[] {"enable", "disable", "set"}) {
            ClientRun help = ClientRun.of("endpoint", command, "--help");
            assertThat(help.out().replaceAll("\\s+", " ")).contains("If the profile was changed by someone else since it was"
                    + " read, the server refuses (412, exit 2) and nothing changes: run again.");
        }
    }
}
