package io.wayfinder.runtime;

import static io.wayfinder.runtime.DnsServerIntegrationTest.addresses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wayfinder.geo.MmdbTestWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
        Path config = Files.writeString(dir.resolve("wayfinder.yaml"), CONFIG);
        try (WayfinderServer server = WayfinderServer.start(config, new WayfinderServer.Options(List.of(), 2, 100))) {
            Asker ask = new Asker(server);
            assertThat(ask.www("82.1.0.0/24")).containsExactly("192.0.2.10");

            Files.write(mmdb, Arrays.copyOf(tokyo, tokyo.length / 2)); // the copy has written half
            for (int i = 1; i <= 40; i++) {
                assertThat(ask.www("82.1." + i + ".0/24")).as("82.1.%d.0/24", i).containsExactly("192.0.2.10");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.rejectedReloads() == 1);
            assertThat(ask.www("82.2.0.0/24")).containsExactly("192.0.2.10");

            Files.write(mmdb, tokyo); // the copy has finished
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(ask.www("82.3.0.0/24")).containsExactly("192.0.2.30"));
            assertThat(ask.www("82.1.0.0/24")).containsExactly("192.0.2.30");
            assertThat(server.reloads()).isEqualTo(1);
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
