package io.wayfinder.cli;

import io.wayfinder.profile.write.ProfileWriter;
import java.io.PrintStream;
import tools.jackson.databind.JsonNode;

/**
 * How a command that talks to the API prints its result ({@code -o}): a table (or a few lines) for
 * people, or the API's JSON, as JSON or as YAML, for scripts. The JSON is the API's representation,
 * so a script reads the same fields whether it calls the API or the command.
 */
enum OutputFormat {
    table, json, yaml;

    /** Prints a tree as this format's text (JSON indented; YAML as a configuration file writes it). */
    static void print(JsonNode tree, OutputFormat format, PrintStream out) {
        if (format == yaml) {
            out.print(ProfileWriter.yaml(tree));
        } else {
            out.println(ProfileWriter.prettyJson(tree));
        }
        out.flush();
    }

    /**
     * Prints a command's result in this format: {@code forPeople} for a table (the text as it is, ending
     * its own lines), else {@code tree} as JSON or YAML.
     */
    void printResult(JsonNode tree, String forPeople, PrintStream out) {
        if (this == table) {
            out.print(forPeople);
            out.flush();
        } else {
            print(tree, this, out);
        }
    }
}
