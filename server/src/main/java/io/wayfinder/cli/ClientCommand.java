package io.wayfinder.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that asks the management API of a running server ({@code --server}, {@code --token}):
 * it runs against an {@link ApiClient}, and a failure prints its lines on stderr and returns its
 * exit code (1 for a server that cannot be reached or fails, 2 for what the API refused).
 */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Override
    public final Integer call() {
        try {
            return run(server.client());
        } catch (ApiClient.Failure f) {
            System.out.flush();
            f.print(System.err);
            return f.exitCode();
        }
    }

    /** The command, against the server named; returns the exit code. */
    abstract int run(ApiClient api) throws ApiClient.Failure;
}
