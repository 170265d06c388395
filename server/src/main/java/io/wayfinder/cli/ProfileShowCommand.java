package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show a profile: its settings, its endpoints and their status.",
            "-o yaml and -o json print it as the API represents it (the configuration's",
            "property names, with version and live status added): `profile update -f`",
            "takes that back unchanged."})
final class ProfileShowCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The profile.")
    String name;

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        JsonNode profile = api.get(ApiClient.path("profiles", name)).body();
        output.print(profile, ProfileText.show(profile));
        return WayfinderCommand.EXIT_OK;
    }
}
