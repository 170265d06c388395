package io.wayfinder.cli;

import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.read.ProfileTreeReader;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "set", mixinStandardHelpOptions = true,
        description = {"Change fields of an endpoint.",
            "KEY is a property name of the configuration file (target, endpointStatus,",
            "endpointLocation, priority, weight, geoMapping, subnets, ...); each VALUE is",
            "read as YAML, as in the file: weight=5, endpointStatus=Disabled,",
            "geoMapping='[GEO-EU, US-CA]'; KEY=null puts a field back to its default.",
            "Sent as one merge patch: the fields not named stay as they are.",
            EndpointEdit.CONFLICT_HELP})
final class EndpointSetCommand extends EndpointEdit {

    @Parameters(index = "2..*", arity = "1..*", paramLabel = "KEY=VALUE", description = "A field and its new value.")
    List<String> assignments;

    @Override
    ObjectNode patch() throws ApiClient.Failure {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (String assignment : assignments) {
            int eq = assignment.indexOf('=');
            String key = eq < 0 ? "" : assignment.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw ApiClient.Failure.usage(assignment + ": not KEY=VALUE (such as weight=5)");
            }
            if (patch.has(key)) {
                throw ApiClient.Failure.usage(key + " is given twice");
            }
            patch.set(key, value(key, assignment.substring(eq + 1)));
        }
        return patch;
    }

    /** VALUE as YAML: a number, true/false, null, a [list] or a {mapping}; anything else is a string. */
    static JsonNode value(String key, String text) throws ApiClient.Failure {
        if (text.isBlank()) {
            throw ApiClient.Failure.usage(key + "= has no value (" + key + "=null puts it back to its default)");
        }
        try {
            JsonNode value = ProfileTreeReader.parseYaml(text);
            return value == null ? JsonNodeFactory.instance.nullNode() : value;
        } catch (ConfigException e) {
            throw ApiClient.Failure.usage(key + "=" + text + ": the value is not YAML: " + e.getMessage());
        }
    }
}
