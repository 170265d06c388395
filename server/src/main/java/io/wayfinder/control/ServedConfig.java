package io.wayfinder.control;

import io.wayfinder.profile.ConfigException;
import java.time.Clock;

/**
 * The configuration being served, and the one door through which it is replaced: a reload of the
 * file or a write of profiles through the API. They pass one at a time, and each starts from what
 * the one before left, so that neither can undo the other: a reload loaded (for seconds, off this
 * lock) while an API write was applied is applied with the written profiles, not the ones it read.
 * What is applied is posted to the {@link SnapshotPublisher} as an event and waited for: when a
 * change returns, it is in the answers.
 */
public final class ServedConfig {
    private final SnapshotPublisher publisher;
    private final ProfileSource profiles;
    private final Clock clock;
    /** What the publisher was last given. Guarded by this. */
    private LoadedConfig current;

    /** @param applied the configuration the publisher serves now (the first, applied at start) */
    public ServedConfig(SnapshotPublisher publisher, ProfileSource profiles, Clock clock, LoadedConfig applied) {
        this.publisher = publisher;
        this.profiles = profiles;
        this.clock = clock;
        this.current = applied;
    }

    public synchronized LoadedConfig current() {
        return current;
    }

    public ProfileSource profiles() {
        return profiles;
    }

    /**
     * Applies a configuration loaded from the file, with the latest profiles: if they were written
     * since it was loaded, it is composed again with them (settings and data sources as loaded).
     *
     * @throws ConfigException when the latest profiles do not fit the new settings (nothing applied)
     */
    public synchronized void applyReload(LoadedConfig next) throws ConfigException {
        long latest = profiles.revision();
        if (next.profileRevision() != latest) {
            ProfileSource.Composed composed = profiles.latest(next.config());
            try {
                next = ConfigLoader.withProfiles(next, composed.config().profiles(), composed.revision(), clock);
            } catch (ConfigException e) {
                throw profiles.explain(e, composed.config());
            }
        }
        publisher.configurationLoaded(next).join();
        current = next;
    }

    /**
     * Runs a change of profiles with nothing else changing the configuration meanwhile: it gets
     * the configuration served and returns what to apply, or null to apply nothing.
     */
    synchronized <T, E extends Exception> T change(Edit<T, E> change) throws E {
        Change<T> c = change.apply(current);
        if (c.next() != null) {
            publisher.configurationLoaded(c.next(), c.origin()).join();
            current = c.next();
        }
        return c.result();
    }

    /** A change of the configuration served; it may refuse with {@code E}, and then nothing is applied. */
    @FunctionalInterface
    interface Edit<T, E extends Exception> {
        Change<T> apply(LoadedConfig served) throws E;
    }

    /** What a change returns: the configuration to apply (or null), in whose name, and its result. */
    record Change<T>(LoadedConfig next, String origin, T result) {
    }

    Clock clock() {
        return clock;
    }
}
