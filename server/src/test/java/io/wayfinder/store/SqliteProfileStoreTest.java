package io.wayfinder.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wayfinder.store.ProfileStore.AuditEntry;
import io.wayfinder.store.ProfileStore.Seed;
import io.wayfinder.store.ProfileStore.StoredProfile;
import io.wayfinder.store.ProfileStore.VersionConflict;
import io.wayfinder.store.ProfileStore.Write;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteProfileStoreTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static Write put(String name, String json, long expected) {
        return new Write(name, json, expected, "ci", "PUT", "profiles/" + name, List.of("profile " + name + " changed"), null);
    }

    @Test
    void aWriteIsReadBackWithTheRevisionAsItsVersion() throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            assertThat(store.contents().revision()).isZero();
            assertThat(store.write(put("Web", "{\"name\":\"Web\"}", Write.ABSENT))).isEqualTo(1);
            assertThat(store.write(put("api", "{\"name\":\"api\"}", Write.ANY))).isEqualTo(2);
            assertThat(store.write(put("web", "{\"name\":\"web\",\"x\":1}", 1))).as("names are case-insensitive").isEqualTo(3);
            assertThat(store.profile("WEB")).contains(new StoredProfile("web", "{\"name\":\"web\",\"x\":1}", 3));
            assertThat(store.contents().profiles()).extracting(StoredProfile::name).as("in order of creation")
                    .containsExactly("web", "api");
            assertThat(store.contents().revision()).isEqualTo(3);
        }
    }

    @Test
    void aWriteThatExpectsAnotherVersionChangesNothing() throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            store.write(put("web", "{}", Write.ABSENT));
            VersionConflict stale = catchThrowableOfType(VersionConflict.class, () -> store.write(put("web", "{\"a\":1}", 7)));
            assertThat(stale.current()).isEqualTo(1);
            assertThat(catchThrowableOfType(VersionConflict.class, () -> store.write(put("web", "{}", Write.ABSENT))).current())
                    .as("create-only, but it exists").isEqualTo(1);
            assertThat(catchThrowableOfType(VersionConflict.class, () -> store.write(put("nope", "{}", 1))).current())
                    .isEqualTo(Write.ABSENT);
            assertThat(store.profile("web").orElseThrow().json()).isEqualTo("{}");
            assertThat(store.contents().revision()).isEqualTo(1);
            assertThat(store.audit(null, null, 10)).hasSize(1);
        }
    }

    @Test
    void aDeletedProfileComesBackWithANewerVersion() throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            store.write(put("web", "{}", Write.ABSENT));
            store.write(new Write("web", null, 1, "ci", "DELETE", "profiles/web", List.of("profile web removed"), "{}"));
            assertThat(store.profile("web")).isEmpty();
            assertThatThrownBy(() -> store.write(new Write("web", null, Write.ANY, "ci", "DELETE", "profiles/web", List.of(), null)))
                    .isInstanceOf(VersionConflict.class);
            assertThat(store.write(put("web", "{}", Write.ABSENT))).isEqualTo(3);
        }
    }

    @Test
    void everyWriteHasAnAuditRowWithBeforeAndAfter() throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            store.seed(List.of(new Seed("web", "{\"v\":0}")), "file /etc/wayfinder.yaml");
            store.write(new Write("web", "{\"v\":1}", 1, "ci", "PATCH", "profiles/web/endpoints/eu",
                    List.of("profile web: endpoint eu: endpointStatus Enabled -> Disabled"), "{\"v\":0}"));
            store.write(put("api", "{}", Write.ABSENT));
            List<AuditEntry> all = store.audit(null, null, 10);
            assertThat(all).extracting(AuditEntry::action).containsExactly("PUT", "PATCH", "seed");
            AuditEntry patch = all.get(1);
            assertThat(patch.actor()).isEqualTo("ci");
            assertThat(patch.resource()).isEqualTo("profiles/web/endpoints/eu");
            assertThat(patch.before()).isEqualTo("{\"v\":0}");
            assertThat(patch.after()).isEqualTo("{\"v\":1}");
            assertThat(patch.changes()).containsExactly("profile web: endpoint eu: endpointStatus Enabled -> Disabled");
            assertThat(patch.time()).isEqualTo(clock.instant());
            assertThat(store.audit(null, "WEB", 10)).extracting(AuditEntry::action).containsExactly("PATCH", "seed");
            assertThat(store.audit(null, null, 1)).hasSize(1);
            assertThat(store.audit(clock.instant().plusSeconds(1), null, 10)).isEmpty();
        }
    }

    @Test
    void seedsOnceEvenWhenThereIsNothingToSeed() {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            assertThat(store.contents().seeded()).isFalse();
            store.seed(List.of(), "file a.yaml");
            assertThat(store.contents().seeded()).isTrue();
            assertThatThrownBy(() -> store.seed(List.of(new Seed("web", "{}")), "file a.yaml"))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(store.contents().profiles()).isEmpty();
        }
    }

    @Test
    void keepsEverythingAcrossAReopen() throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            store.seed(List.of(new Seed("web", "{}")), "file a.yaml");
            store.write(put("api", "{}", Write.ABSENT));
        }
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            assertThat(store.contents()).isEqualTo(new ProfileStore.Contents(2, true,
                    List.of(new StoredProfile("web", "{}", 1), new StoredProfile("api", "{}", 2))));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            assertThatThrownBy(() -> SqliteProfileStore.open(dir, clock))
                    .isInstanceOf(StoreException.class).hasMessageContaining("in use by another Wayfinder");
        }
        SqliteProfileStore.open(dir, clock).close(); // free again once closed
    }

    @Test
    void aStoreOfTheFirstSchemaIsMigratedWithItsData() throws Exception {
        try (SqliteProfileStore v1 = SqliteProfileStore.open(dir, clock, 1)) {
            assertThat(v1.schemaVersion()).isEqualTo(1);
            v1.write(put("web", "{\"v\":1}", Write.ABSENT));
        }
        try (SqliteProfileStore latest = SqliteProfileStore.open(dir, clock)) {
            assertThat(latest.schemaVersion()).isEqualTo(SqliteProfileStore.MIGRATIONS.size());
            assertThat(latest.profile("web").orElseThrow().json()).isEqualTo("{\"v\":1}");
            assertThat(latest.audit(null, "web", 10)).hasSize(1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteProfileStore.FILE_NAME));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'audit_by_profile'")) {
            assertThat(r.next()).isTrue();
        }
    }

    @Test
    void aStoreFromANewerWayfinderIsRefused() throws Exception {
        SqliteProfileStore.open(dir, clock).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteProfileStore.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }
        assertThatThrownBy(() -> SqliteProfileStore.open(dir, clock))
                .isInstanceOf(StoreException.class).hasMessageContaining("schema version 99, written by a newer Wayfinder");
    }

    @Test
    void tablesAreStrict() throws Exception {
        SqliteProfileStore.open(dir, clock).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteProfileStore.FILE_NAME));
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO profiles VALUES ('a', 'a', '{}', 'not a number', 1)"))
                    .hasMessageContaining("cannot store TEXT value in INTEGER column");
        }
    }

    @Test
    void aDamagedFileIsRefused() throws Exception {
        try (SqliteProfileStore store = SqliteProfileStore.open(dir, clock)) {
            for (int i = 0; i < 50; i++) {
                store.write(put("p" + i, "{\"padding\":\"" + "x".repeat(2000) + "\"}", Write.ANY));
            }
        }
        Path db = dir.resolve(SqliteProfileStore.FILE_NAME);
        Files.deleteIfExists(dir.resolve(SqliteProfileStore.FILE_NAME + "-wal"));
        byte[] bytes = Files.readAllBytes(db);
        for (int i = 4096 + 100; i < bytes.length; i += 7) { // past the first page: the header stays readable
            bytes[i] = (byte) 0xA5;
        }
        Files.write(db, bytes);
        assertThatThrownBy(() -> SqliteProfileStore.open(dir, clock)).isInstanceOf(StoreException.class)
                .hasMessageContaining(SqliteProfileStore.FILE_NAME);
    }
}
