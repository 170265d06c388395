package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.profile.WayfinderConfig.ApiToken;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code api} and {@code storage} sections: where the management API listens, the bearer
 * tokens it accepts, and the directory of the store that holds the profiles when it is on.
 */
final class ApiReader {
    /** Shorter secrets can be guessed; 16 characters of a random token is 80 bits or more. */
    static final int MIN_TOKEN_LENGTH = 16;
    /** The store's directory when {@code storage.dir} is not set: beside the configuration file. */
    static final String DEFAULT_STORAGE_DIR = "data";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Map<String, ApiToken.Role> ROLES = new LinkedHashMap<>();

    static {
        for (ApiToken.Role r : ApiToken.Role.values()) {
            ROLES.put(r.name(), r);
        }
    }

    private ApiReader() {
    }

    /**
     * @param environment looks up {@code ${VAR}} in token values (System::getenv outside tests)
     */
    static WayfinderConfig.ApiSettings api(ConfigObject api, Function<String, String> environment) {
        if (api == null) {
            return null;
        }
        ConfigErrors errors = api.errors();
        ListenAddress listen = null;
        String text = api.string("listen", true);
        if (text != null) {
            try {
                listen = ListenAddress.parse(text);
            } catch (IllegalArgumentException e) {
                errors.add(api.pathOf("listen"), e.getMessage());
            }
        }
        List<ApiToken> tokens = new ArrayList<>();
        List<ConfigObject> items = api.objects("tokens");
        if (items.isEmpty() && !api.hasErrorAt("tokens")) {
            errors.add(api.pathOf("tokens"), "is required: at least one {name, token, role}; without a token nobody can use the API");
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> values = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            ConfigObject t = items.get(i);
            if (t == null) {
                continue;
            }
            String name = t.string("name", true);
            String token = secret(t, environment);
            ApiToken.Role role = t.choice("role", ROLES, null);
            if (role == null && !t.has("role")) {
                errors.add(t.pathOf("role"), "is required: reader (reads), writer (also changes profiles) or measurer"
                        + " (only posts latency measurements)");
            }
            t.rejectUnknownKeys();
            if (name != null) {
                Integer before = names.putIfAbsent(name, i);
                if (before != null) {
                    errors.add(t.pathOf("name"), "token name '" + name + "' is already used by tokens[" + before + "]");
                }
            }
            if (token != null) {
                Integer before = values.putIfAbsent(token, i);
                if (before != null) {
                    // Never the value itself: error messages are logged.
                    errors.add(t.pathOf("token"), "is the same secret as tokens[" + before + "]; each name needs its own,"
                            + " or the audit log cannot tell who wrote");
                }
            }
            if (name != null && token != null && role != null) {
                tokens.add(new ApiToken(name, token, role));
            }
        }
        api.rejectUnknownKeys();
        return listen == null ? null : new WayfinderConfig.ApiSettings(listen, tokens);
    }

    /** A token's value: literal, or {@code ${VAR}}, the value of an environment variable. Never echoed in an error. */
    private static String secret(ConfigObject t, Function<String, String> environment) {
        String raw = t.string("token", true);
        if (raw == null) {
            return null;
        }
        String value = raw;
        Matcher m = VARIABLE.matcher(raw);
        if (m.matches()) {
            value = environment.apply(m.group(1));
            if (value == null || value.isBlank()) {
                t.errors().add(t.pathOf("token"), "environment variable " + m.group(1) + " is not set");
                return null;
            }
            value = value.strip();
        } else if (raw.contains("${")) {
            t.errors().add(t.pathOf("token"), "write either a literal token or ${VARIABLE} alone");
            return null;
        }
        if (value.length() < MIN_TOKEN_LENGTH) {
            t.errors().add(t.pathOf("token"), "is " + value.length() + " characters; a token needs at least " + MIN_TOKEN_LENGTH
                    + " (for example: openssl rand -hex 24)");
            return null;
        }
        if (value.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            t.errors().add(t.pathOf("token"), "may hold only visible ASCII characters (it is sent in an HTTP header)");
            return null;
        }
        return value;
    }

    /** {@code storage}: only with {@code api} (the store holds profiles only then). */
    static WayfinderConfig.StorageSettings storage(ConfigObject storage, boolean apiOn, Path base, ConfigErrors errors) {
        Path dir = Path.of(DEFAULT_STORAGE_DIR);
        if (storage != null) {
            String text = storage.string("dir", false);
            storage.rejectUnknownKeys();
            if (!apiOn) {
                errors.add(storage.path(), "applies only with api: (without it the file holds the profiles and nothing is stored)");
                return null;
            }
            if (text != null) {
                dir = Path.of(text);
            }
        }
        if (!apiOn) {
            return null;
        }
        return new WayfinderConfig.StorageSettings(base == null || dir.isAbsolute() ? dir : base.resolve(dir).normalize());
    }
}
