package io.wayfinder.cli;

import io.wayfinder.control.LoadedConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Validate a configuration and load its data files, without serving.",
            "Exit 0 when it is valid; exit 2 with every error, each with its field path."})
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "The YAML configuration (as every command takes it).")
    Path config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The YAML configuration (the same, positionally).")
    Path positional;

    @Override
    public Integer call() {
        Path file = file();
        try {
            LoadedConfig loaded = ConfigLoading.load(file, System.err);
            System.out.println(file + ": OK, " + loaded.config().zones().size() + " zone(s), "
                    + loaded.config().profiles().size() + " profile(s)");
            loaded.sources().summary().forEach(line -> System.out.println("  " + line));
            for (String name : loaded.config().unreachableProfiles()) {
                System.out.println("  note: profile " + name + " has no dnsConfig.relativeName and no profile nests it: it answers nothing");
            }
            return WayfinderCommand.EXIT_OK;
        } catch (ConfigLoading.Rejected e) {
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        }
    }

    /** {@code --config FILE} or {@code FILE}: one of them, once. */
    private Path file() {
        if (config != null && positional != null && !config.equals(positional)) {
            throw new ParameterException(spec.commandLine(), "Give the configuration once: --config " + config
                    + " and " + positional + " differ");
        }
        if (config == null && positional == null) {
            throw new ParameterException(spec.commandLine(), "Missing the configuration: --config FILE (or FILE)");
        }
        return config != null ? config : positional;
    }
}
