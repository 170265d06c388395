package io.wayfinder.profile.read;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.text.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A cursor over one mapping of a parsed YAML document. Every read names the key it wants, so that
 * {@link #rejectUnknownKeys()} can report, with a "did you mean", every key that nothing asked for;
 * every bad value is reported with its full path and reading goes on, so a user sees all errors.
 */
final class ConfigObject {
    private final JsonNode node;
    private final String path;
    private final ConfigErrors errors;
    private final Set<String> known = new LinkedHashSet<>();

    ConfigObject(JsonNode node, String path, ConfigErrors errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigErrors errors() {
        return errors;
    }

    boolean has(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    private JsonNode value(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    /** The value, or null when absent; a required value that is absent is reported. */
    private JsonNode value(String key, boolean required) {
        JsonNode value = value(key);
        if (value == null && required) {
            errors.add(pathOf(key), "is required");
        }
        return value;
    }

    /** A scalar as text (numbers and booleans included, as YAML users write {@code name: 1}); null if absent. */
    String string(String key, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isValueNode()) {
            errors.add(pathOf(key), "must be a single value, not " + describe(value));
            return null;
        }
        String text = value.asString().strip();
        if (text.isEmpty()) {
            errors.add(pathOf(key), "must not be empty");
            return null;
        }
        return text;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private static final Map<String, Boolean> STATUSES = new java.util.LinkedHashMap<>();

    static {
        STATUSES.put("Enabled", true);
        STATUSES.put("Disabled", false);
    }

    int integer(String key, int min, int max, int fallback) {
        Integer value = optionalInteger(key, min, max);
        return value == null ? fallback : value;
    }

    Integer optionalInteger(String key, int min, int max) {
        Long n = optionalLong(key, min, max);
        return n == null ? null : (int) (long) n;
    }

    long longInteger(String key, long min, long max, long fallback) {
        Long n = optionalLong(key, min, max);
        return n == null ? fallback : n;
    }

    /** A whole number within [min, max], or null when absent or wrong (the error is reported). */
    private Long optionalLong(String key, long min, long max) {
        JsonNode value = value(key);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            errors.add(pathOf(key), notAWholeNumber(value));
            return null;
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            errors.add(pathOf(key), "must be between " + min + " and " + max
                    + (value.canConvertToLong() ? ", not " + value.longValue() : ""));
            return null;
        }
        return value.longValue();
    }

    Double number(String key, double min, double max, boolean required) {
        JsonNode value = value(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            errors.add(pathOf(key), "must be a number, not " + describe(value));
            return null;
        }
        double n = value.doubleValue();
        if (!(n >= min && n <= max)) {
            errors.add(pathOf(key), "must be between " + min + " and " + max + ", not " + n);
            return null;
        }
        return n;
    }

    /**
     * A duration written with its unit: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 7d};
     * between {@code min} and {@code max}, or {@code fallback} when absent (or wrong: the error is reported).
     */
    Duration duration(String key, Duration min, Duration max, Duration fallback) {
        String text = string(key, false);
        if (text == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            errors.add(pathOf(key), "'" + text + "' is not a duration: write a whole number and a unit, as 500ms, 10s, 5m, 2h or 7d");
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            errors.add(pathOf(key), "must be between " + durationText(min) + " and " + durationText(max) + ", not " + text);
            return fallback;
        }
        return d;
    }

    /** A duration as a user would write it, in the largest unit that keeps it whole. */
    static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** One of a fixed set of words, matched case-insensitively; the canonical spelling is returned. */
    <E> E choice(String key, Map<String, E> options, E fallback) {
        String text = string(key, false);
        if (text == null) {
            return fallback;
        }
        for (Map.Entry<String, E> option : options.entrySet()) {
            if (option.getKey().equalsIgnoreCase(text)) {
                return option.getValue();
            }
        }
        errors.add(pathOf(key), "'" + text + "' is not one of " + String.join(", ", options.keySet())
                + Suggestions.didYouMean(text, options.keySet()));
        return fallback;
    }

    /** A YAML boolean ({@code true}/{@code false}). */
    boolean bool(String key, boolean fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            errors.add(pathOf(key), "must be true or false, not " + describe(value));
            return fallback;
        }
        return value.booleanValue();
    }

    /** {@code Enabled} or {@code Disabled}, as Azure spells statuses. */
    boolean enabled(String key, boolean fallback) {
        return choice(key, STATUSES, fallback);
    }

    /** A nested mapping, or null (reported) when it is something else; null without error when absent. */
    ConfigObject object(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(pathOf(key), "must be a mapping of keys to values, not " + describe(value));
            return null;
        }
        return new ConfigObject(value, pathOf(key), errors);
    }

    /** The list under a key; null when absent, or when it is something else (reported). */
    private JsonNode list(String key) {
        JsonNode value = value(key);
        if (value != null && !value.isArray()) {
            errors.add(pathOf(key), "must be a list, not " + describe(value));
            return null;
        }
        return value;
    }

    /** A list of mappings; an absent key is an empty list. */
    List<ConfigObject> objects(String key) {
        List<ConfigObject> out = new ArrayList<>();
        JsonNode value = list(key);
        if (value == null) {
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String itemPath = pathOf(key) + "[" + i + "]";
            if (!item.isObject()) {
                errors.add(itemPath, "must be a mapping of keys to values, not " + describe(item));
                out.add(null);
            } else {
                out.add(new ConfigObject(item, itemPath, errors));
            }
        }
        return out;
    }

    /** A list of scalars; a single scalar is taken as a list of one. An absent key is an empty list. */
    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        JsonNode value = value(key);
        if (value == null) {
            return out;
        }
        if (value.isValueNode()) {
            out.add(value.asString().strip());
            return out;
        }
        if (!value.isArray()) {
            errors.add(pathOf(key), "must be a list of values, not " + describe(value));
            return out;
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isValueNode() || item.isNull()) {
                errors.add(pathOf(key) + "[" + i + "]", "must be a single value, not " + describe(item));
            } else {
                out.add(item.asString().strip());
            }
        }
        return out;
    }

    /** The raw list items under a key (for lists that mix scalars and mappings); empty when absent. */
    List<JsonNode> items(String key) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode value = list(key);
        if (value != null) {
            value.values().forEach(out::add);
        }
        return out;
    }

    /** Every key of this mapping, in the order written (a mapping whose keys are data, such as region names); all count as read. */
    List<String> keys() {
        List<String> out = new ArrayList<>();
        for (String key : node.propertyNames()) {
            known.add(key);
            out.add(key);
        }
        return out;
    }

    /** Accepts, without reading them, keys that start with this prefix (a place to put YAML anchors). */
    void ignoreKeysStartingWith(String prefix) {
        for (String key : node.propertyNames()) {
            if (key.startsWith(prefix)) {
                known.add(key);
            }
        }
    }

    /** Accepts these keys without reading them (fields that are output only). */
    void ignoreKeys(List<String> keys) {
        known.addAll(keys);
    }

    /** Reports every key of this mapping that no read asked for. Call after all reads. */
    void rejectUnknownKeys() {
        for (String key : node.propertyNames()) {
            if (!known.contains(key)) {
                errors.add(pathOf(key), "unknown key" + Suggestions.didYouMean(key, known));
            }
        }
    }

    private static String notAWholeNumber(JsonNode value) {
        String hint = value.isString() && value.asString().strip().matches("-?\\d+") ? " (write it without quotes)" : "";
        return "must be a whole number, not " + describe(value) + hint;
    }

    /** Whether an error was already reported at this path or below it (to avoid piling up follow-on errors). */
    boolean hasErrorAt(String key) {
        return errors.hasErrorAt(pathOf(key));
    }

    static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isString()) {
            return "'" + value.asString() + "'";
        }
        return value.asString().toLowerCase(Locale.ROOT);
    }
}
