package io.wayfinder.cli;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.api.DecisionJson;
import io.wayfinder.control.LoadedConfig;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Decision;
import io.wayfinder.routing.DecisionRecorder;
import io.wayfinder.routing.Profile;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show how a profile answers a client, and why.",
            "Prints the evidence behind each region's latency estimate, each endpoint's status and",
            "why it won or lost, the answer and its ECS scope.",
            "With --config FILE: the file's profiles, as on a server just started (or --probe).",
            "With --server URL (or WAYFINDER_SERVER, when no --config is given): the running",
            "server's decision, with its live health, printed the same way."})
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Mixin
    ServerOptions server;

    @Option(names = {"-p", "--profile"}, required = true, paramLabel = "NAME", description = "The profile to route through.")
    String profile;

    @Option(names = "--client", required = true, paramLabel = "IP[/LEN]",
            description = "The client: an address (as a resolver's source address) or a subnet (as an ECS option).")
    String client;

    @Option(names = "--json", description = "Print the decision as JSON (the same as -o json).")
    boolean json;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml: the decision's fields (see the README).")
    OutputFormat output;

    @Option(names = "--probe", description = "With --config: probe the monitored endpoints first (as `status` does); without"
            + " it they are CheckingEndpoint, as on a server that has just started.")
    boolean probe;

    @Option(names = "--type", paramLabel = "A|AAAA", defaultValue = "A",
            description = "The record type asked for (MultiValue answers with addresses of that family; default A).")
    String type;

    /** The snapshot a fresh server would have (every monitored endpoint CheckingEndpoint), or probed now. */
    private Snapshot snapshot(LoadedConfig loaded) {
        return probe ? ConfigLoading.probed(loaded, null, (snapshot, monitor) -> snapshot) : ConfigLoading.unprobed(loaded);
    }

    @Override
    public Integer call() {
        if (config != null && server.server != null) {
            throw new ParameterException(spec.commandLine(), "Give --config FILE or --server URL, not both");
        }
        if (config == null && !server.named()) {
            throw new ParameterException(spec.commandLine(), "Missing the configuration: --config FILE, or --server URL to"
                    + " ask a running server");
        }
        if (config == null && probe) {
            throw new ParameterException(spec.commandLine(), "--probe probes from here, with --config; a server's decision"
                    + " already has its live health");
        }
        IpPrefix network;
        boolean subnet = client.contains("/");
        try {
            network = subnet ? IpPrefix.parse(client) : IpPrefix.parse(client + (client.contains(":") ? "/128" : "/32"));
        } catch (IllegalArgumentException e) {
            System.err.println("--client " + e.getMessage());
            return WayfinderCommand.EXIT_INVALID_INPUT;
        }
        if (!type.equalsIgnoreCase("A") && !type.equalsIgnoreCase("AAAA")) {
            System.err.println("--type must be A or AAAA, not " + type);
            return WayfinderCommand.EXIT_INVALID_INPUT;
        }
        Decision decision;
        if (config != null) {
            Snapshot snapshot;
            try {
                snapshot = snapshot(ConfigLoading.load(config, System.err));
            } catch (ConfigLoading.Rejected e) {
                return WayfinderCommand.EXIT_INVALID_CONFIG;
            }
            Profile p = snapshot.routing().profile(profile);
            if (p == null) {
                System.err.println("no profile named '" + profile + "'; profiles: "
                        + snapshot.routing().profiles().stream().map(Profile::name).toList());
                return WayfinderCommand.EXIT_INVALID_INPUT;
            }
            decision = DecisionRecorder.explain(snapshot.routing(), p, network, subnet, type.equalsIgnoreCase("AAAA"));
        } else {
            try {
                decision = remote();
            } catch (ApiClient.Failure f) {
                f.print(System.err);
                return f.exitCode();
            }
        }
        OutputFormat format = json ? OutputFormat.json : output;
        switch (format) {
            case json -> System.out.println(DecisionJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(decision));
            case yaml -> OutputFormat.print(DecisionJson.MAPPER.valueToTree(decision), OutputFormat.yaml, System.out);
            case table -> System.out.print(DecisionText.render(decision));
        }
        return WayfinderCommand.EXIT_OK;
    }

    /** The running server's decision ({@code GET /api/v1/explain}), read back into the model to print it as a local one. */
    private Decision remote() throws ApiClient.Failure {
        ApiClient api = server.client();
        ApiClient.Response r = api.get(ApiClient.path("explain") + ApiClient.query("profile", profile, "client", client,
                "type", type.toUpperCase(Locale.ROOT)));
        try {
            return DecisionJson.MAPPER.treeToValue(r.body(), Decision.class);
        } catch (JacksonException e) {
            throw ApiClient.Failure.runtime("the server's decision cannot be read: " + e.getOriginalMessage());
        }
    }
}
