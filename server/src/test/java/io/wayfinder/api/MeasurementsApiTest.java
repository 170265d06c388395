package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.FakeLearning;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/measurements} on a real server with a small learner: every rule of a
 * sample in one batch (the good ones learned, each bad one described with its index, field and
 * reason), JSON arrays and JSON lines, the limits (413, 415, 400) and who may post.
 */
class MeasurementsApiTest {
    static final String MEASURER = "measurer-token-0123456789abcdef";

    /** The deployment's settings with a measurer token and learning on, and a Performance profile. */
    static String config() {
        return ApiDeployment.SETTINGS
                .replace("    - {name: dashboard,", "    - {name: beacon, token: " + MEASURER + ", role: measurer}\n    - {name: dashboard,")
                .replace("  sources: [latency.csv]\n", "  sources: [latency.csv]\n  learn: true\n  rebuildInterval: 1h\n")
                + ApiDeployment.PROFILES + """
                  - name: music
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: music}
                    endpoints:
                      - {name: eu, target: 192.0.2.40, endpointLocation: westeurope}
                      - {name: us, target: 192.0.2.41, endpointLocation: eastus}
                """;
    }

    @TempDir
    Path dir;
    ApiDeployment d;
    FakeLearning learner;

    @BeforeEach
    void start() throws Exception {
        d = ApiDeployment.start(dir, config(), (checkpoint, parameters) -> learner = new FakeLearning());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    HttpResponse<String> post(String token, String contentType, String body) throws Exception {
        HttpRequest.Builder b = d.request("/api/v1/measurements", token).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return d.send(b.build());
    }

    /** One row of the table: a sample, and the reason it is rejected for (null: accepted) with words its message has. */
    record Row(String sample, String reason, String field, String says) {
    }

    static List<Row> rows(Instant now) {
        long ms = now.toEpochMilli();
        return List.of(
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"westeurope\", \"rttMs\": 12.5}", null, null, null),
                new Row("{\"clientIp\": \"2001:db8:1:2::7\", \"region\": \"West Europe\", \"rttMs\": 20, \"time\": \""
                        + now.minusSeconds(60) + "\"}", null, null, null),
                new Row("{\"clientNetwork\": \"81.2.70.0/24\", \"region\": \"eastus\", \"rttMs\": 80, \"time\": " + (ms - 1000) + "}",
                        null, null, null),
                new Row("{\"clientIp\": \"81.2.69.8\", \"region\": \"eastus\", \"rttMs\": 9999.9, \"time\": \""
                        + now.plusSeconds(120) + "\"}", null, null, null),
                new Row("{\"clientIp\": \"81.2.69.300\", \"region\": \"eastus\", \"rttMs\": 10}", "address", "clientIp", "not an IPv4 or IPv6 address"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"clientNetwork\": \"81.2.69.0/24\", \"region\": \"eastus\", \"rttMs\": 10}",
                        "address", "clientIp", "not both"),
                new Row("{\"region\": \"eastus\", \"rttMs\": 10}", "address", "clientIp", "is required"),
                new Row("{\"clientIp\": \"81.2.69.0/24\", \"region\": \"eastus\", \"rttMs\": 10}", "address", "clientIp", "send it as clientNetwork"),
                new Row("{\"clientNetwork\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10}", "address", "clientNetwork", "no prefix length"),
                new Row("{\"clientNetwork\": \"81.0.0.0/8\", \"region\": \"eastus\", \"rttMs\": 10}", "address", "clientNetwork", "shorter than /16"),
                new Row("{\"clientNetwork\": \"81.2.69.7/24\", \"region\": \"eastus\", \"rttMs\": 10}", "address", "clientNetwork", "host bits"),
                new Row("{\"clientIp\": 81, \"region\": \"eastus\", \"rttMs\": 10}", "address", "clientIp", "must be a string, not a number"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"westeurop\", \"rttMs\": 10}", "region", "region", "did you mean 'westeurope'"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"rttMs\": 10}", "region", "region", "is required"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 0}", "rtt", "rttMs", "greater than 0 and less than 10000, not 0"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": -3}", "rtt", "rttMs", "not -3"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10000}", "rtt", "rttMs", "not 10000"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": \"12\"}", "rtt", "rttMs", "must be a number of milliseconds, not a string"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\"}", "rtt", "rttMs", "is required"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10, \"time\": \"" + now.plusSeconds(3600) + "\"}",
                        "time", "time", "is in the future"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10, \"time\": " + ms / 1000 + "}",
                        "time", "time", "was it sent in seconds?"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10, \"time\": \"yesterday\"}", "time", "time", "not an ISO-8601 time"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10, \"time\": 1.5e12}", "time", "time", "not a number"),
                new Row("42", "format", null, "a measurement is an object"),
                new Row("[{\"clientIp\": \"81.2.69.7\"}]", "format", null, "not an array"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rtt\": 10}", "format", "rtt", "did you mean 'rttMs'"),
                new Row("{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 10, \"rttMs\": 11}", "format", "rttMs", "is given twice"),
                new Row("{\"clientIp\": \"81.2.69.9\", \"region\": \"eastus\", \"rttMs\": 33, \"time\": null}", null, null, null));
    }

    @Test
    void everyRuleInOneBatchTheGoodLearnedTheBadDescribed() throws Exception {
        Instant now = Instant.now();
        List<Row> rows = rows(now);
        HttpResponse<String> r = post(ApiDeployment.WRITER, "application/json",
                rows.stream().map(Row::sample).collect(Collectors.joining(",\n", "[", "]")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = ApiDeployment.json(r);
        long good = rows.stream().filter(row -> row.reason() == null).count();
        assertThat(body.path("accepted").asLong()).isEqualTo(good);
        assertThat(body.path("rejected").asLong()).isEqualTo(rows.size() - good);
        for (String reason : List.of("address", "region", "rtt", "time", "format")) {
            assertThat(body.path("rejectedByReason").path(reason).asLong()).as(reason)
                    .isEqualTo(rows.stream().filter(row -> reason.equals(row.reason())).count());
        }
        List<JsonNode> rejections = new ArrayList<>();
        body.path("rejections").forEach(rejections::add);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int index = i;
            JsonNode found = rejections.stream().filter(j -> j.path("index").asInt() == index).findFirst().orElse(null);
            if (row.reason() == null) {
                assertThat(found).as("row %d accepted: %s", i, row.sample()).isNull();
                continue;
            }
            assertThat(found).as("row %d rejected: %s", i, row.sample()).isNotNull();
            assertThat(found.path("reason").asString()).as(row.sample()).isEqualTo(row.reason());
            assertThat(found.path("field").isMissingNode() ? null : found.path("field").asString()).as(row.sample())
                    .isEqualTo(row.field());
            assertThat(found.path("message").asString()).as(row.sample()).contains(row.says());
        }

        List<Measurement> learned = learner.samples();
        assertThat(learned).hasSize((int) good);
        assertThat(learned.get(0).network()).as("an address stands for its /24").isEqualTo(IpPrefix.parse("81.2.69.0/24"));
        assertThat(learned.get(0).source()).isEqualTo("api");
        assertThat(learned.get(0).timeMillis()).as("no time: now").isBetween(now.toEpochMilli() - 1000, Instant.now().toEpochMilli());
        assertThat(learned.get(1).network()).as("IPv6: its /48").isEqualTo(IpPrefix.parse("2001:db8:1::/48"));
        assertThat(learned.get(1).region()).as("a display name: the region's name").isEqualTo("westeurope");
        assertThat(learned.get(1).timeMillis()).isEqualTo(now.minusSeconds(60).toEpochMilli());
        assertThat(learned.get(2).network()).isEqualTo(IpPrefix.parse("81.2.70.0/24"));
        assertThat(learned.get(3).timeMillis()).as("within the clock-skew allowance: taken as now")
                .isLessThanOrEqualTo(Instant.now().toEpochMilli());
    }

    @Test
    void jsonLinesTakeOneObjectALineAndRejectionsSayTheLine() throws Exception {
        String body = """
                {"clientIp": "81.2.69.7", "region": "westeurope", "rttMs": 12}

                {"clientIp": "81.2.69.7", "region": "atlantis", "rttMs": 12}
                {"clientIp": "81.2.69.7", "region": "eastus", "rttMs": 80}
                """;
        HttpResponse<String> r = post(ApiDeployment.WRITER, "application/x-ndjson", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = ApiDeployment.json(r);
        assertThat(j.path("accepted").asInt()).isEqualTo(2);
        assertThat(j.path("rejections").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(j.path("rejections").get(0).path("line").asInt()).isEqualTo(3);
        assertThat(learner.samples()).extracting(Measurement::region).containsExactly("westeurope", "eastus");
    }

    @Test
    void aSourceNamesWhereTheyCameFrom() throws Exception {
        HttpResponse<String> r = d.send(d.request("/api/v1/measurements?source=agent:westeurope", MEASURER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 80}]"))
                .build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(learner.samples().get(0).source()).isEqualTo("agent:westeurope");
        HttpResponse<String> bad = d.send(d.request("/api/v1/measurements?source=no%20spaces", MEASURER)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void moreThanOneHundredThousandSamplesIsRefusedWhole() throws Exception {
        String sample = "{\"clientIp\":\"81.2.69.7\",\"region\":\"eastus\",\"rttMs\":80}";
        String atLimit = IntStream.range(0, 100_000).mapToObj(i -> sample).collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> ok = post(ApiDeployment.WRITER, "application/json", atLimit);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ApiDeployment.json(ok).path("accepted").asInt()).isEqualTo(100_000);

        String over = IntStream.range(0, 100_001).mapToObj(i -> sample).collect(Collectors.joining("\n"));
        HttpResponse<String> r = post(ApiDeployment.WRITER, "application/x-ndjson", over);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(ApiDeployment.json(r).path("message").asString()).contains("more than 100000 measurements");
        assertThat(learner.samples()).as("nothing of the refused request is learned").hasSize(100_000);
    }

    @Test
    void aBodyOverTheByteLimitIsRefused() throws Exception {
        String blanks = "[" + " ".repeat(33 * 1024 * 1024) + "]";
        HttpResponse<String> r = post(ApiDeployment.WRITER, "application/json", blanks);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(ApiDeployment.json(r).path("message").asString()).contains("larger than");
    }

    @Test
    void otherMediaTypesAndBodiesThatAreNotJsonAreRefused() throws Exception {
        assertThat(post(ApiDeployment.WRITER, "text/csv", "81.2.69.7,eastus,80").statusCode()).isEqualTo(415);
        assertThat(post(ApiDeployment.WRITER, null, "[]").statusCode()).isEqualTo(415);
        HttpResponse<String> broken = post(ApiDeployment.WRITER, "application/json", "[{\"clientIp\": \"81.2.69.7\",");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(ApiDeployment.json(broken).path("message").asString()).contains("not JSON").contains("line 1");
        HttpResponse<String> object = post(ApiDeployment.WRITER, "application/json", "{\"clientIp\": \"81.2.69.7\"}");
        assertThat(object.statusCode()).isEqualTo(400);
        assertThat(ApiDeployment.json(object).path("message").asString()).contains("must be a JSON array");
        assertThat(post(ApiDeployment.WRITER, "application/json", "[] []").statusCode()).isEqualTo(400);
        assertThat(learner.samples()).isEmpty();
    }

    @Test
    void aMeasurerMayPostMeasurementsAndNothingElse() throws Exception {
        String one = "[{\"clientIp\": \"81.2.69.7\", \"region\": \"eastus\", \"rttMs\": 80}]";
        assertThat(post(MEASURER, "application/json", one).statusCode()).isEqualTo(200);
        assertThat(post(ApiDeployment.WRITER, "application/json", one).statusCode()).isEqualTo(200);

        HttpResponse<String> read = d.send(d.request("/api/v1/profiles", MEASURER).GET().build());
        assertThat(read.statusCode()).isEqualTo(403);
        assertThat(ApiDeployment.json(read).path("message").asString()).contains("measurer").contains("only post measurements");
        HttpResponse<String> write = d.send(d.request("/api/v1/profiles/web", MEASURER).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"dnsConfig\": {\"ttl\": 60}}")).build());
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(d.send(d.request("/api/v1/latency/rebuild", MEASURER).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(403);
        assertThat(d.send(d.request("/api/v1/latency/coverage", MEASURER).GET().build()).statusCode()).isEqualTo(403);

        HttpResponse<String> reader = post(ApiDeployment.READER, "application/json", one);
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(ApiDeployment.json(reader).path("message").asString()).contains("writer or a measurer");
        assertThat(post(null, "application/json", one).statusCode()).isEqualTo(401);
        assertThat(learner.samples()).hasSize(2);
    }
}
