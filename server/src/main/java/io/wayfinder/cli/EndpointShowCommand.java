package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one endpoint of a profile: every field it sets and its monitor status.")
final class EndpointShowCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile.")
    String profile;

    @Parameters(index = "1", paramLabel = "ENDPOINT", description = "The endpoint.")
    String endpoint;

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        ApiClient.Response r = api.get(ApiClient.path("profiles", profile, "endpoints", endpoint));
        output.print(r.body(), ProfileText.endpoint(profile, r.body(), r.version()));
        return WayfinderCommand.EXIT_OK;
    }
}
