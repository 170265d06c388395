package io.wayfinder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "endpoint", mixinStandardHelpOptions = true,
        description = {"List, show, enable, disable and change a running server's endpoints.",
            "The server is --server URL or WAYFINDER_SERVER (its api.listen);",
            "the token --token TOKEN or WAYFINDER_TOKEN."},
        subcommands = {EndpointListCommand.class, EndpointShowCommand.class, EndpointEnableCommand.class,
            EndpointDisableCommand.class, EndpointSetCommand.class})
final class EndpointCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing what to do: list, show, enable, disable or set");
    }
}
