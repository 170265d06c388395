package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.ZoneConfig;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one profile, or one endpoint, from a JSON (or YAML) tree with the same section readers as
 * the configuration file: the API's request bodies and the store's rows are read exactly as a
 * profile in the file is, with the same messages. Paths in errors are relative to the node read
 * ({@code endpoints[1].target}, {@code dnsConfig.ttl}; the node itself is {@code ""}).
 *
 * <p>Only the values are checked here; how a profile relates to the others and to the zones and
 * regions (names unique, nested targets, each method's rules) is {@link io.wayfinder.profile.ConfigValidator}'s
 * job, on the whole configuration the profile will be part of.
 */
public final class ProfileTreeReader {
    /** Nesting a profile needs is 5 levels; a body deeper than this is not a profile. */
    static final int MAX_JSON_DEPTH = 64;
    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final ProfilesReader profiles;

    /** @param methodNames the routing methods a profile may name ({@code ConfigValidator.methodNames()}) */
    public ProfileTreeReader(List<String> methodNames) {
        this.profiles = new ProfilesReader(methodNames);
    }

    /**
     * One profile.
     *
     * @param zones     the zones served: the zone of a profile that names none, when there is one
     * @param apiFields accept (and ignore) the read-only fields the API adds ({@code version},
     *                  {@code profileMonitorStatus}, {@code failOpen}, {@code onFallback},
     *                  {@code endpointMonitorStatus}): what a GET returned, a PUT takes unchanged
     * @throws ConfigException with every error in the node
     */
    public ProfileConfig profile(JsonNode node, List<ZoneConfig> zones, boolean apiFields) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        if (node == null || !node.isObject()) {
            throw new ConfigException("", "a profile is a JSON object ({\"name\": ..., \"trafficRoutingMethod\": ..., ...})");
        }
        ProfileConfig p = profiles.profile(new ConfigObject(node, "", errors), zones, apiFields);
        errors.throwIfAny();
        return p;
    }

    /**
     * One endpoint of a profile's {@code endpoints}.
     *
     * @param position its place in the list, which is its priority when it sets none
     * @throws ConfigException with every error in the node
     */
    public EndpointConfig endpoint(JsonNode node, int position, boolean apiFields) throws ConfigException {
        ConfigErrors errors = new ConfigErrors();
        if (node == null || !node.isObject()) {
            throw new ConfigException("", "an endpoint is a JSON object ({\"name\": ..., \"target\": ..., ...})");
        }
        EndpointConfig e = EndpointReader.endpoint(new ConfigObject(node, "", errors), position, apiFields);
        errors.throwIfAny();
        return e;
    }

    /**
     * The profiles of a document with a {@code profiles} list (a configuration file, or what
     * {@code export} prints); other top-level keys are not read. Paths are {@code profiles[i]...}.
     */
    public List<ProfileConfig> profiles(JsonNode document, List<ZoneConfig> zones) throws ConfigException {
        if (document == null || !document.isObject()) {
            throw new ConfigException("", "a profiles document is a mapping with a profiles: list");
        }
        ConfigErrors errors = new ConfigErrors();
        ConfigObject top = new ConfigObject(document, "", errors);
        List<ProfileConfig> out = new ArrayList<>();
        for (ConfigObject p : top.objects("profiles")) {
            if (p != null) {
                ProfileConfig profile = profiles.profile(p, zones, true);
                if (profile != null) {
                    out.add(profile);
                }
            }
        }
        errors.throwIfAny();
        return out;
    }

    /**
     * JSON text to a tree: strict JSON (a key given twice is an error), nested at most
     * {@value #MAX_JSON_DEPTH} levels.
     *
     * @throws ConfigException naming the line and column of the first syntax error
     */
    public static JsonNode parseJson(String text) throws ConfigException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ConfigException("", "the body is empty; a JSON object was expected");
            }
            return node;
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException("", "not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    /** YAML (or JSON) text to a tree, within the limits of a configuration file (see the README). */
    public static JsonNode parseYaml(String text) throws ConfigException {
        return YamlTree.parse(text);
    }
}
