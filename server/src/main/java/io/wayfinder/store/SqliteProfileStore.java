package io.wayfinder.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.sqlite.SQLiteConfig;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedded store: one SQLite database, {@value #FILE_NAME}, in the storage directory.
 *
 * <p><b>Durability.</b> Write-ahead logging with {@code synchronous=FULL}: a commit returns only
 * after the log is on disk (fsync), so an acknowledged write survives {@code kill -9} at any moment
 * and a power cut; recovery replays the log when the file is next opened. A profile write and its
 * audit row are one transaction. {@code PRAGMA quick_check} runs at every open, and a damaged file is
 * refused (restore the last backup) rather than served.
 *
 * <p><b>Schema.</b> STRICT tables (a value of the wrong type is an error, not silently stored), and a
 * {@code schema_version} table: at open, every migration newer than the file's version is applied, in
 * order, each in its own transaction; a file written by a newer Wayfinder (a version beyond the
 * last migration known here) is refused, never downgraded.
 *
 * <p><b>One process.</b> The directory is locked ({@value #LOCK_NAME}) while the store is open, so
 * that two servers given the same directory cannot both take it for theirs. Within the process one
 * connection serves every call, one at a time: writes are rare (API calls), reads small.
 */
public final class SqliteProfileStore implements ProfileStore, BeaconKeyStore {
    public static final String FILE_NAME = "wayfinder.db";
    static final String LOCK_NAME = "wayfinder.db.lock";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<String>> LINES = new TypeReference<>() {
    };

    /**
     * The schema, one migration per version: migration i takes a file from version i to i + 1.
     * Never edit a migration that has shipped; add one.
     */
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: profiles, the revision, the audit log
            List.of("""
                    CREATE TABLE store_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        revision INTEGER NOT NULL,
                        seeded_at_millis INTEGER,
                        seeded_by TEXT
                    ) STRICT""",
                    "INSERT INTO store_state (id, revision) VALUES (1, 0)",
                    """
                    CREATE TABLE profiles (
                        name_key TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        json TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created_revision INTEGER NOT NULL
                    ) STRICT""",
                    """
                    CREATE TABLE audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at_millis INTEGER NOT NULL,
                        revision INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource TEXT NOT NULL,
                        profile TEXT NOT NULL,
                        changes TEXT NOT NULL,
                        before_json TEXT,
                        after_json TEXT
                    ) STRICT"""),
            // 2: the audit log read per profile (GET /api/v1/audit?profile=) without a scan
            List.of("CREATE INDEX audit_by_profile ON audit (profile, id)"),
            // 3: the real-user beacon's application keys
            List.of("""
                    CREATE TABLE beacon_keys (
                        key TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        origins TEXT NOT NULL,
                        created_at_millis INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        revoked_at_millis INTEGER,
                        revoked_by TEXT
                    ) STRICT"""));

    private final Path file;
    private final Connection db;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Clock clock;

    private SqliteProfileStore(Path file, Connection db, FileChannel lockChannel, FileLock lock, Clock clock) {
        this.file = file;
        this.db = db;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.clock = clock;
    }

    /** Opens (creating it if needed) the store in this directory, migrated to the latest schema. */
    public static SqliteProfileStore open(Path dir, Clock clock) {
        return open(dir, clock, MIGRATIONS.size());
    }

    /** @param schema the version to migrate to (tests make files of an older version with it) */
    static SqliteProfileStore open(Path dir, Clock clock, int schema) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel channel = null;
        Connection db = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StoreException("the store " + file + " is in use by another Wayfinder (" + dir.resolve(LOCK_NAME)
                        + " is locked); each server needs its own storage.dir");
            }
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            config.setBusyTimeout(10_000);
            db = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            check(db, file);
            migrate(db, file, schema);
            db.setAutoCommit(false);
            return new SqliteProfileStore(file, db, channel, lock, clock);
        } catch (IOException | SQLException | RuntimeException e) {
            closeQuietly(db);
            closeQuietly(channel);
            if (e instanceof StoreException s) {
                throw s;
            }
            throw new StoreException("cannot open the store " + file + ": " + e.getMessage(), e);
        }
    }

    /** WAL really on (some file systems refuse it), and the file whole. */
    private static void check(Connection db, Path file) throws SQLException {
        try (Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("PRAGMA journal_mode")) {
                String mode = r.next() ? r.getString(1) : "";
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new StoreException("the store " + file + " cannot use write-ahead logging (journal mode is "
                            + mode + "); put storage.dir on a local file system");
                }
            }
            try (ResultSet r = s.executeQuery("PRAGMA synchronous")) {
                if (!r.next() || r.getInt(1) != 2) { // 2 = FULL
                    throw new StoreException("the store " + file + " did not take synchronous=FULL");
                }
            }
            try (ResultSet r = s.executeQuery("PRAGMA quick_check")) {
                String result = r.next() ? r.getString(1) : "no answer";
                if (!"ok".equals(result)) {
                    throw new StoreException("the store " + file + " is damaged (quick_check: " + result
                            + "); restore the last backup (see Operations in the README)");
                }
            }
        }
    }

    private static void migrate(Connection db, Path file, int target) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1),"
                    + " version INTEGER NOT NULL, migrated_at_millis INTEGER NOT NULL) STRICT");
        }
        int version = schemaVersion(db);
        if (version > MIGRATIONS.size()) {
            throw new StoreException("the store " + file + " has schema version " + version + ", written by a newer Wayfinder;"
                    + " this one knows versions up to " + MIGRATIONS.size() + " (upgrade, or restore a backup made before)");
        }
        db.setAutoCommit(false);
        try {
            for (int v = version; v < target; v++) {
                try (Statement s = db.createStatement()) {
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version (id, version, migrated_at_millis) VALUES (1, " + (v + 1) + ", "
                            + System.currentTimeMillis() + ") ON CONFLICT (id) DO UPDATE SET version = excluded.version,"
                            + " migrated_at_millis = excluded.migrated_at_millis");
                }
                db.commit();
            }
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    static int schemaVersion(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT version FROM schema_version WHERE id = 1")) {
            return r.next() ? r.getInt(1) : 0;
        }
    }

    /** The schema version of the open file. */
    synchronized int schemaVersion() {
        try {
            int v = schemaVersion(db);
            db.commit();
            return v;
        } catch (SQLException e) {
            throw failure("read the schema version", e);
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized Contents contents() {
        try {
            long revision;
            boolean seeded;
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT revision, seeded_at_millis FROM store_state WHERE id = 1")) {
                r.next();
                revision = r.getLong(1);
                r.getLong(2);
                seeded = !r.wasNull();
            }
            List<StoredProfile> profiles = new ArrayList<>();
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT name, json, version FROM profiles ORDER BY created_revision")) {
                while (r.next()) {
                    profiles.add(new StoredProfile(r.getString(1), r.getString(2), r.getLong(3)));
                }
            }
            db.commit(); // one read transaction: the revision and the profiles agree
            return new Contents(revision, seeded, profiles);
        } catch (SQLException e) {
            throw failure("read the profiles", e);
        }
    }

    @Override
    public synchronized long revision() {
        try {
            long r = currentRevision();
            db.commit();
            return r;
        } catch (SQLException e) {
            throw failure("read the revision", e);
        }
    }

    @Override
    public synchronized Optional<StoredProfile> profile(String name) {
        try {
            Optional<StoredProfile> found = find(name);
            db.commit();
            return found;
        } catch (SQLException e) {
            throw failure("read profile " + name, e);
        }
    }

    private Optional<StoredProfile> find(String name) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT name, json, version FROM profiles WHERE name_key = ?")) {
            s.setString(1, key(name));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new StoredProfile(r.getString(1), r.getString(2), r.getLong(3))) : Optional.empty();
            }
        }
    }

    @Override
    public synchronized long write(Write w) throws VersionConflict {
        try {
            Optional<StoredProfile> current = find(w.name());
            long version = current.map(StoredProfile::version).orElse(Write.ABSENT);
            boolean matches = w.expected() == Write.ANY ? w.json() != null || current.isPresent() : w.expected() == version;
            if (!matches) {
                db.rollback();
                throw new VersionConflict(w.name(), w.expected(), version);
            }
            long revision = currentRevision() + 1;
            if (w.json() == null) {
                try (PreparedStatement s = db.prepareStatement("DELETE FROM profiles WHERE name_key = ?")) {
                    s.setString(1, key(w.name()));
                    s.executeUpdate();
                }
            } else if (current.isEmpty()) {
                try (PreparedStatement s = db.prepareStatement(
                        "INSERT INTO profiles (name_key, name, json, version, created_revision) VALUES (?, ?, ?, ?, ?)")) {
                    s.setString(1, key(w.name()));
                    s.setString(2, w.name());
                    s.setString(3, w.json());
                    s.setLong(4, revision);
                    s.setLong(5, revision);
                    s.executeUpdate();
                }
            } else {
                try (PreparedStatement s = db.prepareStatement("UPDATE profiles SET name = ?, json = ?, version = ? WHERE name_key = ?")) {
                    s.setString(1, w.name());
                    s.setString(2, w.json());
                    s.setLong(3, revision);
                    s.setString(4, key(w.name()));
                    s.executeUpdate();
                }
            }
            setRevision(revision);
            audit(revision, w.actor(), w.action(), w.resource(), w.name(), w.changes(),
                    current.map(StoredProfile::json).orElse(null), w.json());
            db.commit(); // synchronous=FULL: on disk when this returns
            return revision;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw failure("write profile " + w.name(), e);
        }
    }

    @Override
    public synchronized long seed(List<Seed> profiles, String actor) {
        try {
            try (Statement s = db.createStatement();
                 ResultSet r = s.executeQuery("SELECT seeded_at_millis FROM store_state WHERE id = 1")) {
                r.next();
                r.getLong(1);
                if (!r.wasNull()) {
                    db.rollback();
                    throw new IllegalStateException("the store " + file + " was seeded before");
                }
            }
            long revision = currentRevision();
            for (Seed p : profiles) {
                revision++;
                try (PreparedStatement s = db.prepareStatement(
                        "INSERT INTO profiles (name_key, name, json, version, created_revision) VALUES (?, ?, ?, ?, ?)")) {
                    s.setString(1, key(p.name()));
                    s.setString(2, p.name());
                    s.setString(3, p.json());
                    s.setLong(4, revision);
                    s.setLong(5, revision);
                    s.executeUpdate();
                }
                audit(revision, actor, "seed", "profiles/" + p.name(), p.name(), List.of("profile " + p.name() + " added"),
                        null, p.json());
            }
            setRevision(revision);
            try (PreparedStatement s = db.prepareStatement(
                    "UPDATE store_state SET seeded_at_millis = ?, seeded_by = ? WHERE id = 1")) {
                s.setLong(1, clock.millis());
                s.setString(2, actor);
                s.executeUpdate();
            }
            db.commit();
            return revision;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (e instanceof IllegalStateException i) {
                throw i;
            }
            throw failure("seed the store", e);
        }
    }

    private long currentRevision() throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT revision FROM store_state WHERE id = 1")) {
            r.next();
            return r.getLong(1);
        }
    }

    private void setRevision(long revision) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("UPDATE store_state SET revision = ? WHERE id = 1")) {
            s.setLong(1, revision);
            s.executeUpdate();
        }
    }

    private void audit(long revision, String actor, String action, String resource, String profile, List<String> changes,
                       String before, String after) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("INSERT INTO audit (at_millis, revision, actor, action, resource,"
                + " profile, changes, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, clock.millis());
            s.setLong(2, revision);
            s.setString(3, actor);
            s.setString(4, action);
            s.setString(5, resource);
            s.setString(6, key(profile));
            s.setString(7, JSON.writeValueAsString(changes));
            s.setString(8, before);
            s.setString(9, after);
            s.executeUpdate();
        }
    }

    @Override
    public synchronized List<AuditEntry> audit(Instant since, String profile, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, at_millis, revision, actor, action, resource, profile, changes,"
                + " before_json, after_json FROM audit WHERE 1 = 1");
        if (since != null) {
            sql.append(" AND at_millis >= ?");
        }
        if (profile != null) {
            sql.append(" AND profile = ?");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        try (PreparedStatement s = db.prepareStatement(sql.toString())) {
            int i = 1;
            if (since != null) {
                s.setLong(i++, since.toEpochMilli());
            }
            if (profile != null) {
                s.setString(i++, key(profile));
            }
            s.setInt(i, Math.max(0, limit));
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new AuditEntry(r.getLong(1), Instant.ofEpochMilli(r.getLong(2)), r.getLong(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getString(7), JSON.readValue(r.getString(8), LINES),
                            r.getString(9), r.getString(10)));
                }
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failure("read the audit log", e);
        }
    }

    @Override
    public synchronized List<StoredBeaconKey> beaconKeys() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT key, name, origins, created_at_millis,"
                + " created_by, revoked_at_millis, revoked_by FROM beacon_keys ORDER BY created_at_millis, rowid")) {
            List<StoredBeaconKey> out = new ArrayList<>();
            while (r.next()) {
                long revoked = r.getLong(6);
                out.add(new StoredBeaconKey(r.getString(1), r.getString(2), JSON.readValue(r.getString(3), LINES),
                        r.getLong(4), r.getString(5), r.wasNull() ? 0 : revoked, r.getString(7)));
            }
            db.commit();
            return out;
        } catch (SQLException e) {
            throw failure("read the beacon keys", e);
        }
    }

    @Override
    public synchronized void addBeaconKey(StoredBeaconKey key) {
        try (PreparedStatement s = db.prepareStatement("INSERT INTO beacon_keys (key, name, origins, created_at_millis,"
                + " created_by) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, key.key());
            s.setString(2, key.name());
            s.setString(3, JSON.writeValueAsString(key.origins()));
            s.setLong(4, key.createdMillis());
            s.setString(5, key.createdBy());
            s.executeUpdate();
            db.commit(); // synchronous=FULL: on disk when this returns
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw failure("add beacon key " + key.name(), e);
        }
    }

    @Override
    public synchronized boolean revokeBeaconKey(String key, long nowMillis, String actor) {
        try {
            boolean exists;
            try (PreparedStatement s = db.prepareStatement("SELECT 1 FROM beacon_keys WHERE key = ?")) {
                s.setString(1, key);
                try (ResultSet r = s.executeQuery()) {
                    exists = r.next();
                }
            }
            if (exists) {
                try (PreparedStatement s = db.prepareStatement("UPDATE beacon_keys SET revoked_at_millis = ?, revoked_by = ?"
                        + " WHERE key = ? AND revoked_at_millis IS NULL")) {
                    s.setLong(1, nowMillis);
                    s.setString(2, actor);
                    s.setString(3, key);
                    s.executeUpdate();
                }
            }
            db.commit();
            return exists;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw failure("revoke a beacon key", e);
        }
    }

    /** Rows in the audit log (the durability check compares it with the revision). */
    synchronized long auditRows() {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM audit")) {
            r.next();
            long n = r.getLong(1);
            db.commit();
            return n;
        } catch (SQLException e) {
            throw failure("count the audit log", e);
        }
    }

    @Override
    public String describe() {
        return file.toString();
    }

    private StoreException failure(String what, Exception e) {
        if (e instanceof StoreException s) {
            return s;
        }
        return new StoreException("the store " + file + " could not " + what + ": " + e.getMessage(), e);
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next call reports it
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(db);
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing more to do while closing
            }
        }
    }
}
