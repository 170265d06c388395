package io.wayfinder.runtime;

import static io.wayfinder.runtime.DnsServerIntegrationTest.addresses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wayfinder.geo.CorruptMmdb;
import io.wayfinder.geo.MmdbTestWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Files changed under a running server, the way operators and their tools change them: a
 * geolocation database overwritten in place, configurations that break the parser. Answers keep
 * flowing from what was loaded, and the next good edit still applies.
 */
class ChangedFilesIntegrationTest {
    private static final String CONFIG = """
            dns:
              listen: ["127.0.0.1:0"]
            metrics:
              listen: "127.0.0.1:0"
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [127.0.0.1]}
            geolocation:
              mmdb: geo.mmdb
            latency:
              sources: [latency.csv]
            profiles:
              - name: web
                zone: app.test
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www, ttl: 0}
                endpoints:
                  - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                  - {name: asia, target: 192.0.2.30, endpointLocation: southeastasia}
            """;

    /** One measured network far from the clients asked: they are routed by the distance from their geolocation. */
    private static final String LATENCY = """
            prefix,region,rtt_ms,samples
            198.51.100.0/24,westeurope,20,20
            198.51.100.0/24,southeastasia,200,20
            """;

    private static byte[] database(double latitude, double longitude, String country) {
        return new MmdbTestWriter("GeoLite2-City", 6)
                .insert("82.0.0.0/8", Map.of("country", Map.of("iso_code", country),
                        "location", Map.of("latitude", latitude, "longitude", longitude)))
                .toBytes();
    }

