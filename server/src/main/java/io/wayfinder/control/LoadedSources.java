package io.wayfinder.control;

import io.wayfinder.geo.CompositeGeoLocator;
import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.GeoCache;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GeoLookupFailures;
import io.wayfinder.geo.MmdbGeoDatabase;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyCsvReader;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data a configuration points at, loaded: the latency table, the geolocation sources and the
 * distance model fitted to the two. One log line per source says what was loaded.
 */
public record LoadedSources(LatencyEstimator estimator, List<String> summary) {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedSources.class);
    /** Measurements sampled for the distance fit: plenty for two constants, bounded load time. */
    private static final int FIT_SAMPLE = 200_000;

    /**
     * @throws ConfigException naming the configuration field of every data file that is missing or
     *                         unreadable, and of every bad line in a file (with file and line)
     */
    public static LoadedSources load(WayfinderConfig config) throws IOException, ConfigException {
        return load(config, new GeoLookupFailures(Clock.systemUTC()));
    }

    /**
     * @param geoFailures where geolocation lookups that fail on the query path are counted (the
     *                    server's one counter, across reloads)
     * @throws ConfigException naming the configuration field of every data file that is missing or
     *                         unreadable, of every bad line in a file (with file and line), and
     *                         of a damaged geolocation database
     */
    public static LoadedSources load(WayfinderConfig config, GeoLookupFailures geoFailures)
            throws IOException, ConfigException {
        checkFilesExist(config);
        try {
            return read(config, geoFailures);
        } catch (SourceFormatException e) {
            List<ConfigError> errors = new ArrayList<>();
            for (String problem : e.problems()) {
                errors.add(new ConfigError(fieldOf(config, problem), problem));
            }
            throw new ConfigException(errors);
        }
    }

    private static void checkFilesExist(WayfinderConfig config) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, List<Path>> fields = fields(config);
        for (Map.Entry<String, List<Path>> field : fields.entrySet()) {
            for (int i = 0; i < field.getValue().size(); i++) {
                Path file = field.getValue().get(i);
                if (!Files.isRegularFile(file)) {
                    errors.add(new ConfigError(field.getKey() + "[" + i + "]", "file " + file + " does not exist"));
                } else if (!Files.isReadable(file)) {
                    errors.add(new ConfigError(field.getKey() + "[" + i + "]", "file " + file + " is not readable"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private static Map<String, List<Path>> fields(WayfinderConfig config) {
        Map<String, List<Path>> fields = new LinkedHashMap<>();
        fields.put("latency.sources", config.latency().sources());
        fields.put("geolocation.csv", config.geolocation().csv());
        fields.put("geolocation.mmdb", config.geolocation().mmdb());
        return fields;
    }

    /** The configuration field that names the file an error message starts with. */
    private static String fieldOf(WayfinderConfig config, String message) {
        for (Map.Entry<String, List<Path>> field : fields(config).entrySet()) {
            for (int i = 0; i < field.getValue().size(); i++) {
                if (message.startsWith(field.getValue().get(i).toString())) {
                    return field.getKey() + "[" + i + "]";
                }
            }
        }
        return "";
    }

    private static LoadedSources read(WayfinderConfig config, GeoLookupFailures geoFailures)
            throws IOException, ConfigException {
        List<String> summary = new ArrayList<>();
        List<MmdbGeoDatabase> databases = new ArrayList<>();
        GeoLocator geo = geolocation(config.geolocation(), geoFailures, databases, summary);

        WayfinderConfig.LatencySettings settings = config.latency();
        LatencyTableBuilder builder = new LatencyTableBuilder().aggregation(
                settings.ipv4Levels().stream().mapToInt(Integer::intValue).toArray(),
                settings.ipv6Levels().stream().mapToInt(Integer::intValue).toArray(),
                settings.minSamples());
        LatencyCsvReader reader = new LatencyCsvReader(config.catalogue());
        for (Path source : settings.sources()) {
            int before = builder.prefixCount();
            int rows = reader.read(source, builder);
            summary.add("latency source " + source + ": " + rows + " rows, " + (builder.prefixCount() - before)
                    + " new prefixes");
        }
        LatencyTable table = builder.build();
        summary.add("latency table: " + table.prefixCount() + " prefixes, " + table.columnCount() + " regions "
                + table.regions() + ", " + table.totalSamples() + " samples");
        DistanceModel model = DistanceModel.fit(builder.sample(FIT_SAMPLE), geo, config.catalogue());
        summary.add("distance model: " + model.describe());
        rejectDamaged(databases);
        return new LoadedSources(new LatencyEstimator(table, geo, model), List.copyOf(summary));
    }

    /**
     * A database in which a lookup made while loading (fitting the distance model looks up the
     * table's networks) failed is damaged where the table's clients are: rejected, rather than
     * served with those networks unknown.
     */
    private static void rejectDamaged(List<MmdbGeoDatabase> databases) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        for (int i = 0; i < databases.size(); i++) {
            MmdbGeoDatabase db = databases.get(i);
            if (db.failures() > 0) {
                errors.add(new ConfigError("geolocation.mmdb[" + i + "]", db.file() + ": damaged: " + db.failures()
                        + " lookup(s) made while loading failed (the first: " + db.firstFailure() + ")"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private static GeoLocator geolocation(WayfinderConfig.GeolocationSettings settings, GeoLookupFailures failures,
                                          List<MmdbGeoDatabase> databases, List<String> summary) throws IOException {
        List<GeoLocator> sources = new ArrayList<>();
        boolean slow = false;
        for (Path csv : settings.csv()) {
            CsvGeoTable table = CsvGeoTable.read(csv);
            sources.add(table);
            summary.add("geolocation " + table.describe());
        }
        for (Path mmdb : settings.mmdb()) {
            MmdbGeoDatabase db = MmdbGeoDatabase.open(mmdb, failures);
            sources.add(db);
            databases.add(db);
            slow = true;
            summary.add("geolocation " + db.describe());
        }
        if (sources.isEmpty()) {
            summary.add("geolocation: none configured (networks the latency table does not cover get no distance estimate)");
            return GeoLocator.NONE;
        }
        GeoLocator combined = sources.size() == 1 ? sources.get(0) : new CompositeGeoLocator(sources);
        return slow ? new GeoCache(combined) : combined;
    }

    public void log() {
        summary.forEach(LOG::info);
    }
}
