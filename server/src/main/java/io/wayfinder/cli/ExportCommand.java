package io.wayfinder.cli;

import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.write.ProfileWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Print the running profiles as a file that `apply -f` takes back unchanged.",
            "A profiles: section (a configuration file can hold it too), with the",
            "configuration's property names in the canonical form the store keeps and",
            "without the live status."})
final class ExportCommand extends ClientCommand {

    /** Only the file formats: a table is not a file that apply reads. */
    enum Format { yaml, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "yaml", description = "yaml (default) or json.")
    Format output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        JsonNode body = api.get(ApiClient.path("profiles")).body();
        List<ProfileConfig> profiles = new ArrayList<>();
        for (JsonNode p : body.path("profiles")) {
            profiles.add(ProfileDocuments.model(p));
        }
        ObjectNode document = ProfileWriter.document(profiles);
        if (output == Format.yaml) {
            System.out.println("# The profiles of " + api.base() + " at revision " + body.path("revision").asString()
                    + ", exported " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".");
            System.out.println("# bin/wayfinder apply -f FILE makes the running profiles equal to this file's.");
            OutputFormat.print(document, OutputFormat.yaml, System.out);
        } else {
            OutputFormat.print(document, OutputFormat.json, System.out);
        }
        return WayfinderCommand.EXIT_OK;
    }
}
