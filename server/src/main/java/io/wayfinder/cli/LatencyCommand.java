package io.wayfinder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Feed the running server's latency learning (latency.learn).",
        subcommands = LatencyImportCommand.class)
final class LatencyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing the subcommand: import");
    }
}
