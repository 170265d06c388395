package io.wayfinder.control;

import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.read.ConfigReader;
import io.wayfinder.profile.read.ProfileTreeReader;
import io.wayfinder.profile.write.ProfileWriter;
import io.wayfinder.store.ProfileStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API mode: the store is the truth for profiles. The first configuration loaded into an empty
 * store seeds it with the file's profiles (once: a store that has been seeded stays the truth, even
 * emptied); from then on the file's {@code profiles:} are not applied, and when they change the log
 * says so once, with the command that would apply them.
 */
public final class StoreProfiles implements ProfileSource {
    private static final Logger LOG = LoggerFactory.getLogger(StoreProfiles.class);

    private final ProfileStore store;
    private final ConfigReader reader;
    private final ProfileTreeReader profiles;
    /** The file's own profiles when last read (null before the first): a change is reported once. Guarded by this. */
    private List<ProfileConfig> fileProfilesSeen;

    public StoreProfiles(ProfileStore store, ConfigReader reader) {
        this.store = store;
        this.reader = reader;
        this.profiles = new ProfileTreeReader(reader.validator().methodNames());
    }

    public ProfileStore store() {
        return store;
    }

    @Override
    public synchronized Composed compose(WayfinderConfig fromFile, Path file) throws ConfigException {
        ProfileStore.Contents contents = store.contents();
        if (!contents.seeded()) {
            reader.validate(fromFile); // only valid profiles seed the store
            List<ProfileStore.Seed> seeds = new ArrayList<>();
            for (ProfileConfig p : fromFile.profiles()) {
                seeds.add(new ProfileStore.Seed(p.name(), ProfileWriter.json(ProfileWriter.profile(p))));
            }
            long revision = store.seed(seeds, "file " + file);
            fileProfilesSeen = fromFile.profiles();
            LOG.info("store {} was empty: seeded with the {} profile(s) of {}; from now on the store holds the profiles"
                    + " (change them through the API), and edits of the file's profiles: are not applied",
                    store.describe(), seeds.size(), file);
            return new Composed(fromFile, revision);
        }
        List<ProfileConfig> stored = read(contents, fromFile);
        noteFileProfiles(fromFile.profiles(), stored, file);
        return new Composed(fromFile.withProfiles(stored), contents.revision());
    }

    @Override
    public Composed latest(WayfinderConfig settings) throws ConfigException {
        ProfileStore.Contents contents = store.contents();
        return new Composed(settings.withProfiles(read(contents, settings)), contents.revision());
    }

    @Override
    public long revision() {
        return store.revision();
    }

    /** Every stored profile, read as the file's are; an error names the stored profile. */
    private List<ProfileConfig> read(ProfileStore.Contents contents, WayfinderConfig settings) throws ConfigException {
        List<ProfileConfig> out = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        for (ProfileStore.StoredProfile p : contents.profiles()) {
            try {
                out.add(profiles.profile(ProfileTreeReader.parseJson(p.json()), settings.zones(), false));
            } catch (ConfigException e) {
                for (ConfigError error : e.errors()) {
                    errors.add(new ConfigError("profiles['" + p.name() + "']" + (error.path().isEmpty() ? "" : "." + error.path()),
                            error.message() + " (in the store)"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return out;
    }

    /** Says once, when the file's profiles change (or differ at start), that they are not the ones served. */
    private void noteFileProfiles(List<ProfileConfig> fromFile, List<ProfileConfig> stored, Path file) {
        if (fileProfilesSeen == null) {
            fileProfilesSeen = fromFile;
            if (!fromFile.isEmpty() && !fromFile.equals(stored)) {
                LOG.warn("{}: its profiles: differ from the store's, which are served (with api: the store holds the"
                        + " profiles); to make the running profiles equal to the file: bin/wayfinder apply -f {}", file, file);
            }
        } else if (!fromFile.equals(fileProfilesSeen)) {
            fileProfilesSeen = fromFile;
            LOG.warn("{}: profiles: changed, but with api: the store holds the profiles and the file's edits are not"
                    + " applied; to apply them: bin/wayfinder apply -f {}", file, file);
        }
    }

    @Override
    public ConfigException explain(ConfigException e, WayfinderConfig composed) {
        List<ConfigError> named = new ArrayList<>();
        for (ConfigError error : e.errors()) {
            named.add(new ConfigError(ProfilePaths.named(error.path(), composed.profiles()), error.message()));
        }
        return new ConfigException(named);
    }
}
