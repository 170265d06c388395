package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import tools.jackson.databind.JsonNode;

/** {@code export} and {@code apply [--dry-run]} against a running server: the round trip, the diff, the order of writes. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class ApplyExportTest {
    private final Path dir;
    @AutoClose
    private final ClientServer server;

    ApplyExportTest(@TempDir Path dir) throws Exception {
        this.dir = dir;
        this.server = ClientServer.start(dir);
    }

    private Path export() throws Exception {
        ClientRun run = server.run("export");
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        return Files.writeString(dir.resolve("profiles.yaml"), run.out());
    }

    @Test
    void exportPrintsAProfilesSectionThatApplyTakesBackUnchanged() throws Exception {
        long revision = server.revision();
        Path file = export();
        assertThat(Files.readString(file)).startsWith("# The profiles of " + server.url + " at revision 3, exported ")
                .contains("\nprofiles:\n- name: web\n  zone: app.test\n  trafficRoutingMethod: Priority\n");

        ClientRun dryRun = server.run("apply", "-f", file.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out()).isEqualTo("no changes: the running profiles are the file's (3 profile(s))\n");

        ClientRun apply = server.run("apply", "-f", file.toString());
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.out()).isEqualTo("no changes: the running profiles are the file's (3 profile(s))\n");
        assertThat(server.revision()).isEqualTo(revision);
        assertThat(server.run("export").out().lines().skip(2)).containsExactlyElementsOf(Files.readString(file).lines().skip(2).toList());
    }

    @Test
    void exportAsJsonIsTheSameDocument() throws Exception {
        ClientRun json = server.run("export", "-o", "json");
        Path yaml = export();

        assertThat(ApiDeployment.JSON.readTree(json.out()))
                .isEqualTo(io.wayfinder.profile.read.ProfileTreeReader.parseYaml(Files.readString(yaml)));
        assertThat(server.run("export", "-o", "table").exitCode()).isEqualTo(2);
    }

    @Test
    void aDryRunPrintsTheDiffInTheLogsWordsAndChangesNothing() throws Exception {
        long revision = server.revision();
        Path file = export();
        String edited = Files.readString(file)
                .replace("  - name: secondary\n    target: 192.0.2.11\n", "  - name: secondary\n    target: 192.0.2.12\n    endpointStatus: Disabled\n")
                + """
                - name: shop
                  trafficRoutingMethod: Weighted
                  dnsConfig: {relativeName: shop}
                  endpoints:
                    - {name: a, target: 192.0.2.40}
                """;
        edited = edited.substring(0, edited.indexOf("- name: parent")) + edited.substring(edited.indexOf("- name: shop"));
        edited = edited.substring(0, edited.indexOf("- name: eu")) + edited.substring(edited.indexOf("- name: shop"));
        Files.writeString(file, edited);

        ClientRun run = server.run("apply", "-f", file.toString(), "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                profile parent removed
                profile eu removed
                profile web: endpoint secondary: target 192.0.2.11 -> 192.0.2.12
                profile web: endpoint secondary: endpointStatus Enabled -> Disabled
                profile shop added
                dry run: 1 to create, 1 to update, 2 to delete, 0 unchanged; nothing was changed
                """);
        assertThat(server.revision()).isEqualTo(revision);

        JsonNode json = ApiDeployment.JSON.readTree(server.run("apply", "-f", file.toString(), "--dry-run", "-o", "json").out());
        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.get("steps")).extracting(s -> s.get("action").asString() + " " + s.get("profile").asString())
                .containsExactly("delete parent", "delete eu", "update web", "create shop");
    }

    @Test
    void applyMakesTheRunningProfilesEqualToTheFile() throws Exception {
        // A new child and the parent that nests it (the child goes first), a parent and the child it
        // nests deleted (the parent goes first), and an update.
        Path file = Files.writeString(dir.resolve("wanted.yaml"), """
                profiles:
                  - name: web
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: www, ttl: 60}
                    endpoints:
                      - {name: primary, target: 192.0.2.10}
                      - {name: secondary, target: 192.0.2.11}
                  - name: front
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: front}
                    endpoints:
                      - {name: to-back, type: nested, target: back}
                  - name: back
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: back}
                    endpoints:
                      - {name: only, target: 192.0.2.50}
                """);

        ClientRun run = server.run("apply", "-f", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                profile parent removed
                profile eu removed
                profile web: dnsConfig.ttl 5 -> 60
                profile back added
                profile front added
                applied: 2 created, 1 updated, 2 deleted, 0 unchanged
                """);
        JsonNode profiles = server.get("/api/v1/profiles").get("profiles");
        assertThat(profiles).extracting(p -> p.get("name").asString()).containsExactlyInAnyOrder("web", "front", "back");

        ClientRun again = server.run("apply", "-f", file.toString());
        assertThat(again.out()).isEqualTo("no changes: the running profiles are the file's (3 profile(s))\n");
        ClientRun audit = server.run("audit", "--limit", "5", "-o", "json");
        assertThat(ApiDeployment.JSON.readTree(audit.out()).get("entries")).extracting(e -> e.get("action").asString() + " "
                + e.get("resource").asString()).containsExactly("PUT profiles/front", "PUT profiles/back", "PUT profiles/web",
                "DELETE profiles/eu", "DELETE profiles/parent");
    }

    @Test
    void aProfileRenamedInTheFileTakesItsDnsName() throws Exception {
        Path file = export();
        Files.writeString(file, Files.readString(file).replace("- name: web\n", "- name: web-main\n"));

        ClientRun run = server.run("apply", "-f", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("""
                profile web removed
                profile web-main added
                applied: 1 created, 0 updated, 1 deleted, 2 unchanged
                """);
        assertThat(server.get("/api/v1/profiles/web-main").get("dnsConfig").get("relativeName").asString()).isEqualTo("www");
    }

    @Test
    void aFileWithErrorsChangesNothing() throws Exception {
        long revision = server.revision();
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                profiles:
                  - name: web
                    trafficRoutingMethod: Fastest
                    endpoints:
                      - {name: a}
                """);

        ClientRun run = server.run("apply", "-f", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(file + ": 2 error(s)\n  profiles[0].trafficRoutingMethod: ");
        assertThat(server.revision()).isEqualTo(revision);

        Path none = Files.writeString(dir.resolve("none.yaml"), "zones: []\n");
        ClientRun noList = server.run("apply", "-f", none.toString());
        assertThat(noList.exitCode()).isEqualTo(2);
        assertThat(noList.err()).contains("has no profiles: list");
    }

    @Test
    void aWriteTheServerRefusesStopsTheApplyAndSaysWhatWasDone() throws Exception {
        // The new profile nests one that does not exist: the server refuses it, after the delete before it.
        Path file = Files.writeString(dir.resolve("wanted.yaml"), """
                profiles:
                  - name: eu
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: eu}
                    endpoints:
                      - {name: only, target: 192.0.2.20}
                  - name: parent
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: parent}
                    endpoints:
                      - {name: child, type: nested, target: eu, endpointLocation: westeurope}
                      - {name: us, target: 192.0.2.30, endpointLocation: eastus}
                  - name: broken
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: broken}
                    endpoints:
                      - {name: to-nowhere, type: nested, target: nowhere}
                """);

        ClientRun run = server.run("apply", "-f", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEqualTo("profile web removed\n");
        assertThat(run.err()).startsWith("PUT /api/v1/profiles/broken: 400 Bad Request: ")
                .contains("  profile broken, endpoints[0].target: ")
                .endsWith("apply stopped at: create profile broken (1 change(s) before it were applied; the rest were not)\n");
    }

    @Test
    void aProfileChangedBySomeoneElseWhileApplyRunsStopsIt() throws Exception {
        Path file = export();
        Files.writeString(file, Files.readString(file).replace("ttl: 5", "ttl: 6"));
        // apply reads the versions first; the test stands in for the other writer between the read and the write.
        ApiClient api = new ApiClient(java.net.URI.create(server.url), ApiDeployment.WRITER);
        java.util.List<ApplyPlan.Running> running = new java.util.ArrayList<>();
        for (JsonNode p : server.get("/api/v1/profiles").get("profiles")) {
            running.add(new ApplyPlan.Running(ProfileDocuments.model(p), p.get("version").asLong()));
        }
        ApplyPlan plan = ApplyPlan.between(running, ProfileDocuments.list(ProfileDocuments.read(file.toString()), file.toString()));
        assertThat(server.run("endpoint", "disable", "web", "primary").exitCode()).isZero();

        ApplyPlan.Step step = plan.steps().get(0);
        assertThat(step.action()).isEqualTo(ApplyPlan.Action.update);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> api.send("PUT", ApiClient.path("profiles", "web"),
                        io.wayfinder.profile.write.ProfileWriter.profile(step.profile()), ApiClient.JSON,
                        ApiClient.ifMatch(step.version())))
                .isInstanceOfSatisfying(ApiClient.Failure.class, f -> assertThat(f.status()).isEqualTo(412));
        assertThat(server.get("/api/v1/profiles/web").get("dnsConfig").get("ttl").asInt()).isEqualTo(5);
    }
}
