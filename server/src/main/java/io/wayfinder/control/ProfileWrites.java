package io.wayfinder.control;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.read.ProfileTreeReader;
import io.wayfinder.profile.write.ProfileWriter;
import io.wayfinder.store.ProfileStore;
import io.wayfinder.store.ProfileStore.StoredProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Changes one profile in the store and in the answers (API mode). A write is one change of the
 * {@link ServedConfig}, so writes and file reloads never interleave:
 *
 * <pre>
 *   the profile as stored now -> precondition (If-Match)              412 if not met
 *     -> the edit (a new profile, or none to delete it)               400 / 404
 *     -> the served settings and data sources + the profiles edited   (nothing is read from disk)
 *     -> validated whole, compiled                                    400 with every error
 *     -> stored with its audit row, durably (compare-and-set)
 *     -> posted to the publisher and waited for                       in the answers when this returns
 * </pre>
 *
 * A write that leaves the profile as it was (the same canonical JSON) stores nothing and keeps its
 * version, so that applying the same file twice changes nothing.
 */
public final class ProfileWrites {
    private final ServedConfig served;
    private final ProfileStore store;
    private final ProfileTreeReader reader;

    public ProfileWrites(ServedConfig served, ProfileStore store) {
        this.served = served;
        this.store = store;
        this.reader = new ProfileTreeReader(ConfigLoader.reader().validator().methodNames());
    }

    /**
     * What a write requires of the profile's current version ({@code If-Match}, {@code If-None-Match}).
     *
     * @param mustExist    {@code If-Match: *}, or any If-Match
     * @param versions     the versions of {@code If-Match} (empty: any version)
     * @param mustNotExist {@code If-None-Match: *}
     */
    public record Precondition(boolean mustExist, Set<Long> versions, boolean mustNotExist) {
        public static final Precondition NONE = new Precondition(false, Set.of(), false);

        public Precondition {
            versions = Set.copyOf(versions);
        }

        boolean metBy(Optional<StoredProfile> current) {
            if (mustNotExist && current.isPresent()) {
                return false;
            }
            if (mustExist && current.isEmpty()) {
                return false;
            }
            return versions.isEmpty() || current.isPresent() && versions.contains(current.get().version());
        }
    }

    /** The profile as it is now: its stored form, and that form read into the model. */
    public record Current(StoredProfile stored, ProfileConfig config) {
    }

    /** A write's change: from the profile now (null when there is none) to the new one (null to delete it). */
    @FunctionalInterface
    public interface Edit {
        /**
         * @param settings the configuration served: its zones default a profile's zone
         * @throws ConfigException with every error in the request, at paths inside it
         * @throws Rejected        when the write cannot be made (the endpoint it names does not exist)
         */
        ProfileConfig apply(Current current, WayfinderConfig settings) throws ConfigException, Rejected;
    }

    /**
     * A write done.
     *
     * @param profile the profile as stored now, or null after a delete
     * @param changed false when the write left the profile as it was (nothing stored)
     */
    public record Result(StoredProfile profile, boolean created, boolean changed, List<String> changes) {
    }

    /** One thing wrong with a write: in which profile (null: in none), where inside it, and what. */
    public record FieldError(String profile, String path, String message) {
    }

    /** A write that was not made, and why. Nothing was stored or applied. */
    public static final class Rejected extends Exception {
        /** Why, as the API answers it. */
        public enum Kind { NOT_FOUND, PRECONDITION_FAILED, INVALID }

        private final Kind kind;
        private final List<FieldError> errors;

        public Rejected(Kind kind, String message, List<FieldError> errors) {
            super(message, null, false, false);
            this.kind = kind;
            this.errors = List.copyOf(errors);
        }

        public Rejected(Kind kind, String message) {
            this(kind, message, List.of());
        }

        public Kind kind() {
            return kind;
        }

        public List<FieldError> errors() {
            return errors;
        }
    }

    /**
     * Writes one profile.
     *
     * @param name     the profile's name (from the request's path)
     * @param actor    who writes (the token's name), for the audit log
     * @param action   what was asked ({@code PUT}), for the audit log
     * @param resource what it was asked of ({@code profiles/web/endpoints/eu}), for the audit log
     */
    public Result write(String name, Precondition precondition, Edit edit, String actor, String action, String resource)
            throws Rejected {
        return served.change((ServedConfig.Edit<Result, Rejected>) served ->
                attempt(served, name, precondition, edit, actor, action, resource));
    }

