package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.control.ProfileWrites;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.read.ProfileTreeReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Request bodies and the headers about them: the content type (415 unless JSON, or a merge patch
 * for PATCH), the size (413 beyond {@value #MAX_BYTES} bytes, counted as they arrive, whatever
 * Content-Length says), the JSON itself (400), and the {@code If-Match} / {@code If-None-Match}
 * preconditions.
 */
final class RequestBodies {
    /** 1 MiB: a profile with a thousand endpoints is a tenth of it. */
    static final int MAX_BYTES = 1024 * 1024;
    /** What is read and dropped of a body that is too large, so that its sender still gets the 413. */
    static final long DRAIN_BYTES = 8L * MAX_BYTES;
    static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";

    private RequestBodies() {
    }

    /** The body as a JSON tree, after the checks above; {@code types} are the media types accepted. */
    static JsonNode json(Context ctx, Set<String> types) {
        String type = ctx.header("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!types.contains(media)) {
            throw new ApiException(415, (type == null ? "no Content-Type" : "Content-Type " + type) + "; send "
                    + String.join(" or ", types));
        }
        String text = text(ctx, MAX_BYTES, DRAIN_BYTES, RequestBodies::tooLarge);
        try {
            return ProfileTreeReader.parseJson(text);
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.getMessage(), errors(null, e));
        }
    }

    /**
     * The body as text, at most {@code maxBytes}, by its Content-Length or as it arrives. Over that,
     * {@code tooLarge}'s exception: before any read when the client awaits "100 Continue" (so that
     * it is never invited to send it), else after reading and dropping up to {@code drainBytes} of
     * what is still coming ({@link #drain}). A body that cannot be read: {@link #unreadable}.
     */
    static String text(Context ctx, int maxBytes, long drainBytes, Supplier<ApiException> tooLarge) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes && awaitsContinue(ctx)) {
            throw tooLarge.get();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            boolean over = declared > maxBytes;
            byte[] chunk = new byte[8192];
            for (int n; !over && (n = in.read(chunk)) >= 0; ) {
                buffer.write(chunk, 0, n);
                over = buffer.size() > maxBytes;
            }
            if (over) {
                drain(in, drainBytes);
                throw tooLarge.get();
            }
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    /**
     * A body that could not be read: 408 when it stopped or came too slowly (a timeout: Jetty's idle
     * timeout, or {@link BodyReadLimit}'s pace), 503 when too many bodies were being read
     * ({@link BodyReadLimit}), both closing the connection, since the rest of the body may still be
     * on its way; else 400 (the client went away, or sent a broken chunk).
     */
    static ApiException unreadable(Exception e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return new ApiException(408, "the body did not arrive in time: " + t.getMessage(), List.of(),
                        Map.of("Connection", "close"));
            }
            if (t instanceof BodyReadLimit.Busy) {
                return new ApiException(503, t.getMessage(), List.of(), Map.of("Connection", "close", "Retry-After", "1"));
            }
        }
        return new ApiException(400, "the body could not be read: " + e.getMessage());
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "the body is larger than " + MAX_BYTES + " bytes (1 MiB)", List.of(),
                Map.of("Connection", "close"));
    }

    /**
     * Whether the client waits for "100 Continue" before it sends its body: then it has sent none,
     * and a body that is refused by its Content-Length is refused before it is invited (the server
     * sends "100 Continue" at the first read of the body, so the check comes before any).
     */
    static boolean awaitsContinue(Context ctx) {
        String expect = ctx.header("Expect");
        return expect != null && expect.strip().equalsIgnoreCase("100-continue");
    }

    /**
     * Reads and drops what the client is still sending of a body that is refused, up to {@code limit}
     * bytes, before the 413 closes the connection: a client that has not finished sending when the
     * connection closes gets a reset instead of the answer. Beyond the limit the connection is closed
     * all the same.
     */
    static void drain(InputStream in, long limit) {
        try {
            byte[] chunk = new byte[8192];
            long left = limit;
            for (int n = in.read(chunk); n >= 0 && left > 0; n = in.read(chunk)) {
                left -= n;
            }
        } catch (IOException ignored) {
            // the client went away: nothing to answer
        }
    }

    static List<ProfileWrites.FieldError> errors(String profile, ConfigException e) {
        List<ProfileWrites.FieldError> out = new ArrayList<>();
        for (ConfigError error : e.errors()) {
            out.add(new ProfileWrites.FieldError(profile, error.path(), error.message()));
        }
        return out;
    }

    /** The entity tag of a version: a strong tag, the version's number. */
    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /**
     * {@code If-Match} (a list of tags, or {@code *}) and {@code If-None-Match: *}. A weak tag never
     * matches (RFC 9110: If-Match compares strongly); a tag that is not one of ours matches nothing.
     */
    static ProfileWrites.Precondition precondition(Context ctx) {
        String ifMatch = ctx.header("If-Match");
        String ifNoneMatch = ctx.header("If-None-Match");
        boolean mustNotExist = false;
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.strip().equals("*")) {
                throw new ApiException(400, "If-None-Match on a write may only be * (create, never replace)");
            }
            mustNotExist = true;
        }
        if (ifMatch == null) {
            return new ProfileWrites.Precondition(false, Set.of(), mustNotExist);
        }
        if (ifMatch.strip().equals("*")) {
            return new ProfileWrites.Precondition(true, Set.of(), mustNotExist);
        }
        Set<Long> versions = new LinkedHashSet<>();
        for (String tag : ifMatch.split(",")) {
            String t = tag.strip();
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                try {
                    versions.add(Long.parseLong(t.substring(1, t.length() - 1)));
                } catch (NumberFormatException e) {
                    // not a tag this server made: matches nothing
                }
            }
        }
        if (versions.isEmpty()) {
            versions.add(-1L); // matches no version: 412
        }
        return new ProfileWrites.Precondition(true, versions, mustNotExist);
    }
}
