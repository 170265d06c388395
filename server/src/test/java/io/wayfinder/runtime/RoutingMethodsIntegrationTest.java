package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
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
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Geographic, MultiValue and Subnet profiles in the real server, asked with dnsjava: the answer,
 * NODATA with the SOA, and the ECS scope in the response's OPT record. The geolocation file has
 * the subdivision column. Endpoints are documentation addresses and are never probed (no
 * monitorConfig).
 */
class RoutingMethodsIntegrationTest {
    private static final String CONFIG = """
            dns:
              listen: ["127.0.0.1:0"]
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [127.0.0.1]}
                hostmaster: hostmaster.app.test
                soa: {minimum: 60}
            geolocation:
              csv: geo.csv
            profiles:
              - name: geo
                zone: app.test
                trafficRoutingMethod: Geographic
                dnsConfig: {relativeName: geo, ttl: 30}
                endpoints:
                  - {name: california, target: 192.0.2.1, geoMapping: [US-CA]}
                  - {name: us, target: 192.0.2.2, geoMapping: [US]}
                  - {name: europe, target: "2001:db8::4", geoMapping: [GEO-EU]}
                  - {name: france, target: 192.0.2.5, geoMapping: [FR], subnets: [198.51.100.0/24]}
              - name: mv
                zone: app.test
                trafficRoutingMethod: MultiValue
                maxReturn: 3
                dnsConfig: {relativeName: mv, ttl: 30}
                endpoints:
                  - {name: a, target: 192.0.2.11}
                  - {name: b, target: 192.0.2.12}
                  - {name: c, target: 192.0.2.13}
                  - {name: d, target: 192.0.2.14}
                  - {name: v6, target: "2001:db8::11"}
              - name: split
                zone: app.test
                trafficRoutingMethod: Subnet
                dnsConfig: {relativeName: split, ttl: 30}
                endpoints:
                  - name: office
                    target: 192.0.2.21
                    subnets: [{first: 10.0.0.5, last: 10.0.1.200}]
                  - name: lab
                    target: "2001:db8::22"
                    subnets: ["2001:db8:aaaa::/48", {first: 10.8.0.0, scope: 16}]
            """;

    private static final String GEO = """
            prefix,latitude,longitude,country,subdivision
            24.0.0.0/16,37.77,-122.42,US,US-CA
            24.1.0.0/16,32.78,-96.80,US,US-TX
            2.0.0.0/16,48.86,2.35,FR,
            2.1.0.0/16,53.35,-6.26,IE
            1.0.0.0/16,35.69,139.77,JP,
            198.51.0.0/16,37.77,-122.42,US,US-CA
            2a00:1450::/32,51.51,-0.09,GB,
            """;

