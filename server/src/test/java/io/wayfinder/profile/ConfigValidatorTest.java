package io.wayfinder.profile;

import static io.wayfinder.profile.ConfigTexts.assertReportedAt;
import static io.wayfinder.profile.ConfigTexts.errorsOf;
import static io.wayfinder.profile.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.wayfinder.geo.RegionCatalogue;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checks that look across a configuration: unique names, resolvable references (zones, regions,
 * nested profiles), nesting without cycles and at most ten levels deep, and the per-method rules.
 * Each row is a whole small configuration, so that the path in the error can be read off the row.
 */
class ConfigValidatorTest {

    private static final String ZONE = "zones: [{name: example.test, nameservers: [ns1.example.test]}]\n";

    /** The one zone and these profiles, each a YAML flow mapping. */
    private static String profiles(String... profiles) {
        return ZONE + "profiles:\n" + Stream.of(profiles).map(p -> "  - " + p + "\n").collect(Collectors.joining());
    }

    /**
     * A chain of nested profiles {@code p1 -> p2 -> ... -> pN}; only {@code p1} has a DNS name and
     * only {@code pN} has an external endpoint, so the chain is {@code levels} profiles deep.
     */
    private static String chain(int levels) {
        String[] profiles = new String[levels];
        for (int i = 1; i <= levels; i++) {
            String dns = i == 1 ? "dnsConfig: {relativeName: www}, " : "";
            String endpoint = i == levels ? "{name: leaf, target: 192.0.2.1}"
                    : "{name: down, type: nested, target: p" + (i + 1) + "}";
            profiles[i - 1] = "{name: p" + i + ", trafficRoutingMethod: Priority, " + dns + "endpoints: [" + endpoint + "]}";
        }
        return profiles(profiles);
    }

    // ---------------------------------------------------------------- rejected

