package io.wayfinder.runtime;

import io.wayfinder.geo.CompositeGeoLocator;
import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.GeoCache;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.MmdbGeoDatabase;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyCsvReader;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.profile.WayfinderConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    public static LoadedSources load(WayfinderConfig config, RegionCatalogue catalogue) throws IOException {
        List<String> summary = new ArrayList<>();
        GeoLocator geo = geolocation(config.geolocation(), summary);

        WayfinderConfig.LatencySettings settings = config.latency();
        LatencyTableBuilder builder = new LatencyTableBuilder().aggregation(
                settings.ipv4Levels().stream().mapToInt(Integer::intValue).toArray(),
                settings.ipv6Levels().stream().mapToInt(Integer::intValue).toArray(),
                settings.minSamples());
        LatencyCsvReader reader = new LatencyCsvReader(catalogue);
        for (Path source : settings.sources()) {
            int before = builder.prefixCount();
            int rows = reader.read(source, builder);
            summary.add("latency source " + source + ": " + rows + " rows, " + (builder.prefixCount() - before)
                    + " new prefixes");
        }
        LatencyTable table = builder.build();
        summary.add("latency table: " + table.prefixCount() + " prefixes, " + table.columnCount() + " regions "
                + table.regions() + ", " + table.totalSamples() + " samples");
        DistanceModel model = DistanceModel.fit(builder.sample(FIT_SAMPLE), geo, catalogue);
        summary.add("distance model: " + model.describe());
        return new LoadedSources(new LatencyEstimator(table, geo, model), List.copyOf(summary));
    }

    private static GeoLocator geolocation(WayfinderConfig.GeolocationSettings settings, List<String> summary)
            throws IOException {
        List<GeoLocator> sources = new ArrayList<>();
        boolean slow = false;
        for (Path csv : settings.csv()) {
            CsvGeoTable table = CsvGeoTable.read(csv);
            sources.add(table);
            summary.add("geolocation " + table.describe());
        }
        for (Path mmdb : settings.mmdb()) {
            MmdbGeoDatabase db = MmdbGeoDatabase.open(mmdb);
            sources.add(db);
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
