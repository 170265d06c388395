package io.wayfinder.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.testing.CapturedLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A damaged database's failed lookups: every one counted, one line every 10 s, on a clock moved by hand. */
class GeoLookupFailuresTest {
    private final AtomicLong millis = new AtomicLong(1_796_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis.get());
        }
    };
    private final GeoLookupFailures failures = new GeoLookupFailures(clock);
    private final Path file = Path.of("city.mmdb");
    private final IpPrefix client = IpPrefix.parse("198.51.100.0/24");

    @Test
    void aDamagedFileIsCountedEveryTimeAndLoggedOnceEveryTenSeconds() {
        try (CapturedLog log = new CapturedLog(GeoLookupFailures.class)) {
            for (int i = 0; i < 30; i++) {
                failures.record(file, client, new IOException("bad pointer"));
            }
            assertThat(failures.count()).isEqualTo(30);
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).contains("geolocation city.mmdb: lookup of 198.51.100.0/24 failed")
                    .contains("bad pointer").contains("replace it").endsWith("(at most one such line every 10 s)");

            millis.addAndGet(9_999);
            failures.record(file, client, new IOException("bad pointer"));
            assertThat(log.lines()).hasSize(1);

            millis.addAndGet(1);
            failures.record(file, client, new IOException("bad pointer"));
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(1)).endsWith("(30 more since the last such line; at most one every 10 s)");
            assertThat(failures.count()).isEqualTo(32);
        }
    }
}
