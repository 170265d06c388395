package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code wayfinder}: the launcher. Each subcommand is its own class. */
@Command(name = "wayfinder",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Self-hosted DNS traffic manager: performance routing over an internet latency table.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, ExplainCommand.class, StatusCommand.class, DemoEndpointsCommand.class,
                GeoCodesCommand.class, RegionsCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class WayfinderCommand implements Runnable {

    /** Exit code for a configuration that was rejected. */
    public static final int EXIT_INVALID_CONFIG = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            // Tools print their results on stdout; keep the server's INFO lines out of them.
            System.setProperty("wayfinder.log.level", "warn"); // read by logback.xml
        }
        System.exit(newCommandLine().execute(args));
    }

    public static CommandLine newCommandLine() {
        return new CommandLine(new WayfinderCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
