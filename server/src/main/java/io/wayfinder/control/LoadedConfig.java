package io.wayfinder.control;

import io.wayfinder.answer.ZoneData;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.RoutingPlan;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration file read, validated and loaded with its data sources, and compiled into what
 * does not depend on health: the routing plan and the zone data. Everything that could fail has,
 * before the control path sees it; applying it cannot fail.
 *
 * @param stamps the configuration file and every data file it names, each stamped just before it
 *               was read: a file whose stamp differs now was changed during or after the load
 * @param profileRevision the revision of the profiles it serves ({@link ProfileSource#revision()}):
 *               the store's with {@code api:}, 0 for the file's
 */
public record LoadedConfig(Path file, WayfinderConfig config, RoutingPlan plan, ZoneData zones, LoadedSources sources,
                           Map<Path, FileStamp> stamps, long profileRevision) {
    public LoadedConfig {
        stamps = Collections.unmodifiableMap(new LinkedHashMap<>(stamps));
    }

    /** The same configuration, known to serve the profiles of this revision. */
    LoadedConfig atRevision(long revision) {
        return new LoadedConfig(file, config, plan, zones, sources, stamps, revision);
    }
}
