package io.wayfinder.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The management API over {@link HttpClient}: one request, its answer as JSON, and every failure
 * turned into what the command prints and the exit code it returns.
 *
 * <pre>
 *   2xx                      -> Response (status, the ETag's version, the JSON body or null)
 *   4xx (400, 401, 403,      -> Failure, exit 2: the API's message, then each error of its body
 *        404, 412, ...)         on a line of its own, with its profile and field path
 *   5xx, other statuses      -> Failure, exit 1
 *   unreachable, no answer   -> Failure, exit 1, naming the URL (never the token)
 * </pre>
 *
 * Redirects are not followed, so the token goes to the server named and nowhere else.
 */
final class ApiClient {
    static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    /** A server on loopback or a management network answers within milliseconds; this is for a dead one. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A write waits for the store's durable commit and the control path; seconds at worst. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http;

    /** @param token the bearer token, or null to send none */
    ApiClient(URI base, String token) throws Failure {
        if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // The message must not quote it: it is a password.
            throw Failure.usage("the token has characters no token of api.tokens has (they are visible ASCII)");
        }
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** An answer: its status, the version its ETag names (null without one), its JSON body (null when empty). */
    record Response(int status, Long version, JsonNode body) {
    }

    /**
     * A request that did not succeed: the lines to print on stderr and the exit code (see
     * {@link WayfinderCommand}). {@code status} is the HTTP status, 0 when there was no answer.
     */
    static final class Failure extends Exception {
        private final int exitCode;
        private final int status;
        private final List<String> lines;

        Failure(int exitCode, int status, List<String> lines) {
            super(lines.isEmpty() ? "" : lines.get(0), null, false, false);
            this.exitCode = exitCode;
            this.status = status;
            this.lines = List.copyOf(lines);
        }

        /** Invalid input, found before asking: exit 2. */
        static Failure usage(String message) {
            return new Failure(WayfinderCommand.EXIT_INVALID_INPUT, 0, List.of(message));
        }

        /** A runtime failure: exit 1. */
        static Failure runtime(String message) {
            return new Failure(WayfinderCommand.EXIT_RUNTIME_FAILURE, 0, List.of(message));
        }

        int exitCode() {
            return exitCode;
        }

        int status() {
            return status;
        }

        List<String> lines() {
            return lines;
        }

        /** The same failure with one more line: what to do about it. */
        Failure hint(String hint) {
            List<String> more = new ArrayList<>(lines);
            more.add(hint);
            return new Failure(exitCode, status, more);
        }

        void print(PrintStream err) {
            lines.forEach(err::println);
        }
    }

    /** {@code /api/v1/profiles/NAME/...}: each segment percent-encoded. */
    static String path(String... segments) {
        StringBuilder out = new StringBuilder("/api/v1");
        for (String s : segments) {
            out.append('/').append(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /** {@code ?name=value&...} of the pairs whose value is not null, percent-encoded; "" when none. */
    static String query(String... pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.append(out.length() == 0 ? '?' : '&').append(pairs[i]).append('=')
                        .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    URI base() {
        return base;
    }

    Response get(String path) throws Failure {
        return send("GET", path, null, null, Map.of());
    }

    /**
     * One request.
     *
     * @param body        the JSON to send, or null
     * @param contentType the body's media type ({@link #JSON}, {@link #MERGE_PATCH})
     * @param headers     more headers ({@code If-Match})
     */
    Response send(String method, String path, JsonNode body, String contentType, Map<String, String> headers) throws Failure {
        return send(method, path, body == null ? null : MAPPER.writeValueAsString(body), contentType, headers, REQUEST_TIMEOUT);
    }

    /**
     * One request with a body of text already written ({@code application/x-ndjson} batches) and a
     * timeout of its own (a rebuild of the learned table takes longer than a write).
     */
    Response send(String method, String path, String body, String contentType, Map<String, String> headers,
                  Duration timeout) throws Failure {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", JSON)
                .header("User-Agent", "wayfinder-cli");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", contentType);
            request.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw Failure.runtime(method + " " + base + path + ": no answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw unreachable("connection refused");
        } catch (IOException e) {
            throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.runtime(method + " " + base + path + ": interrupted");
        }
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            if (json == null && !response.body().isBlank()) {
                throw Failure.runtime(method + " " + base + path + ": the answer is not JSON; is " + base
                        + " a Wayfinder API (api.listen)?");
            }
            return new Response(status, version(response.headers().firstValue("ETag").orElse(null)), json);
        }
        throw failure(method, path, status, json);
    }

    private Failure unreachable(String why) {
        return Failure.runtime("cannot reach the server at " + base + ": " + why
                + " (is it running, with api: set? --server or " + ServerOptions.SERVER_VARIABLE + " names its api.listen)");
    }

    /** The API's error body as lines: its status and message, then each error with its profile and path. */
    private Failure failure(String method, String path, int status, JsonNode body) {
        List<String> lines = new ArrayList<>();
        String reason = body != null && body.path("error").isString() ? body.path("error").asString() : "HTTP";
        String message = body != null && body.path("message").isString() ? body.path("message").asString()
                : "the answer is not a Wayfinder API error; is " + base + " a Wayfinder API (api.listen)?";
        lines.add(method + " " + path + ": " + status + " " + reason + ": " + message);
        if (body != null) {
            for (JsonNode e : body.path("errors")) {
                lines.add("  " + errorLine(e));
            }
        }
        if (status == 401) {
            lines.add("give a token of the server's api.tokens: --token TOKEN or the environment variable "
                    + ServerOptions.TOKEN_VARIABLE);
        }
        int exit = status >= 400 && status < 500 ? WayfinderCommand.EXIT_INVALID_INPUT : WayfinderCommand.EXIT_RUNTIME_FAILURE;
        return new Failure(exit, status, lines);
    }

    /** {@code profile web, endpoints[1].target: is required}; without a profile, {@code client: ...}. */
    static String errorLine(JsonNode e) {
        String profile = e.path("profile").isString() ? e.path("profile").asString() : null;
        String path = e.path("path").asString();
        String where = profile == null ? path : path.isEmpty() ? "profile " + profile : "profile " + profile + ", " + path;
        return where.isEmpty() ? e.path("message").asString() : where + ": " + e.path("message").asString();
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** {@code "4"} is version 4; a weak or foreign tag is none. */
    static Long version(String etag) {
        if (etag == null || !etag.startsWith("\"") || !etag.endsWith("\"") || etag.length() < 3) {
            return null;
        }
        try {
            return Long.parseLong(etag.substring(1, etag.length() - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The header that makes a write apply only to the version read. */
    static Map<String, String> ifMatch(long version) {
        return Map.of("If-Match", "\"" + version + "\"");
    }
}
