package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.SettledWinners;
import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Performance routing in the real server over a latency table large enough for the query path's
 * shortcuts for settled /24s (the direct index from {@value LatencyTable#DIRECT_INDEX_MIN_IPV4_PREFIXES}
 * IPv4 prefixes, the settled rows, the winner index), asked with dnsjava over UDP and TCP.
 *
 * <p>The table: 300,000 consecutive /24s from 10.0.0.0, each measured to three regions. The /24
 * number {@code i} has region {@code i % 3} fastest (10 ms; the others 50 and 90 ms, in turn), except
 * every seventh, where westeurope and eastus tie at 20 ms. Two profiles compare the same three
 * regions, so they share one winner index: {@code all} with every endpoint enabled, {@code noeu}
 * with westeurope's endpoint disabled, whose clients that westeurope wins must get the next fastest.
 */
class LargeTablePerformanceIntegrationTest {
    private static final int SLASH24S = 300_000;
    private static final String[] REGIONS = {"westeurope", "eastus", "southeastasia"};

    private static final String CONFIG = """
            dns:
              listen: ["127.0.0.1:0"]
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [127.0.0.1]}
                hostmaster: hostmaster.app.test
            latency:
              sources: [latency.csv]
            profiles:
              - name: all
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: all, ttl: 30}
                endpoints:
                  - {name: eu, target: 192.0.2.1, endpointLocation: westeurope}
                  - {name: us, target: 192.0.2.2, endpointLocation: eastus}
                  - {name: asia, target: 192.0.2.3, endpointLocation: southeastasia}
              - name: noeu
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: noeu, ttl: 30}
                endpoints:
                  - {name: eu, target: 192.0.2.11, endpointLocation: westeurope, endpointStatus: Disabled}
                  - {name: us, target: 192.0.2.12, endpointLocation: eastus}
                  - {name: asia, target: 192.0.2.13, endpointLocation: southeastasia}
            """;

    @TempDir
    static Path dir;
    static WayfinderServer server;
    static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("latency.csv"))) {
            out.write("prefix,region,rtt_ms,samples\n");
            for (int i = 0; i < SLASH24S; i++) {
                String prefix = slash24(i);
                for (int r = 0; r < REGIONS.length; r++) {
                    out.write(prefix + "," + REGIONS[r] + "," + rtt(i, r) + ",20\n");
                }
            }
        }
        server = TestDeployment.serve(dir, CONFIG);
        address = server.dnsAddresses().get(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String slash24(int i) {
        int base = (10 << 24) + (i << 8);
        return (base >>> 24) + "." + (base >>> 16 & 0xFF) + "." + (base >>> 8 & 0xFF) + ".0/24";
    }

    /** Region {@code i % 3} at 10 ms, the next at 50, the last at 90; every seventh /24 ties at 20 ms. */
    private static int rtt(int i, int region) {
        if (i % 7 == 0) {
            return region == 2 ? 90 : 20;
        }
        return 10 + 40 * Math.floorMod(region - i % 3, 3);
    }

    /**
     * @param i        the /24's number in the table
     * @param all      the answer of {@code all}
     * @param noeu     the answer of {@code noeu}, whose westeurope endpoint is disabled
     */
    @ParameterizedTest(name = "/24 {0}: all -> {1}, noeu -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            3      | 192.0.2.1 | 192.0.2.12
            4      | 192.0.2.2 | 192.0.2.12
            5      | 192.0.2.3 | 192.0.2.13
            299998 | 192.0.2.2 | 192.0.2.12
            299997 | 192.0.2.1 | 192.0.2.12
            """)
    void theFastestRegionWithAnEndpointUpAnswersForTheWhole24(int i, String all, String noeu) throws IOException {
        String subnet = slash24(i);
        for (boolean tcp : new boolean[] {false, true}) {
            assertAnswer(ask("all.app.test", subnet, tcp), all, 24);
            assertAnswer(ask("noeu.app.test", subnet, tcp), noeu, 24);
        }
        String host = subnet.replace(".0/24", ".77/32");
        assertAnswer(ask("all.app.test", host, false), all, 24);
    }

    /** A tie between westeurope and eastus: the client hash picks for all; noeu has only eastus left of the two. */
    @Test
    void aTieIsBrokenByTheClientHashAndTheOtherRegionTakesOverWhenOneIsDown() throws IOException {
        for (int i = 7; i < 7 * 40; i += 7) {
            Message response = ask("all.app.test", slash24(i), false);
            assertThat(addresses(response)).as("/24 %d", i).singleElement().isIn("192.0.2.1", "192.0.2.2");
            assertThat(ecs(response).getScopePrefixLength()).isEqualTo(24);
            assertThat(addresses(ask("all.app.test", slash24(i), false))).as("the same client, the same answer")
                    .isEqualTo(addresses(response));
            assertAnswer(ask("noeu.app.test", slash24(i), false), "192.0.2.12", 24);
        }
    }

    /** The answers above came through the winner index: the server's table has one, shared by both profiles. */
    @Test
    void theServersTableHasOneWinnerIndexForTheThreeRegions() {
        LatencyTable table = server.snapshot().routing().estimator().table();
        assertThat(table.prefixes().hasDirectIpv4Index()).isTrue();
        assertThat(table.winnerListCount()).as("built for the profiles, one for both").isEqualTo(1);
        int[] columns = {table.column("westeurope"), table.column("eastus"), table.column("southeastasia")};
        java.util.Arrays.sort(columns);
        SettledWinners winners = table.settledWinners(columns);
        assertThat(winners).isNotNull();
        assertThat(winners.winnerCount()).as("every /24 but the ties").isEqualTo(SLASH24S - (SLASH24S + 6) / 7);
        assertThat(winners.winner(10 << 24 | 3 << 8)).isEqualTo(java.util.Arrays.binarySearch(columns, table.column("westeurope")));
        assertThat(winners.winner(10 << 24 | 7 << 8)).as("a tie").isEqualTo(SettledWinners.NONE);
    }

    /** A client outside the table: no estimate for any region (no geolocation here), so the client hash picks. */
    @Test
    void aClientOutsideTheTableIsStillAnswered() throws IOException {
        Message response = ask("all.app.test", "172.16.5.0/24", false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(response)).hasSize(1);
    }

    private static void assertAnswer(Message response, String expected, int scope) {
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(response)).containsExactly(expected);
        assertThat(ecs(response).getScopePrefixLength()).isEqualTo(scope);
    }

    private static Message ask(String name, String ecsSubnet, boolean tcp) throws IOException {
        return TestDeployment.ask(address, name, Type.A, ecsSubnet, tcp);
    }

    private static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .map(r -> ((ARecord) r).getAddress().getHostAddress())
                .toList();
    }

    private static ClientSubnetOption ecs(Message response) {
        return TestDeployment.ecsOf(response);
    }
}