    static Stream<Arguments> crossFieldMistakes() {
        return Stream.of(
                // zones
                argumentSet("zone listed twice",
                        "zones: [{name: example.test, nameservers: [ns1.example.test]}, {name: Example.Test., nameservers: [ns1.example.test]}]\n"
                                + "profiles: [{name: a, zone: example.test, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}]\n",
                        "zones[1].name", "zone example.test is listed twice"),
                argumentSet("zone inside another zone",
                        "zones: [{name: example.test, nameservers: [ns1.example.test]}, {name: sub.example.test, nameservers: [ns1.example.test]}]\n"
                                + "profiles: [{name: a, zone: example.test, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}]\n",
                        "zones[1].name", "zone sub.example.test overlaps zone example.test"),
                argumentSet("profile in a zone that is not served",
                        profiles("{name: a, zone: exmaple.test, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}"),
                        "profiles[0].zone", "zone 'exmaple.test' is not served (zones: example.test) (did you mean 'example.test'?)"),

                // profile names and DNS names
                argumentSet("profile name used twice, ignoring case",
                        profiles("{name: web, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}",
                                "{name: Web, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www2}}"),
                        "profiles[1].name", "profile name 'Web' is already used by profiles[0]"),
                argumentSet("two profiles answer the same name",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}",
                                "{name: b, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}"),
                        "profiles[1].dnsConfig.relativeName", "name www.example.test is already used by profile 'a'"),
                argumentSet("two profiles answer the same name, spelt in other case",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}",
                                "{name: b, trafficRoutingMethod: Priority, dnsConfig: {relativeName: WWW}}"),
                        "profiles[1].dnsConfig.relativeName", "name www.example.test is already used by profile 'a'"),
                argumentSet("profile answers a name server's name",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: ns1}}"),
                        "profiles[0].dnsConfig.relativeName", "name ns1.example.test is already used by name server ns1.example.test"),
                argumentSet("profile with a DNS name longer than 253 characters in its zone",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: "
                                + ("a".repeat(60) + ".").repeat(3) + "b".repeat(60) + "}}"),
                        "profiles[0].dnsConfig.relativeName", "253"),

                // endpoint names
                argumentSet("endpoint name used twice, ignoring case",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1}, {name: E1, target: 192.0.2.2}]}"),
                        "profiles[0].endpoints[1].name", "endpoint name 'E1' is already used by endpoints[0]"),

                // regions
                argumentSet("misspelt region",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}]}",
                                "{name: b, trafficRoutingMethod: Performance, dnsConfig: {relativeName: b}, "
                                        + "endpoints: [{name: e1, target: 192.0.2.1, endpointLocation: westeurop}]}"),
                        "profiles[1].endpoints[0].endpointLocation", "unknown region 'westeurop' (did you mean 'westeurope'?)"),
                argumentSet("region nothing like a known one",
                        profiles("{name: a, trafficRoutingMethod: Performance, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, endpointLocation: mars}]}"),
                        "profiles[0].endpoints[0].endpointLocation", "unknown region 'mars'; to use a site of your own, add it under regions:"),
                argumentSet("custom region named like a built-in one",
                        "regions: [{name: westeurope, latitude: 48.86, longitude: 2.35}]\n"
                                + profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}}"),
                        "regions[0].name", "region 'westeurope' already exists in the catalogue"),
                argumentSet("custom region named like a built-in one in other case",
                        "regions: [{name: WestEurope, latitude: 48.86, longitude: 2.35}]\n"
                                + profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}}"),
                        "regions[0].name", "already exists in the catalogue"),
                argumentSet("custom region listed twice",
                        "regions: [{name: onprem-paris, latitude: 48.86, longitude: 2.35}, {name: onprem-paris, latitude: 1, longitude: 2}]\n"
                                + profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}}"),
                        "regions[1].name", "region 'onprem-paris' already exists in the catalogue"),

                // Performance
                argumentSet("Performance endpoint without endpointLocation",
                        profiles("{name: a, trafficRoutingMethod: Performance, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, endpointLocation: westeurope}, {name: e2, target: 192.0.2.2}]}"),
                        "profiles[0].endpoints[1].endpointLocation", "is required for Performance routing"),
                argumentSet("Performance nested endpoint without endpointLocation",
                        profiles("{name: a, trafficRoutingMethod: Performance, dnsConfig: {relativeName: a}, "
                                        + "endpoints: [{name: e1, type: nested, target: child}]}",
                                "{name: child, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}"),
                        "profiles[0].endpoints[0].endpointLocation", "is required for Performance routing"),

                // fallback
                argumentSet("misspelt region of the fallback",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}], "
                                + "fallback: {name: sorry, target: 192.0.2.99, endpointLocation: westeurop}}"),
                        "profiles[0].fallback.endpointLocation", "unknown region 'westeurop' (did you mean 'westeurope'?)"),
                argumentSet("fallback named like an endpoint",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}], "
                                + "fallback: {name: E1, target: 192.0.2.99}}"),
                        "profiles[0].fallback.name", "'E1' is already the name of an endpoint"),
                argumentSet("fallback nesting a profile that does not exist",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}], "
                                + "fallback: {name: sorry, type: nested, target: nowhere}}"),
                        "profiles[0].fallback.target", "no profile is named 'nowhere'"),
                argumentSet("fallback with a bad address",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}], "
                                + "fallback: {name: sorry, target: 192.0.2.300}}"),
                        "profiles[0].fallback.target", "192.0.2.300"),

                // Priority
                argumentSet("Priority written twice",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, priority: 1}, {name: e2, target: 192.0.2.2, priority: 1}]}"),
                        "profiles[0].endpoints[1].priority", "priority 1 is already used by endpoint 'e1'"),
                argumentSet("Priority taken from the position clashes with a written one",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, priority: 2}, {name: e2, target: 192.0.2.2}]}"),
                        "profiles[0].endpoints[1].priority",
                        "priority 2 is already used by endpoint 'e1' (an endpoint without a priority takes its position in the list)"),

                // nesting
                argumentSet("nested target that is no profile",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                        + "endpoints: [{name: e1, type: nested, target: chlid}]}",
                                "{name: child, trafficRoutingMethod: Priority, dnsConfig: {relativeName: c}, endpoints: [{name: e1, target: 192.0.2.1}]}"),
                        "profiles[0].endpoints[0].target", "no profile is named 'chlid' (did you mean 'child'?)"),
                argumentSet("profile nesting itself",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1}, {name: me, type: nested, target: A}]}"),
                        "profiles[0].endpoints[1].target", "a profile cannot nest itself"),
                argumentSet("minChildEndpoints below the IPv4 and IPv6 minimums",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, type: nested, "
                                        + "target: child, minChildEndpoints: 2, minChildEndpointsIPv4: 2, minChildEndpointsIPv6: 1}]}",
                                "{name: child, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}"),
                        "profiles[0].endpoints[0].minChildEndpoints", "is 2 but must be at least minChildEndpointsIPv4 + minChildEndpointsIPv6 = 3"),
                argumentSet("minChildEndpoints on an external endpoint",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, minChildEndpoints: 2}]}"),
                        "profiles[0].endpoints[0].minChildEndpoints", "applies only to nested endpoints"),

                // method-specific rules
                argumentSet("Geographic endpoint without geoMapping",
                        profiles("{name: a, trafficRoutingMethod: Geographic, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}]}"),
                        "profiles[0].endpoints[0].geoMapping", "is required for Geographic routing"),
                argumentSet("MultiValue endpoint with a name",
                        profiles("{name: a, trafficRoutingMethod: MultiValue, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: cdn.example.net}]}"),
                        "profiles[0].endpoints[0].target", "MultiValue endpoints must be IPv4 or IPv6 addresses"),
                argumentSet("Subnet with two catch-alls",
                        profiles("{name: a, trafficRoutingMethod: Subnet, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1},"
                                + " {name: e2, target: 192.0.2.2}]}"),
                        "profiles[0].endpoints[1].subnets", "only one endpoint may go without subnets"),
                argumentSet("maxReturn without MultiValue routing",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, maxReturn: 3, "
                                + "endpoints: [{name: e1, target: 192.0.2.1}]}"),
                        "profiles[0].maxReturn", "Priority routing does not use it (it applies to MultiValue routing)"),
                argumentSet("geoMapping without Geographic routing",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, geoMapping: [FR]}]}"),
                        "profiles[0].endpoints[0].geoMapping", "Priority routing does not use it (it applies to Geographic routing)"),
                argumentSet("subnets without Subnet routing",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, subnets: [10.0.0.0/8]}]}"),
                        "profiles[0].endpoints[0].subnets",
                        "Priority routing does not use it (it applies to Performance, Geographic, Subnet routing)"));
    }

    @ParameterizedTest
    @MethodSource("crossFieldMistakes")
    void crossFieldMistakeIsReportedAtItsFieldPath(String yaml, String path, String phrase) {
        assertReportedAt(errorsOf(yaml), path, phrase);
    }

    /** Through the API a child is written before the parent that nests it: on its own it is allowed, and noted. */
    @Test
    void aProfileWithoutANameThatNothingNestsIsAllowedAndNotedAsAnsweringNothing() throws ConfigException {
        WayfinderConfig config = parse(profiles(
                "{name: child, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}",
                "{name: other, trafficRoutingMethod: Priority, endpoints: [{name: e2, target: 192.0.2.2}]}",
                "{name: parent, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www},"
                        + " endpoints: [{name: n, type: nested, target: other}]}"));

        assertThat(config.unreachableProfiles()).containsExactly("child");
    }

    @Test
    void misspeltRegionReadsAsDocumented() {
        List<ConfigError> errors = errorsOf(profiles(
                "{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}]}",
                "{name: b, trafficRoutingMethod: Performance, dnsConfig: {relativeName: b}, "
                        + "endpoints: [{name: e1, target: 192.0.2.1, endpointLocation: westeurop}]}"));

        assertThat(errors).singleElement().extracting(ConfigError::toString).asString()
                .startsWith("profiles[1].endpoints[0].endpointLocation: unknown region 'westeurop' (did you mean 'westeurope'?)");
    }

    @Test
    void twoProfileCycleIsRejectedNamingTheCycle() {
        List<ConfigError> errors = errorsOf(profiles(
                "{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: to-b, type: nested, target: b}]}",
                "{name: b, trafficRoutingMethod: Priority, endpoints: [{name: to-a, type: nested, target: a}]}"));

        // Reported at the target that closes the cycle.
        assertThat(errors).containsExactly(new ConfigError("profiles[1].endpoints[0].target", "nested profiles form a cycle: a -> b -> a"));
    }

    @Test
    void threeProfileCycleIsRejectedNamingTheCycle() {
        List<ConfigError> errors = errorsOf(profiles(
                "{name: top, trafficRoutingMethod: Priority, dnsConfig: {relativeName: top}, endpoints: [{name: in, type: nested, target: a}]}",
                "{name: a, trafficRoutingMethod: Priority, endpoints: [{name: next, type: nested, target: b}]}",
                "{name: b, trafficRoutingMethod: Priority, endpoints: [{name: next, type: nested, target: c}]}",
                "{name: c, trafficRoutingMethod: Priority, endpoints: [{name: back, type: nested, target: a}]}"));

        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("profiles[3].endpoints[0].target");
            assertThat(e.message()).isEqualTo("nested profiles form a cycle: a -> b -> c -> a");
        });
    }

    @Test
    void elevenLevelChainIsRejected() {
        assertThat(errorsOf(chain(11))).containsExactly(
                new ConfigError("profiles[0]", "profile 'p1' nests 11 levels deep; at most 10 are allowed"));
    }

    @ParameterizedTest(name = "{0} levels")
    @ValueSource(ints = {1, 2, ProfileConfig.MAX_NESTING_DEPTH})
    void chainOfAtMostTenLevelsIsAccepted(int levels) throws ConfigException {
        assertThat(parse(chain(levels)).profiles()).hasSize(levels);
    }

    @Test
    void customRegionIsUsableAsEndpointLocation() throws ConfigException {
        WayfinderConfig config = parse("regions: [{name: onprem-paris, latitude: 48.86, longitude: 2.35}]\n" + profiles(
                "{name: a, trafficRoutingMethod: Performance, dnsConfig: {relativeName: a}, "
                        + "endpoints: [{name: paris, target: 192.0.2.1, endpointLocation: onprem-paris},"
                        + " {name: cloud, target: 192.0.2.2, endpointLocation: westeurope}]}"));

        assertThat(config.profiles().get(0).endpoints()).extracting(EndpointConfig::location)
                .containsExactly("onprem-paris", "westeurope");
        RegionCatalogue catalogue = config.catalogue();
        assertThat(catalogue.find("onprem-paris")).hasValueSatisfying(r -> {
            assertThat(r.latitude()).isEqualTo(48.86);
            assertThat(r.longitude()).isEqualTo(2.35);
        });
    }

    @Test
    void customRegionMatchesIgnoringCase() throws ConfigException {
        WayfinderConfig config = parse("regions: [{name: OnPrem-Paris, latitude: 48.86, longitude: 2.35}]\n" + profiles(
                "{name: a, trafficRoutingMethod: Performance, dnsConfig: {relativeName: a}, "
                        + "endpoints: [{name: paris, target: 192.0.2.1, endpointLocation: ONPREM-paris}]}"));

        assertThat(config.profiles().get(0).endpoints().get(0).location()).isEqualTo("onprem-paris");
    }

    // ---------------------------------------------------------------- accepted

    static Stream<Arguments> acceptedConfigurations() {
        return Stream.of(
                argumentSet("a profile without relativeName that is nested",
                        profiles("{name: top, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}, "
                                        + "endpoints: [{name: in, type: nested, target: Inner}]}",
                                "{name: inner, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}")),
                argumentSet("two profiles nesting the same child",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: in, type: nested, target: c}]}",
                                "{name: b, trafficRoutingMethod: Priority, dnsConfig: {relativeName: b}, endpoints: [{name: in, type: nested, target: c}]}",
                                "{name: c, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}")),
                argumentSet("the same priority in a Weighted profile",
                        profiles("{name: a, trafficRoutingMethod: Weighted, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, priority: 1}, {name: e2, target: 192.0.2.2, priority: 1}]}")),
                argumentSet("priorities out of list order",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, priority: 2}, {name: e2, target: 192.0.2.2, priority: 1}]}")),
                argumentSet("minChildEndpoints equal to the IPv4 and IPv6 minimums",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, type: nested, "
                                        + "target: child, minChildEndpoints: 2, minChildEndpointsIPv4: 1, minChildEndpointsIPv6: 1}]}",
                                "{name: child, trafficRoutingMethod: Priority, endpoints: [{name: e1, target: 192.0.2.1}]}")),
                argumentSet("the same endpoint name in two profiles",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}, endpoints: [{name: e1, target: 192.0.2.1}]}",
                                "{name: b, trafficRoutingMethod: Priority, dnsConfig: {relativeName: b}, endpoints: [{name: e1, target: 192.0.2.1}]}")),
                argumentSet("the same relativeName in two zones",
                        "zones: [{name: one.test, nameservers: [ns1.one.test]}, {name: two.test, nameservers: [ns1.one.test]}]\n"
                                + "profiles: [{name: a, zone: one.test, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}},"
                                + " {name: b, zone: two.test, trafficRoutingMethod: Priority, dnsConfig: {relativeName: www}}]\n"),
                argumentSet("a profile without endpoints",
                        profiles("{name: a, trafficRoutingMethod: Priority, dnsConfig: {relativeName: a}}")),
                argumentSet("a region written in other case",
                        profiles("{name: a, trafficRoutingMethod: Performance, dnsConfig: {relativeName: a}, "
                                + "endpoints: [{name: e1, target: 192.0.2.1, endpointLocation: WestEurope}]}")));
    }

    @ParameterizedTest
    @MethodSource("acceptedConfigurations")
    void configurationIsAccepted(String yaml) throws ConfigException {
        assertThat(parse(yaml).profiles()).isNotEmpty();
    }

    // ---------------------------------------------------------------- one rule, one error

    /** A method's rule broken by every endpoint is one error per endpoint, at each endpoint's field. */
    @ParameterizedTest(name = "{0} endpoint(s)")
    @ValueSource(ints = {1, 3})
    void aMethodRuleIsReportedAtEachEndpointThatBreaksIt(int endpoints) {
        String list = IntStream.range(0, endpoints).mapToObj(i -> "{name: e" + i + ", target: e" + i + ".example.net}")
                .collect(Collectors.joining(", ", "[", "]"));

        assertThat(errorsOf(profiles("{name: a, trafficRoutingMethod: MultiValue, dnsConfig: {relativeName: a}, endpoints: " + list + "}")))
                .extracting(ConfigError::path)
                .containsExactlyElementsOf(IntStream.range(0, endpoints).mapToObj(i -> "profiles[0].endpoints[" + i + "].target").toList());
    }
}
