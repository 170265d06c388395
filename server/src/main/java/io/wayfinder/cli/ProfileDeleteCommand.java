package io.wayfinder.cli;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.JsonNodeFactory;

@Command(name = "delete", mixinStandardHelpOptions = true,
        description = {"Delete a profile: its DNS name answers NXDOMAIN from then on.",
            "Refused (exit 2, naming the profile that nests it) while another nests it."})
final class ProfileDeleteCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The profile.")
    String name;

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        api.send("DELETE", ApiClient.path("profiles", name), null, null, Map.of());
        output.print(JsonNodeFactory.instance.objectNode().put("profile", name).put("deleted", true),
                "profile " + name + " deleted\n");
        return WayfinderCommand.EXIT_OK;
    }
}
