package io.wayfinder.profile.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.WayfinderConfig.RumSettings;
import io.wayfinder.routing.RoutingMethods;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code latency.rum} section: the beacon's targets, rate limit and trusted proxies. */
class RumReaderTest {
    private static final String API = """
            api: {listen: "127.0.0.1:0", tokens: [{name: ci, token: literal-token-0123456789, role: writer}]}
            """;

    private static WayfinderConfig parse(String latency) throws ConfigException {
        return new ConfigReader(new ConfigValidator(RoutingMethods.all()), name -> null)
                .parse(MinimalConfig.TEXT + API + "latency:\n  learn: true\n" + latency, Path.of("/etc/wayfinder"));
    }

    @Test
    void readsTargetsByRegionNameAndFillsTheDefaults() throws Exception {
        RumSettings rum = parse("""
                  rum:
                    targets:
                      West Europe: https://we.probe.example.com/rum/probe
                      eastus: "http://127.0.0.3:8080/rum/probe?size=0"
                """).latency().rum();
        assertThat(rum.targets()).containsExactly(Map.entry("westeurope", "https://we.probe.example.com/rum/probe"),
                Map.entry("eastus", "http://127.0.0.3:8080/rum/probe?size=0"));
        assertThat(rum.fetches()).isEqualTo(RumSettings.DEFAULT_FETCHES);
        assertThat(rum.sampleRate()).isEqualTo(1.0);
        assertThat(rum.postsPerMinute()).isEqualTo(RumSettings.DEFAULT_POSTS_PER_MINUTE);
        assertThat(rum.burst()).isEqualTo(RumSettings.DEFAULT_BURST);
        assertThat(rum.trackedAddresses()).isEqualTo(RumSettings.DEFAULT_TRACKED_ADDRESSES);
        assertThat(rum.trustedProxies()).isEmpty();
        assertThat(rum.clientAddressHeader()).isEqualTo("X-Forwarded-For");
    }

    @Test
    void readsEverySetting() throws Exception {
        RumSettings rum = parse("""
                  rum:
                    targets: {westeurope: https://we.example.com/p}
                    fetches: 3
                    sampleRate: 0.1
                    rateLimit: {postsPerMinute: 6, burst: 2, trackedAddresses: 5000}
                    trustedProxies: [10.0.0.0/8, "2001:db8::1"]
                    clientAddressHeader: X-Real-IP
                """).latency().rum();
        assertThat(rum.fetches()).isEqualTo(3);
        assertThat(rum.sampleRate()).isEqualTo(0.1);
        assertThat(List.of(rum.postsPerMinute(), rum.burst(), rum.trackedAddresses())).containsExactly(6, 2, 5000);
        assertThat(rum.trustedProxies()).containsExactly(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("2001:db8::1/128"));
        assertThat(rum.clientAddressHeader()).isEqualTo("X-Real-IP");
    }

    @Test
    void withoutTheSectionTheBeaconIsOff() throws Exception {
        assertThat(parse("").latency().rum()).isNull();
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                argumentSet("no targets", "  rum: {fetches: 3}\n", "latency.rum.targets", "is required"),
                argumentSet("empty targets", "  rum: {targets: {}}\n", "latency.rum.targets", "is empty"),
                argumentSet("unknown region", "  rum: {targets: {westeuorpe: https://a.example/p}}\n",
                        "latency.rum.targets.westeuorpe", "did you mean 'westeurope'"),
                argumentSet("region twice", "  rum: {targets: {westeurope: https://a.example/p, West Europe: https://b.example/p}}\n",
                        "latency.rum.targets.West Europe", "given twice"),
                argumentSet("not http", "  rum: {targets: {westeurope: ftp://a.example/p}}\n",
                        "latency.rum.targets.westeurope", "must be an http or https URL"),
                argumentSet("no host", "  rum: {targets: {westeurope: /rum/probe}}\n",
                        "latency.rum.targets.westeurope", "must be an http or https URL"),
                argumentSet("fragment", "  rum: {targets: {westeurope: \"https://a.example/p#x\"}}\n",
                        "latency.rum.targets.westeurope", "fragment"),
                argumentSet("one fetch", "  rum: {targets: {westeurope: https://a.example/p}, fetches: 1}\n",
                        "latency.rum.fetches", "must be between 2 and 20"),
                argumentSet("sample rate 0", "  rum: {targets: {westeurope: https://a.example/p}, sampleRate: 0}\n",
                        "latency.rum.sampleRate", "greater than 0"),
                argumentSet("sample rate 2", "  rum: {targets: {westeurope: https://a.example/p}, sampleRate: 2}\n",
                        "latency.rum.sampleRate", "must be between"),
                argumentSet("bad proxy", "  rum: {targets: {westeurope: https://a.example/p}, trustedProxies: [proxy.local]}\n",
                        "latency.rum.trustedProxies[0]", "is not an address or a network"),
                argumentSet("header without proxies", "  rum: {targets: {westeurope: https://a.example/p},"
                        + " clientAddressHeader: X-Real-IP}\n", "latency.rum.clientAddressHeader", "only with trustedProxies"),
                argumentSet("bad header", "  rum: {targets: {westeurope: https://a.example/p}, trustedProxies: [10.0.0.1],"
                        + " clientAddressHeader: \"X Real\"}\n", "latency.rum.clientAddressHeader", "not an HTTP header name"),
                argumentSet("rate 0", "  rum: {targets: {westeurope: https://a.example/p}, rateLimit: {postsPerMinute: 0}}\n",
                        "latency.rum.rateLimit.postsPerMinute", "must be between 1"),
                argumentSet("unknown key", "  rum: {targets: {westeurope: https://a.example/p}, fetch: 3}\n",
                        "latency.rum.fetch", "did you mean 'fetches'"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void mistakesAreReportedAtTheirPath(String latency, String path, String message) {
        List<ConfigError> errors = catchThrowableOfType(ConfigException.class, () -> parse(latency)).errors();
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.message()).contains(message);
        });
    }

    @Test
    void theBeaconNeedsLearning() {
        List<ConfigError> errors = catchThrowableOfType(ConfigException.class, () -> new ConfigReader(
                new ConfigValidator(RoutingMethods.all()), name -> null).parse(MinimalConfig.TEXT + API
                + "latency:\n  rum: {targets: {westeurope: https://a.example/p}}\n", Path.of("/etc"))).errors();
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("latency.rum");
            assertThat(e.message()).contains("needs learn: true");
        });
    }
}