    private ServedConfig.Change<Result> attempt(LoadedConfig served, String name, Precondition precondition, Edit edit,
                                                String actor, String action, String resource) throws Rejected {
        Optional<StoredProfile> stored = store.profile(name);
        if (!precondition.metBy(stored)) {
            throw new Rejected(Rejected.Kind.PRECONDITION_FAILED, stored.isEmpty() ? "profile " + name + " does not exist"
                    : "profile " + name + " is at version " + stored.get().version() + ", not the one the request names");
        }
        WayfinderConfig settings = served.config();
        Current current = null;
        if (stored.isPresent()) {
            try {
                current = new Current(stored.get(), reader.profile(ProfileTreeReader.parseJson(stored.get().json()),
                        settings.zones(), false));
            } catch (ConfigException e) {
                throw invalid(name, e.errors(), "the stored profile cannot be read");
            }
        }
        ProfileConfig next;
        try {
            next = edit.apply(current, settings);
        } catch (ConfigException e) {
            throw invalid(name, e.errors(), "the request is not a valid profile");
        }
        if (next == null && current == null) {
            throw new Rejected(Rejected.Kind.NOT_FOUND, "no profile is named '" + name + "'");
        }
        if (next != null && !next.name().equalsIgnoreCase(name)) {
            throw invalid(name, List.of(new ConfigError("name", "is '" + next.name() + "' but the request is for profile '"
                    + name + "' (to rename a profile, create the new one and delete the old)")), "name mismatch");
        }
        String json = next == null ? null : ProfileWriter.json(ProfileWriter.profile(next));
        if (current != null && json != null && json.equals(current.stored().json())) {
            return new ServedConfig.Change<>(null, null, new Result(current.stored(), false, false, List.of()));
        }
        List<ProfileConfig> profiles = replace(settings.profiles(), name, next);
        LoadedConfig applied;
        try {
            applied = ConfigLoader.withProfiles(served, profiles, served.profileRevision(), this.served.clock());
        } catch (ConfigException e) {
            throw invalid(profiles, e.errors());
        }
        List<String> changes = ConfigDiff.between(settings, applied.config());
        long revision;
        try {
            revision = store.write(new ProfileStore.Write(name, json,
                    stored.map(StoredProfile::version).orElse(ProfileStore.Write.ABSENT), actor, action, resource, changes,
                    stored.map(StoredProfile::json).orElse(null)));
        } catch (ProfileStore.VersionConflict e) { // only another process writing the store could cause it
            throw new Rejected(Rejected.Kind.PRECONDITION_FAILED, e.getMessage());
        }
        StoredProfile after = json == null ? null : new StoredProfile(next.name(), json, revision);
        String origin = "API: " + action + " " + resource + " by token '" + actor + "'";
        return new ServedConfig.Change<>(applied.atRevision(revision), origin,
                new Result(after, current == null, true, changes));
    }

    /** The profiles with {@code name} replaced where it was, added at the end, or (next null) removed. */
    private static List<ProfileConfig> replace(List<ProfileConfig> profiles, String name, ProfileConfig next) {
        List<ProfileConfig> out = new ArrayList<>();
        boolean found = false;
        for (ProfileConfig p : profiles) {
            if (p.name().equalsIgnoreCase(name)) {
                found = true;
                if (next != null) {
                    out.add(next);
                }
            } else {
                out.add(p);
            }
        }
        if (!found && next != null) {
            out.add(next);
        }
        return out;
    }

    private static Rejected invalid(String profile, List<ConfigError> errors, String message) {
        List<FieldError> out = new ArrayList<>();
        for (ConfigError e : errors) {
            out.add(new FieldError(profile, e.path(), e.message()));
        }
        return new Rejected(Rejected.Kind.INVALID, message, out);
    }

    /** Errors of the whole configuration, each in the profile it is in. */
    private static Rejected invalid(List<ProfileConfig> profiles, List<ConfigError> errors) {
        List<FieldError> out = new ArrayList<>();
        for (ConfigError e : errors) {
            ProfilePaths.Split s = ProfilePaths.split(e.path(), profiles);
            out.add(new FieldError(s.profile(), s.path(), e.message()));
        }
        return new Rejected(Rejected.Kind.INVALID, "the profiles would not be a valid configuration", out);
    }
}
