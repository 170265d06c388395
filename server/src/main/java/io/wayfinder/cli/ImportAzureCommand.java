package io.wayfinder.cli;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.imports.azure.AzureImport;
import io.wayfinder.imports.azure.ImportNote;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "azure", mixinStandardHelpOptions = true,
        description = {"Convert Azure Traffic Manager profiles into a Wayfinder configuration file.",
            "FILE is an ARM template export (portal \"Export template\", az group export) or what",
            "`az network traffic-manager profile show` or `... profile list` prints (- reads stdin).",
            "The configuration goes to stdout or -o FILE; what could not be carried over goes to",
            "stderr (and, for whole endpoints, into the file as comments).",
            "Exit 0 when a configuration that check-config accepts was written; 2 when FILE is not",
            "an Azure export; 1 when writing fails."})
final class ImportAzureCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The Azure export (JSON); - for stdin.")
    String input;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the configuration here instead of stdout (-o is an output format in the other commands).")
    Path output;

    @Option(names = "--zone", paramLabel = "NAME",
            description = "The zone the profiles' names go in (default: a placeholder, " + AzureImport.PLACEHOLDER_ZONE + ").")
    String zone;

    @Option(names = "--nameserver", paramLabel = "NAME", description = "A name server of the zone (repeatable; default ns1.ZONE).")
    List<String> nameservers = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream err = System.err;
        String json;
        try {
            json = input.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            err.println(input + ": no such file");
            return WayfinderCommand.EXIT_INVALID_INPUT;
        } catch (IOException e) {
            err.println(input + ": cannot be read: " + e.getMessage());
            return WayfinderCommand.EXIT_INVALID_INPUT;
        }
        AzureImport.Result result;
        try {
            result = AzureImport.convert(json, new AzureImport.Options(zone, nameservers, input.equals("-") ? "stdin" : input));
        } catch (AzureImport.InvalidExport e) {
            err.println(input + ": " + e.getMessage());
            return WayfinderCommand.EXIT_INVALID_INPUT;
        }
        List<ConfigError> problems = check(result.yaml());
        if (output != null) {
            try {
                Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("cannot write " + output + ": " + e.getMessage());
                return WayfinderCommand.EXIT_RUNTIME_FAILURE;
            }
        } else {
            System.out.print(result.yaml());
            System.out.flush();
        }
        err.println(input + ": converted " + result.profiles() + " profile(s) with " + result.endpoints() + " endpoint(s)"
                + (output == null ? "" : " to " + output));
        if (!result.notes().isEmpty()) {
            err.println("not carried over, or changed (" + result.notes().size() + "):");
            for (ImportNote note : result.notes()) {
                err.println("  " + note);
            }
        }
        if (zone == null) {
            err.println("the zone " + AzureImport.PLACEHOLDER_ZONE + " is a placeholder: edit zones[0] (and its nameservers),"
                    + " or import again with --zone NAME");
        }
        if (!problems.isEmpty()) {
            // The conversion is meant to always pass; if it does not, that is a bug here, not in the export.
            err.println("the converted configuration does not pass check-config (please report this):");
            problems.forEach(p -> err.println("  " + p));
            return WayfinderCommand.EXIT_RUNTIME_FAILURE;
        }
        return WayfinderCommand.EXIT_OK;
    }

    /** What check-config would say of the file (it names no data files, so parsing is the whole check). */
    private static List<ConfigError> check(String yaml) {
        try {
            ConfigLoader.reader().parse(yaml, Path.of("").toAbsolutePath());
            return List.of();
        } catch (ConfigException e) {
            return e.errors();
        }
    }
}
