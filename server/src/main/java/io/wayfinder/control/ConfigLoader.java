package io.wayfinder.control;

import io.wayfinder.answer.ZoneData;
import io.wayfinder.geo.GeoLookupFailures;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigValidator;
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
        Map<Path, FileStamp> stamps = new LinkedHashMap<>();
        stamps.put(file, FileStamp.of(file)); // before reading: an edit from now on is a change to apply
        WayfinderConfig config = reader().read(file);
        stamps.putAll(FileStamp.of(dataFiles(config)));
        LoadedSources sources = LoadedSources.load(config, geoFailures);
        RoutingPlan plan = RoutingPlan.compile(config);
        return new LoadedConfig(file, config, plan, ZoneData.build(plan, clock.instant().getEpochSecond()), sources,
                stamps);
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
