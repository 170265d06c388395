package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.TestRoutingTables;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A reload says what it changed, in the file's words: one line per section, profile, endpoint or field. */
class ConfigDiffTest {
    private static final String BASE = """
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www, ttl: 30}
                monitorConfig: {protocol: HTTP, port: 80, path: /health, intervalInSeconds: 30}
                endpoints:
                  - {name: a, target: 192.0.2.1}
                  - {name: b, target: 192.0.2.2}
              - name: api
                trafficRoutingMethod: Weighted
                dnsConfig: {relativeName: api}
                endpoints:
                  - {name: c, target: 192.0.2.3, weight: 1}
            """;

    private static WayfinderConfig parse(String yaml) {
        return TestRoutingTables.config(yaml);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nothing                   | x                                              | x                                                           | ''",
        "an endpoint disabled      | '{name: b, target: 192.0.2.2}'                 | '{name: b, target: 192.0.2.2, endpointStatus: Disabled}'     | profile web: endpoint b: endpointStatus Enabled -> Disabled",
        "a target                  | '{name: a, target: 192.0.2.1}'                 | '{name: a, target: 192.0.2.9}'                              | profile web: endpoint a: target 192.0.2.1 -> 192.0.2.9",
        "an endpoint added         | '{name: c, target: 192.0.2.3, weight: 1}\n'    | '{name: c, target: 192.0.2.3, weight: 1}\n      - {name: d, target: 192.0.2.4}\n' | profile api: endpoint d added",
        "an endpoint removed       | '      - {name: b, target: 192.0.2.2}\n'        | ''                                                          | profile web: endpoint b removed",
        "the method                | 'trafficRoutingMethod: Weighted'               | 'trafficRoutingMethod: Priority'                            | profile api: trafficRoutingMethod Weighted -> Priority",
        "the ttl                   | 'ttl: 30'                                      | 'ttl: 60'                                                   | profile web: dnsConfig.ttl 30 -> 60",
        "a monitor field           | 'intervalInSeconds: 30'                        | 'intervalInSeconds: 20'                                     | profile web: monitorConfig.intervalInSeconds 30 -> 20",
        "a profile disabled        | '- name: api\n'                                 | '- name: api\n    profileStatus: Disabled\n'                 | profile api: profileStatus Enabled -> Disabled",
        "a zone setting            | 'nameservers: [ns1.app.test]'                  | 'nameservers: [ns2.app.test]'                               | zones changed",
    })
    void eachChangeIsOneLineInTheFilesWords(String change, String from, String to, String expected) {
        String edited = BASE.replace(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
        assertThat(edited.equals(BASE)).as("the edit applies").isEqualTo(from.equals(to));

        assertThat(ConfigDiff.between(parse(BASE), parse(edited)))
                .containsExactlyElementsOf(expected.isEmpty() ? java.util.List.of() : java.util.List.of(expected));
    }

    @org.junit.jupiter.api.Test
    void profilesAddedAndRemovedAreNamed() {
        String renamed = BASE.replace("- name: api", "- name: app");

        assertThat(ConfigDiff.between(parse(BASE), parse(renamed)))
                .containsExactly("profile api removed", "profile app added");
    }
}
