package io.wayfinder.cli;

import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The {@code -o} option of the client commands that print their result in all three formats (a
 * picocli mixin), and the printing. A command whose {@code -o} says more declares its own.
 */
final class OutputOption {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default, for people), json or yaml (the API's representation, for scripts).")
    OutputFormat format;

    /** On stdout: {@code forPeople} for a table (ending its own lines), else the tree as JSON or YAML. */
    void print(JsonNode tree, String forPeople) {
        format.printResult(tree, forPeople, System.out);
    }
}
