package io.wayfinder.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Print the audit log of the running server, newest first.",
            "Every accepted write: when, by which token, what was asked and what it",
            "changed (-o json adds the whole profile before and after)."})
final class AuditCommand extends ClientCommand {

    @Option(names = "--limit", paramLabel = "N", description = "At most N entries (1-1000; default 100).")
    Integer limit;

    @Option(names = "--since", paramLabel = "TIME", description = "Only writes at or after TIME (UTC, as 2030-01-31T12:00:00Z).")
    String since;

    @Option(names = {"-p", "--profile"}, paramLabel = "NAME", description = "Only writes of this profile.")
    String profile;

    @Mixin
    OutputOption output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        JsonNode body = api.get(ApiClient.path("audit") + ApiClient.query("limit", limit == null ? null : limit.toString(),
                "since", since, "profile", profile)).body();
        output.print(body, render(body.path("entries")));
        return WayfinderCommand.EXIT_OK;
    }

    /** A row per entry, each followed by the changes it made, indented. */
    private static String render(JsonNode entries) {
        Table table = new Table("TIME", "REVISION", "ACTOR", "ACTION", "RESOURCE");
        for (JsonNode e : entries) {
            table.row(e.path("time").asString(), e.path("revision").asString(), e.path("actor").asString(),
                    e.path("action").asString(), e.path("resource").asString());
        }
        List<String> lines = table.toString().lines().toList();
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
        for (int i = 0; i < entries.size(); i++) {
            out.append(lines.get(i + 1)).append('\n');
            for (JsonNode change : entries.get(i).path("changes")) {
                out.append("    ").append(change.asString()).append('\n');
            }
        }
        return out.toString();
    }
}
