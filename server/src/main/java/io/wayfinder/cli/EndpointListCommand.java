package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List a profile's endpoints.",
            "Each with its target, endpointStatus, monitor status, and what the method",
            "reads (location, priority, weight, geoMapping or subnets).",
            "-o json: {\"profile\", \"version\", \"endpoints\": [...]}, as the API has them."})
final class EndpointListCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile.")
    String profile;

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        JsonNode p = api.get(ApiClient.path("profiles", profile)).body();
        ObjectNode endpoints = JsonNodeFactory.instance.objectNode();
        endpoints.put("profile", p.path("name").asString());
        endpoints.set("version", p.path("version"));
        endpoints.set("endpoints", p.path("endpoints"));
        output.print(endpoints, ProfileText.endpoints(p));
        return WayfinderCommand.EXIT_OK;
    }
}
