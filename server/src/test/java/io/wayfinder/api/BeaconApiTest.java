package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.FakeLearning;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real-user beacon's endpoints on a real server with a small learner: the keys (created, listed,
 * revoked, by whom), the script and the probe, and {@code POST /rum}: what is learned and under which
 * network, the key (unknown, revoked), CORS (preflight, a disallowed origin), the per-address rate
 * limit, the trusted proxy header, the measurements API's rules, and the metrics that count it all.
 *
 * <p>127.0.0.1 is the trusted proxy here, so that a test can post as many clients (each its own
 * {@code X-Forwarded-For}) and keep their rate limits apart; a post from 127.0.0.9 (a socket bound to
 * it) is a peer that is not trusted.
 */
class BeaconApiTest {
    static final String SITE = "https://shop.example.test";

    static String config() {
        return ApiDeployment.SETTINGS
                .replace("  sources: [latency.csv]\n", """
                          sources: [latency.csv]
                          learn: true
                          rebuildInterval: 1h
                          rum:
                            targets:
                              westeurope: http://127.0.0.2:8081/rum/probe
                              eastus: "http://127.0.0.3:8081/rum/probe?size=0"
                            fetches: 3
                            rateLimit: {postsPerMinute: 1, burst: 3}
                            trustedProxies: [127.0.0.1]
                        """) + ApiDeployment.PROFILES;
    }

    @TempDir
    Path dir;
    ApiDeployment d;
    FakeLearning learner;
    String key;

