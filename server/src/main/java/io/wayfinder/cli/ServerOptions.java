package io.wayfinder.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Which running server a command asks, and with which token: {@code --server URL} and
 * {@code --token TOKEN}, or the environment variables {@value #SERVER_VARIABLE} and
 * {@value #TOKEN_VARIABLE}. An option given on the command line wins over its variable.
 *
 * <p>The token is a password: it is sent in the Authorization header and nowhere else, never
 * printed, never logged, never part of a message (an error names the server's URL, not the token).
 */
final class ServerOptions {
    static final String SERVER_VARIABLE = "WAYFINDER_SERVER";
    static final String TOKEN_VARIABLE = "WAYFINDER_TOKEN";

    @Option(names = {"-s", "--server"}, paramLabel = "URL",
            description = "The running server's API (its api.listen), as http://127.0.0.1:8080 or 127.0.0.1:8080."
                    + " Default: the environment variable " + SERVER_VARIABLE + ".")
    String server;

    @Option(names = {"-t", "--token"}, paramLabel = "TOKEN",
            description = "A token of the server's api.tokens (a writer's to change profiles). Default: the environment"
                    + " variable " + TOKEN_VARIABLE + ", which, unlike an option, other users cannot read in the process list.")
    String token;

    /** The server's URL given on the command line or in the environment, or null. */
    String serverOrNull() {
        String s = server != null ? server : System.getenv(SERVER_VARIABLE);
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Whether a server was named (a command that can also read a file asks the server then). */
    boolean named() {
        return serverOrNull() != null;
    }

    /** A client of the server named, or a usage error saying how to name one. */
    ApiClient client() throws ApiClient.Failure {
        String s = serverOrNull();
        if (s == null) {
            throw ApiClient.Failure.usage("Missing the server: --server URL or the environment variable " + SERVER_VARIABLE
                    + " (the server's api.listen, as http://127.0.0.1:8080)");
        }
        return new ApiClient(base(s), tokenOrNull());
    }

    /** The token given on the command line or in the environment, or null. */
    String tokenOrNull() {
        String t = token != null ? token : System.getenv(TOKEN_VARIABLE);
        return t == null || t.isBlank() ? null : t.strip();
    }

    /** {@code http://host:port} from what was given; a bare {@code host:port} is taken as http. */
    static URI base(String given) throws ApiClient.Failure {
        String text = given.contains("://") ? given : "http://" + given;
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new URISyntaxException(given, "not an http:// or https:// URL with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                throw new URISyntaxException(given, "a server URL has no user, query or fragment");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw ApiClient.Failure.usage("--server " + given + ": " + e.getReason()
                    + " (the server's api.listen, as http://127.0.0.1:8080)");
        }
    }
}
