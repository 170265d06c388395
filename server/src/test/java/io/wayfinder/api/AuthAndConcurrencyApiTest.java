package io.wayfinder.api;

import static io.wayfinder.api.ApiDeployment.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens and roles, the open endpoints, and If-Match between writers. */
class AuthAndConcurrencyApiTest {
    @AutoClose
    private final ApiDeployment api;

    AuthAndConcurrencyApiTest(@TempDir Path dir) throws Exception {
        api = ApiDeployment.start(dir);
    }

    @Test
    void withoutAValidTokenEveryApiPathIs401() throws Exception {
        for (String path : List.of("/api/v1/profiles", "/api/v1/profiles/web", "/api/v1/status", "/api/v1/audit",
                "/api/v1/explain?profile=web&client=192.0.2.1", "/api/v1/events")) {
            HttpResponse<String> none = api.send(api.request(path, null).GET().build());
            assertThat(none.statusCode()).as(path).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"wayfinder\"");
            assertThat(json(none).get("message").asString()).contains("token is required");
            HttpResponse<String> wrong = api.send(api.request(path, "not-a-token-of-this-server").GET().build());
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("not-a-token-of-this-server");
        }
        HttpResponse<String> basic = api.send(api.request("/api/v1/profiles", null)
                .header("Authorization", "Basic " + ApiDeployment.WRITER).GET().build());
        assertThat(basic.statusCode()).isEqualTo(401);
        HttpResponse<String> write = api.send(api.request("/api/v1/profiles/web", null).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(write.statusCode()).isEqualTo(401);
    }

    @Test
    void aReaderReadsButWritingIs403() throws Exception {
        assertThat(api.get("/api/v1/profiles/web").statusCode()).isEqualTo(200);
        HttpResponse<String> r = api.send(api.request("/api/v1/profiles/web", ApiDeployment.READER)
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"dnsConfig\": {\"ttl\": 1}}")).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("message").asString()).contains("'dashboard' is a reader");
        assertThat(api.send(api.request("/api/v1/profiles/web", ApiDeployment.READER).DELETE().build()).statusCode())
                .isEqualTo(403);
        assertThat(json(api.get("/api/v1/profiles/web")).get("dnsConfig").get("ttl").asInt()).isEqualTo(5);
    }

    @Test
    void healthReadinessAndMetricsNeedNoToken() throws Exception {
        HttpResponse<String> healthz = api.send(api.request("/healthz", null).GET().build());
        assertThat(healthz.statusCode()).isEqualTo(200);
        assertThat(json(healthz).get("status").asString()).isEqualTo("alive");
        HttpResponse<String> readyz = api.send(api.request("/readyz", null).GET().build());
        assertThat(readyz.statusCode()).isEqualTo(200);
        assertThat(json(readyz).get("status").asString()).isEqualTo("ready");
        HttpResponse<String> metrics = api.send(api.request("/metrics", null).GET().build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("wayfinder_endpoint_status{endpoint=\"primary\",profile=\"web\",status=\"Unmonitored\"} 1")
                .contains("jvm_");
    }

    @Test
    void tokensAreLiveFromTheFile() throws Exception {
        String rotated = "rotated-token-0123456789abcdef";
        api.rewriteConfig((ApiDeployment.SETTINGS + ApiDeployment.PROFILES).replace(ApiDeployment.READER, rotated));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(api.send(api.request("/api/v1/profiles", rotated).GET().build()).statusCode()).isEqualTo(200));
        assertThat(api.get("/api/v1/profiles").statusCode()).as("the old reader token").isEqualTo(401);
    }

    @Test
    void ofTwoWritersWithTheSameETagOneGets412() throws Exception {
        String etag = api.get("/api/v1/profiles/web").headers().firstValue("ETag").orElseThrow();
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> writers = new ArrayList<>();
        for (int ttl : new int[] {11, 12}) {
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": " + ttl + "}}", "If-Match", etag);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<Integer> codes = writers.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).sorted().toList();
        assertThat(codes).containsExactly(200, 412);
        HttpResponse<String> loser = writers.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 412)
                .findFirst().orElseThrow();
        assertThat(json(loser).get("error").asString()).isEqualTo("Precondition Failed");
        HttpResponse<String> after = api.get("/api/v1/profiles/web");
        assertThat(after.headers().firstValue("ETag")).isNotEqualTo(java.util.Optional.of(etag));
        assertThat(api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": 13}}", "If-Match",
                after.headers().firstValue("ETag").orElseThrow()).statusCode()).as("re-read, then write").isEqualTo(200);
    }

    @Test
    void preconditionsOnCreateAndOnEndpoints() throws Exception {
        String body = "{\"trafficRoutingMethod\": \"Priority\", \"endpoints\": [{\"name\": \"a\", \"target\": \"192.0.2.1\"}]}";
        assertThat(api.write("PUT", "/api/v1/profiles/web", body, "If-None-Match", "*").statusCode())
                .as("create-only, but it exists").isEqualTo(412);
        assertThat(api.write("PUT", "/api/v1/profiles/new", body, "If-Match", "*").statusCode())
                .as("replace-only, but it does not exist").isEqualTo(412);
        assertThat(api.write("PUT", "/api/v1/profiles/new", body, "If-Match", "W/\"1\"").statusCode())
                .as("a weak tag never matches").isEqualTo(412);
        String etag = api.get("/api/v1/profiles/web").headers().firstValue("ETag").orElseThrow();
        assertThat(api.get("/api/v1/profiles/web/endpoints/primary").headers().firstValue("ETag")).contains(etag);
        assertThat(api.write("PATCH", "/api/v1/profiles/web/endpoints/secondary", "{\"weight\": 2}", "If-Match", etag)
                .statusCode()).isEqualTo(200);
        assertThat(api.write("PATCH", "/api/v1/profiles/web/endpoints/primary", "{\"weight\": 2}", "If-Match", etag)
                .statusCode()).as("the profile changed since").isEqualTo(412);
        assertThat(api.write("DELETE", "/api/v1/profiles/eu", null, "If-Match", "\"999\"").statusCode()).isEqualTo(412);
    }
}
