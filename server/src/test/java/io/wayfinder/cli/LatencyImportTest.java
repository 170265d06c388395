package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.control.FakeLearning;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code latency import FILE} against a started server that learns: CSV and JSON lines, batches, rejections, the rebuild. */
class LatencyImportTest {
    static final String MEASURER = "measurer-token-0123456789abcdef";

    @TempDir
    Path dir;
    ClientServer server;
    FakeLearning learner;

    @BeforeEach
    void start() throws Exception {
        String config = io.wayfinder.api.ApiDeployment.SETTINGS
                .replace("    - {name: dashboard,", "    - {name: beacon, token: " + MEASURER + ", role: measurer}\n    - {name: dashboard,")
                .replace("  sources: [latency.csv]\n", "  sources: [latency.csv]\n  learn: true\n  rebuildInterval: 1h\n")
                + ClientServer.PROFILES;
        server = ClientServer.start(dir, config, (checkpoint, parameters) -> learner = new FakeLearning());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aCsvFileIsImportedAndTheTableRebuilt() throws Exception {
        String time = Instant.now().minusSeconds(600).toString();
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, """
                client,region,rtt_ms,time
                # a comment, then rows: an address, a network, a display name, epoch milliseconds
                81.2.69.7,westeurope,90,%s
                81.2.70.0/24,eastus,15
                2001:db8::1,West Europe,31.5,%d
                81.2.69.7,atlantis,12
                81.2.69.7,eastus
                """.formatted(time, Instant.now().toEpochMilli() - 1000));
        ClientRun r = server.run("latency", "import", csv.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("3 measurement(s) accepted, 2 rejected {format=1, region=1}")
                .contains(csv + ":6: region: unknown region 'atlantis'")
                .contains(csv + ":7: expected client,region,rtt_ms[,time], got 2 field(s)")
                .contains("rebuilt in");
        assertThat(learner.samples()).extracting(Measurement::network).containsExactly(IpPrefix.parse("81.2.69.0/24"),
                IpPrefix.parse("81.2.70.0/24"), IpPrefix.parse("2001:db8::/48"));
        assertThat(learner.samples().get(0).timeMillis()).isEqualTo(Instant.parse(time).toEpochMilli());
        assertThat(learner.samples()).allMatch(m -> m.source().equals("import"));
        assertThat(learner.rebuilds).as("the import's rebuild, after the one at start").isGreaterThanOrEqualTo(2);
        JsonNode explain = server.get("/api/v1/explain?profile=parent&client=81.2.70.1");
        assertThat(explain.path("answers").get(0).path("endpoint").asString()).as("routing reads the imported figures")
                .isEqualTo("us");
    }

    @Test
    void jsonLinesInBatchesOfOneHundredThousand() throws Exception {
        Path file = dir.resolve("m.jsonl");
        Files.writeString(file, IntStream.range(0, 150_001)
                .mapToObj(i -> "{\"clientIp\": \"81.2." + (i % 200) + ".7\", \"region\": \"eastus\", \"rttMs\": " + (1 + i % 500) + "}")
                .collect(Collectors.joining("\n")));
        ClientRun r = server.run("latency", "import", file.toString(), "--no-rebuild", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode out = io.wayfinder.api.ApiDeployment.JSON.readTree(r.out());
        assertThat(out.path("accepted").asLong()).isEqualTo(150_001);
        assertThat(out.path("rejected").asLong()).isZero();
        assertThat(out.path("rebuild").isNull()).isTrue();
        assertThat(learner.samples()).hasSize(150_001);
    }

    @Test
    void aMeasurerTokenCanImportButNotRebuild() throws Exception {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "81.2.69.7,eastus,15\n");
        ClientRun r = server.runAs(MEASURER, "latency", "import", csv.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).contains("1 measurement(s) accepted");
        assertThat(r.err()).contains("POST /api/v1/latency/rebuild: 403");
        assertThat(learner.samples()).hasSize(1);
        assertThat(server.runAs(MEASURER, "latency", "import", csv.toString(), "--no-rebuild").exitCode()).isZero();
    }

    @Test
    void aMissingFileIsAUsageError() {
        ClientRun r = server.run("latency", "import", dir.resolve("nope.csv").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no such file");
    }
}
