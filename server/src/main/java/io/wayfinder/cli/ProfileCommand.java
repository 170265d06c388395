package io.wayfinder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"List, show, create, update and delete a running server's profiles.",
            "The server is --server URL or WAYFINDER_SERVER (its api.listen);",
            "the token --token TOKEN or WAYFINDER_TOKEN."},
        subcommands = {ProfileListCommand.class, ProfileShowCommand.class, ProfileCreateCommand.class,
            ProfileUpdateCommand.class, ProfileDeleteCommand.class})
final class ProfileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing what to do: list, show, create, update or delete");
    }
}
