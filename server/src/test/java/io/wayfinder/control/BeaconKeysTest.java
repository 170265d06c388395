package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wayfinder.beacon.BeaconKey;
import io.wayfinder.store.BeaconKeyStore;
import io.wayfinder.store.SqliteProfileStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The beacon's keys: durable in the store, looked up from memory, and a flood of unknown keys kept off the store. */
class BeaconKeysTest {
    @TempDir
    Path dir;

    static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    @Test
    void keysAndTheirRevocationSurviveARestart() {
        String key;
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, at(1000))) {
            BeaconKeys keys = new BeaconKeys(store, at(1000));
            BeaconKey k = keys.create("shop", List.of("https://Shop.example.com/"), "ci");
            key = k.key();
            assertThat(keys.find(key)).isEqualTo(k);
            assertThat(k.origins()).containsExactly("https://shop.example.com");
            BeaconKey other = keys.create("docs", List.of("*"), "ci");
            assertThat(keys.revoke(key, "ops").revokedBy()).isEqualTo("ops");
            assertThat(keys.list()).extracting(BeaconKey::name).containsExactly("shop", "docs");
            assertThat(keys.find(other.key()).revoked()).isFalse();
        }
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, at(5000))) {
            BeaconKeys keys = new BeaconKeys(store, at(5000));
            BeaconKey k = keys.find(key);
            assertThat(k.revoked()).isTrue();
            assertThat(k.revokedMillis()).isEqualTo(1000);
            assertThat(keys.revoke(key, "someone else").revokedBy()).as("the first revocation is kept").isEqualTo("ops");
            assertThat(keys.revoke("rum_aaaaaaaaaaaaaaaaaaaaaaaaaa", "ops")).isNull();
            assertThat(keys.revoke("not a key", "ops")).isNull();
        }
    }

    @Test
    void aKeyWithBadFieldsIsNotStored() {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, at(1000))) {
            BeaconKeys keys = new BeaconKeys(store, at(1000));
            assertThatThrownBy(() -> keys.create("shop", List.of("https://shop.example.com/cart"), "ci"))
                    .hasMessageStartingWith("origins[0]: ");
            assertThat(keys.list()).isEmpty();
        }
    }

    @Test
    void lookupsThatMissReadTheStoreAtMostOnceInAWhile() {
        try (SqliteProfileStore sqlite = SqliteProfileStore.open(dir, at(0))) {
            AtomicInteger reads = new AtomicInteger();
            BeaconKeyStore counting = new BeaconKeyStore() {
                @Override
                public List<StoredBeaconKey> beaconKeys() {
                    reads.incrementAndGet();
                    return sqlite.beaconKeys();
                }

                @Override
                public void addBeaconKey(StoredBeaconKey key) {
                    sqlite.addBeaconKey(key);
                }

                @Override
                public boolean revokeBeaconKey(String key, long nowMillis, String actor) {
                    return sqlite.revokeBeaconKey(key, nowMillis, actor);
                }
            };
            long[] now = {0};
            Clock clock = new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(now[0]);
                }
            };
            BeaconKeys keys = new BeaconKeys(counting, clock);
            assertThat(reads.get()).isEqualTo(1);
            // A key written by another node sharing the store.
            BeaconKey elsewhere = BeaconKey.create("shop", List.of("*"), 0, "other node");
            sqlite.addBeaconKey(new BeaconKeyStore.StoredBeaconKey(elsewhere.key(), "shop", List.of("*"), 0, "other node", 0, null));
            for (int i = 0; i < 1000; i++) {
                assertThat(keys.find("rum_aaaaaaaaaaaaaaaaaaaaaaaaaa")).isNull();
            }
            assertThat(keys.find(elsewhere.key())).as("not before the interval").isNull();
            assertThat(reads.get()).isEqualTo(1);
            now[0] = BeaconKeys.MISS_RELOAD_MILLIS;
            assertThat(keys.find(elsewhere.key())).isNotNull();
            assertThat(keys.find("rum_aaaaaaaaaaaaaaaaaaaaaaaaaa")).isNull();
            assertThat(keys.find("garbage")).isNull();
            assertThat(reads.get()).isEqualTo(2);
        }
    }
}
