package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.LatencyLearningService;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The service with Wayfinder's own learner ({@code LearnedLatency}) end to end: measurements in,
 * a rebuild that routing answers with, explain's learned view, the views, and a restart that
 * restores what was learned.
 */
class LearnedLatencyApiTest {
    @TempDir
    Path dir;

    /** 81.2.69.0/24 is measured 10 ms from westeurope by the CSV; these samples say 60, and 12 from eastus. */
    private static String samples() {
        return IntStream.range(0, 60).mapToObj(i -> "{\"clientIp\": \"81.2.69." + (i + 1) + "\", \"region\": \""
                + (i % 2 == 0 ? "westeurope" : "eastus") + "\", \"rttMs\": " + (i % 2 == 0 ? 60 + i % 3 : 12 + i % 3) + "}")
                .collect(Collectors.joining("\n"));
    }

    private static HttpResponse<String> post(ApiDeployment d, String path, String ndjson) throws Exception {
        HttpRequest.Builder b = d.request(path, ApiDeployment.WRITER);
        b.POST(ndjson == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(ndjson));
        if (ndjson != null) {
            b.header("Content-Type", "application/x-ndjson");
        }
        return d.send(b.build());
    }

    @Test
    void measurementsLearnedRoutedExplainedAndKeptAcrossARestart() throws Exception {
        try (ApiDeployment d = ApiDeployment.start(dir, MeasurementsApiTest.config(), LatencyLearningService.Learners.LEARNED)) {
            HttpResponse<String> in = post(d, "/api/v1/measurements", samples());
            assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
            assertThat(ApiDeployment.json(in).path("accepted").asInt()).isEqualTo(60);
            HttpResponse<String> rebuilt = post(d, "/api/v1/latency/rebuild", null);
            assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);

            JsonNode decision = ApiDeployment.json(d.get("/api/v1/explain?profile=music&client=81.2.69.7"));
            assertThat(decision.path("answers").get(0).path("endpoint").asString()).as(decision.toString()).isEqualTo("us");
            for (JsonNode estimate : decision.path("steps").get(0).path("estimates")) {
                JsonNode learned = estimate.path("learned");
                assertThat(learned.path("kind").asString()).as(estimate.toString()).isEqualTo("own");
                assertThat(learned.path("effectiveSamples").asDouble()).isGreaterThan(20);
                assertThat(learned.path("uncertaintyMs").isNumber()).isTrue();
                assertThat(learned.path("ageMillis").isNumber()).isTrue();
            }
            assertThat(d.get("/api/v1/latency/coverage").statusCode()).isEqualTo(200);
            JsonNode client = ApiDeployment.json(d.get("/api/v1/latency?client=81.2.69.7&region=eastus"));
            assertThat(client.path("regions").get(0).path("learned").path("estimateMs").asDouble())
                    .as("between the samples (12-14 ms) and the CSV (80 ms), nearer the samples").isBetween(11.0, 46.0);
        }
        assertThat(Files.exists(LatencyLearningService.checkpointFile(dir.resolve("data")))).as("checkpointed in storage.dir").isTrue();

        try (ApiDeployment again = ApiDeployment.start(dir, MeasurementsApiTest.config(), LatencyLearningService.Learners.LEARNED)) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                    ApiDeployment.json(again.get("/api/v1/explain?profile=music&client=81.2.69.7"))
                            .path("answers").get(0).path("endpoint").asString().equals("us"));
        }
    }
}
