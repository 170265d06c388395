package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List the running server's profiles.",
            "Each with its method, status, monitor status, DNS name, TTL, number of",
            "endpoints and version. -o json: the API's {\"revision\", \"profiles\": [...]}."})
final class ProfileListCommand extends ClientCommand {

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        JsonNode body = api.get(ApiClient.path("profiles")).body();
        output.print(body, ProfileText.list(body.path("profiles")));
        return WayfinderCommand.EXIT_OK;
    }
}
