package io.wayfinder.profile.read;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ConfigValidator;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.ZoneConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Wayfinder YAML configuration into a {@link WayfinderConfig}: one reader per section
 * checks each value as it reads it (type, range, format), then {@link ConfigValidator} checks how
 * the values relate. Property names follow Azure Traffic Manager's ARM schema, flattened. Every
 * error is collected, with its field path, and thrown together.
 */
public final class ConfigReader {
    private final ConfigValidator validator;

    public ConfigReader(ConfigValidator validator) {
        this.validator = validator;
    }

    public WayfinderConfig read(Path file) throws ConfigException, IOException {
        String text;
        try {
            long size = Files.size(file);
            if (size > 4L * YamlTree.MAX_CODE_POINTS) { // cannot be within the limit, whatever the encoding
                throw new ConfigException("", "configuration file " + file + " is " + size
                        + " bytes, more than a configuration can hold (" + YamlTree.MAX_CODE_POINTS + " characters)");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base);
    }

    /**
     * Parses configuration text; relative paths resolve against {@code baseDirectory}. YAML is read
     * by {@link YamlTree}, within limits of size, nesting and alias expansion.
     */
    public WayfinderConfig parse(String yaml, Path baseDirectory) throws ConfigException {
        JsonNode root = YamlTree.parse(yaml);
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("", "the configuration is empty");
        }
        if (!root.isObject()) {
            throw new ConfigException("", "the configuration must be a mapping of sections (dns, zones, profiles, ...)");
        }
        ConfigErrors errors = new ConfigErrors();
        ConfigObject top = new ConfigObject(root, "", errors);
        WayfinderConfig.DnsSettings dns = ListenReader.dns(top.object("dns"), errors);
        ListenAddress metrics = ListenReader.metrics(top.object("metrics"), errors);
        List<ZoneConfig> zones = ZonesReader.zones(top);
        List<Region> regions = RegionsReader.regions(top);
        RegionCatalogue catalogue = RegionsReader.catalogue(regions, top);
        WayfinderConfig.GeolocationSettings geo = DataSourcesReader.geolocation(top.object("geolocation"), baseDirectory);
        WayfinderConfig.LatencySettings latency = DataSourcesReader.latency(top.object("latency"), baseDirectory);
        WayfinderConfig.ReloadSettings reload = DataSourcesReader.reload(top.object("reload"));
        List<ProfileConfig> profiles = new ProfilesReader(validator.methodNames()).profiles(top, zones);
        top.ignoreKeysStartingWith("x-"); // e.g. x-probe: &probe {...}, reused as monitorConfig: *probe
        top.rejectUnknownKeys();
        WayfinderConfig config = new WayfinderConfig(dns, metrics, zones, regions, catalogue, geo, latency, profiles,
                reload);
        validator.validate(config, errors);
        errors.throwIfAny();
        return config;
    }
}
