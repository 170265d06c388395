package io.wayfinder.profile.read;

import static io.wayfinder.profile.ConfigTexts.assertReportedAt;
import static io.wayfinder.profile.ConfigTexts.errorsOf;
import static io.wayfinder.profile.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.ZoneConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The structure and field values of a configuration: what a valid file becomes, which defaults fill
 * the gaps, and for each kind of mistake the exact field path and the words a user sees.
 */
class ConfigReaderTest {

    /** Maven runs the tests in the module directory; the example sits next to it. */
    private static final Path EXAMPLE = Path.of("../examples/music-streaming.yaml");

    /**
     * A valid configuration that uses most keys once, so that a row of a table can break exactly
     * one thing with {@link #with(String, String)}.
     */
    private static final String BASE = """
            dns:
              listen: ["127.0.0.1:8053"]
            zones:
              - name: example.test
                nameservers: [ns1.example.test]
            regions:
              - {name: onprem-paris, latitude: 48.86, longitude: 2.35}
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                profileStatus: Enabled
                dnsConfig: {relativeName: www, ttl: 30}
                endpoints:
                  - {name: a, type: external, target: 192.0.2.1, endpointStatus: Enabled, priority: 1, weight: 1}
                  - {name: child, type: nested, target: web-child, minChildEndpoints: 1}
              - name: web-child
                trafficRoutingMethod: Weighted
                endpoints:
                  - {name: b, target: 192.0.2.2}
            """;

    private static final String MINIMAL = MinimalConfig.withEndpoints("{name: b, target: 192.0.2.2}",
            "{name: c, target: c.example.net}");

    @TempDir
    Path tempDir;

    /** {@link #BASE} with one piece replaced; the piece must occur exactly once, so no row silently tests nothing. */
    private static String with(String from, String to) {
        int first = BASE.indexOf(from);
        if (first < 0 || BASE.indexOf(from, first + 1) >= 0) {
            throw new IllegalArgumentException("'" + from + "' must occur exactly once in BASE");
        }
        return BASE.replace(from, to);
    }

    // ---------------------------------------------------------------- valid configurations

    @Test
    void baseConfigurationOfTheTablesIsValid() throws ConfigException {
        assertThat(parse(BASE).profiles()).extracting(ProfileConfig::name).containsExactly("web", "web-child");
    }

    @Test
    void exampleParsesIntoItsProfilesAndEndpoints() throws Exception {
        WayfinderConfig config = io.wayfinder.control.ConfigLoader.reader().read(EXAMPLE);

        assertThat(config.profiles()).extracting(ProfileConfig::name).containsExactly("music", "music-eu", "catalogue");
        ProfileConfig music = config.profile("music").orElseThrow();
        assertThat(music.trafficRoutingMethod()).isEqualTo("Performance");
        assertThat(music.relativeName()).isEqualTo("www");
        assertThat(music.endpoints()).extracting(EndpointConfig::name, EndpointConfig::type, EndpointConfig::location)
                .containsExactly(
                        tuple("eu", EndpointType.external, "westeurope"),
                        tuple("us", EndpointType.external, "eastus"),
                        tuple("asia", EndpointType.external, "southeastasia"),
                        tuple("eu-failover", EndpointType.nested, "northeurope"));
        assertThat(music.endpoints().get(3).target()).isEqualTo("music-eu");
        ProfileConfig eu = config.profile("music-eu").orElseThrow();
        assertThat(eu.trafficRoutingMethod()).isEqualTo("Priority");
        assertThat(eu.endpoints()).extracting(EndpointConfig::priority).containsExactly(1, 2);
        assertThat(config.dns().listen()).containsExactly(new ListenAddress("127.0.0.1", 8053),
                new ListenAddress("::1", 8053));
        assertThat(config.zones()).extracting(ZoneConfig::name).containsExactly("music.example.test");
        assertThat(config.latency().minSamples()).isEqualTo(50);
    }

