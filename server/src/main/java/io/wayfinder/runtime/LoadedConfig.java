package io.wayfinder.runtime;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigReader;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.HealthView;
import io.wayfinder.routing.RoutingTableBuilder;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A configuration file read, validated and loaded with its data sources, ready to serve. Building
 * one is the whole of the control path's "load": if any step fails nothing is replaced.
 */
public record LoadedConfig(Path file, WayfinderConfig config, RegionCatalogue catalogue, LoadedSources sources,
                           RoutingTableBuilder routing) {

    public static LoadedConfig load(Path file) throws ConfigException, IOException {
        ConfigValidator validator = new ConfigValidator(RegionCatalogue.builtIn());
        WayfinderConfig config = new ConfigReader(validator).read(file);
        RegionCatalogue catalogue = validator.catalogueFor(config);
        LoadedSources sources = LoadedSources.load(config, catalogue);
        LoadedConfig loaded = new LoadedConfig(file, config, catalogue, sources,
                new RoutingTableBuilder(config, catalogue, sources.estimator()));
        // Build it once here, so that whatever could fail later, when health publishes a snapshot,
        // fails now, before anything running is touched.
        loaded.snapshot(HealthView.UNMONITORED);
        return loaded;
    }

    public Snapshot snapshot(HealthView health) {
        return Snapshot.build(config, routing, health);
    }
}
