package io.wayfinder.profile.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import io.wayfinder.routing.RoutingMethods;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code latency.learn} and {@code latency.rebuildInterval}, and the {@code measurer} role. */
class LearningSettingsReaderTest {
    private static final String ZONES = "zones: [{name: a.test, nameservers: [ns1.a.test]}]\n";
    private static final String API = """
            api:
              listen: 127.0.0.1:8080
              tokens:
                - {name: ci, token: writer-token-0123456789, role: writer}
                - {name: beacon, token: measurer-token-0123456789, role: measurer}
            """;

    private static WayfinderConfig parse(String yaml) throws ConfigException {
        return new ConfigReader(new ConfigValidator(RoutingMethods.all()), Map.<String, String>of()::get)
                .parse(yaml, Path.of("/etc/wayfinder"));
    }

    private static List<ConfigError> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("rejected").isNotNull();
        return e.errors();
    }

    @Test
    void learningIsOffByDefaultAndRebuildsEveryMinuteWhenOn() throws Exception {
        WayfinderConfig off = parse(ZONES + API);
        assertThat(off.latency().learn()).isFalse();
        WayfinderConfig on = parse(ZONES + API + "latency: {learn: true}\n");
        assertThat(on.latency().learn()).isTrue();
        assertThat(on.latency().rebuildInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse(ZONES + API + "latency: {learn: true, rebuildInterval: 5m}\n").latency().rebuildInterval())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theMeasurerRoleIsRead() throws Exception {
        assertThat(parse(ZONES + API).api().tokens()).extracting(ApiToken::role)
                .containsExactly(ApiToken.Role.writer, ApiToken.Role.measurer);
    }

    @Test
    void learningNeedsTheApi() {
        List<ConfigError> errors = errorsOf(ZONES + """
                profiles: [{name: p, trafficRoutingMethod: Priority, dnsConfig: {relativeName: p}, endpoints: [{name: e, target: 192.0.2.1}]}]
                latency: {learn: true}
                """);
        assertThat(errors).extracting(ConfigError::path).containsExactly("latency.learn");
        assertThat(errors.get(0).message()).contains("needs api:").contains("POST /api/v1/measurements");
    }

    @Test
    void aRebuildIntervalWithoutLearningIsAnError() {
        List<ConfigError> errors = errorsOf(ZONES + API + "latency: {rebuildInterval: 60s}\n");
        assertThat(errors).extracting(ConfigError::path).containsExactly("latency.rebuildInterval");
        assertThat(errors.get(0).message()).contains("only with learn: true");
    }

    @Test
    void aRebuildIntervalIsADurationFromASecondToADay() {
        assertThat(errorsOf(ZONES + API + "latency: {learn: true, rebuildInterval: 60}\n").get(0).message())
                .contains("is not a duration");
        assertThat(errorsOf(ZONES + API + "latency: {learn: true, rebuildInterval: 500ms}\n").get(0).message())
                .contains("must be between 1s and 1d");
        assertThat(errorsOf(ZONES + API + "latency: {learn: yes please}\n").get(0).path()).isEqualTo("latency.learn");
    }
}
