package io.wayfinder.cli;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.read.ProfileTreeReader;
import io.wayfinder.profile.write.ProfileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Profiles as the client reads them: from a file given with {@code -f} (YAML or JSON; one profile,
 * or a {@code profiles:} list), and from the API's representation. Both are read by the
 * configuration's own readers ({@link ProfileTreeReader}), so a file's errors are found before
 * anything is sent, with the messages and field paths {@code check-config} gives.
 */
final class ProfileDocuments {
    private static final ProfileTreeReader READER = new ProfileTreeReader(ConfigLoader.reader().validator().methodNames());

    private ProfileDocuments() {
    }

    /** The file's text as a tree (YAML, of which JSON is a part); {@code -} is stdin. */
    static JsonNode read(String file) throws ApiClient.Failure {
        String text;
        try {
            text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ApiClient.Failure.usage(file + ": no such file");
        } catch (IOException e) {
            throw ApiClient.Failure.usage(file + ": cannot be read: " + e.getMessage());
        }
        try {
            JsonNode tree = ProfileTreeReader.parseYaml(text);
            if (tree == null || !tree.isObject()) {
                throw new ConfigException("", "is empty or not a mapping; a profile, or a document with a profiles: list, was expected");
            }
            return tree;
        } catch (ConfigException e) {
            throw invalid(name(file), e);
        }
    }

    /**
     * The one profile of a document: the document itself, or the one entry of its {@code profiles:}
     * list. Checked as a profile (every error at once, paths as in the file).
     */
    static ObjectNode single(JsonNode document, String file) throws ApiClient.Failure {
        JsonNode node = document;
        String prefix = "";
        if (document.has("profiles")) {
            JsonNode list = document.get("profiles");
            if (!list.isArray() || list.size() != 1) {
                throw ApiClient.Failure.usage(name(file) + ": profiles: has " + (list.isArray() ? list.size() : "no list of")
                        + " profile(s); this command takes one (apply -f takes a whole list)");
            }
            node = list.get(0);
            prefix = "profiles[0]";
        }
        try {
            READER.profile(node, List.of(), true);
        } catch (ConfigException e) {
            throw invalid(name(file), at(prefix, e));
        }
        return (ObjectNode) node;
    }

    /** The profiles of a document's {@code profiles:} list (the file {@code apply} reads). */
    static List<ProfileConfig> list(JsonNode document, String file) throws ApiClient.Failure {
        if (!document.has("profiles")) {
            throw ApiClient.Failure.usage(name(file) + ": has no profiles: list. apply makes the running profiles equal"
                    + " to the file's profiles: (an empty list, profiles: [], deletes them all)");
        }
        try {
            return READER.profiles(document, List.of());
        } catch (ConfigException e) {
            throw invalid(name(file), e);
        }
    }

    /** A profile as the API represents it (its live state is ignored), in the model. */
    static ProfileConfig model(JsonNode representation) throws ApiClient.Failure {
        try {
            return READER.profile(representation, List.of(), true);
        } catch (ConfigException e) {
            throw ApiClient.Failure.runtime("the server's profile " + representation.path("name").asString()
                    + " cannot be read: " + e.getMessage());
        }
    }

    /** An endpoint as the API represents it, at its place in its profile's list (its priority's default). */
    static EndpointConfig endpointModel(JsonNode representation, int position) throws ApiClient.Failure {
        try {
            return READER.endpoint(representation, position, true);
        } catch (ConfigException e) {
            throw ApiClient.Failure.runtime("the server's endpoint " + representation.path("name").asString()
                    + " cannot be read: " + e.getMessage());
        }
    }

    /** The profile with its endpoint at {@code index} replaced. */
    static ProfileConfig withEndpoint(ProfileConfig p, int index, EndpointConfig e) {
        List<EndpointConfig> endpoints = new ArrayList<>(p.endpoints());
        endpoints.set(index, e);
        return new ProfileConfig(p.name(), p.zone(), p.trafficRoutingMethod(), p.enabled(), p.relativeName(), p.ttl(),
                p.maxReturn(), endpoints, p.monitor(), p.fallback());
    }

    /** The canonical form, as the store keeps it: two equal profiles are the same text. */
    static String canonical(ProfileConfig p) {
        return ProfileWriter.json(ProfileWriter.profile(p));
    }

    private static String name(String file) {
        return file.equals("-") ? "stdin" : file;
    }

    private static ConfigException at(String prefix, ConfigException e) {
        if (prefix.isEmpty()) {
            return e;
        }
        List<ConfigError> out = new ArrayList<>();
        for (ConfigError error : e.errors()) {
            out.add(new ConfigError(error.path().isEmpty() ? prefix : prefix + "." + error.path(), error.message()));
        }
        return new ConfigException(out);
    }

    private static ApiClient.Failure invalid(String file, ConfigException e) {
        List<String> lines = new ArrayList<>();
        lines.add(file + ": " + e.errors().size() + " error(s)");
        for (ConfigError error : e.errors()) {
            lines.add("  " + error);
        }
        return new ApiClient.Failure(WayfinderCommand.EXIT_INVALID_INPUT, 0, lines);
    }
}
