package io.wayfinder.api;

import static io.wayfinder.api.ApiDeployment.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wayfinder.cli.WayfinderCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** The views of the running server: status, explain, the event stream and the audit log. */
class ServerViewsApiTest {
    @AutoClose
    private final ApiDeployment api;

    ServerViewsApiTest(@TempDir Path dir) throws Exception {
        api = ApiDeployment.start(dir);
    }

    @Test
    void statusShowsEveryProfileAndEndpointWithItsStatus() throws Exception {
        api.write("PATCH", "/api/v1/profiles/web/endpoints/primary", "{\"endpointStatus\": \"Disabled\"}");
        HttpResponse<String> r = api.get("/api/v1/status");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode status = json(r);
        assertThat(status.get("profiles")).extracting(p -> p.get("name").asString()).containsExactly("web", "eu", "parent");
        JsonNode web = status.get("profiles").get(0);
        assertThat(web.get("fqdn").asString()).isEqualTo("www.app.test");
        assertThat(web.get("failOpen").asBoolean()).isFalse();
        assertThat(web.get("endpoints")).extracting(e -> e.get("endpointMonitorStatus").asString())
                .containsExactly("Disabled", "Unmonitored");
        assertThat(status.get("configuration").get("revision").asLong()).isEqualTo(4);
        assertThat(status.get("summary").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void explainIsTheDecisionTheCommandPrints() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/explain?profile=parent&client=81.2.69.0/24");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode fromServer = json(r);
        assertThat(fromServer.get("answers").get(0).get("target").asString()).isEqualTo("192.0.2.20");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new WayfinderCommand()).execute("explain", "--config", api.configFile.toString(),
                    "--profile", "parent", "--client", "81.2.69.0/24", "--json");
            assertThat(code).isZero();
        } finally {
            System.setOut(stdout);
        }
        // The file's profiles seeded the store unchanged, and nothing is probed: the same world.
        assertThat(fromServer).isEqualTo(ApiDeployment.JSON.readTree(out.toString(StandardCharsets.UTF_8)));
    }

    @Test
    void explainChecksItsQuery() throws Exception {
        HttpResponse<String> none = api.get("/api/v1/explain");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).get("errors")).extracting(e -> e.get("path").asString()).containsExactly("profile", "client");
        HttpResponse<String> bad = api.get("/api/v1/explain?profile=web&client=300.1.1.1&type=MX");
        assertThat(json(bad).get("errors")).extracting(e -> e.get("path").asString()).containsExactly("client", "type");
        assertThat(api.get("/api/v1/explain?profile=nope&client=192.0.2.1").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/explain?profile=web&client=2001:db8::1&type=AAAA").statusCode()).isEqualTo(200);
    }

    @Test
    void theAuditLogSaysWhoChangedWhatWhenWithBeforeAndAfter() throws Exception {
        api.write("PATCH", "/api/v1/profiles/web/endpoints/primary", "{\"endpointStatus\": \"Disabled\"}");
        api.write("DELETE", "/api/v1/profiles/parent", null);
        api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": 5}}"); // no change: no entry
        JsonNode entries = json(api.get("/api/v1/audit")).get("entries");
        assertThat(entries).extracting(e -> e.get("action").asString() + " " + e.get("resource").asString() + " by "
                + e.get("actor").asString()).startsWith(
                "DELETE profiles/parent by ci", "PATCH profiles/web/endpoints/primary by ci", "seed profiles/parent by file "
                        + api.configFile);
        JsonNode patch = entries.get(1);
        assertThat(patch.get("changes").get(0).asString()).isEqualTo("profile web: endpoint primary: endpointStatus Enabled -> Disabled");
        assertThat(patch.get("before").get("endpoints").get(0).has("endpointStatus")).isFalse();
        assertThat(patch.get("after").get("endpoints").get(0).get("endpointStatus").asString()).isEqualTo("Disabled");
        assertThat(patch.get("time").asString()).isNotBlank();
        assertThat(entries.get(0).get("after").isNull()).isTrue();
        assertThat(json(api.get("/api/v1/audit?limit=1")).get("entries")).hasSize(1);
        assertThat(json(api.get("/api/v1/audit?profile=web")).get("entries")).extracting(e -> e.get("action").asString())
                .containsExactly("PATCH", "seed");
        assertThat(json(api.get("/api/v1/audit?since=2999-01-01T00:00:00Z")).get("entries")).isEmpty();
        assertThat(api.get("/api/v1/audit?limit=0").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit?since=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    void anEventStreamGetsConfigurationAndStatusChangesEachWithATimeAndAReason() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        api.http.sendAsync(api.request("/api/v1/events", ApiDeployment.READER).GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> {
                    lines.add("status " + r.statusCode());
                    try (Stream<String> body = r.body()) {
                        body.forEach(lines::add);
                    }
                });
        await().atMost(Duration.ofSeconds(10)).until(() -> api.server.apiEventClients() == 1);
        api.write("PATCH", "/api/v1/profiles/web/endpoints/primary", "{\"endpointStatus\": \"Disabled\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: endpoint-status"));
        assertThat(lines.get(0)).isEqualTo("status 200");
        int configuration = lines.indexOf("event: configuration");
        int status = lines.indexOf("event: endpoint-status");
        assertThat(configuration).as("the cause before its effect").isBetween(0, status);
        JsonNode config = ApiDeployment.JSON.readTree(lines.get(configuration + 1).substring("data: ".length()));
        assertThat(config.get("reason").asString()).isEqualTo("API: PATCH profiles/web/endpoints/primary by token 'ci'");
        assertThat(config.get("changes").get(0).asString()).contains("endpointStatus Enabled -> Disabled");
        assertThat(config.get("time").asString()).isNotBlank();
        JsonNode change = ApiDeployment.JSON.readTree(lines.get(status + 1).substring("data: ".length()));
        assertThat(change.get("profile").asString()).isEqualTo("web");
        assertThat(change.get("endpoint").asString()).isEqualTo("primary");
        assertThat(change.get("from").asString()).isEqualTo("Unmonitored");
        assertThat(change.get("to").asString()).isEqualTo("Disabled");
        assertThat(change.get("reason").asString()).isEqualTo("configuration: endpoint disabled");
        assertThat(lines.get(status - 1)).startsWith("id: ");

        // A reload of the file is a configuration change too.
        api.rewriteConfig((ApiDeployment.SETTINGS + ApiDeployment.PROFILES).replace("soa: {minimum: 60}", "soa: {minimum: 61}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().filter("event: configuration"::equals).count() == 2);
    }
}
