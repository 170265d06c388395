package io.wayfinder.cli;

import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * A command that sends the one profile of a file ({@code -f}) and prints what the server made of it
 * ({@code -o}): {@code profile create} and {@code profile update}.
 */
abstract class ProfileFileCommand extends ClientCommand {

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The profile; - reads stdin.")
    String file;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or yaml (the profile as the server stored it).")
    OutputFormat output;

    /** The file's one profile, checked before it is sent. */
    final ObjectNode profile() throws ApiClient.Failure {
        return ProfileDocuments.single(ProfileDocuments.read(file), file);
    }

    /** The confirmation line for people, or the profile as the server answered it. */
    final void print(ApiClient.Response written, String line) {
        output.printResult(written.body(), line + "\n", System.out);
    }
}
