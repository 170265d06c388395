package io.wayfinder.dns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpLimitsTest {
    private static final Duration S = Duration.ofSeconds(1);

    @ParameterizedTest(name = "file-descriptor limit {0}: {1} connections")
    @CsvSource({
        "1024,    512",
        "20000,   10000",
        "1048576, 524288",
        "1,       1",
        "-1,      1024",   // unknown (not a Unix JVM): the fixed limit of old
    })
    void theGlobalLimitIsHalfTheFileDescriptorLimit(long fdLimit, int connections) {
        assertThat(TcpLimits.derivedMaxConnections(fdLimit)).isEqualTo(connections);
    }

    @Test
    void zeroConnectionsMeansDerivedFromThisProcess() {
        TcpLimits limits = TcpLimits.of(S, S, S, 0, 16, 32);

        long fdLimit = TcpLimits.processFileDescriptorLimit();
        assertThat(limits.maxConnections()).isEqualTo(TcpLimits.derivedMaxConnections(fdLimit));
        assertThat(limits.describe()).contains("half the file-descriptor limit");
    }

    @Test
    void aLimitThatIsSetIsKept() {
        TcpLimits limits = TcpLimits.of(S, S, S, 300, 16, 32);

        assertThat(limits.maxConnections()).isEqualTo(300);
        assertThat(limits.fileDescriptorLimit()).isZero();
        assertThat(limits.describe()).startsWith("300 connections, 16 per address");
    }

    @Test
    void aCrowdedConnectionMayIdleAsLongAsAMessageMayTakeAndNeverLongerThanTheIdleTimeout() {
        Duration idle = Duration.ofSeconds(10);
        Duration message = Duration.ofMillis(500);
        assertThat(TcpLimits.of(idle, message, S, 8, 8, 32).crowdedIdleTimeout()).isEqualTo(message);
        assertThat(TcpLimits.of(message, idle, S, 8, 8, 32).crowdedIdleTimeout()).isEqualTo(message);
    }

    @Test
    void aLimitOfNothingIsRejectedNamingTheField() {
        assertThatThrownBy(() -> new TcpLimits(S, Duration.ZERO, S, 1, 1, 1, 0)).hasMessageContaining("messageTimeout");
        assertThatThrownBy(() -> new TcpLimits(S, S, S, 1, 1, 0, 0)).hasMessageContaining("maxPendingAnswers");
    }
}
