package io.wayfinder.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Replace a profile with the one in a file.",
            "FILE is YAML or JSON: one profile, or a profiles: list with one entry.",
            "The write names the version it replaces (If-Match): the file's `version`",
            "when it has one (`profile show -o yaml` writes it), else the version read",
            "just before. If someone else changed the profile since, the server refuses",
            "(412, exit 2) and nothing changes: it was changed by someone else; run again",
            "(when the file came from show: show it again and redo the edit)."})
final class ProfileUpdateCommand extends ProfileFileCommand {

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        ObjectNode profile = profile();
        String name = profile.path("name").asString();
        String path = ApiClient.path("profiles", name);
        boolean fromFile = profile.path("version").isIntegralNumber();
        long read;
        if (fromFile) {
            read = profile.get("version").asLong();
        } else {
            try {
                read = api.get(path).version();
            } catch (ApiClient.Failure f) {
                throw f.status() == 404 ? f.hint("create it with: profile create -f " + file) : f;
            }
        }
        ApiClient.Response updated;
        try {
            updated = api.send("PUT", path, profile, ApiClient.JSON, ApiClient.ifMatch(read));
        } catch (ApiClient.Failure f) {
            throw f.status() != 412 ? f : f.hint(fromFile
                    ? "profile " + name + " was changed by someone else (or deleted) since version " + read + ", the one in "
                            + file + ", was read; nothing was changed. Show it again, redo the edit and update"
                    : "profile " + name + " was changed by someone else (or deleted) since it was read; nothing was changed."
                            + " Run again");
        }
        print(updated, Long.valueOf(read).equals(updated.version())
                ? "profile " + name + " unchanged (version " + read + "): the server has it as the file says"
                : "profile " + name + " updated (version " + read + " -> " + updated.version() + ")");
        return WayfinderCommand.EXIT_OK;
    }
}
