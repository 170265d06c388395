package io.wayfinder.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code wayfinder}: the launcher. Each subcommand is its own class. */
@Command(name = "wayfinder",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Self-hosted DNS traffic manager: performance routing over an internet latency table.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, ExplainCommand.class, StatusCommand.class,
                ProfileCommand.class, EndpointCommand.class, ApplyCommand.class, ExportCommand.class, AuditCommand.class,
                LatencyCommand.class, TrafficCommand.class, AgentCommand.class,
                DemoEndpointsCommand.class, GeoCodesCommand.class, RegionsCommand.class, ImportCommand.class, VersionCommand.class,
                CommandLine.HelpCommand.class})
public final class WayfinderCommand implements Runnable {

    /*
     * Exit codes, the same for every command (README, Command line): 0 done; 1 a runtime failure (a
     * port in use, a file that cannot be written, a bug); 2 usage or invalid input (an unknown
     * option, a configuration with errors, a bad --client, an unknown profile). picocli's own usage
     * errors exit 2 too (CommandLine.ExitCode.USAGE), and an uncaught exception 1. The commands that
     * talk to the API map its answers the same way: unreachable or 5xx 1, 4xx 2. One more, for one
     * command: status --server exits 3 when the server answered and is not healthy.
     */

    /** The command did what it was asked. */
    public static final int EXIT_OK = 0;
    /** Something failed while running: a port in use, a file that cannot be written, a bug. */
    public static final int EXIT_RUNTIME_FAILURE = 1;
    /** The command line or what it names is wrong: fix the input and run again. */
    public static final int EXIT_INVALID_INPUT = CommandLine.ExitCode.USAGE;
    /** A configuration that was rejected (invalid input). */
    public static final int EXIT_INVALID_CONFIG = EXIT_INVALID_INPUT;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        if (!serving(args)) {
            // A tool's result is what it prints; the machinery it runs (probes, the publisher) would
            // log the same facts again as WARN lines between them. Errors still show, on stderr.
            System.setProperty("wayfinder.log.level", "error"); // read by logback.xml, before the first logger
        }
        System.exit(newCommandLine().execute(args));
    }

    /** Whether the command is {@code serve}: the first argument that is not an option. */
    static boolean serving(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg.equals("serve");
            }
        }
        return false;
    }

    public static CommandLine newCommandLine() {
        return new CommandLine(new WayfinderCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
