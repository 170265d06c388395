package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without latency.learn the learning routes say so, and explain has no learned view. */
class LearningOffApiTest {
    @TempDir
    Path dir;

    @Test
    void everyLearningRouteSaysLearningIsOff() throws Exception {
        try (ApiDeployment d = ApiDeployment.start(dir)) {
            HttpResponse<String> post = d.send(d.request("/api/v1/measurements", ApiDeployment.WRITER)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")).build());
            assertThat(post.statusCode()).isEqualTo(404);
            assertThat(ApiDeployment.json(post).path("message").asString()).contains("latency.learn: true");
            assertThat(d.get("/api/v1/latency/coverage").statusCode()).isEqualTo(404);
            assertThat(d.get("/api/v1/latency?client=81.2.69.7").statusCode()).isEqualTo(404);
            assertThat(d.server.learning()).isNull();
            assertThat(d.get("/api/v1/explain?profile=web&client=81.2.69.7").body()).doesNotContain("learned");
        }
    }
}