    @BeforeEach
    void start() throws Exception {
        d = ApiDeployment.start(dir, config(), (checkpoint, parameters) -> learner = new FakeLearning());
        HttpResponse<String> created = d.write("POST", "/api/v1/rum/keys", "{\"name\": \"shop\", \"origins\": [\"" + SITE
                + "\", \"HTTP://Localhost:80/\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        key = ApiDeployment.json(created).get("key").asString();
    }

    @AfterEach
    void stop() {
        d.close();
    }

    /** A post to /rum from 127.0.0.1 (the trusted proxy) for the client {@code forwardedFor}. */
    HttpResponse<String> post(String forwardedFor, String origin, String body, String... headers) throws Exception {
        return postTo("/rum?key=" + key, forwardedFor, origin, body, headers);
    }

    HttpResponse<String> postTo(String path, String forwardedFor, String origin, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(d.uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
        b.header("Content-Type", "text/plain;charset=UTF-8");
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        if (origin != null) {
            b.header("Origin", origin);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return d.send(b.build());
    }

    static String samples(String... regionAndRtt) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < regionAndRtt.length; i += 2) {
            out.add("{\"region\": \"" + regionAndRtt[i] + "\", \"rttMs\": " + regionAndRtt[i + 1] + ", \"timing\": \"resource\"}");
        }
        return "{\"samples\": [" + String.join(", ", out) + "]}";
    }

    /** A metric's value as the API's /metrics says it ({@code name} with its labels, as written). */
    double metric(String name) throws Exception {
        String text = d.send(d.request("/metrics", null).GET().build()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    // --- keys --------------------------------------------------------------------------------------

    @Test
    void aKeyIsCreatedListedAndRevokedByWriters() throws Exception {
        JsonNode k = ApiDeployment.json(d.get("/api/v1/rum/keys/" + key));
        assertThat(k.get("name").asString()).isEqualTo("shop");
        assertThat(k.get("origins").toString()).isEqualTo("[\"" + SITE + "\",\"http://localhost\"]");
        assertThat(k.get("createdBy").asString()).isEqualTo("ci");
        assertThat(k.get("script").asString()).isEqualTo("/rum.js?key=" + key);
        assertThat(k.has("revoked")).isFalse();

        HttpResponse<String> byReader = d.send(d.request("/api/v1/rum/keys", ApiDeployment.READER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"x\","
                        + " \"origins\": [\"*\"]}")).build());
        assertThat(byReader.statusCode()).isEqualTo(403);
        assertThat(d.send(d.request("/api/v1/rum/keys", null).GET().build()).statusCode()).isEqualTo(401);

        HttpResponse<String> revoked = d.write("DELETE", "/api/v1/rum/keys/" + key, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(ApiDeployment.json(revoked).get("revokedBy").asString()).isEqualTo("ci");
        JsonNode list = ApiDeployment.json(d.get("/api/v1/rum/keys")).get("keys");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).has("revoked")).as("a revoked key stays listed").isTrue();
        assertThat(d.write("DELETE", "/api/v1/rum/keys/rum_aaaaaaaaaaaaaaaaaaaaaaaaaa", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aKeyNeedsANameAndOrigins() throws Exception {
        for (Map.Entry<String, String> bad : Map.of(
                "{\"origins\": [\"https://a.test\"]}", "name",
                "{\"name\": \"x\"}", "origins",
                "{\"name\": \"x\", \"origins\": [\"https://a.test/path\"]}", "origins[0]",
                "{\"name\": \"x\", \"origins\": [\"https://a.test\", \"*\"]}", "origins[1]",
                "{\"name\": \"x\", \"origins\": [\"ftp://a.test\"]}", "origins[0]",
                "{\"name\": \"x\", \"origins\": [\"https://a.test\"], \"secret\": 1}", "secret").entrySet()) {
            HttpResponse<String> r = d.write("POST", "/api/v1/rum/keys", bad.getKey());
            assertThat(r.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(ApiDeployment.json(r).get("errors").get(0).get("path").asString()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
    }

    // --- the script and the probe ------------------------------------------------------------------

    @Test
    void theScriptCarriesTheKeyAndTheTargets() throws Exception {
        HttpResponse<String> js = d.send(d.request("/rum.js?key=" + key, null).GET().build());
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        assertThat(js.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo("public, max-age=300");
        assertThat(js.body()).contains("\"k\":\"" + key + "\"")
                .contains("[\"westeurope\",\"http://127.0.0.2:8081/rum/probe\"]")
                .contains("\"n\":3").contains("sendBeacon").doesNotContain("/*CONFIG*/");
        assertThat(js.body().length()).isLessThan(2048);

        assertThat(d.send(d.request("/rum.js?key=rum_aaaaaaaaaaaaaaaaaaaaaaaaaa", null).GET().build()).statusCode()).isEqualTo(404);
        d.write("DELETE", "/api/v1/rum/keys/" + key, null);
        assertThat(d.send(d.request("/rum.js?key=" + key, null).GET().build()).statusCode()).isEqualTo(403);
    }

    @Test
    void theProbeIsEmptyUncachedAndItsTimingOpenToEveryOrigin() throws Exception {
        HttpResponse<String> probe = d.send(d.request("/rum/probe?wf=abc", null).GET().build());
        assertThat(probe.statusCode()).isEqualTo(200);
        assertThat(probe.body()).isEmpty();
        assertThat(probe.headers().firstValue("Timing-Allow-Origin")).contains("*");
        assertThat(probe.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(probe.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(d.send(d.request("/rum/probe", null).method("HEAD", HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(200);
    }

    // --- posts ---------------------------------------------------------------------------------------

    @Test
    void aPostIsLearnedForTheClientsNetworkTaggedWithTheKey() throws Exception {
        HttpResponse<String> r = post("198.51.100.7", SITE, samples("westeurope", "23.4", "East US", "95"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(SITE);
        assertThat(ApiDeployment.json(r).get("accepted").asInt()).isEqualTo(2);
        assertThat(learner.samples()).extracting(Measurement::network, Measurement::region, Measurement::rttMs, Measurement::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(IpPrefix.parse("198.51.100.0/24"), "westeurope", 23.4, "rum:" + key),
                        org.assertj.core.groups.Tuple.tuple(IpPrefix.parse("198.51.100.0/24"), "eastus", 95.0, "rum:" + key));
        assertThat(metric("wayfinder_rum_posts_accepted_total")).isEqualTo(1);
        assertThat(metric("wayfinder_rum_samples_accepted_total{timing=\"resource\"}")).isEqualTo(2);
        assertThat(metric("wayfinder_latency_samples_accepted_total")).as("the learner's own count").isEqualTo(2);

        // An IPv6 client is learned as its /48; an origin the key lists in another spelling is the same origin.
        assertThat(post("2001:db8:7:1::5", "http://localhost", samples("westeurope", "30")).statusCode()).isEqualTo(200);
        assertThat(learner.samples().get(2).network()).isEqualTo(IpPrefix.parse("2001:db8:7::/48"));
    }

    @Test
    void anUnknownOrRevokedKeyIsRefused() throws Exception {
        HttpResponse<String> unknown = postTo("/rum?key=rum_aaaaaaaaaaaaaaaaaaaaaaaaaa", "198.51.100.1", SITE, samples("westeurope", "20"));
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body()).contains("no such beacon key");
        assertThat(postTo("/rum", "198.51.100.2", SITE, samples("westeurope", "20")).statusCode()).isEqualTo(403);
        d.write("DELETE", "/api/v1/rum/keys/" + key, null);
        HttpResponse<String> revoked = post("198.51.100.3", SITE, samples("westeurope", "20"));
        assertThat(revoked.statusCode()).isEqualTo(403);
        assertThat(revoked.body()).contains("revoked");
        assertThat(learner.samples()).isEmpty();
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"unknown_key\"}")).isEqualTo(2);
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"revoked_key\"}")).isEqualTo(1);
    }

    @Test
    void anOriginTheKeyDoesNotListGetsNoCorsHeadersAndIsNotLearned() throws Exception {
        HttpResponse<String> other = post("198.51.100.1", "https://evil.example.test", samples("westeurope", "20"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        HttpResponse<String> none = post("198.51.100.2", null, samples("westeurope", "20"));
        assertThat(none.statusCode()).as("no Origin: not a page of the site").isEqualTo(403);
        assertThat(learner.samples()).isEmpty();
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"origin\"}")).isEqualTo(2);
    }

    @Test
    void aPreflightIsAnsweredForTheKeysOriginsOnly() throws Exception {
        HttpResponse<String> ok = d.send(HttpRequest.newBuilder(d.uri("/rum?key=" + key))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", SITE)
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type").build());
        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).contains(SITE);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
        assertThat(ok.headers().firstValue("Access-Control-Allow-Headers")).contains("Content-Type");
        assertThat(ok.headers().firstValue("Access-Control-Max-Age")).contains("600");
        assertThat(ok.headers().allValues("Vary")).contains("Origin");

        HttpResponse<String> other = d.send(HttpRequest.newBuilder(d.uri("/rum?key=" + key))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example.test")
                .header("Access-Control-Request-Method", "POST").build());
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        // After the preflight, the JSON post it was for.
        HttpResponse<String> json = post("198.51.100.4", SITE, samples("westeurope", "20"), "Content-Type", "application/json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Access-Control-Allow-Origin")).contains(SITE);
    }

    @Test
    void eachAddressHasItsOwnBucket() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(post("192.0.2.1", SITE, samples("westeurope", "20")).statusCode()).as("post " + i).isEqualTo(200);
        }
        HttpResponse<String> over = post("192.0.2.1", SITE, samples("westeurope", "20"));
        assertThat(over.statusCode()).isEqualTo(429);
        assertThat(over.body()).contains("\"error\":\"Too Many Requests\"");
        assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(post("192.0.2.2", SITE, samples("westeurope", "20")).statusCode()).as("another address").isEqualTo(200);
        // IPv6: one subscriber's /64 is one bucket.
        for (int i = 0; i < 3; i++) {
            assertThat(post("2001:db8:1:1::" + (i + 1), SITE, samples("westeurope", "20")).statusCode()).isEqualTo(200);
        }
        assertThat(post("2001:db8:1:1::99", SITE, samples("westeurope", "20")).statusCode()).isEqualTo(429);
        assertThat(post("2001:db8:1:2::1", SITE, samples("westeurope", "20")).statusCode()).isEqualTo(200);
        assertThat(metric("wayfinder_rum_posts_rate_limited_total")).isEqualTo(2);
        assertThat(learner.samples()).hasSize(8);
    }

    @Test
    void theForwardedForHeaderIsBelievedOnlyFromATrustedProxy() throws Exception {
        // From the trusted proxy: the rightmost hop that is not itself trusted; what the client wrote to its left is not believed.
        assertThat(post("203.0.113.9, 198.51.100.7, 127.0.0.1", SITE, samples("westeurope", "20")).statusCode()).isEqualTo(200);
        assertThat(learner.samples().get(0).network()).isEqualTo(IpPrefix.parse("198.51.100.0/24"));
        // From a peer that is not trusted (127.0.0.9): the header is ignored, the connection is the client.
        RawResponse direct = postFrom("127.0.0.9", "X-Forwarded-For: 203.0.113.9\r\nOrigin: " + SITE + "\r\n",
                samples("westeurope", "21"));
        assertThat(direct.status()).as(direct.body()).isEqualTo(200);
        assertThat(learner.samples().get(1).network()).isEqualTo(IpPrefix.parse("127.0.0.0/24"));
        // A trusted proxy's header that is not an address: not learned at all.
        HttpResponse<String> garbage = post("not-an-address", SITE, samples("westeurope", "20"));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(learner.samples()).hasSize(2);
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"client_address\"}")).isEqualTo(1);
    }

    @Test
    void samplesAreCheckedAsTheMeasurementsApiChecksThem() throws Exception {
        String body = "{\"samples\": [{\"region\": \"westeurope\", \"rttMs\": 12.5},"
                + " {\"region\": \"mars\", \"rttMs\": 10},"
                + " {\"region\": \"japaneast\", \"rttMs\": 10},"
                + " {\"region\": \"eastus\", \"rttMs\": 0},"
                + " {\"region\": \"eastus\", \"rttMs\": 10000},"
                + " {\"region\": \"eastus\", \"rttMs\": \"fast\"},"
                + " {\"region\": \"eastus\", \"rttMs\": 50, \"clientIp\": \"8.8.8.8\"},"
                + " {\"region\": \"eastus\", \"rttMs\": 50, \"timing\": \"guess\"},"
                + " {\"region\": \"westeurope\", \"rttMs\": 13},"
                + " 7]}";
        HttpResponse<String> r = post("198.51.100.7", SITE, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode out = ApiDeployment.json(r);
        assertThat(out.get("accepted").asInt()).isEqualTo(1);
        List<String> reasons = new ArrayList<>();
        out.get("rejections").forEach(j -> reasons.add(j.get("index").asInt() + " " + j.get("reason").asString()));
        assertThat(reasons).containsExactly("1 region", "2 target", "3 rtt", "4 rtt", "5 rtt", "6 format", "7 format",
                "8 format", "9 format");
        assertThat(out.get("rejections").get(0).get("message").asString()).contains("unknown region 'mars'");
        assertThat(out.get("rejections").get(5).get("field").asString()).as("the address is the connection's").isEqualTo("clientIp");
        assertThat(learner.samples()).extracting(Measurement::rttMs).containsExactly(12.5);
        assertThat(metric("wayfinder_rum_samples_rejected_total{reason=\"rtt\"}")).isEqualTo(3);
        assertThat(metric("wayfinder_rum_samples_rejected_total{reason=\"target\"}")).isEqualTo(1);
        assertThat(metric("wayfinder_rum_samples_accepted_total{timing=\"clock\"}")).isEqualTo(1);
    }

    @Test
    void bodiesThatAreNotTheBeaconsAreRefusedWhole() throws Exception {
        assertThat(post("198.51.100.1", SITE, "not json").statusCode()).isEqualTo(400);
        assertThat(post("198.51.100.2", SITE, "[{\"region\": \"westeurope\", \"rttMs\": 10}]").statusCode()).isEqualTo(400);
        assertThat(post("198.51.100.3", SITE, "{\"samples\": [], \"samples\": []}").statusCode()).isEqualTo(400);
        assertThat(post("198.51.100.4", SITE, samples("westeurope", "20"), "Content-Type", "application/x-www-form-urlencoded")
                .statusCode()).isEqualTo(415);
        assertThat(post("198.51.100.5", SITE, "{\"samples\": [" + "{},".repeat(64) + "{}]}").statusCode()).isEqualTo(413);
        assertThat(post("198.51.100.6", SITE, "{\"samples\": [\"" + "x".repeat(20_000) + "\"]}").statusCode()).isEqualTo(413);
        assertThat(learner.samples()).isEmpty();
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"body\"}")).isEqualTo(6);
    }

    @Test
    void aBodyTooLargeByItsLengthIsRefusedBeforeItIsInvited() throws Exception {
        // The client waits for "100 Continue" and has sent no body: it gets the 413 at once, with
        // no invitation to send 20 KB that would be dropped. (Java 17's HttpClient hangs on a final
        // answer to an expectation, JDK-8286171, hence the raw exchange.)
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", d.server.apiPort()), 3000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /rum?key=" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "X-Forwarded-For: 198.51.100.1\r\nOrigin: " + SITE + "\r\nExpect: 100-continue\r\nContent-Length: 20000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413 ").doesNotContain("100 Continue").contains("Connection: close");
        }
        assertThat(learner.samples()).isEmpty();
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"body\"}")).isEqualTo(1);
    }

    /** What a raw HTTP/1.1 exchange answered. */
    record RawResponse(int status, String body) {
    }

    /** A POST /rum over a socket bound to {@code local} (a loopback address other than 127.0.0.1). */
    RawResponse postFrom(String local, String headers, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
            s.connect(new InetSocketAddress("127.0.0.1", d.server.apiPort()), 3000);
            s.setSoTimeout(5000);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /rum?key=" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new RawResponse(status, text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }
}
