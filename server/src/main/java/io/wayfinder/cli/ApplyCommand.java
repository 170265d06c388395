package io.wayfinder.cli;

import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.write.ProfileWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Make the running profiles equal to a file's profiles: list.",
            "Creates the profiles the server does not have, updates those that differ and",
            "deletes those the file does not have; profiles as the file has them are not",
            "written. FILE is what `export` prints, or a configuration file (only its",
            "profiles: are read); profiles: [] deletes every profile. The file is checked",
            "whole before the first write (exit 2 with every error).",
            "--dry-run prints what would change, in the words of the log and the audit",
            "log, and changes nothing.",
            "Each write names the version it was planned from: if someone else changes a",
            "profile meanwhile, apply stops there (412, exit 2), the writes before it done:",
            "run it again."})
final class ApplyCommand extends ClientCommand {

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The profiles (YAML or JSON); - reads stdin.")
    String file;

    @Option(names = "--dry-run", description = "Print what would change, and change nothing.")
    boolean dryRun;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default: a line per change, then a summary), json or yaml ({\"dryRun\", \"complete\","
                    + " \"steps\": [{\"action\", \"profile\", \"changes\", \"version\"}], \"unchanged\"}).")
    OutputFormat output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        List<ProfileConfig> wanted = ProfileDocuments.list(ProfileDocuments.read(file), file);
        List<ApplyPlan.Running> running = new ArrayList<>();
        for (JsonNode p : api.get(ApiClient.path("profiles")).body().path("profiles")) {
            running.add(new ApplyPlan.Running(ProfileDocuments.model(p), p.path("version").asLong()));
        }
        ApplyPlan plan = ApplyPlan.between(running, wanted);
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("dryRun", dryRun);
        result.put("complete", true);
        ArrayNode steps = result.putArray("steps");
        ArrayNode unchanged = result.putArray("unchanged");
        plan.unchanged().forEach(unchanged::add);
        int done = 0;
        for (ApplyPlan.Step step : plan.steps()) {
            ObjectNode s = steps.addObject();
            s.put("action", step.action().name());
            s.put("profile", step.name());
            ArrayNode changes = s.putArray("changes");
            step.changes().forEach(changes::add);
            if (!dryRun) {
                try {
                    Long version = write(api, step);
                    if (version != null) {
                        s.put("version", version);
                    }
                } catch (ApiClient.Failure f) {
                    steps.remove(steps.size() - 1);
                    result.put("complete", false);
                    if (output != OutputFormat.table) {
                        OutputFormat.print(result, output, System.out);
                    }
                    throw stopped(f, step, done);
                }
            }
            done++;
            if (output == OutputFormat.table) {
                step.changes().forEach(System.out::println);
                System.out.flush();
            }
        }
        output.printResult(result, summary(plan) + "\n", System.out);
        return WayfinderCommand.EXIT_OK;
    }

    /** One write; the version the profile has after it (null after a delete). */
    private static Long write(ApiClient api, ApplyPlan.Step step) throws ApiClient.Failure {
        String path = ApiClient.path("profiles", step.name());
        return switch (step.action()) {
            case create -> api.send("PUT", path, ProfileWriter.profile(step.profile()), ApiClient.JSON,
                    Map.of("If-None-Match", "*")).version();
            case update -> api.send("PUT", path, ProfileWriter.profile(step.profile()), ApiClient.JSON,
                    ApiClient.ifMatch(step.version())).version();
            case delete -> {
                api.send("DELETE", path, null, null, ApiClient.ifMatch(step.version()));
                yield null;
            }
        };
    }

    private ApiClient.Failure stopped(ApiClient.Failure f, ApplyPlan.Step step, int done) {
        String where = "apply stopped at: " + step.action() + " profile " + step.name() + " (" + done
                + " change(s) before it were applied; the rest were not)";
        if (f.status() == 412) {
            return f.hint(where).hint("profile " + step.name() + " was changed by someone else since apply read it;"
                    + " run apply again (--dry-run first shows what it would do now)");
        }
        return f.hint(where);
    }

    private String summary(ApplyPlan plan) {
        if (plan.steps().isEmpty()) {
            return "no changes: the running profiles are the file's (" + plan.unchanged().size() + " profile(s))";
        }
        int create = plan.count(ApplyPlan.Action.create);
        int update = plan.count(ApplyPlan.Action.update);
        int delete = plan.count(ApplyPlan.Action.delete);
        int same = plan.unchanged().size();
        return dryRun
                ? "dry run: " + create + " to create, " + update + " to update, " + delete + " to delete, " + same
                        + " unchanged; nothing was changed"
                : "applied: " + create + " created, " + update + " updated, " + delete + " deleted, " + same + " unchanged";
    }
}
