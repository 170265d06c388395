package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast paths of the sample checks agree with the general parsers they stand in for. */
class MeasurementCheckTest {

    @Test
    void utcTimesReadAsTheGeneralParserReadsThem() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochMilli(random.nextLong(4_102_444_800_000L)); // 1970-2100
            for (String text : new String[] {t.toString(), t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                t.toString().replace("Z", "000Z")}) {
                if (text.contains(".") || text.endsWith(":00Z") || text.length() == 20) {
                    assertThat(MeasurementCheck.utcMillis(text)).as(text)
                            .isEqualTo(OffsetDateTime.parse(text).toInstant().toEpochMilli());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-06T14:00:00+01:00", "2026-02-30T14:00:00Z", "2026-13-06T14:00:00Z", "2026-12-06 14:00:00Z",
        "2026-12-06T24:00:00Z", "2026-12-06T14:00:00.Z", "2026-12-06T14:0a:00Z", "1969-12-31T23:59:59Z", "yesterday"})
    void otherFormsAreLeftToTheGeneralParser(String text) {
        assertThat(MeasurementCheck.utcMillis(text)).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"81.2.69.7", "0.0.0.0", "255.255.255.255", "10.0.0.1"})
    void dottedQuadsReadAsTheGeneralParserReadsThem(String text) {
        assertThat(MeasurementCheck.ipv4(text)).isEqualTo(io.wayfinder.net.IpPrefix.parse(text).lo());
    }

    @ParameterizedTest
    @ValueSource(strings = {"81.2.69", "81.2.69.256", "81.2.69.07", "81..69.7", "81.2.69.7.", "a.b.c.d", "::1", "81.2.69.7/24"})
    void otherAddressesAreLeftToTheGeneralParser(String text) {
        assertThat(MeasurementCheck.ipv4(text)).isEqualTo(-1);
    }
}
