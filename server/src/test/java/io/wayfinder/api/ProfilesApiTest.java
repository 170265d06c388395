package io.wayfinder.api;

import static io.wayfinder.api.ApiDeployment.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Rcode;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The profile and endpoint resources through a real HTTP client against a started server: every
 * status code they answer, the ETag rules, and that a write is in DNS answers when its response
 * comes back.
 */
class ProfilesApiTest {
    @AutoClose
    private final ApiDeployment api;

    ProfilesApiTest(@TempDir Path dir) throws Exception {
        api = ApiDeployment.start(dir);
    }

    @Test
    void listsTheSeededProfilesWithTheirLiveState() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/profiles");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = json(r);
        assertThat(r.headers().firstValue("ETag")).contains("\"" + body.get("revision").asLong() + "\"");
        assertThat(body.get("profiles")).extracting(p -> p.get("name").asString()).containsExactly("web", "eu", "parent");
        JsonNode web = body.get("profiles").get(0);
        assertThat(web.get("version").asLong()).isEqualTo(1);
        assertThat(web.get("profileMonitorStatus").asString()).isEqualTo("Online");
        assertThat(web.get("failOpen").asBoolean()).isFalse();
        assertThat(web.get("endpoints").get(0).get("endpointMonitorStatus").asString()).isEqualTo("Unmonitored");
    }

    @Test
    void getsAProfileWithItsVersionAsETag() throws Exception {
        HttpResponse<String> r = api.get("/api/v1/profiles/WEB");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("ETag")).contains("\"1\"");
        assertThat(json(r).get("dnsConfig").get("relativeName").asString()).isEqualTo("www");
    }

    @Test
    void anUnknownProfileOrEndpointOrPathIs404WithTheErrorBody() throws Exception {
        for (String path : new String[] {"/api/v1/profiles/nope", "/api/v1/profiles/web/endpoints/nope",
            "/api/v1/profiles/nope/endpoints/x", "/api/v1/nothing-here", "/elsewhere"}) {
            HttpResponse<String> r = api.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            JsonNode body = json(r);
            assertThat(body.get("status").asInt()).isEqualTo(404);
            assertThat(body.get("error").asString()).isEqualTo("Not Found");
            assertThat(body.get("message").asString()).isNotBlank();
            assertThat(body.get("errors").isArray()).isTrue();
        }
        assertThat(api.write("PATCH", "/api/v1/profiles/nope", "{}").statusCode()).isEqualTo(404);
        assertThat(api.write("DELETE", "/api/v1/profiles/nope", null).statusCode()).isEqualTo(404);
        assertThat(api.write("PATCH", "/api/v1/profiles/web/endpoints/nope", "{}").statusCode()).isEqualTo(404);
        assertThat(api.write("DELETE", "/api/v1/profiles/web/endpoints/nope", null).statusCode()).isEqualTo(404);
        assertThat(api.write("PUT", "/api/v1/profiles/nope/endpoints/x", "{\"target\": \"192.0.2.1\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> post = api.write("POST", "/api/v1/profiles/web", "{}", "Content-Type", "application/json");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, PUT, PATCH, DELETE");
        assertThat(json(post).get("error").asString()).isEqualTo("Method Not Allowed");
        HttpResponse<String> delete = api.write("DELETE", "/api/v1/profiles", null);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(delete.headers().firstValue("Allow")).contains("GET");
        assertThat(api.write("PUT", "/api/v1/status", "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void putCreatesThen_replaces_andAnUnchangedPutKeepsTheVersion() throws Exception {
        String shop = """
                {"name": "shop", "trafficRoutingMethod": "Weighted", "dnsConfig": {"relativeName": "shop"},
                 "endpoints": [{"name": "a", "target": "192.0.2.30"}, {"name": "b", "target": "192.0.2.31", "weight": 3}]}
                """;
        HttpResponse<String> created = api.write("PUT", "/api/v1/profiles/shop", shop);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/profiles/shop");
        String etag = created.headers().firstValue("ETag").orElseThrow();
        assertThat(json(created).get("zone").asString()).as("the one zone, written out").isEqualTo("app.test");
        assertThat(api.addresses("shop.app.test")).hasSize(1);

        HttpResponse<String> again = api.write("PUT", "/api/v1/profiles/shop", shop);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("ETag")).as("nothing changed, nothing stored").contains(etag);

        HttpResponse<String> replaced = api.write("PUT", "/api/v1/profiles/shop", shop.replace("\"weight\": 3", "\"weight\": 5"));
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
    }

    @Test
    void whatGetReturnsPutAcceptsUnchanged() throws Exception {
        HttpResponse<String> got = api.get("/api/v1/profiles/web");
        HttpResponse<String> put = api.write("PUT", "/api/v1/profiles/web", got.body());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.headers().firstValue("ETag")).isEqualTo(got.headers().firstValue("ETag"));
        HttpResponse<String> endpoint = api.get("/api/v1/profiles/web/endpoints/secondary");
        assertThat(api.write("PUT", "/api/v1/profiles/web/endpoints/secondary", endpoint.body()).statusCode()).isEqualTo(200);
        assertThat(api.get("/api/v1/profiles/web").headers().firstValue("ETag")).isEqualTo(got.headers().firstValue("ETag"));
    }

    @Test
    void invalidInputIs400ListingEveryErrorWithItsPath() throws Exception {
        HttpResponse<String> r = api.write("PUT", "/api/v1/profiles/bad", """
                {"trafficRoutingMethod": "Fastest", "dnsConfig": {"relativeName": "bad", "ttl": -1},
                 "endpoints": [{"name": "a", "target": "192.0.2.1", "wieght": 2}, {"name": "b"}]}
                """);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = json(r);
        assertThat(body.get("error").asString()).isEqualTo("Bad Request");
        assertThat(body.get("errors")).extracting(e -> e.get("path").asString())
                .containsExactlyInAnyOrder("trafficRoutingMethod", "dnsConfig.ttl", "endpoints[0].wieght", "endpoints[1].target");
        assertThat(body.get("errors")).allSatisfy(e -> assertThat(e.get("profile").asString()).isEqualTo("bad"));
        assertThat(body.get("errors").get(0).get("message").asString()).isNotBlank();
        assertThat(api.get("/api/v1/profiles/bad").statusCode()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void errorsOnlyTheWholeConfigurationShowAreReportedInTheProfileTheyAreIn() throws Exception {
        HttpResponse<String> clash = api.write("PUT", "/api/v1/profiles/other", """
                {"trafficRoutingMethod": "Priority", "dnsConfig": {"relativeName": "www"}, "endpoints": [{"name": "a", "target": "192.0.2.1"}]}
                """);
        assertThat(clash.statusCode()).isEqualTo(400);
        assertThat(json(clash).get("errors").get(0).get("path").asString()).isEqualTo("dnsConfig.relativeName");
        assertThat(json(clash).get("errors").get(0).get("message").asString()).contains("already used by profile 'web'");

        HttpResponse<String> nestedAway = api.write("DELETE", "/api/v1/profiles/eu", null);
        assertThat(nestedAway.statusCode()).isEqualTo(400);
        JsonNode error = json(nestedAway).get("errors").get(0);
        assertThat(error.get("profile").asString()).isEqualTo("parent");
        assertThat(error.get("path").asString()).isEqualTo("endpoints[0].target");
        assertThat(error.get("message").asString()).contains("no profile is named 'eu'");
        assertThat(api.rcode("eu.app.test")).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void aBodyWithAnotherNameThanThePathIs400() throws Exception {
        HttpResponse<String> r = api.write("PUT", "/api/v1/profiles/web", api.get("/api/v1/profiles/eu").body());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("errors").get(0).get("path").asString()).isEqualTo("name");
    }

    @Test
    void aBodyThatIsNotJsonIs400() throws Exception {
        HttpResponse<String> r = api.write("PUT", "/api/v1/profiles/web", "{\"name\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("message").asString()).contains("not valid JSON");
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        assertThat(api.write("PUT", "/api/v1/profiles/web", "{}", "Content-Type", "text/plain").statusCode()).isEqualTo(415);
        assertThat(api.write("PUT", "/api/v1/profiles/web", "{}", "Content-Type", "application/merge-patch+json").statusCode())
                .as("a merge patch is for PATCH").isEqualTo(415);
        HttpRequest noType = api.request("/api/v1/profiles/web", ApiDeployment.WRITER)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(api.send(noType).statusCode()).isEqualTo(415);
        assertThat(api.write("PATCH", "/api/v1/profiles/web", "{}", "Content-Type", "application/json; charset=utf-8")
                .statusCode()).as("PATCH also takes application/json").isEqualTo(200);
    }

    @Test
    void aBodyOverOneMebibyteIs413() throws Exception {
        String big = "{\"name\": \"web\", \"x-padding\": \"" + "x".repeat(RequestBodies.MAX_BYTES) + "\"}";
        assertThat(api.write("PUT", "/api/v1/profiles/web", big).statusCode()).isEqualTo(413);
        HttpRequest chunked = api.request("/api/v1/profiles/web", ApiDeployment.WRITER).header("Content-Type", "application/json")
                .method("PUT", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build();
        assertThat(api.send(chunked).statusCode()).as("without Content-Length too").isEqualTo(413);
    }

    @Test
    void aBodyTooLargeByItsLengthIsRefusedBeforeItIsInvited() throws Exception {
        // A client waiting for "100 Continue" gets the 413 instead, and is never invited to send
        // the mebibyte (a raw exchange: Java 17's HttpClient hangs on a final answer, JDK-8286171).
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", api.server.apiPort()), 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("PUT /api/v1/profiles/web HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + ApiDeployment.WRITER + "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                    + (RequestBodies.MAX_BYTES + 1) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue").contains("Connection: close");
        }
        assertThat(api.addresses("www.app.test")).as("the profile is untouched").containsExactly("192.0.2.10");
    }

    @Test
    void aPatchIsInTheAnswersWhenItsResponseComesBack() throws Exception {
        assertThat(api.addresses("www.app.test")).containsExactly("192.0.2.10");
        HttpResponse<String> r = api.write("PATCH", "/api/v1/profiles/web/endpoints/primary", "{\"endpointStatus\": \"Disabled\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("endpointMonitorStatus").asString()).isEqualTo("Disabled");
        // No wait: the write was published before it was acknowledged.
        assertThat(api.addresses("www.app.test")).containsExactly("192.0.2.11");

        assertThat(api.write("PATCH", "/api/v1/profiles/web", "{\"profileStatus\": \"Disabled\"}").statusCode()).isEqualTo(200);
        assertThat(api.rcode("www.app.test")).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void aMergePatchChangesOnlyWhatItNames() throws Exception {
        HttpResponse<String> r = api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": 60}}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode web = json(r);
        assertThat(web.get("dnsConfig").get("ttl").asInt()).isEqualTo(60);
        assertThat(web.get("dnsConfig").get("relativeName").asString()).isEqualTo("www");
        assertThat(web.get("endpoints")).hasSize(2);
        JsonNode removed = json(api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": null}}"));
        assertThat(removed.get("dnsConfig").get("ttl").asInt()).as("null removes: back to the default").isEqualTo(30);
    }

    @Test
    void endpointsAreResourcesOfTheirOwn() throws Exception {
        HttpResponse<String> created = api.write("PUT", "/api/v1/profiles/web/endpoints/third", "{\"target\": \"192.0.2.12\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/profiles/web/endpoints/third");
        assertThat(json(created).get("priority")).as("its position, the default").isNull();

        HttpResponse<String> got = api.get("/api/v1/profiles/web/endpoints/third");
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("ETag")).isEqualTo(created.headers().firstValue("ETag"));
        assertThat(json(got).get("endpointMonitorStatus").asString()).isEqualTo("Unmonitored");

        assertThat(api.write("DELETE", "/api/v1/profiles/web/endpoints/primary", null).statusCode()).isEqualTo(204);
        assertThat(api.addresses("www.app.test")).as("secondary keeps priority 2, third 3").containsExactly("192.0.2.11");
        JsonNode web = json(api.get("/api/v1/profiles/web"));
        assertThat(web.get("endpoints")).extracting(e -> e.get("name").asString()).containsExactly("secondary", "third");
        assertThat(web.get("endpoints").get(0).get("priority").asInt()).isEqualTo(2);

        HttpResponse<String> invalid = api.write("PUT", "/api/v1/profiles/web/endpoints/third", "{\"target\": \"not a name!\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("errors").get(0).get("path").asString()).isEqualTo("endpoints[1].target");
    }

    @Test
    void deleteRemovesTheProfileFromTheAnswers() throws Exception {
        assertThat(api.write("DELETE", "/api/v1/profiles/web", null).statusCode()).isEqualTo(204);
        assertThat(api.get("/api/v1/profiles/web").statusCode()).isEqualTo(404);
        assertThat(api.rcode("www.app.test")).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void readOnlyFieldsInABodyAreIgnored() throws Exception {
        ObjectNode web = (ObjectNode) json(api.get("/api/v1/profiles/web"));
        web.put("failOpen", true).put("profileMonitorStatus", "Degraded").put("version", 99);
        HttpResponse<String> r = api.write("PUT", "/api/v1/profiles/web", web.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("failOpen").asBoolean()).isFalse();
    }
}
