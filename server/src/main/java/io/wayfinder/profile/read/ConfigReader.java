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
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Wayfinder YAML configuration into a {@link WayfinderConfig}: one reader per section
 * checks each value as it reads it (type, range, format), then {@link ConfigValidator} checks how
 * the values relate. Property names follow Azure Traffic Manager's ARM schema, flattened. Every
 * error is collected, with its field path, and thrown together.
 */
public final class ConfigReader {
    /**
     * YAML is loaded with snakeyaml-engine (YAML 1.2 core schema, which Jackson's YAML module also
     * uses underneath) rather than Jackson's tree reader, because that resolves anchors and aliases
     * ({@code <<: *defaults}, {@code monitorConfig: *probe}); the alias count is bounded against
     * "billion laughs" documents, and a key written twice is an error.
     */
    private static final LoadSettings YAML_SETTINGS = LoadSettings.builder()
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(100)
            .setAllowRecursiveKeys(false)
            .build();
    private static final JsonMapper TREE = JsonMapper.builder().build();

    private final ConfigValidator validator;

    public ConfigReader(ConfigValidator validator) {
        this.validator = validator;
    }

    public WayfinderConfig read(Path file) throws ConfigException, IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base);
    }

    /** Parses configuration text; relative paths resolve against {@code baseDirectory}. */
    public WayfinderConfig parse(String yaml, Path baseDirectory) throws ConfigException {
        JsonNode root;
        try {
            root = TREE.valueToTree(new Load(YAML_SETTINGS).loadFromString(yaml));
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    .orElse("");
            throw new ConfigException("", "not valid YAML" + where + ": " + e.getProblem()
                    + e.getContextMark().map(m -> " (" + e.getContext() + " at line " + (m.getLine() + 1) + ")").orElse(""));
        } catch (YamlEngineException | IllegalArgumentException e) {
            throw new ConfigException("", "not valid YAML: " + e.getMessage());
        }
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
        List<ProfileConfig> profiles = new ProfilesReader(validator.methodNames()).profiles(top, zones);
        top.ignoreKeysStartingWith("x-"); // e.g. x-probe: &probe {...}, reused as monitorConfig: *probe
        top.rejectUnknownKeys();
        WayfinderConfig config = new WayfinderConfig(dns, metrics, zones, regions, catalogue, geo, latency, profiles);
        validator.validate(config, errors);
        errors.throwIfAny();
        return config;
    }
}
