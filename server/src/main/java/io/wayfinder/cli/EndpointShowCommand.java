package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one endpoint of a profile: every field it sets and its monitor status.")
final class EndpointShowCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "PROFILE", description = "The profile.")
    String profile;

    @Parameters(index = "1", paramLabel = "ENDPOINT", description = "The endpoint.")
    String endpoint;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", description = OutputFormat.HELP)
    OutputFormat output;

    @Override
    int run(ApiClient api) throws ApiClient.Failure {
        ApiClient.Response r = api.get(ApiClient.path("profiles", profile, "endpoints", endpoint));
        output.printResult(r.body(), ProfileText.endpoint(profile, r.body(), r.version()), System.out);
        return WayfinderCommand.EXIT_OK;
    }
}
