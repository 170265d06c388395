package io.wayfinder.profile;

import static io.wayfinder.profile.ConfigTexts.assertReportedAt;
import static io.wayfinder.profile.ConfigTexts.errorsOf;
import static io.wayfinder.profile.ConfigTexts.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.wayfinder.net.IpPrefix;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration rules of Geographic, MultiValue and Subnet routing, and of the fields only
 * some methods read ({@code geoMapping}, {@code subnets}, {@code maxReturn}). Each row is one
 * profile in one zone, its endpoints listed one per line, and the error it must be rejected with.
 */
class MethodConfigTest {

    /** One profile {@code p} answering {@code p.example.test}, with these extra profile lines and endpoints. */
    private static String profile(String method, String extra, String... endpoints) {
        StringBuilder yaml = new StringBuilder("""
                zones: [{name: example.test, nameservers: [ns1.example.test]}]
                profiles:
                  - name: p
                    trafficRoutingMethod: %s
                    dnsConfig: {relativeName: p}
                """.formatted(method));
        if (!extra.isEmpty()) {
            yaml.append("    ").append(extra).append('\n');
        }
        yaml.append("    endpoints:\n");
        for (String e : endpoints) {
            yaml.append("      - ").append(e).append('\n');
        }
        return yaml.toString();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // ------------------------------------------------------------ Geographic
                argumentSet("Geographic: unknown code, near a country",
                        profile("Geographic", "", "{name: e1, target: 192.0.2.1, geoMapping: [WORLD, FRA]}"),
                        "profiles[0].endpoints[0].geoMapping[1]", "unknown geographic code 'FRA' (did you mean 'FR'?)"),
                argumentSet("Geographic: unknown code, near a grouping",
                        profile("Geographic", "", "{name: e1, target: 192.0.2.1, geoMapping: [GEO-EUR]}"),
                        "profiles[0].endpoints[0].geoMapping[0]", "unknown geographic code 'GEO-EUR' (did you mean 'GEO-EU'?)"),
                argumentSet("Geographic: UK is not a code",
                        profile("Geographic", "", "{name: e1, target: 192.0.2.1, geoMapping: [UK]}"),
                        "profiles[0].endpoints[0].geoMapping[0]", "unknown geographic code 'UK' (did you mean 'GB'?)"),
                argumentSet("Geographic: a subdivision Azure does not have",
                        profile("Geographic", "", "{name: e1, target: 192.0.2.1, geoMapping: [GB-ENG]}"),
                        "profiles[0].endpoints[0].geoMapping[0]", "unknown geographic code 'GB-ENG'"),
                argumentSet("Geographic: one code on two endpoints names both",
                        profile("Geographic", "",
                                "{name: paris, target: 192.0.2.1, geoMapping: [FR, DE]}",
                                "{name: lyon, target: 192.0.2.2, geoMapping: [ES, FR]}"),
                        "profiles[0].endpoints[1].geoMapping[1]",
                        "FR is already mapped by endpoint 'paris' (profiles[0].endpoints[0].geoMapping[0]): a code maps to one endpoint"),
                argumentSet("Geographic: one code on two endpoints, spelt in other case",
                        profile("Geographic", "",
                                "{name: paris, target: 192.0.2.1, geoMapping: [us-ca]}",
                                "{name: lyon, target: 192.0.2.2, geoMapping: [US-CA]}"),
                        "profiles[0].endpoints[1].geoMapping[0]", "US-CA is already mapped by endpoint 'paris'"),
                argumentSet("Geographic: one code twice on one endpoint",
                        profile("Geographic", "", "{name: a, target: 192.0.2.1, geoMapping: [FR, DE, fr]}"),
                        "profiles[0].endpoints[0].geoMapping[2]", "FR is listed twice (also at [0])"),
                argumentSet("Geographic: WORLD on two endpoints",
                        profile("Geographic", "",
                                "{name: a, target: 192.0.2.1, geoMapping: [WORLD]}",
                                "{name: b, target: 192.0.2.2, geoMapping: [WORLD]}"),
                        "profiles[0].endpoints[1].geoMapping[0]", "WORLD is already mapped by endpoint 'a'"),
                argumentSet("Geographic: endpoint without geoMapping",
                        profile("Geographic", "",
                                "{name: a, target: 192.0.2.1, geoMapping: [WORLD]}",
                                "{name: b, target: 192.0.2.2}"),
                        "profiles[0].endpoints[1].geoMapping", "is required for Geographic routing"),
                argumentSet("Geographic: nested endpoint without geoMapping",
                        profile("Geographic", "",
                                "{name: a, target: 192.0.2.1, geoMapping: [WORLD]}",
                                "{name: b, type: nested, target: p}"),
                        "profiles[0].endpoints[1].geoMapping", "is required for Geographic routing"),
                argumentSet("Geographic: a fallback takes no geoMapping",
                        profile("Geographic", "fallback: {name: spare, target: 192.0.2.9, geoMapping: [FR]}",
                                "{name: a, target: 192.0.2.1, geoMapping: [WORLD]}"),
                        "profiles[0].fallback.geoMapping", "a fallback answers only when every endpoint is Degraded"),
                argumentSet("Geographic: overrides of two endpoints overlap",
                        profile("Geographic", "",
                                "{name: a, target: 192.0.2.1, geoMapping: [FR], subnets: [10.0.0.0/16]}",
                                "{name: b, target: 192.0.2.2, geoMapping: [DE], subnets: [10.0.4.0/24]}"),
                        "profiles[0].endpoints[1].subnets[0]", "10.0.4.0-10.0.4.255 overlaps 10.0.0.0-10.0.255.255 of endpoint 'a'"),

                // ------------------------------------------------------------ MultiValue
                argumentSet("MultiValue: a name target",
                        profile("MultiValue", "",
                                "{name: a, target: 192.0.2.1}",
                                "{name: b, target: cdn.example.net}"),
                        "profiles[0].endpoints[1].target", "'cdn.example.net' is a name; MultiValue endpoints must be IPv4 or IPv6 addresses"),
                argumentSet("MultiValue: a nested endpoint",
                        profile("MultiValue", "",
                                "{name: a, target: 192.0.2.1}",
                                "{name: b, type: nested, target: child}"),
                        "profiles[0].endpoints[1].type", "MultiValue endpoints must be external IPv4 or IPv6 addresses, not nested profiles"),
                argumentSet("MultiValue: a fallback with a name",
                        profile("MultiValue", "fallback: {name: spare, target: spare.example.net}",
                                "{name: a, target: 192.0.2.1}"),
                        "profiles[0].fallback.target", "is a name; MultiValue endpoints must be IPv4 or IPv6 addresses"),
                argumentSet("MultiValue: one address on two endpoints",
                        profile("MultiValue", "",
                                "{name: a, target: 192.0.2.1}",
                                "{name: b, target: 192.0.2.1}"),
                        "profiles[0].endpoints[1].target", "192.0.2.1 is already the target of endpoint 'a' (endpoints[0])"),
                argumentSet("MultiValue: one IPv6 address on two endpoints, written two ways",
                        profile("MultiValue", "",
                                "{name: a, target: \"2001:db8::1\"}",
                                "{name: b, target: 192.0.2.1}",
                                "{name: c, target: \"2001:DB8:0:0::1\"}"),
                        "profiles[0].endpoints[2].target", "2001:db8::1 is already the target of endpoint 'a' (endpoints[0])"),
                argumentSet("MultiValue: maxReturn 0",
                        profile("MultiValue", "maxReturn: 0", "{name: a, target: 192.0.2.1}"),
                        "profiles[0].maxReturn", "must be between 1 and 10, not 0"),
                argumentSet("MultiValue: maxReturn 11",
                        profile("MultiValue", "maxReturn: 11", "{name: a, target: 192.0.2.1}"),
                        "profiles[0].maxReturn", "must be between 1 and 10, not 11"),
                argumentSet("maxReturn on a Geographic profile",
                        profile("Geographic", "maxReturn: 2", "{name: a, target: 192.0.2.1, geoMapping: [WORLD]}"),
                        "profiles[0].maxReturn", "Geographic routing does not use it (it applies to MultiValue routing)"),
                argumentSet("maxReturn on a Subnet profile",
                        profile("Subnet", "maxReturn: 2", "{name: a, target: 192.0.2.1}"),
                        "profiles[0].maxReturn", "Subnet routing does not use it (it applies to MultiValue routing)"),
                argumentSet("maxReturn on a Performance profile",
                        profile("Performance", "maxReturn: 2", "{name: a, target: 192.0.2.1, endpointLocation: westeurope}"),
                        "profiles[0].maxReturn", "Performance routing does not use it (it applies to MultiValue routing)"),

                // ------------------------------------------------------------ Subnet
                argumentSet("Subnet: prefixes of two endpoints overlap",
                        profile("Subnet", "",
                                "{name: office, target: 192.0.2.1, subnets: [10.0.0.0/24]}",
                                "{name: lab, target: 192.0.2.2, subnets: [10.0.0.128/25]}"),
                        "profiles[0].endpoints[1].subnets[0]",
                        "10.0.0.128-10.0.0.255 overlaps 10.0.0.0-10.0.0.255 of endpoint 'office' (endpoints[0].subnets[0]): an address must map to one endpoint"),
                argumentSet("Subnet: ranges of two endpoints share one address",
                        profile("Subnet", "",
                                "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.5, last: 10.0.0.100}]}",
                                "{name: lab, target: 192.0.2.2, subnets: [{first: 10.0.0.100, last: 10.0.0.200}]}"),
                        "profiles[0].endpoints[1].subnets[0]", "10.0.0.100-10.0.0.200 overlaps 10.0.0.5-10.0.0.100 of endpoint 'office'"),
                argumentSet("Subnet: the earlier endpoint's range starts inside the later one's",
                        profile("Subnet", "",
                                "{name: office, target: 192.0.2.1, subnets: [10.9.0.0/16, {first: 10.0.0.50}]}",
                                "{name: lab, target: 192.0.2.2, subnets: [{first: 10.0.0.0, last: 10.0.0.99}]}"),
                        "profiles[0].endpoints[0].subnets[1]", "10.0.0.50 overlaps 10.0.0.0-10.0.0.99 of endpoint 'lab' (endpoints[1].subnets[0])"),
                argumentSet("Subnet: an overlap behind a longer range of the same endpoint",
                        profile("Subnet", "",
                                "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.0, last: 10.0.0.100}, {first: 10.0.0.50, last: 10.0.0.250}]}",
                                "{name: lab, target: 192.0.2.2, subnets: [{first: 10.0.0.200, last: 10.0.0.210}]}"),
                        "profiles[0].endpoints[1].subnets[0]", "overlaps 10.0.0.50-10.0.0.250 of endpoint 'office' (endpoints[0].subnets[1])"),
                argumentSet("Subnet: IPv6 ranges of two endpoints overlap",
                        profile("Subnet", "",
                                "{name: office, target: 192.0.2.1, subnets: [\"2001:db8::/32\"]}",
                                "{name: lab, target: 192.0.2.2, subnets: [{first: \"2001:db8:ffff::\", last: \"2001:db9::\"}]}"),
                        "profiles[0].endpoints[1].subnets[0]", "overlaps 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff of endpoint 'office'"),
                argumentSet("Subnet: two catch-alls",
                        profile("Subnet", "",
                                "{name: office, target: 192.0.2.1, subnets: [10.0.0.0/8]}",
                                "{name: rest, target: 192.0.2.2}",
                                "{name: more, target: 192.0.2.3}"),
                        "profiles[0].endpoints[2].subnets",
                        "is required: only one endpoint may go without subnets (the catch-all), and 'rest' (endpoints[1]) already does"),
                argumentSet("Subnet: scope with host bits in first",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.5, scope: 24}]}"),
                        "profiles[0].endpoints[0].subnets[0].first", "10.0.0.5 is not the first address of a /24 (that is 10.0.0.0)"),
                argumentSet("Subnet: IPv6 scope with host bits in first",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: \"2001:db8::1\", scope: 64}]}"),
                        "profiles[0].endpoints[0].subnets[0].first", "2001:db8::1 is not the first address of a /64 (that is 2001:db8::)"),
                argumentSet("Subnet: text network with host bits",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [10.1.0.5/16]}"),
                        "profiles[0].endpoints[0].subnets[0]", "host bits are set beyond /16"),
                argumentSet("Subnet: last before first",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.9, last: 10.0.0.1}]}"),
                        "profiles[0].endpoints[0].subnets[0].last", "first (10.0.0.9) is after last (10.0.0.1)"),
                argumentSet("Subnet: last does not match scope",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: 12.13.14.0, last: 12.13.14.200, scope: 27}]}"),
                        "profiles[0].endpoints[0].subnets[0].last", "does not match scope 27 (the /27 ends at 12.13.14.31)"),
                argumentSet("Subnet: first and last of different families",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.1, last: \"2001:db8::1\"}]}"),
                        "profiles[0].endpoints[0].subnets[0].last", "same family"),
                argumentSet("Subnet: IPv4 scope above 32",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.0, scope: 33}]}"),
                        "profiles[0].endpoints[0].subnets[0].scope", "must be at most 32 for an IPv4 address"),
                argumentSet("Subnet: scope above 128",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: \"2001:db8::\", scope: 129}]}"),
                        "profiles[0].endpoints[0].subnets[0].scope", "must be between 0 and 128"),
                argumentSet("Subnet: first is not an address",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: office.example.net}]}"),
                        "profiles[0].endpoints[0].subnets[0].first", "'office.example.net'"),
                argumentSet("Subnet: first is missing",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{last: 10.0.0.9}]}"),
                        "profiles[0].endpoints[0].subnets[0].first", "is required"),
                argumentSet("Subnet: a mapping key Azure does not have",
                        profile("Subnet", "", "{name: office, target: 192.0.2.1, subnets: [{first: 10.0.0.0, size: 24}]}"),
                        "profiles[0].endpoints[0].subnets[0].size", "unknown key"),
                argumentSet("Subnet: a fallback takes no subnets",
                        profile("Subnet", "fallback: {name: spare, target: 192.0.2.9, subnets: [10.0.0.0/8]}",
                                "{name: office, target: 192.0.2.1, subnets: [11.0.0.0/8]}"),
                        "profiles[0].fallback.subnets", "a fallback answers only when every endpoint is Degraded; it takes no subnets"),

                // ------------------------------------------------------------ fields a method does not read
                argumentSet("geoMapping on a Performance profile",
                        profile("Performance", "", "{name: a, target: 192.0.2.1, endpointLocation: westeurope, geoMapping: [FR]}"),
                        "profiles[0].endpoints[0].geoMapping", "Performance routing does not use it (it applies to Geographic routing)"),
                argumentSet("geoMapping on a Subnet profile",
                        profile("Subnet", "", "{name: a, target: 192.0.2.1, geoMapping: [FR]}"),
                        "profiles[0].endpoints[0].geoMapping", "Subnet routing does not use it (it applies to Geographic routing)"),
                argumentSet("subnets on a Priority profile",
                        profile("Priority", "", "{name: a, target: 192.0.2.1, subnets: [10.0.0.0/8]}"),
                        "profiles[0].endpoints[0].subnets",
                        "Priority routing does not use it (it applies to Performance, Geographic, Subnet routing)"),
                argumentSet("subnets on a Weighted profile",
                        profile("Weighted", "", "{name: a, target: 192.0.2.1, subnets: [10.0.0.0/8]}"),
                        "profiles[0].endpoints[0].subnets", "Weighted routing does not use it"),
                argumentSet("subnets on a MultiValue profile",
                        profile("MultiValue", "", "{name: a, target: 192.0.2.1, subnets: [10.0.0.0/8]}"),
                        "profiles[0].endpoints[0].subnets", "MultiValue routing does not use it"),
                argumentSet("Performance: overrides of two endpoints overlap",
                        profile("Performance", "",
                                "{name: a, target: 192.0.2.1, endpointLocation: westeurope, subnets: [{first: 10.0.0.0, last: 10.0.0.10}]}",
                                "{name: b, target: 192.0.2.2, endpointLocation: eastus, subnets: [10.0.0.8/29]}"),
                        "profiles[0].endpoints[1].subnets[0]", "10.0.0.8-10.0.0.15 overlaps 10.0.0.0-10.0.0.10 of endpoint 'a'"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void aMistakeIsReportedAtItsField(String yaml, String path, String phrase) {
        assertReportedAt(errorsOf(yaml), path, phrase);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                argumentSet("Geographic: a parent code and a child code on different endpoints",
                        profile("Geographic", "",
                                "{name: europe, target: 192.0.2.1, geoMapping: [GEO-EU]}",
                                "{name: france, target: 192.0.2.2, geoMapping: [FR, us-ca, CA-QC, AU-NSW]}",
                                "{name: world, target: 192.0.2.3, geoMapping: [WORLD], subnets: [10.0.0.0/8]}")),
                argumentSet("Geographic: a Disabled endpoint still has its codes checked, and keeps them",
                        profile("Geographic", "",
                                "{name: a, target: 192.0.2.1, geoMapping: [FR], endpointStatus: Disabled}",
                                "{name: b, target: 192.0.2.2, geoMapping: [DE]}")),
                argumentSet("MultiValue: IPv4 and IPv6 mixed, maxReturn 1",
                        profile("MultiValue", "maxReturn: 1",
                                "{name: a, target: 192.0.2.1}",
                                "{name: b, target: \"2001:db8::1\"}")),
                argumentSet("MultiValue: maxReturn 10",
                        profile("MultiValue", "maxReturn: 10", "{name: a, target: 192.0.2.1}")),
                argumentSet("Subnet: every form of subnets item",
                        profile("Subnet", "",
                                "{name: a, target: 192.0.2.1, subnets: [{first: 10.0.0.5, last: 10.0.1.200}, {first: 10.8.0.0, scope: 16},"
                                        + " {first: 10.9.0.7}, 10.10.0.0/16, 10.11.0.1, {first: 12.13.14.0, last: 12.13.14.31, scope: 27}]}",
                                "{name: b, target: 192.0.2.2, subnets: [\"2001:db8::/32\", {first: \"2001:db9::\", last: \"2001:db9::ff\"}]}",
                                "{name: rest, target: 192.0.2.3}")),
                argumentSet("Subnet: ranges of one endpoint may overlap, and two endpoints' may touch",
                        profile("Subnet", "",
                                "{name: a, target: 192.0.2.1, subnets: [10.0.0.0/24, 10.0.0.128/25, {first: 10.0.0.200, last: 10.0.1.5}]}",
                                "{name: b, target: 192.0.2.2, subnets: [{first: 10.0.1.6, last: 10.0.1.255}]}")),
                argumentSet("Subnet: no catch-all",
                        profile("Subnet", "", "{name: a, target: 192.0.2.1, subnets: [10.0.0.0/8]}")),
                argumentSet("Subnet: one catch-all, nested",
                        profile("Subnet", "",
                                "{name: a, target: 192.0.2.1, subnets: [10.0.0.0/8]}",
                                "{name: rest, type: nested, target: other}")
                                + "  - {name: other, trafficRoutingMethod: Priority, endpoints: [{name: x, target: 192.0.2.9}]}\n"),
                argumentSet("Performance: subnet overrides",
                        profile("Performance", "",
                                "{name: a, target: 192.0.2.1, endpointLocation: westeurope, subnets: [10.0.0.0/8]}",
                                "{name: b, target: 192.0.2.2, endpointLocation: eastus, subnets: [{first: 11.0.0.0, last: 11.0.0.9}]}")));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void isAccepted(String yaml) throws ConfigException {
        assertThat(parse(yaml).profiles()).isNotEmpty();
    }

    @Test
    void everySubnetsFormReadsAsItsRange() throws ConfigException {
        List<SubnetConfig> subnets = parse(profile("Subnet", "",
                "{name: a, target: 192.0.2.1, subnets: [{first: 10.0.0.5, last: 10.0.1.200}, {first: 10.8.0.0, scope: 16},"
                        + " {first: 10.9.0.7}, 10.10.0.0/16, 10.11.0.1, 10.12.0.1/32, {first: \"2001:db8::\", scope: 48}]}"))
                .profiles().get(0).endpoints().get(0).subnets();
        assertThat(subnets).extracting(s -> s.range().toString()).containsExactly(
                "10.0.0.5-10.0.1.200", "10.8.0.0-10.8.255.255", "10.9.0.7-10.9.0.7", "10.10.0.0-10.10.255.255",
                "10.11.0.1-10.11.0.1", "10.12.0.1-10.12.0.1", "2001:db8::-2001:db8:0:ffff:ffff:ffff:ffff:ffff");
        assertThat(subnets).extracting(SubnetConfig::scope).containsExactly(null, 16, null, 16, null, 32, 48);
        assertThat(subnets).extracting(SubnetConfig::toString).containsExactly(
                "10.0.0.5-10.0.1.200", "10.8.0.0/16", "10.9.0.7", "10.10.0.0/16", "10.11.0.1", "10.12.0.1/32", "2001:db8::/48");
        assertThat(subnets.get(0).range().first()).isEqualTo(IpPrefix.parse("10.0.0.5/32"));
    }
}
