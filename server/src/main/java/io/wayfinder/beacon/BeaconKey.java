package io.wayfinder.beacon;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An application key: it names a site that includes the beacon, and the origins its pages are
 * served from (the only ones whose browsers may post with it). It is public (it sits in the site's
 * pages), so it proves nothing about who posts: it scopes what is accepted and lets an operator
 * revoke one site's beacon without touching the others.
 *
 * @param key           the key, {@code rum_} and 26 base32 characters (130 random bits)
 * @param name          what the operator calls the site, 1-64 characters
 * @param origins       {@code scheme://host[:port]} each, lower case, default port left out; or the
 *                      single {@code *} for any origin (and requests without one)
 * @param createdMillis when it was created, Unix epoch milliseconds
 * @param createdBy     the API token that created it
 * @param revokedMillis when it was revoked, or 0 while it is valid
 * @param revokedBy     the API token that revoked it, or null
 */
public record BeaconKey(String key, String name, List<String> origins, long createdMillis, String createdBy,
                        long revokedMillis, String revokedBy) {
    public static final String ANY_ORIGIN = "*";
    private static final Pattern KEY = Pattern.compile("rum_[a-z2-7]{26}");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public BeaconKey {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key: '" + key + "' is not a beacon key (rum_ and 26 letters a-z, 2-7)");
        }
        name = checkName(name);
        origins = List.copyOf(origins);
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("origins: at least one (https://shop.example.com), or \"*\" for any");
        }
    }

    /** A new key, valid from now. */
    public static BeaconKey create(String name, List<String> origins, long nowMillis, String actor) {
        return new BeaconKey(newKey(), name, normalizeOrigins(origins), nowMillis, actor, 0, null);
    }

    /** The same key, revoked. */
    public BeaconKey revoke(long nowMillis, String actor) {
        return new BeaconKey(key, name, origins, createdMillis, createdBy, nowMillis, actor);
    }

    public boolean revoked() {
        return revokedMillis != 0;
    }

    /** Whether a request with this {@code Origin} header (null when it has none) may post with the key. */
    public boolean allows(String origin) {
        if (origins.contains(ANY_ORIGIN)) {
            return true;
        }
        if (origin == null) {
            return false; // browsers send Origin with every POST; without one it is not a page of the site
        }
        String normal;
        try {
            normal = normalizeOrigin(origin);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return origins.contains(normal);
    }

    /** Whether text has the form of a key (before any lookup). */
    public static boolean looksLikeKey(String text) {
        return text != null && KEY.matcher(text).matches();
    }

    static String newKey() {
        byte[] random = new byte[17];
        RANDOM.nextBytes(random);
        StringBuilder out = new StringBuilder("rum_");
        long bits = 0;
        int held = 0;
        int i = 0;
        while (out.length() < 4 + 26) {
            if (held < 5) {
                bits = bits << 8 | (random[i++] & 0xFF);
                held += 8;
            }
            out.append(BASE32[(int) (bits >>> (held - 5)) & 31]);
            held -= 5;
        }
        return out.toString();
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: is required (what you call the site: shop, docs)");
        }
        String n = name.strip();
        if (n.length() > 64 || n.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("name: 1-64 characters, no control characters");
        }
        return n;
    }

    /**
     * Each origin in its normal form; {@code *} must stand alone.
     *
     * @throws IllegalArgumentException naming the origin ({@code origins[1]: ...})
     */
    public static List<String> normalizeOrigins(List<String> origins) {
        if (origins == null || origins.isEmpty()) {
            throw new IllegalArgumentException("origins: at least one (https://shop.example.com), or \"*\" for any");
        }
        if (origins.size() > 100) {
            throw new IllegalArgumentException("origins: at most 100");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < origins.size(); i++) {
            String o = origins.get(i);
            if (ANY_ORIGIN.equals(o == null ? null : o.strip())) {
                if (origins.size() > 1) {
                    throw new IllegalArgumentException("origins[" + i + "]: \"*\" (any origin) must be the only one");
                }
                out.add(ANY_ORIGIN);
                continue;
            }
            try {
                String n = normalizeOrigin(o);
                if (!out.contains(n)) {
                    out.add(n);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("origins[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * An origin as browsers send it: {@code scheme://host[:port]}, lower case, without the scheme's
     * default port, without a path.
     */
    public static String normalizeOrigin(String origin) {
        if (origin == null) {
            throw new IllegalArgumentException("is required");
        }
        URI uri;
        try {
            uri = new URI(origin.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + origin + "' is not an origin (https://shop.example.com)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("'" + origin + "' is not an origin: scheme://host[:port], http or https,"
                    + " no path (https://shop.example.com)");
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
