package io.wayfinder.cli;

import io.wayfinder.control.ConfigDiff;
import io.wayfinder.profile.ProfileConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A change of some fields of one endpoint ({@code enable}, {@code disable}, {@code set}): the
 * profile is read, the fields are sent as a merge patch of the endpoint with {@code If-Match} set to
 * the version read, and what changed is printed in the words of the log and the audit log. If
 * anyone wrote the profile in between, the server refuses (412) and nothing changes.
 */
abstract class EndpointEdit extends ClientCommand {
    /** Said in the help of every command that edits an endpoint. */
    static final String CONFLICT_HELP = "If the profile was changed by someone else since it was read, the server%n"
            + "refuses (412, exit 2) and nothing changes: run again.";

    @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile.")
    String profile;

    @Parameters(index = "1", paramLabel = "ENDPOINT", description = "The endpoint.")
    String endpoint;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default: what changed), json or yaml (the endpoint as the server stored it).")
    OutputFormat output;

    /** The merge patch to send. */
    abstract ObjectNode patch() throws ApiClient.Failure;

    @Override
    final int run(ApiClient api) throws ApiClient.Failure {
        ObjectNode patch = patch();
        ApiClient.Response read = api.get(ApiClient.path("profiles", profile));
        JsonNode endpoints = read.body().path("endpoints");
        int index = -1;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            String name = endpoints.get(i).path("name").asString();
            names.add(name);
            if (name.equalsIgnoreCase(endpoint)) {
                index = i;
            }
        }
        if (index < 0) {
            throw ApiClient.Failure.usage("profile " + read.body().path("name").asString() + " has no endpoint named '"
                    + endpoint + "'; its endpoints: " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
        String name = names.get(index);
        ApiClient.Response written;
        try {
            written = api.send("PATCH", ApiClient.path("profiles", profile, "endpoints", name), patch, ApiClient.MERGE_PATCH,
                    ApiClient.ifMatch(read.version()));
        } catch (ApiClient.Failure f) {
            throw f.status() != 412 ? f : f.hint("profile " + profile + " was changed by someone else since it was read (at version "
                    + read.version() + "); nothing was changed. Run again");
        }
        String label = "endpoint " + read.body().path("name").asString() + "/" + name;
        if (output != OutputFormat.table) {
            OutputFormat.print(written.body(), output, System.out);
        } else if (read.version().equals(written.version())) {
            System.out.println(label + " unchanged (profile version " + read.version() + "): it already had those values");
        } else {
            ProfileConfig before = ProfileDocuments.model(read.body());
            ProfileConfig after = ProfileDocuments.withEndpoint(before, index,
                    ProfileDocuments.endpointModel(written.body(), index));
            System.out.println(label + " updated (profile version " + read.version() + " -> " + written.version() + ")");
            for (String change : ConfigDiff.profiles(List.of(before), List.of(after))) {
                System.out.println("  " + change);
            }
        }
        return WayfinderCommand.EXIT_OK;
    }
}
