package io.wayfinder.cli;

import io.wayfinder.api.StatusView;
import io.wayfinder.control.LoadedConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print the health of every profile and endpoint: probed now, or the server's.",
            "Each endpoint with its monitor status, last probe result, consecutive failures",
            "and successes, and since when; then whether all is well.",
            "With --config FILE: probes the file's monitored endpoints from here.",
            "With --server URL (or WAYFINDER_SERVER, when no --config is given): what the",
            "running server sees. Either way it exits " + StatusCommand.EXIT_UNHEALTHY + " when an endpoint is Degraded or a",
            "profile fails open (or answers with its fallback), 0 when all is well."})
final class StatusCommand implements Callable<Integer> {
    /** The status was read, and not everything is well. */
    static final int EXIT_UNHEALTHY = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The YAML configuration: probe its endpoints from here.")
    Path config;

    @Mixin
    ServerOptions server;

    @Option(names = "--rounds", paramLabel = "N",
            description = "With --config: probe rounds, back to back (default: enough for the largest toleratedNumberOfFailures to show Degraded).")
    Integer rounds;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml (the document GET /api/v1/status answers).")
    OutputFormat output;

    @Override
    public Integer call() {
        if (config != null && server.server != null) {
            throw new ParameterException(spec.commandLine(), "Give --config FILE (probe from here) or --server URL (ask the"
                    + " running server), not both");
        }
        if (config == null && !server.named()) {
            throw new ParameterException(spec.commandLine(), "Missing the configuration: --config FILE, or --server URL to"
                    + " ask a running server");
        }
        return config != null ? local() : remote();
    }

    private int local() {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoading.load(config, System.err);
        } catch (ConfigLoading.Rejected e) {
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        }
        JsonNode status = ConfigLoading.probed(loaded, rounds, (snapshot, monitor) -> StatusView.of(snapshot,
                monitor.reports(), new StatusView.Source(loaded.file().toString(), "file", null), Instant.now()));
        print(status);
        return exitCode(status);
    }

    private int remote() {
        if (rounds != null) {
            throw new ParameterException(spec.commandLine(), "--rounds probes from here, with --config; the server probes on"
                    + " its own schedule");
        }
        JsonNode status;
        try {
            status = server.client().get(ApiClient.path("status")).body();
        } catch (ApiClient.Failure f) {
            f.print(System.err);
            return f.exitCode();
        }
        print(status);
        return exitCode(status);
    }

    private static int exitCode(JsonNode status) {
        return status.path("summary").path("healthy").asBoolean(false) ? WayfinderCommand.EXIT_OK : EXIT_UNHEALTHY;
    }

    private void print(JsonNode status) {
        output.printResult(status, render(status), System.out);
    }

    /** The status document ({@link StatusView}) for people: a line per profile, a table of its endpoints, a summary. */
    static String render(JsonNode status) {
        StringBuilder out = new StringBuilder();
        for (JsonNode p : status.path("profiles")) {
            out.append("profile ").append(p.path("name").asString()).append(": ").append(p.path("profileMonitorStatus").asString());
            if (p.path("failOpen").asBoolean(false)) {
                out.append("  FAIL-OPEN (every eligible endpoint is Degraded; serving them anyway)");
            }
            if (p.path("onFallback").asBoolean(false)) {
                out.append("  ON FALLBACK (every eligible endpoint is Degraded)");
            }
            out.append('\n');
            out.append(String.format(Locale.ROOT, "  %-14s %-24s %-16s %-5s %-3s %-20s %s%n",
                    "endpoint", "target", "status", "fails", "oks", "since", "last probe"));
            for (JsonNode e : p.path("endpoints")) {
                JsonNode last = e.path("lastProbe");
                String lastText = last.isObject() ? last.path("result").asString() + " (" + last.path("elapsedMillis").asString()
                        + " ms)" : "-";
                out.append(String.format(Locale.ROOT, "  %-14s %-24s %-16s %-5s %-3s %-20s %s%n",
                        e.path("name").asString() + (e.path("fallback").asBoolean(false) ? " (fallback)" : ""),
                        e.path("target").asString(), e.path("endpointMonitorStatus").asString(),
                        e.has("consecutiveFailures") ? e.get("consecutiveFailures").asString() : "-",
                        e.has("consecutiveSuccesses") ? e.get("consecutiveSuccesses").asString() : "-",
                        since(e.path("since")), lastText));
            }
        }
        JsonNode s = status.path("summary");
        out.append(s.path("healthy").asBoolean(false) ? "healthy: " : "NOT HEALTHY: ")
                .append(s.path("profiles").asString()).append(" profile(s), ")
                .append(s.path("endpointsDegraded").asString()).append(" endpoint(s) Degraded, ")
                .append(s.path("profilesFailingOpen").asString()).append(" profile(s) failing open or on fallback\n");
        return out.toString();
    }

    private static String since(JsonNode since) {
        if (!since.isString()) {
            return "-";
        }
        try {
            return Instant.parse(since.asString()).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return since.asString();
        }
    }
}
