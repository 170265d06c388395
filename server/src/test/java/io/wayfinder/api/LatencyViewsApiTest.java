package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.FakeLearning;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * What the learned table holds, through the API: a rebuild on request that routing uses when it
 * answers, the coverage, one client's network region by region, explain's learned view of each
 * estimate, and the metrics; and 404 for all of them when learning is off.
 */
class LatencyViewsApiTest {
    @TempDir
    Path dir;
    ApiDeployment d;
    FakeLearning learner;

    @BeforeEach
    void start() throws Exception {
        d = ApiDeployment.start(dir, MeasurementsApiTest.config(), (checkpoint, parameters) -> learner = new FakeLearning());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private void measure(String ndjson) throws Exception {
        HttpResponse<String> r = d.send(d.request("/api/v1/measurements", ApiDeployment.WRITER)
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode rebuild() throws Exception {
        HttpResponse<String> r = d.send(d.request("/api/v1/latency/rebuild", ApiDeployment.WRITER)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiDeployment.json(r);
    }

    /** latency.csv says 81.2.69.0/24 is 10 ms from westeurope and 80 from eastus; these say the opposite. */
    private static final String OPPOSITE = """
            {"clientIp": "81.2.69.7", "region": "westeurope", "rttMs": 90}
            {"clientIp": "81.2.69.8", "region": "westeurope", "rttMs": 92}
            {"clientIp": "81.2.69.9", "region": "eastus", "rttMs": 15}
            """;

    @Test
    void aRebuildOnRequestIsWhatRoutingAnswersWith() throws Exception {
        JsonNode before = explain("81.2.69.7");
        assertThat(before.path("answers").get(0).path("endpoint").asString()).isEqualTo("eu");

        measure(OPPOSITE);
        JsonNode r = rebuild();
        assertThat(r.path("networks").asInt()).isEqualTo(1);
        assertThat(r.path("cells").asInt()).isEqualTo(2);
        assertThat(r.path("rebuiltAt").asString()).isNotEmpty();

        JsonNode after = explain("81.2.69.7");
        assertThat(after.path("answers").get(0).path("endpoint").asString()).as("routing reads the learned table").isEqualTo("us");
    }

    private JsonNode explain(String client) throws Exception {
        HttpResponse<String> r = d.get("/api/v1/explain?profile=music&client=" + client);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiDeployment.json(r);
    }

    @Test
    void explainShowsTheLearnedViewBesideEachEstimate() throws Exception {
        measure(OPPOSITE);
        rebuild();
        JsonNode estimates = explain("81.2.69.7").path("steps").get(0).path("estimates");
        JsonNode eu = estimates.get(0).path("region").asString().equals("westeurope") ? estimates.get(0) : estimates.get(1);
        // The fields routing always gave are there, as they were
        assertThat(eu.path("rttMs").asDouble()).isEqualTo(91.0);
        assertThat(eu.path("evidence").asString()).isEqualTo("measured");
        assertThat(eu.path("network").asString()).isEqualTo("81.2.69.0/24");
        // and the learner's view of the same estimate
        JsonNode learned = eu.path("learned");
        assertThat(learned.path("estimateMs").asDouble()).isEqualTo(91.0);
        assertThat(learned.path("kind").asString()).isEqualTo("own");
        assertThat(learned.path("effectiveSamples").asDouble()).isEqualTo(2.0);
        assertThat(learned.path("uncertaintyMs").isNumber()).isTrue();
        assertThat(learned.path("ageMillis").isNumber()).isTrue();
        assertThat(learned.path("network").asString()).isEqualTo("81.2.69.0/24");
        assertThat(learned.has("borrowedFrom")).as("own data borrows nothing").isFalse();
    }

    @Test
    void aClientsNetworkRegionByRegion() throws Exception {
        measure(OPPOSITE);
        rebuild();
        HttpResponse<String> r = d.get("/api/v1/latency?client=81.2.69.200");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = ApiDeployment.json(r);
        assertThat(j.path("network").asString()).isEqualTo("81.2.69.0/24");
        JsonNode regions = j.path("regions");
        assertThat(regions.size()).isEqualTo(2);
        for (JsonNode region : regions) {
            assertThat(region.path("served").path("evidence").asString()).isEqualTo("measured");
            assertThat(region.path("learned").path("kind").asString()).isEqualTo("own");
        }
        HttpResponse<String> one = d.get("/api/v1/latency?client=81.2.69.0/24&region=East%20US");
        JsonNode us = ApiDeployment.json(one).path("regions");
        assertThat(us.size()).isEqualTo(1);
        assertThat(us.get(0).path("region").asString()).isEqualTo("eastus");
        assertThat(us.get(0).path("served").path("rttMs").asDouble()).isEqualTo(15.0);

        assertThat(d.get("/api/v1/latency").statusCode()).isEqualTo(400);
        assertThat(d.get("/api/v1/latency?client=nowhere").statusCode()).isEqualTo(400);
        HttpResponse<String> badRegion = d.get("/api/v1/latency?client=81.2.69.1&region=westeurop");
        assertThat(badRegion.statusCode()).isEqualTo(400);
        assertThat(badRegion.body()).contains("did you mean 'westeurope'");
    }

    @Test
    void coverageAfterARebuild() throws Exception {
        measure(OPPOSITE);
        rebuild();
        HttpResponse<String> r = d.get("/api/v1/latency/coverage");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = ApiDeployment.json(r);
        assertThat(j.path("networks").path("ownData").asInt()).isEqualTo(1);
        assertThat(j.path("regions").size()).isEqualTo(2);
        assertThat(j.path("regions").get(0).path("samples").asInt()).isEqualTo(2);
        assertThat(j.path("regions").get(0).path("ageMillis").has("p90")).isTrue();
        assertThat(j.path("trust").size()).isEqualTo(1);
        assertThat(j.path("rebuiltAt").asString()).isNotEmpty();
    }

    @Test
    void theMetricsCountSamplesAndRebuilds() throws Exception {
        measure(OPPOSITE + "{\"clientIp\": \"81.2.69.7\", \"region\": \"atlantis\", \"rttMs\": 1}\n");
        rebuild();
        String metrics = d.send(d.request("/metrics", null).GET().build()).body();
        assertThat(metrics).contains("wayfinder_latency_samples_accepted_total 3.0")
                .contains("wayfinder_latency_samples_rejected_total{reason=\"region\"} 1.0")
                .contains("wayfinder_latency_samples_rejected_total{reason=\"rtt\"} 0.0")
                .contains("wayfinder_latency_learned_networks 1.0")
                .contains("wayfinder_latency_learned_cells 2.0")
                .contains("wayfinder_latency_rebuild_duration_seconds")
                .contains("wayfinder_latency_last_rebuild_timestamp_seconds");
        assertThat(metrics).containsPattern("wayfinder_latency_rebuilds_total\\{result=\"published\"} [2-9]");
    }
}
