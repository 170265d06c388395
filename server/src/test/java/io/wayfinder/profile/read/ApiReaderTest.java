package io.wayfinder.profile.read;

import static io.wayfinder.profile.ConfigTexts.assertReportedAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import io.wayfinder.routing.RoutingMethods;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code api:} and {@code storage:} sections. */
class ApiReaderTest {
    private static final String ZONES = "zones: [{name: a.test, nameservers: [ns1.a.test]}]\n";
    private static final String PROFILE = """
            profiles:
              - {name: p, trafficRoutingMethod: Priority, dnsConfig: {relativeName: p}, endpoints: [{name: e, target: 192.0.2.1}]}
            """;
    private static final Map<String, String> ENV = Map.of("WAYFINDER_TOKEN", "from-the-environment-0123456789");

    private static WayfinderConfig parse(String yaml) throws ConfigException {
        return new ConfigReader(new ConfigValidator(RoutingMethods.all()), ENV::get).parse(yaml, Path.of("/etc/wayfinder"));
    }

    private static List<ConfigError> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("rejected").isNotNull();
        return e.errors();
    }

    @Test
    void withoutApiThereIsNoStore() throws Exception {
        WayfinderConfig c = parse(ZONES + PROFILE);
        assertThat(c.api()).isNull();
        assertThat(c.storage()).isNull();
    }

    @Test
    void readsListenTokensAndRolesAndDefaultsTheStoreBesideTheFile() throws Exception {
        WayfinderConfig c = parse(ZONES + PROFILE + """
                api:
                  listen: 127.0.0.1:8080
                  tokens:
                    - {name: ci, token: "${WAYFINDER_TOKEN}", role: writer}
                    - {name: dashboard, token: literal-token-0123456789, role: reader}
                """);
        assertThat(c.api().listen().toString()).isEqualTo("127.0.0.1:8080");
        assertThat(c.api().tokens()).containsExactly(
                new ApiToken("ci", "from-the-environment-0123456789", ApiToken.Role.writer),
                new ApiToken("dashboard", "literal-token-0123456789", ApiToken.Role.reader));
        assertThat(c.storage().dir()).isEqualTo(Path.of("/etc/wayfinder/data"));
        assertThat(c.api().toString()).as("a token's value never appears in text").doesNotContain("literal-token");
    }

    @Test
    void withApiTheFileNeedsNoProfiles() throws Exception {
        WayfinderConfig c = parse(ZONES + """
                api: {listen: "127.0.0.1:0", tokens: [{name: ci, token: literal-token-0123456789, role: writer}]}
                storage: {dir: /var/lib/wayfinder}
                """);
        assertThat(c.profiles()).isEmpty();
        assertThat(c.storage().dir()).isEqualTo(Path.of("/var/lib/wayfinder"));
    }

    @Test
    void reportsEveryMistakeWithoutEchoingASecret() {
        List<ConfigError> errors = errorsOf(ZONES + PROFILE + """
                api:
                  listen: localhost:8080
                  tokens:
                    - {name: a, token: short, role: admin}
                    - {name: a, token: "${NOT_SET}", role: reader}
                    - {name: b, token: same-secret-0123456789, role: reader}
                    - {name: c, token: same-secret-0123456789, role: writer}
                    - {name: d, token: "x${WAYFINDER_TOKEN}", role: writer}
                """);
        assertReportedAt(errors, "api.listen", "must be an IP address");
        assertReportedAt(errors, "api.tokens[0].token", "at least 16");
        assertReportedAt(errors, "api.tokens[0].role", "'admin' is not one of reader, writer");
        assertReportedAt(errors, "api.tokens[1].token", "environment variable NOT_SET is not set");
        assertReportedAt(errors, "api.tokens[1].name", "already used by tokens[0]");
        assertReportedAt(errors, "api.tokens[3].token", "the same secret as tokens[2]");
        assertReportedAt(errors, "api.tokens[4].token", "${VARIABLE} alone");
        assertThat(errors.toString()).doesNotContain("same-secret").doesNotContain("short");
    }

    @Test
    void apiNeedsATokenAndStorageNeedsApi() {
        assertReportedAt(errorsOf(ZONES + PROFILE + "api: {listen: \"127.0.0.1:8080\"}\n"), "api.tokens", "is required");
        assertReportedAt(errorsOf(ZONES + PROFILE + "storage: {dir: data}\n"), "storage", "applies only with api:");
        assertReportedAt(errorsOf(ZONES), "profiles", "is required");
    }
}
