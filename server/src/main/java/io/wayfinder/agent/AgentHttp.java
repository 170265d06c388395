package io.wayfinder.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two requests the agent makes, over {@link HttpClient}: a GET and a POST to the server's API
 * with the bearer token, each answering JSON. Redirects are not followed, so the token goes to the
 * server named and nowhere else; no message ever quotes the token.
 */
final class AgentHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A batch of 100,000 samples is a few megabytes, read and checked in well under this. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http;

    AgentHttp(URI base, String token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * A request that failed. {@code refused} is true when the server answered 4xx: the agent's
     * settings are wrong (the token, the region) and asking again will not help.
     */
    static final class Failure extends IOException {
        final boolean refused;

        Failure(String message, boolean refused) {
            super(message);
            this.refused = refused;
        }
    }

    URI base() {
        return base;
    }

    JsonNode get(String pathAndQuery) throws Failure, InterruptedException {
        return send(request(pathAndQuery).GET().build(), "GET " + pathAndQuery);
    }

    JsonNode post(String pathAndQuery, String body, String contentType) throws Failure, InterruptedException {
        return send(request(pathAndQuery).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), "POST " + pathAndQuery);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json").header("User-Agent", "wayfinder-agent");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest request, String what) throws Failure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failure(what + ": cannot reach the server at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), false);
        }
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300 && body != null) {
            return body;
        }
        String message = body != null && body.path("message").isString() ? body.path("message").asString()
                : "the answer is not a Wayfinder API's";
        StringBuilder text = new StringBuilder(what + ": " + status + ": " + message);
        if (body != null) {
            for (JsonNode e : body.path("errors")) {
                text.append("; ").append(e.path("path").asString()).append(": ").append(e.path("message").asString());
            }
        }
        throw new Failure(text.toString(), status >= 400 && status < 500 && status != 429);
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
}
