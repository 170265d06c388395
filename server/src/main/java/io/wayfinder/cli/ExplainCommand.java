package io.wayfinder.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.LoadedConfig;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Decision;
import io.wayfinder.routing.DecisionRecorder;
import io.wayfinder.routing.Profile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Show how a profile answers a client, and why.",
            "Prints the evidence behind each region's latency estimate, each endpoint's status and",
            "why it won or lost, the answer and its ECS scope."})
final class ExplainCommand implements Callable<Integer> {
    /** Enums by their labels ("measured", as the text says), and no null fields (samples the table does not count). */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(EnumFeature.WRITE_ENUMS_USING_TO_STRING)
            .changeDefaultPropertyInclusion(inclusion -> JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                    JsonInclude.Include.NON_NULL))
            .build();

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Option(names = {"-p", "--profile"}, required = true, paramLabel = "NAME", description = "The profile to route through.")
    String profile;

    @Option(names = "--client", required = true, paramLabel = "IP[/LEN]",
            description = "The client: an address (as a resolver's source address) or a subnet (as an ECS option).")
    String client;

    @Option(names = "--json", description = "Print the decision as JSON.")
    boolean json;

    @Option(names = "--probe", description = {"Probe the monitored endpoints first (as `status` does); without it they",
        "are CheckingEndpoint, as on a server that has just started."})
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
        Decision decision = DecisionRecorder.explain(snapshot.routing(), p, network, subnet, type.equalsIgnoreCase("AAAA"));
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(decision));
        } else {
            System.out.print(DecisionText.render(decision));
        }
        return 0;
    }
}
