package io.wayfinder.control;

import io.wayfinder.answer.ZoneData;
import io.wayfinder.geo.GeoLookupFailures;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.read.ConfigReader;
import io.wayfinder.routing.RoutingMethods;
import io.wayfinder.routing.RoutingPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a configuration file for the control path, off its thread: read and validated with the
 * routing methods' rules, its data files loaded, compiled. If any step fails nothing is replaced.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** A reader that validates with every routing method's rules. */
    public static ConfigReader reader() {
        return new ConfigReader(new ConfigValidator(RoutingMethods.all()));
    }

    /**
     * @param clock gives the SOA serial of zones that set none: the load time in seconds
     * @throws ConfigException with every error, each naming its field
     */
    public static LoadedConfig load(Path file, Clock clock) throws ConfigException, IOException {
        return load(file, clock, new GeoLookupFailures(clock));
    }

    /**
     * @param geoFailures where geolocation lookups that fail while serving are counted
     * @throws ConfigException with every error, each naming its field
     */
    public static LoadedConfig load(Path file, Clock clock, GeoLookupFailures geoFailures)
            throws ConfigException, IOException {
        return load(file, clock, geoFailures, ProfileSource.FILE);
    }

    /**
     * @param profiles where the profiles come from: the file, or (with {@code api:}) the store
     * @throws ConfigException with every error, each naming its field
     */
    public static LoadedConfig load(Path file, Clock clock, GeoLookupFailures geoFailures, ProfileSource profiles)
            throws ConfigException, IOException {
        return complete(read(file), profiles, clock, geoFailures);
    }

    /**
     * A reload: as {@link #load(Path, Clock, GeoLookupFailures, ProfileSource)}, keeping the served
     * routing plan when the configuration is the same (a data file changed, nothing else).
     *
     * @param served the plan being served, or null
     */
    public static LoadedConfig reload(Path file, Clock clock, GeoLookupFailures geoFailures, ProfileSource profiles,
                                      RoutingPlan served) throws ConfigException, IOException {
        return complete(read(file), profiles, clock, geoFailures, served);
    }

    /**
     * A configuration file read, each value checked, not yet validated as a whole nor loaded: enough
     * to tell whether it serves its own profiles or the store's.
     *
     * @param stamps the file and the data files it names, stamped before they were read
     */
    public record FileRead(Path file, WayfinderConfig config, ConfigErrors errors, Map<Path, FileStamp> stamps) {
    }

    /** Reads a configuration file (see {@link FileRead}). */
    public static FileRead read(Path file) throws ConfigException, IOException {
        Map<Path, FileStamp> stamps = new LinkedHashMap<>();
        stamps.put(file, FileStamp.of(file)); // before reading: an edit from now on is a change to apply
        ConfigReader.Values values = reader().readValuesAndErrors(file);
        stamps.putAll(FileStamp.of(dataFiles(values.config())));
        return new FileRead(file, values.config(), values.errors(), stamps);
    }

    /** The file's settings with the source's profiles: validated whole, data files loaded, compiled. */
    public static LoadedConfig complete(FileRead read, ProfileSource profiles, Clock clock, GeoLookupFailures geoFailures)
            throws ConfigException, IOException {
        return complete(read, profiles, clock, geoFailures, null);
    }

    private static LoadedConfig complete(FileRead read, ProfileSource profiles, Clock clock, GeoLookupFailures geoFailures,
                                         RoutingPlan served) throws ConfigException, IOException {
        if (!read.errors().isEmpty()) {
            if (read.config().api() == null) {
                reader().validate(read.config(), read.errors()); // the file holds the profiles: every error at once
            }
            read.errors().throwIfAny();
        }
        ProfileSource.Composed composed = profiles.compose(read.config(), read.file());
        WayfinderConfig config = composed.config();
        try {
            reader().validate(config);
        } catch (ConfigException e) {
            throw profiles.explain(e, config);
        }
        LoadedSources sources = LoadedSources.load(config, geoFailures);
        RoutingPlan plan = planFor(config, served);
        return new LoadedConfig(read.file(), config, plan, ZoneData.build(plan, clock.instant().getEpochSecond()), sources,
                read.stamps(), composed.revision());
    }

    /**
     * The served plan when it was compiled from an equal configuration, else a new one. A plan is a
     * function of its configuration alone (the data files feed the routing table, not the plan), and
     * keeping it keeps what the query path holds per plan: each event loop's answer counters
     * ({@code AnswerCounts}) go on instead of a new generation per data reload, and the event
     * loops' compiled code never meets a plan it has not seen. Their check for a new plan is a
     * branch taken only when the configuration changes, which the JIT compiles as a trap: at the
     * first reload of a latency table after start-up, every event loop's compiled answer path was
     * thrown away at it (JFR, jdk.Deoptimization "unstable_if" in QueryAnswerer.answerProfile;
     * bench/reload, 2026-12-07).
     */
    static RoutingPlan planFor(WayfinderConfig config, RoutingPlan served) {
        return served != null && served.config().equals(config) ? served : RoutingPlan.compile(config);
    }

    /**
     * A served configuration with other profiles: the same file settings and the same loaded data
     * sources (nothing is read again: no latency table, no geolocation), validated whole and
     * compiled. This is what an API write, or a reload that meets newer profiles, serves.
     *
     * @throws ConfigException with every error, at paths of the whole configuration ({@code profiles[i]...})
     */
    public static LoadedConfig withProfiles(LoadedConfig served, List<ProfileConfig> profiles, long revision, Clock clock)
            throws ConfigException {
        WayfinderConfig config = served.config().withProfiles(profiles);
        reader().validate(config);
        RoutingPlan plan = RoutingPlan.compile(config);
        return new LoadedConfig(served.file(), config, plan, ZoneData.build(plan, clock.instant().getEpochSecond()),
                served.sources(), served.stamps(), revision);
    }

    /** The data files a configuration names: what a reload reads besides the configuration itself. */
    static List<Path> dataFiles(WayfinderConfig config) {
        List<Path> files = new ArrayList<>();
        files.addAll(config.latency().sources());
        files.addAll(config.geolocation().csv());
        files.addAll(config.geolocation().mmdb());
        return files;
    }
}
