package io.wayfinder.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where profiles live when the API is on: each profile as its JSON (the API's representation,
 * {@code profile.write}) with a version for compare-and-set, and the audit log of every change.
 * One small interface, so that a shared database (PostgreSQL, for several DNS nodes) can stand in
 * for the embedded SQLite store.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>A write is applied whole with its audit row, or not at all, and is durable when the call
 *       returns: after a crash (even {@code kill -9} or a power cut) an acknowledged write is there.</li>
 *   <li>The store has one revision, raised by one for every profile written or deleted. A profile's
 *       version is the revision of its last write, so versions only grow and a deleted and
 *       re-created profile never takes an old version back (an {@code If-Match} cannot match it by
 *       chance).</li>
 *   <li>Profile names are matched case-insensitively and kept as written.</li>
 *   <li>Methods may be called from any thread.</li>
 * </ul>
 * Failures of the storage itself (a full disk, a damaged file) are {@link StoreException}s.
 */
public interface ProfileStore extends AutoCloseable {

    /** A profile as stored: its JSON, and the revision at which it was last written. */
    record StoredProfile(String name, String json, long version) {
    }

    /**
     * Everything stored, read at one revision.
     *
     * @param seeded whether the store has been seeded (after which it is the truth, even when empty)
     * @param profiles in the order they were first created
     */
    record Contents(long revision, boolean seeded, List<StoredProfile> profiles) {
        public Contents {
            profiles = List.copyOf(profiles);
        }
    }

    /**
     * One profile created, replaced or deleted.
     *
     * @param json     the profile's new JSON, or null to delete it
     * @param expected the version the writer saw: {@link #ANY} for none, {@link #ABSENT} when it
     *                 must not exist yet, else the version it must still have
     * @param actor    who writes (an API token's name)
     * @param action   what the writer did, in its words ({@code PUT}, {@code PATCH}, {@code DELETE}, ...)
     * @param resource what it did it to ({@code profiles/web/endpoints/eu})
     * @param changes  what changed, one line each, as the log says it
     * @param before   the profile's JSON before the write, or null when it did not exist
     */
    record Write(String name, String json, long expected, String actor, String action, String resource,
                 List<String> changes, String before) {
        public static final long ANY = -1;
        public static final long ABSENT = 0;

        public Write {
            changes = List.copyOf(changes);
        }
    }

    /** One accepted write, as the audit log keeps it. {@code before}/{@code after} are the profile's JSON, or null. */
    record AuditEntry(long id, Instant time, long revision, String actor, String action, String resource, String profile,
                      List<String> changes, String before, String after) {
        public AuditEntry {
            changes = List.copyOf(changes);
        }
    }

    /** A profile to seed the store with. */
    record Seed(String name, String json) {
    }

    /** The version a write expected is not the one stored (someone else wrote first). */
    final class VersionConflict extends Exception {
        private final long current;

        public VersionConflict(String name, long expected, long current) {
            super("profile " + name + ": expected " + describe(expected) + ", found " + describe(current));
            this.current = current;
        }

        /** The version stored now; {@link Write#ABSENT} when there is no such profile. */
        public long current() {
            return current;
        }

        private static String describe(long version) {
            return version == Write.ABSENT ? "no profile" : version == Write.ANY ? "any version" : "version " + version;
        }
    }

    Contents contents();

    /** The store's revision: the number of writes since it was created. */
    long revision();

    Optional<StoredProfile> profile(String name);

    /**
     * Writes one profile and its audit row, in one transaction, durably.
     *
     * @return the store's new revision, which is the profile's new version
     * @throws VersionConflict when the profile's version is not {@code write.expected()}; nothing is written
     */
    long write(Write write) throws VersionConflict;

    /**
     * Fills an empty store, once (from the configuration file's profiles), with an audit row for
     * each profile; afterwards {@link Contents#seeded()} is true even if no profile was given.
     *
     * @param actor who seeded it, for the audit log ({@code file /etc/wayfinder/wayfinder.yaml})
     * @throws IllegalStateException when the store was seeded before
     */
    long seed(List<Seed> profiles, String actor);

    /**
     * Audit entries, newest first.
     *
     * @param since   only entries at or after this time; null for all
     * @param profile only entries about this profile (case-insensitive); null for all
     * @param limit   at most this many
     */
    List<AuditEntry> audit(Instant since, String profile, int limit);

    /** Where the store is, for logs and errors. */
    String describe();

    @Override
    void close();
}
