package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import tools.jackson.databind.JsonNode;

/** {@code wayfinder traffic} against a running server that has answered queries. */
@ResourceLock(Resources.SYSTEM_OUT)
@ResourceLock(Resources.SYSTEM_ERR)
class TrafficCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsEachProfilesNetworksAndPlacesWithWhereTheyWereSent() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            server.queryFrom("parent.app.test", "81.2.69.0", 3); // London: the geolocation file places it
            server.queryFrom("parent.app.test", "203.0.113.0", 1); // nowhere known

            ClientRun run = server.runAs(ApiDeployment.READER, "traffic", "--profile", "parent");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).startsWith("profile parent: 4.0 queries (half-life 24.0 h; updated ")
                    .containsPattern("\\n  NETWORK +QUERIES +SHARE +ENDPOINT +REGION +RTT +LOCATION\\n")
                    .containsPattern("\\n  81\\.2\\.69\\.0/24 +3\\.0 +75\\.0% +child +westeurope +10\\.0 ms +GB \\(51\\.5, -0\\.1\\)\\n")
                    .containsPattern("\\n  203\\.0\\.113\\.0/24 +1\\.0 +25\\.0% +child +westeurope +[^\\n]*\\n")
                    .containsPattern("\\n  PLACE +QUERIES +NETWORKS +RTT\\n  GB +3\\.0 +1 +10\\.0 ms\\n")
                    .doesNotContain("profile web");
        }
    }

    @Test
    void jsonIsTheApisAnswerAndLatencyOrderKeepsOnlyNetworksWithAnEstimate() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            server.queryFrom("parent.app.test", "81.2.69.0", 2);
            server.queryFrom("parent.app.test", "203.0.113.0", 5);

            ClientRun json = server.runAs(ApiDeployment.READER, "traffic", "-p", "parent", "--by", "latency", "-o", "json");

            assertThat(json.exitCode()).as(json.err()).isZero();
            JsonNode printed = ApiDeployment.JSON.readTree(json.out());
            assertThat(printed).isEqualTo(server.get("/api/v1/traffic?profile=parent&by=latency"));
            assertThat(printed.get("by").asString()).isEqualTo("latency");
            JsonNode networks = printed.get("profiles").get(0).get("networks");
            assertThat(networks.get(0).get("network").asString()).isEqualTo("81.2.69.0/24");
        }
    }

    @Test
    void aBadOrderIsRefusedNamingTheParameter() throws Exception {
        try (ClientServer server = ClientServer.start(dir)) {
            ClientRun run = server.runAs(ApiDeployment.READER, "traffic", "--by", "speed");

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).contains("400").contains("by: must be queries or latency, not speed");
        }
    }
}
