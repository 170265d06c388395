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
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Reads a Wayfinder YAML configuration into a {@link WayfinderConfig}: one reader per section
 * checks each value as it reads it (type, range, format), then {@link ConfigValidator} checks how
 * the values relate. Property names follow Azure Traffic Manager's ARM schema, flattened. Every
 * error is collected, with its field path, and thrown together.
 */
public final class ConfigReader {
    private final ConfigValidator validator;
    private final Function<String, String> environment;

    public ConfigReader(ConfigValidator validator) {
        this(validator, System::getenv);
    }

    /** @param environment where {@code ${VAR}} in API token values is looked up */
    public ConfigReader(ConfigValidator validator, Function<String, String> environment) {
        this.validator = validator;
        this.environment = environment;
    }

    /** The validator this reader checks with (the same rules for a file and for an API write). */
    public ConfigValidator validator() {
        return validator;
    }

    /** Reads and checks a whole configuration file: every value, and how they relate. */
    public WayfinderConfig read(Path file) throws ConfigException, IOException {
        return parse(text(file), file.toAbsolutePath().getParent());
    }

    /**
     * Reads a configuration file checking each value (type, range, format) but not yet how values
     * relate, for a caller that serves it with other profiles (those of the store, with {@code api:})
     * and then validates the whole with {@link #validate}.
     */
    public WayfinderConfig readValues(Path file) throws ConfigException, IOException {
        return parseValues(text(file), file.toAbsolutePath().getParent());
    }

    /**
     * A file read as far as it can be, each value checked, with the errors found so far (not
     * thrown): a caller that then validates the whole can report every error at once.
     *
     * @throws ConfigException only when nothing can be read (no file, not YAML, beyond the limits)
     */
    public Values readValuesAndErrors(Path file) throws ConfigException, IOException {
        ConfigErrors errors = new ConfigErrors();
        WayfinderConfig config = parseInto(text(file), file.toAbsolutePath().getParent(), errors);
        return new Values(config, errors);
    }

    /** What {@link #readValuesAndErrors} read, and the errors in it (more may be added, then thrown together). */
    public record Values(WayfinderConfig config, ConfigErrors errors) {
    }

    /** Runs every cross-field check into {@code errors}, with what they already hold. */
    public void validate(WayfinderConfig config, ConfigErrors errors) {
        validator.validate(config, errors);
    }

    private static String text(Path file) throws ConfigException, IOException {
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
        return text;
    }

    /** Runs every cross-field check ({@link ConfigValidator}); throws them all. */
    public void validate(WayfinderConfig config) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        validator.validate(config, errors);
        errors.throwIfAny();
    }

    /**
     * Parses configuration text; relative paths resolve against {@code baseDirectory}. YAML is read
     * by {@link YamlTree}, within limits of size, nesting and alias expansion.
     */
    public WayfinderConfig parse(String yaml, Path baseDirectory) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        WayfinderConfig config = parseInto(yaml, baseDirectory, errors);
        validator.validate(config, errors); // on what could be read: every error at once
        errors.throwIfAny();
        return config;
    }

    /** {@link #parse} without the cross-field checks (see {@link #readValues}). */
    public WayfinderConfig parseValues(String yaml, Path baseDirectory) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        WayfinderConfig config = parseInto(yaml, baseDirectory, errors);
        errors.throwIfAny();
        return config;
    }

    private WayfinderConfig parseInto(String yaml, Path baseDirectory, ConfigErrors errors) throws ConfigException {
        JsonNode root = YamlTree.parse(yaml);
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("", "the configuration is empty");
        }
        if (!root.isObject()) {
            throw new ConfigException("", "the configuration must be a mapping of sections (dns, zones, profiles, ...)");
        }
        ConfigObject top = new ConfigObject(root, "", errors);
        WayfinderConfig.DnsSettings dns = ListenReader.dns(top.object("dns"), errors);
        ListenAddress metrics = ListenReader.metrics(top.object("metrics"), errors);
        List<ZoneConfig> zones = ZonesReader.zones(top);
        List<Region> regions = RegionsReader.regions(top);
        RegionCatalogue catalogue = RegionsReader.catalogue(regions, top);
        WayfinderConfig.GeolocationSettings geo = DataSourcesReader.geolocation(top.object("geolocation"), baseDirectory);
        WayfinderConfig.ReloadSettings reload = DataSourcesReader.reload(top.object("reload"));
        WayfinderConfig.ApiSettings api = ApiReader.api(top.object("api"), environment);
        boolean apiOn = api != null || top.has("api");
        WayfinderConfig.LatencySettings latency = DataSourcesReader.latency(top.object("latency"), baseDirectory, apiOn, catalogue);
        WayfinderConfig.StorageSettings storage = ApiReader.storage(top.object("storage"), apiOn, baseDirectory, errors);
        // With api: the store holds the profiles; the file's, if any, only seed an empty store.
        List<ProfileConfig> profiles = new ProfilesReader(validator.methodNames()).profiles(top, zones, !apiOn);
        top.ignoreKeysStartingWith("x-"); // e.g. x-probe: &probe {...}, reused as monitorConfig: *probe
        top.rejectUnknownKeys();
        return new WayfinderConfig(dns, metrics, zones, regions, catalogue, geo, latency, profiles, reload, api, storage);
    }
}
