package io.wayfinder.profile.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.RoutingMethods;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dns.udpTransport}: auto (the default), netty or ffm, any case; anything else is an error at its path. */
class UdpTransportReaderTest {
    private static WayfinderConfig parse(String dns) throws ConfigException {
        return new ConfigReader(new ConfigValidator(RoutingMethods.all()), name -> null)
                .parse(MinimalConfig.TEXT + dns, Path.of("/etc/wayfinder"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                                         | auto",
        "'dns: {listen: [\"127.0.0.1:0\"]}\n'         | auto",
        "'dns: {udpTransport: netty}\n'             | netty",
        "'dns: {udpTransport: FFM}\n'               | ffm",
        "'dns: {udpTransport: auto}\n'              | auto"})
    void readsTheTransport(String dns, String expected) throws Exception {
        assertThat(parse(dns).dns().udpTransport()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"io_uring", "nio"})
    void anythingElseIsReportedAtItsPath(String value) {
        List<ConfigError> errors = catchThrowableOfType(ConfigException.class,
                () -> parse("dns: {udpTransport: " + value + "}\n")).errors();
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("dns.udpTransport");
            assertThat(e.message()).contains("auto, netty, ffm");
        });
    }
}
