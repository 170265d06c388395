package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.wayfinder.control.FakeLearning;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Traffic View on a real server: DNS queries with and without ECS, merged, then read through
 * {@code GET /api/v1/traffic} (networks and places, by queries and by latency) and
 * {@code GET /api/v1/agent/targets}; who may read what; and the view kept across a restart.
 */
class TrafficApiTest {
    static final String MEASURER = MeasurementsApiTest.MEASURER;

    @TempDir
    Path dir;
    ApiDeployment d;

    @BeforeEach
    void start() throws Exception {
        d = ApiDeployment.start(dir, MeasurementsApiTest.config(), FakeLearning.learners());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    /** A client in London behind an ECS-speaking resolver (3 queries), and a resolver without ECS (1). */
    private void queryAndMerge() throws Exception {
        for (int i = 0; i < 3; i++) {
            query("music.app.test", "81.2.69.0", 24);
        }
        query("music.app.test", null, 0);
        query("www.app.test", "81.2.69.0", 24);
        d.mergeTraffic();
    }

    private void query(String name, String ecs, int length) throws Exception {
        assertThat(ecs == null ? d.rcode(name) : d.askFor(name, ecs, length)).isZero();
    }

    @Test
    void showsAProfilesNetworksWhereTheyAreSentAndWhereTheyAre() throws Exception {
        queryAndMerge();
        HttpResponse<String> r = d.get("/api/v1/traffic?profile=MUSIC");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ApiDeployment.json(r);
        assertThat(body.path("by").asString()).isEqualTo("queries");
        assertThat(body.path("halfLifeHours").asDouble()).isEqualTo(24.0);
        assertThat(body.path("updated").asString()).isNotEmpty();
        JsonNode music = body.path("profiles").get(0);
        assertThat(music.path("profile").asString()).isEqualTo("music");
        assertThat(music.path("queries").asDouble()).isEqualTo(4.0);
        JsonNode london = music.path("networks").get(0);
        assertThat(london.path("network").asString()).isEqualTo("81.2.69.0/24");
        assertThat(london.path("queries").asDouble()).isEqualTo(3.0);
        assertThat(london.path("error").asDouble()).isZero();
        assertThat(london.path("share").asDouble()).isEqualTo(0.75);
        assertThat(london.path("endpoint").asString()).isEqualTo("eu");
        assertThat(london.path("region").asString()).isEqualTo("westeurope");
        assertThat(london.path("rttMs").asDouble()).isEqualTo(10.0);
        assertThat(london.path("location").path("country").asString()).isEqualTo("GB");
        assertThat(london.path("location").path("latitude").asDouble()).isEqualTo(51.5);
        assertThat(london.path("location").path("longitude").asDouble()).isEqualTo(-0.1);
        JsonNode resolver = music.path("networks").get(1);
        assertThat(resolver.path("network").asString()).as("the resolver's /24, never its address")
                .isEqualTo("127.0.0.0/24");
        assertThat(resolver.path("queries").asDouble()).isEqualTo(1.0);
        assertThat(resolver.has("location")).isFalse();
        assertThat(music.path("places")).extracting(p -> p.path("place").asString(), p -> p.path("queries").asDouble(),
                p -> p.path("networks").asInt()).containsExactly(tuple("GB", 3.0, 1), tuple("unknown", 1.0, 1));
        assertThat(r.body()).doesNotContain("127.0.0.1");
    }

    @Test
    void ranksByLatencyOnlyNetworksWithAnEstimate() throws Exception {
        queryAndMerge();
        JsonNode music = ApiDeployment.json(d.get("/api/v1/traffic?profile=music&by=latency&limit=5")).path("profiles").get(0);
        assertThat(music.path("networks")).extracting(n -> n.path("network").asString()).containsExactly("81.2.69.0/24");
        assertThat(music.path("places")).extracting(p -> p.path("place").asString(), p -> p.path("rttMs").asDouble())
                .containsExactly(tuple("GB", 10.0));
    }

    @Test
    void withoutAProfileEveryProfileThatHasANameIsShown() throws Exception {
        queryAndMerge();
        JsonNode body = ApiDeployment.json(d.get("/api/v1/traffic?limit=1"));
        assertThat(body.path("profiles")).extracting(p -> p.path("profile").asString(), p -> p.path("queries").asDouble(),
                p -> p.path("networks").size()).containsExactly(
                tuple("web", 1.0, 1), tuple("eu", 0.0, 0), tuple("parent", 0.0, 0), tuple("music", 4.0, 1));
    }

    @Test
    void aBadQueryIsDescribedAndAnUnknownProfileIsNotFound() throws Exception {
        HttpResponse<String> bad = d.get("/api/v1/traffic?limit=0&by=fastest");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(ApiDeployment.json(bad).path("errors")).extracting(e -> e.path("path").asString())
                .containsExactly("limit", "by");
        assertThat(d.get("/api/v1/traffic?profile=nope").statusCode()).isEqualTo(404);
    }

    @Test
    void targetsAreTheBusiestNetworksWithAnAddressToMeasure() throws Exception {
        queryAndMerge();
        HttpResponse<String> r = d.send(d.request("/api/v1/agent/targets?region=West%20Europe&limit=10", MEASURER).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = ApiDeployment.json(r);
        assertThat(body.path("region").asString()).isEqualTo("westeurope");
        assertThat(body.path("targets")).extracting(t -> t.path("network").asString(), t -> t.path("address").asString(),
                t -> t.path("addressFrom").asString(), t -> t.path("queries").asDouble()).containsExactly(
                tuple("81.2.69.0/24", "81.2.69.1", "ecs-network", 4.0),
                tuple("127.0.0.0/24", "127.0.0.1", "resolver", 1.0));
        assertThat(ApiDeployment.json(d.send(d.request("/api/v1/agent/targets?region=westeurope&limit=1",
                ApiDeployment.WRITER).GET().build())).path("targets")).hasSize(1);
    }

    @Test
    void targetsNeedAKnownRegionAndAMeasurerOrWriterToken() throws Exception {
        HttpResponse<String> none = d.send(d.request("/api/v1/agent/targets", MEASURER).GET().build());
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(ApiDeployment.json(none).path("errors").get(0).path("path").asString()).isEqualTo("region");
        HttpResponse<String> unknown = d.send(d.request("/api/v1/agent/targets?region=westeurop&limit=0", MEASURER).GET().build());
        assertThat(ApiDeployment.json(unknown).path("errors")).extracting(e -> e.path("path").asString())
                .containsExactly("limit", "region");
        assertThat(d.get("/api/v1/agent/targets?region=westeurope").statusCode()).as("a reader").isEqualTo(403);
        assertThat(d.send(d.request("/api/v1/traffic", MEASURER).GET().build()).statusCode()).as("a measurer reading")
                .isEqualTo(403);
        assertThat(d.send(d.request("/api/v1/agent/targets?region=westeurope", null).GET().build()).statusCode())
                .isEqualTo(401);
    }

    @Test
    void theViewIsKeptAcrossARestart() throws Exception {
        queryAndMerge();
        d.close();
        d = ApiDeployment.start(dir, MeasurementsApiTest.config(), FakeLearning.learners());
        JsonNode music = ApiDeployment.json(d.get("/api/v1/traffic?profile=music")).path("profiles").get(0);
        assertThat(music.path("networks")).extracting(n -> n.path("network").asString(), n -> n.path("queries").asDouble())
                .containsExactly(tuple("81.2.69.0/24", 3.0), tuple("127.0.0.0/24", 1.0));
        assertThat(music.path("networks").get(0).path("endpoint").asString()).isEqualTo("eu");
        assertThat(music.path("networks").get(0).path("rttMs").asDouble()).isEqualTo(10.0);
    }

    @Test
    void metricsSayWhatTheViewHolds() throws Exception {
        queryAndMerge();
        String metrics = d.get("/metrics").body();
        assertThat(metrics).contains("wayfinder_traffic_networks 3.0").contains("wayfinder_traffic_merges_total 1.0")
                .contains("wayfinder_traffic_save_failures_total 0.0");
    }
}
