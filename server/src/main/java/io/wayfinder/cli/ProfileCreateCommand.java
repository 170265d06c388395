package io.wayfinder.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a profile from a file.",
            "FILE is YAML or JSON, with the configuration file's property names: one",
            "profile, or a profiles: list with one entry. Checked before it is sent.",
            "Refused (exit 2) when a profile of that name exists (update changes one)."})
final class ProfileCreateCommand extends ProfileFileCommand {

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        ObjectNode profile = profile();
        String name = profile.path("name").asString();
        ApiClient.Response created;
        try {
            // If-None-Match: * creates, and never replaces a profile someone else created meanwhile.
            created = api.send("PUT", ApiClient.path("profiles", name), profile, ApiClient.JSON, Map.of("If-None-Match", "*"));
        } catch (ApiClient.Failure f) {
            throw f.status() == 412 ? f.hint("profile " + name + " exists; change it with: profile update -f " + file) : f;
        }
        print(created, "profile " + name + " created (version " + created.version() + ")");
        return WayfinderCommand.EXIT_OK;
    }
}
