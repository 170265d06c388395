package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import io.wayfinder.profile.read.ProfileTreeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import tools.jackson.databind.JsonNode;

/** {@code profile list|show|create|update|delete} against a running server: output shapes and exit codes. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class ProfileCommandsTest {
    private static final String SHOP = """
            name: shop
            trafficRoutingMethod: Weighted
            dnsConfig: {relativeName: shop}
            endpoints:
              - {name: a, target: 192.0.2.40}
              - {name: b, target: 192.0.2.41, weight: 3}
            """;

    private final Path dir;
    @AutoClose
    private final ClientServer server;

    ProfileCommandsTest(@TempDir Path dir) throws Exception {
        this.dir = dir;
        this.server = ClientServer.start(dir);
    }

    @Test
    void listPrintsARowPerProfile() {
        ClientRun run = server.run("profile", "list");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).hasSize(4);
        assertThat(run.out().lines().findFirst()).hasValue("NAME    METHOD       STATUS   MONITOR  DNS NAME         TTL  ENDPOINTS  VERSION");
        assertThat(run.out()).contains("web     Priority     Enabled  Online   www.app.test     5    2          1");
        assertThat(run.out()).contains("parent  Performance  Enabled");
    }

    @Test
    void listAsJsonIsTheApisList() throws Exception {
        ClientRun run = server.run("profile", "list", "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(ApiDeployment.JSON.readTree(run.out())).isEqualTo(server.get("/api/v1/profiles"));
    }

    @Test
    void showPrintsTheSettingsAndTheEndpoints() {
        ClientRun run = server.run("profile", "show", "parent");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("""
                profile   parent (version 3)
                dns name  parent.app.test (TTL 30)
                method    Performance
                status    Enabled, Online
                monitor   none: endpoints are not probed (Unmonitored)

                ENDPOINT  TARGET      STATUS   MONITOR      LOCATION
                child     profile eu  Enabled  Online       westeurope
                us        192.0.2.30  Enabled  Unmonitored  eastus
                """);
    }

    @Test
    void showAsYamlOrJsonIsTheApisRepresentation() throws Exception {
        JsonNode api = server.get("/api/v1/profiles/web");

        ClientRun json = server.run("profile", "show", "web", "-o", "json");
        ClientRun yaml = server.run("profile", "show", "web", "-o", "yaml");

        assertThat(ApiDeployment.JSON.readTree(json.out())).isEqualTo(api);
        assertThat(ProfileTreeReader.parseYaml(yaml.out())).isEqualTo(api);
    }

    @Test
    void showOfAnUnknownProfileExits2WithTheApisMessage() {
        ClientRun run = server.run("profile", "show", "nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("GET /api/v1/profiles/nope: 404 Not Found: no profile is named 'nope'\n");
    }

    @Test
    void createTakesAFileOrStdinAndRefusesAProfileThatExists() throws Exception {
        Path file = Files.writeString(dir.resolve("shop.yaml"), SHOP);

        ClientRun created = server.run("profile", "create", "-f", file.toString());
        assertThat(created.exitCode()).isZero();
        assertThat(created.out()).isEqualTo("profile shop created (version 4)\n");
        assertThat(server.get("/api/v1/profiles/shop").get("endpoints").get(1).get("weight").asInt()).isEqualTo(3);

        ClientRun again = server.runWithStdin(SHOP, "profile", "create", "-f", "-");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("412 Precondition Failed").contains("profile shop exists; change it with: profile update -f -");

        ClientRun asList = server.runWithStdin("profiles:\n  - " + SHOP.replace("\n", "\n    ").replace("shop", "shop2").strip()
                + "\n", "profile", "create", "-f", "-", "-o", "json");
        assertThat(asList.exitCode()).as(asList.err()).isZero();
        assertThat(ApiDeployment.JSON.readTree(asList.out()).get("name").asString()).isEqualTo("shop2");
    }

    @Test
    void aFilesErrorsArePrintedEachWithItsPathBeforeAnythingIsSent() throws Exception {
        long revision = server.revision();
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                profiles:
                  - name: shop
                    trafficRoutingMethod: Weighted
                    dnsConfig: {relativeName: shop, ttl: -1}
                    endpoints:
                      - {name: a, target: 192.0.2.40, weight: many}
                """);

        ClientRun run = server.run("profile", "create", "-f", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly(file + ": 2 error(s)",
                "  profiles[0].dnsConfig.ttl: must be between 0 and 2147483647, not -1",
                "  profiles[0].endpoints[0].weight: must be a whole number, not 'many'");
        assertThat(server.revision()).isEqualTo(revision);
    }

    @Test
    void theServersErrorsArePrintedOnePerLineWithProfileAndPath() throws Exception {
        Path file = Files.writeString(dir.resolve("shop.yaml"), SHOP.replace("192.0.2.41", "eu").replace("Weighted", "Performance"));

        ClientRun run = server.run("profile", "create", "-f", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines().findFirst()).hasValue("PUT /api/v1/profiles/shop: 400 Bad Request: the profiles would not be a valid configuration");
        assertThat(run.err().lines().skip(1)).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("  profile shop, endpoints["));
    }

    @Test
    void updateWithWhatShowPrintedRoundTripsAndSaysWhenNothingChanged() throws Exception {
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, server.run("profile", "show", "web", "-o", "yaml").out());

        ClientRun same = server.run("profile", "update", "-f", file.toString());
        assertThat(same.exitCode()).isZero();
        assertThat(same.out()).isEqualTo("profile web unchanged (version 1): the server has it as the file says\n");

        Files.writeString(file, Files.readString(file).replace("ttl: 5", "ttl: 60"));
        ClientRun changed = server.run("profile", "update", "-f", file.toString());
        assertThat(changed.exitCode()).isZero();
        assertThat(changed.out()).isEqualTo("profile web updated (version 1 -> 4)\n");
        assertThat(server.get("/api/v1/profiles/web").get("dnsConfig").get("ttl").asInt()).isEqualTo(60);
    }

    @Test
    void updateFromAFileReadBeforeSomeoneElsesChangeIsRefused() throws Exception {
        // Two operators: one saves the profile to edit it, the other disables an endpoint meanwhile.
        Path file = dir.resolve("web.yaml");
        Files.writeString(file, server.run("profile", "show", "web", "-o", "yaml").out());
        assertThat(server.run("endpoint", "disable", "web", "secondary").exitCode()).isZero();
        Files.writeString(file, Files.readString(file).replace("ttl: 5", "ttl: 60"));

        ClientRun run = server.run("profile", "update", "-f", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("412 Precondition Failed")
                .contains("profile web was changed by someone else (or deleted) since version 1, the one in " + file
                        + ", was read; nothing was changed. Show it again, redo the edit and update");
        JsonNode web = server.get("/api/v1/profiles/web");
        assertThat(web.get("dnsConfig").get("ttl").asInt()).isEqualTo(5);
        assertThat(web.get("endpoints").get(1).get("endpointStatus").asString()).isEqualTo("Disabled");
    }

    @Test
    void updateOfAFileWithoutVersionReadsTheVersionFirst() throws Exception {
        Path file = Files.writeString(dir.resolve("eu.yaml"), """
                {"name": "eu", "trafficRoutingMethod": "Priority", "dnsConfig": {"relativeName": "eu"},
                 "endpoints": [{"name": "only", "target": "192.0.2.21"}]}
                """);

        ClientRun run = server.run("profile", "update", "-f", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("profile eu updated (version 2 -> 4)\n");

        ClientRun missing = server.run("profile", "update", "-f", Files.writeString(dir.resolve("x.yaml"),
                SHOP).toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("404 Not Found").contains("create it with: profile create -f ");
    }

    @Test
    void deleteRemovesAProfileUnlessAnotherNestsIt() throws Exception {
        ClientRun nested = server.run("profile", "delete", "eu");
        assertThat(nested.exitCode()).isEqualTo(2);
        assertThat(nested.err()).contains("400 Bad Request")
                .contains("  profile parent, endpoints[0].target: ");

        ClientRun run = server.run("profile", "delete", "web");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("profile web deleted\n");
        assertThat(server.get("/api/v1/profiles").get("profiles")).hasSize(2);
    }

    @Test
    void aReaderTokenCannotWrite() throws Exception {
        ClientRun run = server.runAs(ApiDeployment.READER, "profile", "delete", "web");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("403 Forbidden").doesNotContain(ApiDeployment.READER);
    }
}
