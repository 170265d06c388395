package io.wayfinder.profile.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.read.ProfileTreeReader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the writer writes, the readers read back into an equal profile: as JSON one profile at a
 * time (the API and the store), and as a YAML profiles section of a configuration file (export,
 * then apply). Every field of the model appears in at least one profile below.
 */
class ProfileWriterTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "music-streaming.yaml");
    private static final ProfileTreeReader READER = new ProfileTreeReader(ConfigLoader.reader().validator().methodNames());

    /** Settings and profiles that use every field, each method, every subnet form, nesting and a fallback. */
    private static final String EVERY_FIELD = """
            zones:
              - {name: a.test, nameservers: [ns1.a.test]}
              - {name: b.test, nameservers: [ns1.b.test]}
            regions:
              - {name: onprem-paris, latitude: 48.86, longitude: 2.35}
            profiles:
              - name: perf
                zone: a.test
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www, ttl: 0}
                monitorConfig:
                  protocol: HTTPS
                  path: /health?full=1
                  intervalInSeconds: 10
                  timeoutInSeconds: 2.5
                  toleratedNumberOfFailures: 0
                  requiredConsecutiveSuccesses: 3
                  customHeaders: [{name: Host, value: api.example.com}, {name: X-Probe, value: "a: b"}]
                  expectedStatusCodeRanges: [{min: 200, max: 299}, {min: 301, max: 301}]
                  verifyCertificate: true
                fallback: {name: sorry, target: sorry.example.net}
                endpoints:
                  - {name: eu, target: 192.0.2.10, endpointLocation: WestEurope, subnets: [10.1.0.0/16, {first: 192.0.2.0, last: 192.0.2.99}, {first: "2001:db8::", scope: 32}, {first: 198.51.100.7}, 203.0.113.9],
                     customHeaders: [{name: Host, value: eu.example.com}]}
                  - {name: us, target: "2001:db8::10", endpointLocation: eastus, endpointStatus: Disabled}
                  - {name: paris, target: paris.example.net, endpointLocation: onprem-paris, alwaysServe: Enabled}
                  - {name: child, type: nested, target: prio, endpointLocation: northeurope, minChildEndpoints: 3, minChildEndpointsIPv4: 1, minChildEndpointsIPv6: 2}
              - name: prio
                zone: b.test
                trafficRoutingMethod: Priority
                profileStatus: Disabled
                monitorConfig: {protocol: TCP, port: 443, intervalInSeconds: 1}
                endpoints:
                  - {name: second, target: 192.0.2.21, priority: 2}
                  - {name: first, target: 192.0.2.20, priority: 1}
                  - {name: third, target: 192.0.2.22}
              - name: weighted
                zone: b.test
                trafficRoutingMethod: Weighted
                dnsConfig: {relativeName: w}
                monitorConfig: {path: /}
                endpoints:
                  - {name: a, target: 192.0.2.30, weight: 1}
                  - {name: b, target: 192.0.2.31, weight: 1000}
              - name: geo
                zone: b.test
                trafficRoutingMethod: Geographic
                dnsConfig: {relativeName: geo}
                endpoints:
                  - {name: europe, target: 192.0.2.40, geoMapping: [geo-eu, us-ca]}
                  - {name: world, target: 192.0.2.41, geoMapping: WORLD}
              - name: multi
                zone: b.test
                trafficRoutingMethod: MultiValue
                maxReturn: 3
                dnsConfig: {relativeName: multi}
                endpoints:
                  - {name: v4, target: 192.0.2.50}
                  - {name: v6, target: "2001:db8::50"}
              - name: subnet
                zone: b.test
                trafficRoutingMethod: Subnet
                dnsConfig: {relativeName: subnet}
                endpoints:
                  - {name: office, target: 192.0.2.60, subnets: ["10.0.0.0/8"]}
                  - {name: rest, target: 192.0.2.61}
            """;

    static Stream<ProfileConfig> profiles() throws Exception {
        WayfinderConfig every = ConfigLoader.reader().parse(EVERY_FIELD, Path.of("/srv"));
        WayfinderConfig example = ConfigLoader.reader().read(EXAMPLE);
        return Stream.concat(every.profiles().stream(), example.profiles().stream());
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void aProfileWrittenAsJsonReadsBackEqual(ProfileConfig profile) throws Exception {
        String json = ProfileWriter.json(ProfileWriter.profile(profile));
        ProfileConfig back = READER.profile(ProfileTreeReader.parseJson(json), List.of(), false);
        assertThat(back).isEqualTo(profile);
        assertThat(ProfileWriter.json(ProfileWriter.profile(back))).as("canonical: the same text again").isEqualTo(json);
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void anEndpointWrittenAsJsonReadsBackEqualAtItsPosition(ProfileConfig profile) throws Exception {
        for (int i = 0; i < profile.endpoints().size(); i++) {
            String json = ProfileWriter.json(ProfileWriter.endpoint(profile.endpoints().get(i), i));
            assertThat(READER.endpoint(ProfileTreeReader.parseJson(json), i, false)).isEqualTo(profile.endpoints().get(i));
        }
    }

    @Test
    void theProfilesWrittenAsYamlAreAConfigurationsProfilesSection() throws Exception {
        WayfinderConfig every = ConfigLoader.reader().parse(EVERY_FIELD, Path.of("/srv"));
        String yaml = ProfileWriter.yaml(ProfileWriter.document(every.profiles()));
        String settings = EVERY_FIELD.substring(0, EVERY_FIELD.indexOf("profiles:"));
        assertThat(ConfigLoader.reader().parse(settings + yaml, Path.of("/srv")).profiles()).isEqualTo(every.profiles());
        assertThat(READER.profiles(ProfileTreeReader.parseYaml(yaml), every.zones())).isEqualTo(every.profiles());
    }

    @Test
    void leavesOutFixedDefaultsAndWritesTheOnesThatDependOnSomethingElse() throws Exception {
        WayfinderConfig config = ConfigLoader.reader().parse("""
                zones: [{name: a.test, nameservers: [ns1.a.test]}]
                profiles:
                  - name: p
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: p}
                    monitorConfig: {path: /health}
                    endpoints:
                      - {name: one, target: 192.0.2.1}
                """, null);
        assertThat(ProfileWriter.json(ProfileWriter.profile(config.profiles().get(0)))).isEqualTo(
                "{\"name\":\"p\",\"zone\":\"a.test\",\"trafficRoutingMethod\":\"Priority\",\"dnsConfig\":{\"relativeName\":\"p\",\"ttl\":30},"
                        + "\"monitorConfig\":{\"protocol\":\"HTTP\",\"port\":80,\"path\":\"/health\",\"intervalInSeconds\":30,"
                        + "\"timeoutInSeconds\":10,\"toleratedNumberOfFailures\":3},"
                        + "\"endpoints\":[{\"name\":\"one\",\"target\":\"192.0.2.1\"}]}");
    }

    @Test
    void theApisReadOnlyFieldsAreIgnoredOnlyWhenAsked() throws Exception {
        ProfileConfig p = ConfigLoader.reader().read(EXAMPLE).profiles().get(0);
        ObjectNode withStatus = ProfileWriter.profile(p);
        withStatus.put("version", 7).put("profileMonitorStatus", "Online").put("failOpen", false).put("onFallback", false);
        ((ObjectNode) withStatus.get("endpoints").get(0)).put("endpointMonitorStatus", "Degraded");
        assertThat(READER.profile(withStatus, List.of(), true)).isEqualTo(p);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> READER.profile(withStatus, List.of(), false));
        assertThat(e.errors()).extracting(ConfigError::path)
                .contains("version", "profileMonitorStatus", "failOpen", "onFallback", "endpoints[0].endpointMonitorStatus");
    }

    @Test
    void errorsInABodyAreReportedAtPathsInsideIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> READER.profile(ProfileTreeReader.parseJson("""
                {"name": "p", "trafficRoutingMethod": "Fastest", "dnsConfig": {"ttl": -1},
                 "endpoints": [{"name": "a", "target": "192.0.2.1", "wieght": 2}]}
                """), List.of(), true));
        assertThat(e.errors()).extracting(ConfigError::path)
                .containsExactlyInAnyOrder("trafficRoutingMethod", "dnsConfig.ttl", "endpoints[0].wieght");
    }

    @Test
    void jsonBodiesAreStrict() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> ProfileTreeReader.parseJson("{\"name\": \"a\", \"name\": \"b\"}"))
                .getMessage()).contains("not valid JSON").contains("Duplicate");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ProfileTreeReader.parseJson("{\"name\": "))
                .getMessage()).contains("not valid JSON (line 1");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ProfileTreeReader.parseJson("[".repeat(100)))
                .getMessage()).contains("not valid JSON");
        assertThat(catchThrowableOfType(ConfigException.class, () -> ProfileTreeReader.parseJson(""))
                .getMessage()).contains("empty");
    }

    @Test
    void aDocumentIsTheProfilesSection() throws Exception {
        List<ProfileConfig> profiles = ConfigLoader.reader().read(EXAMPLE).profiles();
        JsonNode doc = ProfileWriter.document(profiles);
        assertThat(doc.propertyNames()).containsExactly("profiles");
        assertThat(doc.get("profiles").size()).isEqualTo(profiles.size());
    }
}
