package io.wayfinder.cli;

import io.wayfinder.control.LoadedConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate a configuration and load its data files, without serving.",
            "Exit 0 when it is valid; exit 2 with every error, each with its field path."})
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The YAML configuration.")
    Path file;

    @Override
    public Integer call() {
        try {
            LoadedConfig loaded = ConfigLoading.load(file, System.err);
            System.out.println(file + ": OK, " + loaded.config().zones().size() + " zone(s), "
                    + loaded.config().profiles().size() + " profile(s)");
            loaded.sources().summary().forEach(line -> System.out.println("  " + line));
            return 0;
        } catch (ConfigLoading.Rejected e) {
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        }
    }
}