    @TempDir
    static Path dir;
    static WayfinderServer server;
    static InetSocketAddress address;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("geo.csv"), GEO);
        server = TestDeployment.serve(dir, CONFIG);
        address = server.dnsAddresses().get(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /**
     * @param expected the addresses in the answer, space-separated ("-" for NODATA)
     * @param scope    the ECS scope prefix length of the response
     */
    @ParameterizedTest(name = "{0} {1} from {2} -> {3} /{4}")
    @CsvSource(delimiter = '|', textBlock = """
            geo.app.test   | A    | 24.0.5.0/24         | 192.0.2.1    | 16
            geo.app.test   | A    | 24.1.0.0/24         | 192.0.2.2    | 16
            geo.app.test   | A    | 2.0.0.0/24          | 192.0.2.5    | 16
            geo.app.test   | AAAA | 2.1.0.0/24          | 2001:db8::4  | 16
            geo.app.test   | AAAA | 2a00:1450:4009::/48 | 2001:db8::4  | 32
            geo.app.test   | A    | 198.51.100.0/24     | 192.0.2.5    | 24
            geo.app.test   | A    | 198.51.7.0/24       | 192.0.2.1    | 18
            geo.app.test   | A    | 1.0.0.0/24          | -            | 16
            geo.app.test   | AAAA | 24.0.5.0/24         | -            | 16
            split.app.test | A    | 10.0.1.0/25         | 192.0.2.21   | 25
            split.app.test | A    | 10.0.0.5/32         | 192.0.2.21   | 32
            split.app.test | A    | 10.0.0.0/24         | -            | 13
            split.app.test | AAAA | 10.8.3.0/24         | 2001:db8::22 | 16
            split.app.test | AAAA | 2001:db8:aaaa::/56  | 2001:db8::22 | 48
            split.app.test | A    | 2001:db8:aaaa::/56  | -            | 48
            split.app.test | AAAA | 2001:db8:bbbb::/48  | -            | 36
            mv.app.test    | AAAA | 192.0.2.0/24        | 2001:db8::11 | 0
            """)
    void answersOverUdpWithTheEcsScope(String name, String type, String ecs, String expected, int scope) throws IOException {
        Message response = ask(name, Type.value(type), ecs, false);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
        if (expected.equals("-")) {
            assertNodata(response);
        } else {
            assertThat(addresses(response)).containsExactly(expected.split(" "));
            assertThat(response.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
        }
        ClientSubnetOption option = ecs(response);
        assertThat(option.getSourcePrefixLength()).isEqualTo(Integer.parseInt(ecs.split("/")[1]));
        assertThat(option.getScopePrefixLength()).isEqualTo(scope);
    }

    @Test
    void multiValueAnswersMaxReturnAddressesInAnOrderStableForTheClientNetwork() throws IOException {
        Message response = ask("mv.app.test", Type.A, "192.0.2.0/24", false);
        List<String> first = addresses(response);
        assertThat(first).hasSize(3).doesNotHaveDuplicates()
                .isSubsetOf("192.0.2.11", "192.0.2.12", "192.0.2.13", "192.0.2.14");
        assertThat(ecs(response).getScopePrefixLength()).isEqualTo(24);
        for (int i = 0; i < 3; i++) {
            assertThat(addresses(ask("mv.app.test", Type.A, "192.0.2.0/24", false))).isEqualTo(first);
        }
        assertThat(addresses(ask("mv.app.test", Type.A, "192.0.2.128/25", false))).as("inside the same /24").isEqualTo(first);
        assertThat(addresses(ask("mv.app.test", Type.A, "192.0.2.0/24", true))).as("over TCP").isEqualTo(first);
    }

    @Test
    void overTcpTheSubnetAnswerAndItsScopeAreTheSame() throws IOException {
        Message response = ask("split.app.test", Type.A, "10.0.1.0/25", true);
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(response)).containsExactly("192.0.2.21");
        assertThat(ecs(response).getScopePrefixLength()).isEqualTo(25);

        Message nodata = ask("geo.app.test", Type.A, "1.0.0.0/24", true);
        assertNodata(nodata);
        assertThat(ecs(nodata).getScopePrefixLength()).isEqualTo(16);
    }

    @Test
    void withoutEcsTheResolverAddressIsTheClientAndNoEcsOptionComesBack() throws IOException {
        // 127.0.0.1 is in no range and there is no catch-all.
        Message response = ask("split.app.test", Type.A, null, false);
        assertNodata(response);
        OPTRecord opt = response.getOPT();
        assertThat(opt == null ? List.of() : opt.getOptions(EDNSOption.Code.CLIENT_SUBNET)).isEmpty();
    }

    private static void assertNodata(Message response) {
        assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(response.getSection(Section.ANSWER)).isEmpty();
        List<Record> authority = response.getSection(Section.AUTHORITY);
        assertThat(authority).singleElement().isInstanceOf(SOARecord.class);
        assertThat(authority.get(0).getName().toString()).isEqualTo("app.test.");
    }

    private static Message ask(String name, int type, String ecsSubnet, boolean tcp) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        List<EDNSOption> options = List.of();
        if (ecsSubnet != null) {
            String[] parts = ecsSubnet.split("/");
            options = List.of(new ClientSubnetOption(Integer.parseInt(parts[1]), InetAddress.getByName(parts[0])));
        }
        query.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
        return TestDeployment.resolver(address, tcp).send(query);
    }

    private static List<String> addresses(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .map(r -> r instanceof ARecord a ? a.getAddress().getHostAddress()
                        : r instanceof AAAARecord aaaa ? compact(aaaa.getAddress()) : r.rdataToString())
                .toList();
    }

    /** IPv6 as configured (2001:db8::4), not Java's full form. */
    private static String compact(InetAddress address) {
        return io.wayfinder.net.IpPrefix.fromBytes(address.getAddress(), 128).addressText();
    }

    private static ClientSubnetOption ecs(Message response) {
        return TestDeployment.ecsOf(response);
    }
}
