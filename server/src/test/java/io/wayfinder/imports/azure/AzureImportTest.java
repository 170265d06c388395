package io.wayfinder.imports.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Azure import on a realistically shaped portal export (music-arm-export.json: a Performance
 * profile over three regional Priority children, a Geographic, a Subnet, a Weighted and a MultiValue
 * profile, every endpoint listed inline and again as a child resource, names as ARM expressions) and
 * on the other shapes Azure prints. Every converted file is read back with the configuration reader,
 * as check-config reads it.
 */
class AzureImportTest {
    private static final AzureImport.Options MUSIC = new AzureImport.Options("music.example.test", List.of(), "test");

    static String fixture() throws IOException {
        try (InputStream in = AzureImportTest.class.getResourceAsStream("music-arm-export.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The file as check-config reads it; fails the test with every error when it does not pass. */
    static WayfinderConfig read(AzureImport.Result result) {
        try {
            return ConfigLoader.reader().parse(result.yaml(), Path.of("."));
        } catch (ConfigException e) {
            throw new AssertionError("check-config rejects the converted file: " + e.errors() + "\n" + result.yaml(), e);
        }
    }

    private static ProfileConfig profile(WayfinderConfig config, String name) {
        return config.profile(name).orElseThrow(() -> new AssertionError("no profile " + name));
    }

    private static EndpointConfig endpoint(WayfinderConfig config, String profile, String name) {
        return profile(config, profile).endpoints().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no endpoint " + profile + "/" + name));
    }

    // ------------------------------------------------------------------ the ARM export

    @Test
    void theArmExportConvertsToAFileCheckConfigAccepts() throws Exception {
        AzureImport.Result result = AzureImport.convert(fixture(), MUSIC);
        WayfinderConfig config = read(result);

        assertThat(config.zones()).extracting(z -> z.name()).containsExactly("music.example.test");
        assertThat(config.profiles()).extracting(ProfileConfig::name, ProfileConfig::trafficRoutingMethod, ProfileConfig::fqdn)
                .containsExactly(
                        tuple("music", "Performance", "music-streaming.music.example.test"),
                        tuple("music-eu", "Priority", "music-eu.music.example.test"),
                        tuple("music-us", "Priority", "music-us.music.example.test"),
                        tuple("music-asia", "Priority", "music-asia.music.example.test"),
                        tuple("catalogue", "Geographic", "music-catalogue.music.example.test"),
                        tuple("intranet", "Subnet", "music-intranet.music.example.test"),
                        tuple("canary", "Weighted", "music-canary.music.example.test"),
                        tuple("dns-ips", "MultiValue", "music-ips.music.example.test"));
        assertThat(result.profiles()).isEqualTo(8);
        assertThat(result.endpoints()).isEqualTo(22)
                .isEqualTo(config.profiles().stream().mapToInt(p -> p.endpoints().size()).sum());
    }

    @Test
    void nestedEndpointsPointAtTheirChildProfilesWithTheirRegionsAndMinimums() throws Exception {
        WayfinderConfig config = read(AzureImport.convert(fixture(), MUSIC));

        assertThat(profile(config, "music").endpoints())
                .extracting(EndpointConfig::name, EndpointConfig::type, EndpointConfig::target, EndpointConfig::location,
                        EndpointConfig::minChildEndpoints, EndpointConfig::minChildEndpointsIPv4)
                .containsExactly(
                        tuple("eu", EndpointType.nested, "music-eu", "westeurope", 1, 1),
                        tuple("us", EndpointType.nested, "music-us", "eastus", 2, 0),
                        tuple("asia", EndpointType.nested, "music-asia", "southeastasia", 1, 0));
    }

    @Test
    void priorityChildrenKeepTheirOrderStatusAndAlwaysServe() throws Exception {
        WayfinderConfig config = read(AzureImport.convert(fixture(), MUSIC));

        assertThat(profile(config, "music-us").endpoints())
                .extracting(EndpointConfig::name, EndpointConfig::priority, EndpointConfig::location, EndpointConfig::alwaysServe)
                .containsExactly(
                        tuple("us-primary", 1, "eastus", false),
                        tuple("us-secondary", 2, "eastus2", false),
                        // declared only as a child resource of the template, not inline
                        tuple("us-tertiary", 3, "centralus", true));
        assertThat(endpoint(config, "music-asia", "asia-webapp").target()).isEqualTo("music-asia.azurewebsites.net");
    }

    @Test
    void monitorSettingsAndHeadersMapAcross() throws Exception {
        WayfinderConfig config = read(AzureImport.convert(fixture(), MUSIC));

        MonitorConfig monitor = profile(config, "music-eu").monitor();
        assertThat(monitor.protocol()).isEqualTo(MonitorConfig.Protocol.HTTPS);
        assertThat(monitor.port()).isEqualTo(443);
        assertThat(monitor.path()).isEqualTo("/health");
        assertThat(monitor.intervalInSeconds()).isEqualTo(30);
        assertThat(monitor.timeoutMillis()).isEqualTo(10_000);
        assertThat(monitor.toleratedNumberOfFailures()).isEqualTo(3);
        assertThat(monitor.customHeaders()).containsExactly(new MonitorConfig.Header("Host", "music.example.com"));
        assertThat(monitor.expectedStatusCodeRanges()).containsExactly(new MonitorConfig.StatusCodeRange(200, 299));
        assertThat(endpoint(config, "music-eu", "eu-secondary").customHeaders())
                .containsExactly(new MonitorConfig.Header("Host", "eu.music.example.com"));
        assertThat(profile(config, "intranet").monitor().protocol()).isEqualTo(MonitorConfig.Protocol.TCP);
    }

    @Test
    void geographicSubnetWeightedAndMultiValueMapAcross() throws Exception {
        WayfinderConfig config = read(AzureImport.convert(fixture(), MUSIC));

        assertThat(profile(config, "catalogue").endpoints()).extracting(EndpointConfig::name, EndpointConfig::geoMapping)
                .containsExactly(
                        tuple("europe", List.of("GEO-EU")),
                        tuple("us-west", List.of("US-WA", "US-OR", "US-CA")),
                        tuple("americas", List.of("GEO-NA", "GEO-SA")),
                        tuple("elsewhere", List.of("WORLD")));
        assertThat(profile(config, "intranet").endpoints()).extracting(e -> e.subnets().toString())
                .containsExactly("[10.1.0.0/16, 10.2.0.0-10.2.255.255]", "[2001:db8:100::/48, 192.0.2.99]", "[]");
        ProfileConfig canary = profile(config, "canary");
        assertThat(canary.enabled()).isFalse();
        assertThat(canary.endpoints()).extracting(EndpointConfig::weight).containsExactly(900, 100);
        assertThat(profile(config, "dns-ips").maxReturn()).isEqualTo(2);
    }

    @Test
    void whatCannotBeCarriedOverIsReportedAndCommentedInTheFile() throws Exception {
        AzureImport.Result result = AzureImport.convert(fixture(), MUSIC);

        assertThat(result.notes()).extracting(ImportNote::profile, ImportNote::endpoint).containsExactly(
                tuple("music", "gov"),
                tuple("music-asia", "asia-legacy"),
                tuple("canary", null),
                tuple("dns-ips", null));
        assertThat(result.notes().get(0).message()).startsWith("not imported: region 'USGov Virginia' is not in Wayfinder's catalogue");
        assertThat(result.notes().get(1).message()).startsWith("not imported: an Azure endpoint names its Azure resource ("
                + "/subscriptions/6f1c2a9e-4b1d-4c55-9a7e-2d3f0b8e1a47/resourceGroups/music-prod/providers/Microsoft.Network/"
                + "publicIPAddresses/legacy-ip) and the export holds no target");
        assertThat(result.notes().get(2).message()).startsWith("Traffic View is not carried over");
        assertThat(result.notes().get(3).message()).startsWith("allowedEndpointRecordTypes [IPv4Address, IPv6Address]");
        assertThat(result.yaml()).contains("# endpoint gov not imported: region 'USGov Virginia'")
                .contains("# endpoint asia-legacy not imported:");
    }

    @Test
    void withoutAZoneThePlaceholderIsUsedAndTheFileSaysToEditIt() throws Exception {
        AzureImport.Result result = AzureImport.convert(fixture(), new AzureImport.Options(null, List.of(), "test"));

        assertThat(read(result).zones()).extracting(z -> z.name()).containsExactly(AzureImport.PLACEHOLDER_ZONE);
        assertThat(result.yaml()).contains("# EDIT BEFORE SERVING: example.invalid is a placeholder");
    }

    @Test
    void nameServersCanBeGiven() throws Exception {
        AzureImport.Result result = AzureImport.convert(fixture(),
                new AzureImport.Options("music.example.test.", List.of("ns1.dns.example.net", "NS2.dns.example.net"), "test"));

        assertThat(read(result).zones().get(0).nameservers()).extracting(ns -> ns.name())
                .containsExactly("ns1.dns.example.net", "ns2.dns.example.net");
        assertThat(result.yaml()).doesNotContain("EDIT BEFORE SERVING");
    }

    // ------------------------------------------------------------------ other shapes

    /** What `az network traffic-manager profile list` prints: flat, nulls everywhere, display names, full resource ids. */
    private static final String AZ_LIST = """
            [
              {
                "allowedEndpointRecordTypes": null,
                "dnsConfig": {"fqdn": "shop.trafficmanager.net", "relativeName": "shop", "ttl": 60},
                "endpoints": [
                  {
                    "alwaysServe": null, "customHeaders": null, "endpointLocation": "North Europe",
                    "endpointMonitorStatus": "Online", "endpointStatus": "Enabled", "geoMapping": null,
                    "id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/trafficManagerProfiles/shop/nestedEndpoints/eu",
                    "minChildEndpoints": 1, "minChildEndpointsIPv4": null, "minChildEndpointsIPv6": null,
                    "name": "eu", "priority": 1, "resourceGroup": "rg", "subnets": null,
                    "target": "shop-eu.trafficmanager.net",
                    "targetResourceId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/trafficManagerProfiles/shop-eu",
                    "type": "Microsoft.Network/trafficManagerProfiles/nestedEndpoints", "weight": 1
                  },
                  {
                    "alwaysServe": "Disabled", "endpointLocation": "East US 2", "endpointStatus": "Disabled",
                    "name": "us", "priority": 2, "target": "192.0.2.80", "targetResourceId": null,
                    "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints", "weight": 1
                  },
                  {
                    "endpointLocation": "West US 2", "endpointStatus": "Enabled", "name": "us-west",
                    "target": "shop-west.azurewebsites.net", "priority": 3,
                    "targetResourceId": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/shop-west",
                    "type": "Microsoft.Network/trafficManagerProfiles/azureEndpoints", "weight": 1
                  }
                ],
                "id": "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/trafficManagerProfiles/shop",
                "location": "global", "maxReturn": null,
                "monitorConfig": {"customHeaders": null, "expectedStatusCodeRanges": null, "intervalInSeconds": 10,
                  "path": "/", "port": 80, "profileMonitorStatus": "Online", "protocol": "HTTP", "timeoutInSeconds": 5,
                  "toleratedNumberOfFailures": 2},
                "name": "shop", "profileStatus": "Enabled", "resourceGroup": "rg", "tags": {},
                "trafficRoutingMethod": "Performance", "trafficViewEnrollmentStatus": "Disabled",
                "type": "Microsoft.Network/trafficManagerProfiles"
              },
              {
                "dnsConfig": {"fqdn": "shop-eu.trafficmanager.net", "relativeName": "shop-eu", "ttl": 60},
                "endpoints": [
                  {"name": "a", "target": "192.0.2.81", "priority": 1, "endpointStatus": "Enabled",
                   "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints"},
                  {"name": "b", "target": "192.0.2.82", "priority": 2, "endpointStatus": "Enabled",
                   "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints"}
                ],
                "monitorConfig": {"intervalInSeconds": 30, "path": "/", "port": 80, "protocol": "HTTP",
                  "timeoutInSeconds": 10, "toleratedNumberOfFailures": 3},
                "name": "shop-eu", "profileStatus": "Enabled", "trafficRoutingMethod": "Priority",
                "type": "Microsoft.Network/trafficManagerProfiles"
              }
            ]
            """;

    @Test
    void theAzCliListOutputConverts() throws Exception {
        WayfinderConfig config = read(AzureImport.convert(AZ_LIST, MUSIC));

        assertThat(profile(config, "shop").endpoints())
                .extracting(EndpointConfig::name, EndpointConfig::type, EndpointConfig::target, EndpointConfig::location,
                        EndpointConfig::enabled)
                .containsExactly(
                        tuple("eu", EndpointType.nested, "shop-eu", "northeurope", true),
                        tuple("us", EndpointType.external, "192.0.2.80", "eastus2", false),
                        tuple("us-west", EndpointType.external, "shop-west.azurewebsites.net", "westus2", true));
        assertThat(profile(config, "shop").monitor().timeoutMillis()).isEqualTo(5000);
        assertThat(profile(config, "shop").ttl()).isEqualTo(60);
    }

    @Test
    void oneProfileAsAzShowPrintsItConverts() throws Exception {
        String show = AZ_LIST.strip().substring(1, AZ_LIST.strip().indexOf("\n  },") + 4);

        AzureImport.Result result = AzureImport.convert(show, MUSIC);

        assertThat(read(result).profiles()).extracting(ProfileConfig::name).containsExactly("shop");
        // the child is not in the file: its nested endpoint cannot be
        assertThat(result.notes()).singleElement().satisfies(n -> {
            assertThat(n.endpoint()).isEqualTo("eu");
            assertThat(n.message()).contains("its child profile shop-eu is not in the export; export it too");
        });
    }

    /** The REST API's list: properties wrappers, and nested endpoints that name their child only by its DNS name. */
    @Test
    void theRestApiListWithPropertiesWrappersConverts() throws Exception {
        String rest = """
                {"value": [
                  {"name": "parentprofile", "type": "Microsoft.Network/trafficManagerProfiles", "location": "global",
                   "properties": {
                     "dnsConfig": {"fqdn": "parentprofile.trafficmanager.net", "relativeName": "parentprofile", "ttl": 35},
                     "endpoints": [
                       {"name": "first", "type": "Microsoft.Network/trafficManagerProfiles/nestedEndpoints",
                        "properties": {"endpointStatus": "Enabled", "minChildEndpoints": 2, "minChildEndpointsIPv4": 1,
                          "minChildEndpointsIPv6": 2, "priority": 1, "target": "childprofile.trafficmanager.net", "weight": 1}}
                     ],
                     "monitorConfig": {"path": "/testpath.aspx", "intervalInSeconds": 10, "port": 80, "timeoutInSeconds": 5,
                       "toleratedNumberOfFailures": 2, "protocol": "HTTP"},
                     "profileStatus": "Enabled", "trafficRoutingMethod": "Priority"}},
                  {"name": "childprofile", "type": "Microsoft.Network/trafficManagerProfiles",
                   "properties": {"dnsConfig": {"relativeName": "childprofile", "ttl": 35}, "trafficRoutingMethod": "MultiValue",
                     "maxReturn": 3,
                     "endpoints": [
                       {"name": "v4", "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
                        "properties": {"target": "192.0.2.90"}},
                       {"name": "v6", "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
                        "properties": {"target": "2001:db8::90"}},
                       {"name": "named", "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
                        "properties": {"target": "www.example.net"}}
                     ]}}
                ]}
                """;

        AzureImport.Result result = AzureImport.convert(rest, MUSIC);
        WayfinderConfig config = read(result);

        EndpointConfig first = endpoint(config, "parentprofile", "first");
        assertThat(first.target()).isEqualTo("childprofile");
        // Azure's own example asks for 2 children with 1 IPv4 and 2 IPv6: Wayfinder needs at least their sum
        assertThat(first.minChildEndpoints()).isEqualTo(3);
        assertThat(profile(config, "childprofile").endpoints()).extracting(EndpointConfig::name).containsExactly("v4", "v6");
        assertThat(result.notes()).extracting(Object::toString).containsExactly(
                "profile parentprofile, endpoint first: minChildEndpoints 2 is below minChildEndpointsIPv4 +"
                        + " minChildEndpointsIPv6 = 3, which Wayfinder requires: 3 instead",
                "profile childprofile, endpoint named: not imported: a MultiValue profile answers with addresses, and the"
                        + " target www.example.net is a name");
    }

    // ------------------------------------------------------------------ what Wayfinder would reject

    private static String single(String method, String monitor, String endpoints) {
        return """
                {"name": "p", "type": "Microsoft.Network/trafficManagerProfiles",
                 "properties": {"trafficRoutingMethod": "%s", "dnsConfig": {"relativeName": "p", "ttl": 30},
                   "monitorConfig": %s, "endpoints": [%s]}}
                """.formatted(method, monitor, endpoints);
    }

    @Test
    void monitorSettingsWayfinderRejectsAreReportedAndReplaced() throws Exception {
        String json = single("Priority", """
                {"protocol": "HTTP", "port": 80, "path": "health", "intervalInSeconds": 10, "timeoutInSeconds": 10,
                 "toleratedNumberOfFailures": 12, "customHeaders": [{"name": "Bad Header", "value": "x"}],
                 "expectedStatusCodeRanges": [{"min": 300, "max": 200}]}""",
                """
                {"name": "a", "type": "externalEndpoints", "properties": {"target": "192.0.2.1", "priority": 1}}""");

        AzureImport.Result result = AzureImport.convert(json, MUSIC);
        MonitorConfig monitor = profile(read(result), "p").monitor();

        assertThat(monitor.path()).isEqualTo("/");
        assertThat(monitor.timeoutMillis()).isEqualTo(9000); // Wayfinder's default for a 10 s interval
        assertThat(monitor.toleratedNumberOfFailures()).isEqualTo(9);
        assertThat(monitor.customHeaders()).isEmpty();
        assertThat(monitor.expectedStatusCodeRanges()).isEmpty();
        assertThat(result.notes()).extracting(ImportNote::message).satisfiesExactly(
                m -> assertThat(m).startsWith("monitorConfig.path 'health' is not a path Wayfinder accepts"),
                m -> assertThat(m).startsWith("monitorConfig.timeoutInSeconds 10 left out: Wayfinder needs 0.1 s or more and"
                        + " less than intervalInSeconds (10)"),
                m -> assertThat(m).isEqualTo("monitorConfig.toleratedNumberOfFailures 12 is more than Wayfinder's 9: 9 instead"),
                m -> assertThat(m).startsWith("monitorConfig.customHeaders: {\"name\":\"Bad Header\",\"value\":\"x\"} left out"),
                m -> assertThat(m).startsWith("monitorConfig.expectedStatusCodeRanges: {\"min\":300,\"max\":200} left out"));
    }

    @Test
    void anUnknownProbeProtocolLeavesTheMonitorOutAndSaysSo() throws Exception {
        AzureImport.Result result = AzureImport.convert(single("Priority", "{\"protocol\": \"UDP\", \"port\": 53}",
                "{\"name\": \"a\", \"type\": \"externalEndpoints\", \"properties\": {\"target\": \"192.0.2.1\"}}"), MUSIC);

        assertThat(profile(read(result), "p").monitor()).isNull();
        assertThat(result.notes()).extracting(ImportNote::message)
                .containsExactly("monitorConfig left out: protocol 'UDP' is not HTTP, HTTPS or TCP; the endpoints are served"
                        + " without health checks until one is added");
    }

    @Test
    void repeatedPrioritiesAreRenumberedInTheOrderAzureTriesThem() throws Exception {
        AzureImport.Result result = AzureImport.convert(single("Priority", "{\"protocol\": \"TCP\", \"port\": 443}", """
                {"name": "a", "type": "externalEndpoints", "properties": {"target": "192.0.2.1", "priority": 5}},
                {"name": "b", "type": "externalEndpoints", "properties": {"target": "192.0.2.2", "priority": 1}},
                {"name": "c", "type": "externalEndpoints", "properties": {"target": "192.0.2.3", "priority": 1}}"""), MUSIC);

        assertThat(profile(read(result), "p").endpoints()).extracting(EndpointConfig::name, EndpointConfig::priority)
                .containsExactly(tuple("a", 3), tuple("b", 1), tuple("c", 2));
        assertThat(result.notes()).extracting(ImportNote::message).singleElement().asString()
                .endsWith("renumbered in the order Azure tries them (by priority, then list order): b 1->1, c 1->2, a 5->3");
    }

    @Test
    void unknownGeographicCodesAndASecondCatchAllAreLeftOut() throws Exception {
        AzureImport.Result geo = AzureImport.convert(single("Geographic", "{\"protocol\": \"TCP\", \"port\": 443}", """
                {"name": "a", "type": "externalEndpoints", "properties": {"target": "192.0.2.1", "geoMapping": ["GEO-EU", "GEO-XX"]}},
                {"name": "b", "type": "externalEndpoints", "properties": {"target": "192.0.2.2", "geoMapping": ["NARNIA"]}}"""),
                MUSIC);
        assertThat(profile(read(geo), "p").endpoints()).extracting(EndpointConfig::name, EndpointConfig::geoMapping)
                .containsExactly(tuple("a", List.of("GEO-EU")));
        assertThat(geo.notes()).extracting(Object::toString).anySatisfy(n -> assertThat(n)
                .startsWith("profile p, endpoint a: geoMapping code 'GEO-XX' left out: not a code of Wayfinder's hierarchy"))
                .anySatisfy(n -> assertThat(n).isEqualTo("profile p, endpoint b: not imported: a Geographic endpoint needs at"
                        + " least one geoMapping code Wayfinder knows"));

        AzureImport.Result subnet = AzureImport.convert(single("Subnet", "{\"protocol\": \"TCP\", \"port\": 443}", """
                {"name": "a", "type": "externalEndpoints", "properties": {"target": "192.0.2.1"}},
                {"name": "b", "type": "externalEndpoints", "properties": {"target": "192.0.2.2", "subnets": []}}"""), MUSIC);
        assertThat(profile(read(subnet), "p").endpoints()).extracting(EndpointConfig::name).containsExactly("a");
        assertThat(subnet.notes()).extracting(ImportNote::message).containsExactly(
                "not imported: a second endpoint without subnets: Wayfinder takes one catch-all per Subnet profile");
    }

    @Test
    void aTemplateNameThatCannotBeEvaluatedIsReported() throws Exception {
        String template = """
                {"parameters": {}, "resources": [
                  {"type": "Microsoft.Network/trafficManagerProfiles", "name": "[concat('tm-', uniqueString(resourceGroup().id))]",
                   "properties": {"trafficRoutingMethod": "Priority", "dnsConfig": {"relativeName": "x"}, "endpoints": []}},
                  {"type": "Microsoft.Network/trafficManagerProfiles", "name": "[parameters('named')]",
                   "properties": {"trafficRoutingMethod": "Weighted", "dnsConfig": {"relativeName": "[parameters('rel')]"},
                     "endpoints": []}}
                ]}
                """;

        AzureImport.Result result = AzureImport.convert(template, MUSIC);

        assertThat(result.profiles()).isZero();
        assertThat(result.notes()).extracting(Object::toString).containsExactly(
                "profile [concat('tm-', uniqueString(resourceGroup().id))]: not imported: its name cannot be evaluated"
                        + " (resourceGroup() depends on the deployment; the import evaluates only parameters, variables,"
                        + " concat, format, toLower, toUpper and resourceId)",
                "profile [parameters('named')]: not imported: its name cannot be evaluated (the template has no parameter"
                        + " 'named')");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not json", "{\"resources\": []}", "{\"name\": \"vm\", \"type\": \"Microsoft.Compute/virtualMachines\"}",
        "[]", ""})
    void whatIsNotAnAzureExportIsRejected(String text) throws Exception {
        assertThatThrownBy(() -> AzureImport.convert(text, MUSIC)).isInstanceOf(AzureImport.InvalidExport.class);
    }

    @ParameterizedTest(name = "--zone {0}")
    @CsvSource({"'bad zone', not a valid DNS name", "'-x.example', not a valid DNS name"})
    void anInvalidZoneIsRejected(String zone, String message) throws Exception {
        assertThatThrownBy(() -> AzureImport.convert(AZ_LIST, new AzureImport.Options(zone, List.of(), "t")))
                .isInstanceOf(AzureImport.InvalidExport.class).hasMessageContaining(message);
    }
}
