package io.wayfinder.api;

import io.wayfinder.profile.WayfinderConfig.ApiSettings;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Bearer tokens: which of the configured tokens a request carries, if any. Tokens come from the
 * configuration being served, so an edit of {@code api.tokens} applies at the next request.
 *
 * <p>Comparison is constant-time: the presented token and each configured one are hashed
 * (SHA-256, so that their lengths do not show either) and compared with
 * {@link MessageDigest#isEqual}, and every configured token is compared, a match or not. Token
 * values are never logged nor put in an answer.
 */
final class TokenAuth {
    /** The tokens of one {@link ApiSettings}, hashed once. */
    private record Hashed(ApiSettings settings, List<byte[]> digests) {
    }

    private final Supplier<ApiSettings> settings;
    private volatile Hashed hashed;

    /** @param settings the {@code api} section being served (null when it was removed: then no token is valid) */
    TokenAuth(Supplier<ApiSettings> settings) {
        this.settings = settings;
    }

    /** The token an {@code Authorization: Bearer ...} header carries, or null when there is none or it is not valid. */
    ApiToken authenticate(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return null;
        }
        Hashed h = current();
        if (h == null) {
            return null;
        }
        byte[] given = sha256(authorization.substring(7).strip());
        ApiToken found = null;
        List<ApiToken> tokens = h.settings().tokens();
        for (int i = 0; i < tokens.size(); i++) {
            if (MessageDigest.isEqual(given, h.digests().get(i))) {
                found = tokens.get(i); // no early exit: the time does not say which token matched
            }
        }
        return found;
    }

    private Hashed current() {
        ApiSettings now = settings.get();
        if (now == null) {
            return null;
        }
        Hashed h = hashed;
        if (h == null || h.settings() != now) {
            List<byte[]> digests = new ArrayList<>();
            for (ApiToken t : now.tokens()) {
                digests.add(sha256(t.token()));
            }
            h = new Hashed(now, digests);
            hashed = h;
        }
        return h;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