    @Test
    void exampleProfilesTakeTheOnlyZone() throws Exception {
        WayfinderConfig config = io.wayfinder.control.ConfigLoader.reader().read(EXAMPLE);

        assertThat(config.profiles()).extracting(ProfileConfig::zone).containsOnly("music.example.test");
        assertThat(config.profile("music").orElseThrow().fqdn()).isEqualTo("www.music.example.test");
        assertThat(config.profile("music-eu").orElseThrow().fqdn()).isEqualTo("eu.music.example.test");
    }

    @Test
    void exampleDataPathsResolveAgainstTheDirectoryOfTheFile() throws Exception {
        WayfinderConfig config = io.wayfinder.control.ConfigLoader.reader().read(EXAMPLE);
        Path dir = EXAMPLE.toAbsolutePath().normalize().getParent();

        assertThat(config.geolocation().csv()).containsExactly(dir.resolve("data/geo.csv"));
        assertThat(config.latency().sources()).containsExactly(dir.resolve("data/latency.csv"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "data/geo.csv,        /srv/wayfinder/data/geo.csv",
        "./data/geo.csv,      /srv/wayfinder/data/geo.csv",
        "../shared/geo.csv,   /srv/shared/geo.csv",
        "/var/lib/geo.csv,    /var/lib/geo.csv",
    })
    void dataPathsResolveAgainstTheBaseDirectory(String written, String expected) throws ConfigException {
        WayfinderConfig config = parse(MINIMAL + "geolocation: {csv: " + written + "}\nlatency: {sources: [" + written + "]}\n");

        assertThat(config.geolocation().csv()).containsExactly(Path.of(expected));
        assertThat(config.latency().sources()).containsExactly(Path.of(expected));
    }

    private static Function<WayfinderConfig, Object> field(Function<WayfinderConfig, Object> read) {
        return read;
    }

    private static ProfileConfig web(WayfinderConfig c) {
        return c.profiles().get(0);
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                argumentSet("dnsConfig.ttl is 30", field(c -> web(c).ttl()), 30),
                argumentSet("profileStatus is Enabled", field(c -> web(c).enabled()), true),
                argumentSet("zone is the only zone", field(c -> web(c).zone()), "example.test"),
                argumentSet("maxReturn is unset (MultiValue takes 2)", field(c -> web(c).maxReturn()), null),
                argumentSet("priority is the position",
                        field(c -> web(c).endpoints().stream().map(EndpointConfig::priority).toList()), List.of(1, 2, 3)),
                argumentSet("weight is 1", field(c -> web(c).endpoints().get(2).weight()), 1),
                argumentSet("minChildEndpoints is 1", field(c -> web(c).endpoints().get(0).minChildEndpoints()), 1),
                argumentSet("minChildEndpointsIPv4 is 0", field(c -> web(c).endpoints().get(0).minChildEndpointsIPv4()), 0),
                argumentSet("minChildEndpointsIPv6 is 0", field(c -> web(c).endpoints().get(0).minChildEndpointsIPv6()), 0),
                argumentSet("type is external", field(c -> web(c).endpoints().get(0).type()), EndpointType.external),
                argumentSet("endpointStatus is Enabled", field(c -> web(c).endpoints().get(0).enabled()), true),
                argumentSet("alwaysServe is off", field(c -> web(c).endpoints().get(0).alwaysServe()), false),
                argumentSet("endpointLocation is unset", field(c -> web(c).endpoints().get(0).location()), null),
                argumentSet("dns.listen is 127.0.0.1:8053", field(c -> c.dns().listen()),
                        List.of(new ListenAddress("127.0.0.1", 8053))),
                argumentSet("zone ttl is 3600", field(c -> c.zones().get(0).ttl()), 3600),
                argumentSet("hostmaster is hostmaster.<zone>", field(c -> c.zones().get(0).hostmaster()),
                        "hostmaster.example.test"),
                argumentSet("latency minSamples is 10", field(c -> c.latency().minSamples()), 10),
                argumentSet("latency levels are /20 /16 and /40 /32", field(c -> List.of(c.latency().ipv4Levels(),
                        c.latency().ipv6Levels())), List.of(List.of(20, 16), List.of(40, 32))),
                argumentSet("no geolocation files", field(WayfinderConfig::geolocation),
                        WayfinderConfig.GeolocationSettings.NONE),
                argumentSet("reload.quietPeriod is 2s", field(c -> c.reload().quietPeriod()), java.time.Duration.ofSeconds(2)));
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void unsetFieldsTakeTheirDefaults(Function<WayfinderConfig, Object> field, Object expected) throws ConfigException {
        assertThat(field.apply(parse(MINIMAL))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({
        "trafficRoutingMethod: Priority, trafficRoutingMethod: priority,    Priority",
        "trafficRoutingMethod: Priority, trafficRoutingMethod: PERFORMANCE, Performance",
    })
    void routingMethodsAreMatchedIgnoringCase(String from, String to, String expected) throws ConfigException {
        String yaml = with(from, to).replace("name: a, type: external, target: 192.0.2.1,",
                "name: a, type: external, target: 192.0.2.1, endpointLocation: westeurope,")
                .replace("target: web-child,", "target: web-child, endpointLocation: northeurope,");

        assertThat(parse(yaml).profiles().get(0).trafficRoutingMethod()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "type: {0}")
    @CsvSource({
        "external,                                                   external",
        "EXTERNAL,                                                   external",
        "externalEndpoints,                                          external",
        "Microsoft.Network/trafficManagerProfiles/externalEndpoints, external",
        "nested,                                                     nested",
        "nestedEndpoints,                                            nested",
        "Microsoft.Network/trafficManagerProfiles/nestedEndpoints,   nested",
    })
    void endpointTypesAcceptAzureExportSpellings(String written, EndpointType expected) throws ConfigException {
        String target = expected == EndpointType.nested ? "web-child" : "192.0.2.9";
        String yaml = BASE.replace("  - {name: child, type: nested, target: web-child, minChildEndpoints: 1}",
                "  - {name: child, type: nested, target: web-child, minChildEndpoints: 1}\n"
                        + "      - {name: x, type: '" + written + "', target: " + target + ", priority: 3}");

        assertThat(parse(yaml).profiles().get(0).endpoints().get(2).type()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:53    | 127.0.0.1 | 53",
        "0.0.0.0:0       | 0.0.0.0   | 0",
        "[::1]:8053      | ::1       | 8053",
        "[::]:65535      | ::        | 65535",
    })
    void listenAddressesParse(String written, String host, int port) throws ConfigException {
        assertThat(parse(with("\"127.0.0.1:8053\"", "\"" + written + "\"")).dns().listen())
                .containsExactly(new ListenAddress(host, port));
    }

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({"0s, 0", "500ms, 500", "5s, 5000", "10m, 600000"})
    void reloadQuietPeriodIsADuration(String written, long millis) throws ConfigException {
        assertThat(parse(MINIMAL + "reload: {quietPeriod: " + written + "}\n").reload().quietPeriod().toMillis())
                .isEqualTo(millis);
    }

    /** Anchors and aliases are plain YAML; a shared monitorConfig or endpoint list is the natural use. */
    @Test
    void yamlAliasesAreResolved() throws ConfigException {
        String yaml = MINIMAL.replace("    endpoints:\n", "    endpoints: &shared\n")
                + "  - {name: web2, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www2}, endpoints: *shared}\n";

        WayfinderConfig config = parse(yaml);

        assertThat(config.profiles().get(1).endpoints()).isEqualTo(config.profiles().get(0).endpoints());
    }

    // ---------------------------------------------------------------- one mistake, one error

    static Stream<Arguments> badConfigurations() {
        return Stream.of(
                // unknown keys, with "did you mean"
                argumentSet("unknown top-level key", with("profiles:\n", "profils: []\nprofiles:\n"),
                        "profils", "unknown key (did you mean 'profiles'?)"),
                argumentSet("unknown top-level key, nothing close", with("profiles:\n", "colour: blue\nprofiles:\n"),
                        "colour", "unknown key"),
                argumentSet("reload.quietPeriod without a unit", with("profiles:\n", "reload: {quietPeriod: 2}\nprofiles:\n"),
                        "reload.quietPeriod", "is not a duration"),
                argumentSet("reload.quietPeriod too long", with("profiles:\n", "reload: {quietPeriod: 1h}\nprofiles:\n"),
                        "reload.quietPeriod", "must be between 0s and 10m, not 1h"),
                argumentSet("unknown reload key", with("profiles:\n", "reload: {quietPeriods: 1s}\nprofiles:\n"),
                        "reload.quietPeriods", "unknown key (did you mean 'quietPeriod'?)"),
                argumentSet("unknown profile key", with("trafficRoutingMethod: Priority", "trafficRoutingMehtod: Priority"),
                        "profiles[0].trafficRoutingMehtod", "unknown key (did you mean 'trafficRoutingMethod'?)"),
                argumentSet("unknown dnsConfig key", with("ttl: 30", "tll: 30"),
                        "profiles[0].dnsConfig.tll", "unknown key (did you mean 'ttl'?)"),
                argumentSet("unknown endpoint key", with("priority: 1,", "priorty: 1,"),
                        "profiles[0].endpoints[0].priorty", "unknown key (did you mean 'priority'?)"),
                argumentSet("unknown zone key", with("nameservers: [", "nameserver: ["),
                        "zones[0].nameserver", "unknown key (did you mean 'nameservers'?)"),
                argumentSet("unknown region key", with("latitude: 48.86", "lattitude: 48.86"),
                        "regions[0].lattitude", "unknown key (did you mean 'latitude'?)"),
                argumentSet("unknown dns key", with("listen:", "lisen:"),
                        "dns.lisen", "unknown key (did you mean 'listen'?)"),
                argumentSet("unknown aggregation key", with("profiles:\n", "latency: {aggregation: {minSample: 5}}\nprofiles:\n"),
                        "latency.aggregation.minSample", "unknown key (did you mean 'minSamples'?)"),

                // hostmaster
                argumentSet("hostmaster mailbox with a dot before the @",
                        with("nameservers: [ns1.example.test]", "nameservers: [ns1.example.test]\n    hostmaster: dns.admin@example.test"),
                        "zones[0].hostmaster", "no dot before its '@'"),
                argumentSet("hostmaster with two @",
                        with("nameservers: [ns1.example.test]", "nameservers: [ns1.example.test]\n    hostmaster: a@b@example.test"),
                        "zones[0].hostmaster", "must be one mailbox"),

                // wrong types
                argumentSet("ttl is text", with("ttl: 30", "ttl: \"abc\""),
                        "profiles[0].dnsConfig.ttl", "must be a whole number, not 'abc'"),
                argumentSet("ttl is a fraction", with("ttl: 30", "ttl: 1.5"),
                        "profiles[0].dnsConfig.ttl", "must be a whole number, not 1.5"),
                argumentSet("endpoints is a string", with("endpoints:\n      - {name: b, target: 192.0.2.2}", "endpoints: none"),
                        "profiles[1].endpoints", "must be a list, not 'none'"),
                argumentSet("an endpoint is a string", with("      - {name: b, target: 192.0.2.2}", "      - b"),
                        "profiles[1].endpoints[0]", "must be a mapping of keys to values, not 'b'"),
                argumentSet("dnsConfig is a string", with("dnsConfig: {relativeName: www, ttl: 30}", "dnsConfig: www"),
                        "profiles[0].dnsConfig", "must be a mapping of keys to values, not 'www'"),
                argumentSet("profile name is a list", with("name: web\n", "name: [web]\n"),
                        "profiles[0].name", "must be a single value, not a list"),
                argumentSet("profiles is a mapping", with("profiles:\n", "profiles: {}\nunused:\n"),
                        "profiles", "must be a list, not a mapping"),
                argumentSet("latitude above 90", with("latitude: 48.86", "latitude: 91"),
                        "regions[0].latitude", "must be between -90"),
                argumentSet("latitude below -90", with("latitude: 48.86", "latitude: -90.5"),
                        "regions[0].latitude", "must be between -90"),
                argumentSet("longitude above 180", with("longitude: 2.35", "longitude: 180.1"),
                        "regions[0].longitude", "must be between -180"),
                argumentSet("latitude is text", with("latitude: 48.86", "latitude: north"),
                        "regions[0].latitude", "must be a number, not 'north'"),

                // out-of-range values
                argumentSet("ttl -1", with("ttl: 30", "ttl: -1"),
                        "profiles[0].dnsConfig.ttl", "must be between 0 and 2147483647, not -1"),
                argumentSet("ttl above 2^31-1", with("ttl: 30", "ttl: 2147483648"),
                        "profiles[0].dnsConfig.ttl", "must be between 0 and 2147483647, not 2147483648"),
                argumentSet("priority 0", with("priority: 1,", "priority: 0,"),
                        "profiles[0].endpoints[0].priority", "must be between 1 and 1000, not 0"),
                argumentSet("priority 1001", with("priority: 1,", "priority: 1001,"),
                        "profiles[0].endpoints[0].priority", "must be between 1 and 1000, not 1001"),
                argumentSet("weight 0", with("weight: 1}", "weight: 0}"),
                        "profiles[0].endpoints[0].weight", "must be between 1 and 1000, not 0"),
                argumentSet("weight 1001", with("weight: 1}", "weight: 1001}"),
                        "profiles[0].endpoints[0].weight", "must be between 1 and 1000, not 1001"),
                argumentSet("minChildEndpoints 0", with("minChildEndpoints: 1", "minChildEndpoints: 0"),
                        "profiles[0].endpoints[1].minChildEndpoints", "must be between 1 and 1000, not 0"),
                argumentSet("minChildEndpointsIPv4 -1", with("minChildEndpoints: 1", "minChildEndpoints: 1, minChildEndpointsIPv4: -1"),
                        "profiles[0].endpoints[1].minChildEndpointsIPv4", "must be between 0 and 1000, not -1"),
                argumentSet("maxReturn 11", with("profileStatus: Enabled", "profileStatus: Enabled\n    maxReturn: 11"),
                        "profiles[0].maxReturn", "must be between 1 and 10, not 11"),
                argumentSet("minSamples 0", with("profiles:\n", "latency: {aggregation: {minSamples: 0}}\nprofiles:\n"),
                        "latency.aggregation.minSamples", "must be between 1 and"),
                argumentSet("ipv4 aggregation level 33", with("profiles:\n", "latency: {aggregation: {ipv4Levels: [16, 33]}}\nprofiles:\n"),
                        "latency.aggregation.ipv4Levels[1]", "must be a prefix length between 1 and 32"),

                // missing required fields
                argumentSet("profile without name", with("name: web\n    ", ""),
                        "profiles[0].name", "is required"),
                argumentSet("profile without trafficRoutingMethod", with("trafficRoutingMethod: Priority\n    ", ""),
                        "profiles[0].trafficRoutingMethod", "is required: one of Performance, Priority, Weighted"),
                argumentSet("endpoint without target", with("target: 192.0.2.1, ", ""),
                        "profiles[0].endpoints[0].target", "is required"),
                argumentSet("endpoint without name", with("name: a, ", ""),
                        "profiles[0].endpoints[0].name", "is required"),
                argumentSet("endpoint with an empty name", with("name: a, ", "name: '  ', "),
                        "profiles[0].endpoints[0].name", "must not be empty"),
                argumentSet("no zones", with("zones:\n  - name: example.test\n    nameservers: [ns1.example.test]\n", ""),
                        "zones", "is required: at least one zone"),
                argumentSet("zone without nameservers", with("\n    nameservers: [ns1.example.test]", ""),
                        "zones[0].nameservers", "is required: at least one name server"),
                argumentSet("zone with an empty nameserver list", with("nameservers: [ns1.example.test]", "nameservers: []"),
                        "zones[0].nameservers", "needs at least one name server"),
                argumentSet("no profiles", BASE.substring(0, BASE.indexOf("profiles:")),
                        "profiles", "is required: at least one profile"),
                argumentSet("empty profile list", BASE.substring(0, BASE.indexOf("profiles:")) + "profiles: []\n",
                        "profiles", "at least one profile"),
                argumentSet("region without latitude", with("latitude: 48.86, ", ""),
                        "regions[0].latitude", "is required"),

                // invalid DNS names
                argumentSet("relativeName with a space", with("relativeName: www", "relativeName: w w"),
                        "profiles[0].dnsConfig.relativeName", "'w w' is not a valid DNS name: label 'w w' has the character ' '"),
                argumentSet("relativeName with an empty label", with("relativeName: www", "relativeName: a..b"),
                        "profiles[0].dnsConfig.relativeName", "it has an empty label"),
                argumentSet("relativeName starting with a hyphen", with("relativeName: www", "relativeName: -www"),
                        "profiles[0].dnsConfig.relativeName", "starts or ends with '-'"),
                argumentSet("zone label longer than 63", with("name: example.test", "name: " + "a".repeat(64) + ".test"),
                        "zones[0].name", "label '" + "a".repeat(64) + "' is longer than 63 characters"),
                argumentSet("zone name longer than 253", with("name: example.test", "name: " + (("a".repeat(60) + ".").repeat(5)) + "test"),
                        "zones[0].name", "longer than 253 characters"),
                argumentSet("nameserver with an underscore-free bad character", with("ns1.example.test]", "ns1!.example.test]"),
                        "zones[0].nameservers[0]", "has the character '!'"),
                argumentSet("external target that is not a name", with("target: 192.0.2.1,", "target: 'bad target',"),
                        "profiles[0].endpoints[0].target", "'bad target' is not a valid DNS name"),
                argumentSet("external target that is not an address", with("target: 192.0.2.1,", "target: 192.0.2.300,"),
                        "profiles[0].endpoints[0].target", "'192.0.2.300' is not an IPv4 or IPv6 address"),
                argumentSet("nameserver address that is not an address",
                        with("nameservers: [ns1.example.test]", "nameservers: [{name: ns1.example.test, addresses: [10.0.0.256]}]"),
                        "zones[0].nameservers[0].addresses[0]", "'10.0.0.256' is not an IPv4 or IPv6 address"),

                // listen addresses
                argumentSet("listen on a host name", with("\"127.0.0.1:8053\"", "\"localhost:53\""),
                        "dns.listen[0]", "'localhost:53': the host must be an IP address, not a name"),
                argumentSet("listen on IPv6 without brackets", with("\"127.0.0.1:8053\"", "\"::1:53\""),
                        "dns.listen[0]", "'::1:53': put an IPv6 address in brackets, as [::1]:8053"),
                argumentSet("listen on port 70000", with("\"127.0.0.1:8053\"", "\"127.0.0.1:70000\""),
                        "dns.listen[0]", "port must be 0-65535"),
                argumentSet("listen without a port", with("\"127.0.0.1:8053\"", "\"127.0.0.1\""),
                        "dns.listen[0]", "'127.0.0.1' is not host:port"),
                argumentSet("listen on a named port", with("\"127.0.0.1:8053\"", "\"127.0.0.1:dns\""),
                        "dns.listen[0]", "port 'dns' is not a number"),
                argumentSet("listen twice on one address", with("\"127.0.0.1:8053\"", "\"127.0.0.1:8053\", \"127.0.0.1:8053\""),
                        "dns.listen[1]", "127.0.0.1:8053 is listed twice"),
                argumentSet("listen twice on one IPv6 address spelt two ways", with("\"127.0.0.1:8053\"", "\"[::1]:53\", \"[0:0::1]:53\""),
                        "dns.listen[1]", "is listed twice"),
                argumentSet("listen on nothing", with("[\"127.0.0.1:8053\"]", "[]"),
                        "dns.listen", "needs at least one address"),

                // bad enum values
                argumentSet("profileStatus Enbled", with("profileStatus: Enabled", "profileStatus: Enbled"),
                        "profiles[0].profileStatus", "(did you mean 'Enabled'?)"),
                argumentSet("profileStatus is not a status", with("profileStatus: Enabled", "profileStatus: On"),
                        "profiles[0].profileStatus", "'On' is not one of"),
                argumentSet("endpointStatus Disbled", with("endpointStatus: Enabled", "endpointStatus: Disbled"),
                        "profiles[0].endpoints[0].endpointStatus", "(did you mean 'Disabled'?)"),
                argumentSet("trafficRoutingMethod Performence", with("trafficRoutingMethod: Priority", "trafficRoutingMethod: Performence"),
                        "profiles[0].trafficRoutingMethod",
                        "'Performence' is not one of Performance, Priority, Weighted, Geographic, MultiValue, Subnet (did you mean 'Performance'?)"),
                argumentSet("endpoint type nestd", with("type: nested", "type: nestd"),
                        "profiles[0].endpoints[1].type", "(did you mean 'nested'?)"),

                // several zones
                argumentSet("profile without zone when several are served",
                        with("zones:\n", "zones:\n  - {name: other.test, nameservers: [ns1.other.test]}\n"),
                        "profiles[0].zone", "is required when more than one zone is served"));
    }

    @ParameterizedTest
    @MethodSource("badConfigurations")
    void badConfigurationIsReportedAtItsFieldPath(String yaml, String path, String phrase) {
        assertReportedAt(errorsOf(yaml), path, phrase);
    }

    static Stream<Arguments> singleMistakes() {
        return Stream.of(
                argumentSet("relativeName with a space", with("relativeName: www", "relativeName: w w")),
                argumentSet("zone label longer than 63", with("name: example.test", "name: " + "a".repeat(64) + ".test")),
                argumentSet("ttl is text", with("ttl: 30", "ttl: abc")),
                argumentSet("unknown endpoint key", with("priority: 1,", "priority: 1, colour: blue,")),
                argumentSet("listen on port 70000", with("\"127.0.0.1:8053\"", "\"127.0.0.1:70000\"")));
    }

    /** A follow-on error for a field the user did write ("is required") sends them looking for the wrong mistake. */
    @ParameterizedTest
    @MethodSource("singleMistakes")
    void oneMistakeIsReportedOnce(String yaml) {
        assertThat(errorsOf(yaml)).hasSize(1);
    }

    @Test
    void everyErrorIsReportedAtOnce() {
        String yaml = BASE
                .replace("\"127.0.0.1:8053\"", "\"localhost:53\"")
                .replace("latitude: 48.86", "latitude: 91")
                .replace("trafficRoutingMethod: Priority", "trafficRoutingMehtod: Priority")
                .replace("ttl: 30", "ttl: -1")
                .replace("priority: 1,", "priority: 0,")
                .replace("weight: 1}", "weight: 0}")
                .replace("profileStatus: Enabled", "profileStatus: Enbled");

        assertThat(errorsOf(yaml)).extracting(ConfigError::path).containsExactlyInAnyOrder(
                "dns.listen[0]",
                "regions[0].latitude",
                "profiles[0].trafficRoutingMehtod",
                "profiles[0].trafficRoutingMethod", // the misspelt key leaves the method unset
                "profiles[0].dnsConfig.ttl",
                "profiles[0].endpoints[0].priority",
                "profiles[0].endpoints[0].weight",
                "profiles[0].profileStatus");
    }

    @Test
    void exceptionMessageListsEveryErrorWithItsPath() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse(BASE.replace("ttl: 30", "ttl: -1").replace("priority: 1,", "priority: 0,")));

        assertThat(e.getMessage().lines()).containsExactly(
                "profiles[0].dnsConfig.ttl: must be between 0 and 2147483647, not -1",
                "profiles[0].endpoints[0].priority: must be between 1 and 1000, not 0");
    }

    // ---------------------------------------------------------------- documents that are not configurations

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableDocuments")
    void unreadableDocumentIsOneErrorWithoutPath(String description, String yaml, String phrase) {
        List<ConfigError> errors = errorsOf(yaml);

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.path()).isEmpty();
            assertThat(e.message()).contains(phrase);
        });
    }

    static Stream<Arguments> unreadableDocuments() {
        return Stream.of(
                Arguments.of("duplicate key", with("ttl: 30", "ttl: 30, ttl: 60"), "duplicate key ttl"),
                Arguments.of("duplicate key names its line", with("ttl: 30", "ttl: 30, ttl: 60"), "at line 12,"),
                Arguments.of("duplicate top-level section", BASE + "zones: []\n", "duplicate key zones"),
                Arguments.of("unclosed flow mapping names its line", with("ttl: 30}", "ttl: 30"), "at line 13,"),
                Arguments.of("bad indentation names its line", with("    trafficRoutingMethod: Priority", "   trafficRoutingMethod: Priority"), "line 9"),
                Arguments.of("tab indentation is not YAML", with("    profileStatus: Enabled", "\tprofileStatus: Enabled"), "not valid YAML"),
                Arguments.of("empty document", "", "the configuration is empty"),
                Arguments.of("comment only", "# nothing yet\n", "the configuration is empty"),
                Arguments.of("a list, not a mapping", "- a\n- b\n", "must be a mapping of sections"),
                Arguments.of("a scalar, not a mapping", "hello\n", "must be a mapping of sections"));
    }

    /** 20,000 nested brackets once overflowed the parser's stack, an Error that stopped the file watcher for good. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            flow sequences,  '[',   ']'
            flow mappings,   '{a: ', '}'
            """)
    void nestingDeeperThanTheLimitIsOneErrorNamingItsLine(String description, String open, String close) {
        String yaml = "zones: []\nprofiles: " + open.repeat(20_000) + close.repeat(20_000) + "\n";

        assertThat(errorsOf(yaml)).singleElement().satisfies(e -> {
            assertThat(e.path()).isEmpty();
            assertThat(e.message()).contains("nested more than 64 levels deep").contains("line 2");
        });
    }

    /** The document itself is the first level, so 63 brackets inside it are the deepest allowed. */
    @Test
    void nestingUpToTheLimitIsRead() throws ConfigException {
        assertThat(parse(MINIMAL + "x-deep: " + "[".repeat(63) + "]".repeat(63) + "\n").profiles()).hasSize(1);
        assertThat(errorsOf(MINIMAL + "x-deep: " + "[".repeat(64) + "]".repeat(64) + "\n")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("nested more than 64 levels deep"));
    }

    /**
     * Nine levels of nine aliases stay within the alias limit but expand to 9^9 nodes: converting
     * that to a tree once ran out of memory, again stopping the watcher for good.
     */
    @Test
    void aliasesThatExpandBeyondTheLimitAreOneError() {
        StringBuilder yaml = new StringBuilder("zones: []\nx-a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char level = 'b'; level <= 'i'; level++) {
            char below = (char) (level - 1);
            yaml.append("x-").append(level).append(": &").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*" + below))).append("]\n");
        }

        assertThat(errorsOf(yaml.toString())).singleElement().satisfies(e -> {
            assertThat(e.path()).isEmpty();
            assertThat(e.message()).contains("aliases expand the document to more than 1,000,000 values");
        });
    }

    @Test
    void anAliasInsideItsOwnAnchorIsOneError() {
        assertThat(errorsOf("zones: []\nx-loop: &loop [a, *loop]\n")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("refers to a collection that contains it"));
    }

    @Test
    void missingFileIsAConfigErrorNamingTheFile() {
        Path missing = tempDir.resolve("nowhere.yaml");

        assertThatThrownBy(() -> io.wayfinder.control.ConfigLoader.reader().read(missing))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(error -> assertThat(error.message()).isEqualTo(
                                "configuration file " + missing + " does not exist")));
    }
}