    /**
     * A database overwritten in place (as {@code cp} does: truncate, then write) was memory-mapped,
     * so answers read the half-written file. Now every client network is still answered from the
     * database as it was loaded; the half file is rejected at reload, and the whole one applies.
     */
    @Test
    void aGeolocationDatabaseOverwrittenInPlaceKeepsAnswersFlowing(@TempDir Path dir) throws Exception {
        byte[] paris = database(48.86, 2.35, "FR");
        byte[] tokyo = database(35.69, 139.69, "JP");
        Path mmdb = Files.write(dir.resolve("geo.mmdb"), paris);
        Files.writeString(dir.resolve("latency.csv"), LATENCY);
        try (WayfinderServer server = TestDeployment.serve(dir, CONFIG)) {
            Asker ask = new Asker(server);
            assertThat(ask.www("82.1.0.0/24")).containsExactly("192.0.2.10");

            Files.write(mmdb, Arrays.copyOf(tokyo, tokyo.length / 2)); // the copy has written half
            for (int i = 1; i <= 40; i++) {
                assertThat(ask.www("82.1." + i + ".0/24")).as("82.1.%d.0/24", i).containsExactly("192.0.2.10");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.rejectedReloads() == 1);
            assertThat(ask.www("82.2.0.0/24")).containsExactly("192.0.2.10");
            double started = metric(server, "wayfinder_config_last_reload_success_timestamp_seconds");
            double rejected = metric(server, "wayfinder_config_last_reload_failure_timestamp_seconds");
            assertThat(rejected).isGreaterThanOrEqualTo(started).isPositive();

            Files.write(mmdb, tokyo); // the copy has finished
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(ask.www("82.3.0.0/24")).containsExactly("192.0.2.30"));
            assertThat(ask.www("82.1.0.0/24")).containsExactly("192.0.2.30");
            // The answers move when the new snapshot is published, the count just after it.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.reloads() >= 1);
            assertThat(server.reloads()).isEqualTo(1);
            assertThat(metric(server, "wayfinder_config_last_reload_success_timestamp_seconds")).isGreaterThanOrEqualTo(rejected);
            assertThat(metric(server, "wayfinder_config_last_reload_failure_timestamp_seconds")).isEqualTo(rejected);
            assertThat(metric(server, "wayfinder_geolocation_lookup_failures_total")).isZero();
        }
    }

    /**
     * A record damaged where the checks at load do not look (83.0.0.0/24; the latency table's
     * network 83.0.5.0/24 is not in it) made the query SERVFAIL. Now that client's location is
     * unknown: westeurope, estimated from the /16 aggregate, answers, and the failure is counted.
     */
    @Test
    void aGeolocationLookupThatFailsIsAnUnknownLocationAndIsCounted(@TempDir Path dir) throws Exception {
        Path mmdb = new MmdbTestWriter("GeoLite2-City", 6)
                .insert("82.0.0.0/8", Map.of("country", Map.of("iso_code", "FR"),
                        "location", Map.of("latitude", 48.86, "longitude", 2.35)))
                .insert("83.0.0.0/24", CorruptMmdb.markedCity(35.69, 139.69, "JP"))
                .write(dir.resolve("geo.mmdb"));
        CorruptMmdb.breakValuesMarked(mmdb);
        Files.writeString(dir.resolve("latency.csv"), LATENCY + "83.0.5.0/24,westeurope,30,20\n");
        try (WayfinderServer server = TestDeployment.serve(dir, CONFIG)) {
            Asker ask = new Asker(server);

            assertThat(ask.www("83.0.0.0/24")).containsExactly("192.0.2.10");
            assertThat(ask.www("82.1.0.0/24")).containsExactly("192.0.2.10");
            assertThat(metric(server, "wayfinder_geolocation_lookup_failures_total")).isEqualTo(1);
        }
    }

    /** The value of an unlabelled metric, scraped from the server's metrics endpoint. */
    private static double metric(WayfinderServer server, String name) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        String text = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                line.substring(name.length() + 1).strip())).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not among the metrics:\n" + text));
    }

    /**
     * A document that overflows the parser's stack and one whose aliases expand to 9^9 values were
     * Errors that stopped the watcher for good. Both are rejected with an error, and the next good
     * edit applies.
     */
    @Test
    void configurationsThatBreakTheParserAreRejectedAndTheNextGoodEditApplies(@TempDir Path dir) throws Exception {
        try (TestDeployment deployment = TestDeployment.start(dir)) {
            deployment.rewriteConfig(TestDeployment.config() + "x-deep: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> deployment.server.rejectedReloads() == 1);

            StringBuilder bomb = new StringBuilder(TestDeployment.config()).append("x-a: &a [x, x, x, x, x, x, x, x, x]\n");
            for (char level = 'b'; level <= 'i'; level++) {
                bomb.append("x-").append(level).append(": &").append(level).append(" [")
                        .append(String.join(", ", Collections.nCopies(9, "*" + (char) (level - 1)))).append("]\n");
            }
            deployment.rewriteConfig(bomb.toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> deployment.server.rejectedReloads() == 2);
            assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false))).containsExactly("192.0.2.10");

            deployment.rewriteConfig(TestDeployment.config().replace(
                    "{name: eu, target: 192.0.2.10, endpointLocation: westeurope}",
                    "{name: eu, target: 192.0.2.10, endpointLocation: westeurope, endpointStatus: Disabled}"));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(addresses(deployment.ask("www.app.test", Type.A, "81.2.69.0/24", false)))
                            .containsExactly("192.0.2.20"));
            assertThat(deployment.server.reloads()).isEqualTo(1);
        }
    }

    /** Asks the running server for www.app.test A on behalf of a client network. */
    private record Asker(WayfinderServer server) {
        List<String> www(String ecs) throws Exception {
            Message query = Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString("www.app.test."), Type.A, org.xbill.DNS.DClass.IN));
            String[] parts = ecs.split("/");
            query.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, 0, List.of(new org.xbill.DNS.ClientSubnetOption(
                    Integer.parseInt(parts[1]), java.net.InetAddress.getByName(parts[0])))), org.xbill.DNS.Section.ADDITIONAL);
            Message response = TestDeployment.resolver(server.dnsAddresses().get(0), false).send(query);
            assertThat(response.getRcode()).as("rcode for %s", ecs).isEqualTo(Rcode.NOERROR);
            return addresses(response);
        }
    }
}
