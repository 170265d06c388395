package io.wayfinder.control;

import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.WayfinderConfig;
import java.nio.file.Path;

/**
 * Where the profiles served come from. Without {@code api:} the configuration file holds them
 * ({@link #FILE}); with it the store does ({@link StoreProfiles}), and the file keeps everything
 * else (zones, regions, data sources, listeners, tokens). A file reload takes the file's settings
 * with this source's profiles; an API write ({@link ProfileWrites}) the served settings with the
 * new profiles. Either way the whole is then validated with the same rules.
 */
public interface ProfileSource {

    /** A configuration's settings with this source's profiles, and the revision of those profiles. */
    record Composed(WayfinderConfig config, long revision) {
    }

    /** The file is the truth: its own profiles, revision 0 for ever. */
    ProfileSource FILE = new ProfileSource() {
        @Override
        public Composed compose(WayfinderConfig fromFile, Path file) {
            return new Composed(fromFile, 0);
        }

        @Override
        public Composed latest(WayfinderConfig settings) {
            return new Composed(settings, 0);
        }

        @Override
        public long revision() {
            return 0;
        }
    };

    /**
     * The configuration to serve for a file just read (its values checked, not yet how they
     * relate): its settings with this source's profiles. Not yet validated.
     *
     * @param file the configuration file, for messages
     * @throws ConfigException when the profiles cannot be read
     */
    Composed compose(WayfinderConfig fromFile, Path file) throws ConfigException;

    /** These settings with the latest profiles (nothing else: no seeding, no message about the file's profiles). */
    Composed latest(WayfinderConfig settings) throws ConfigException;

    /** The revision of the latest profiles; it changes with every write. */
    long revision();

    /**
     * The errors of a composed configuration in words that fit where its profiles came from: a
     * stored profile is named ({@code profiles['web'].endpoints[0].target}), since its position
     * means nothing in the file.
     */
    default ConfigException explain(ConfigException e, WayfinderConfig composed) {
        return e;
    }
}
