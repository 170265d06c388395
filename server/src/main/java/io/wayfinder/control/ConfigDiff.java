package io.wayfinder.control;

import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a new configuration changes, in the words of the file: sections changed, profiles and
 * endpoints added or removed, and each field that differs with its old and new value
 * ({@code profile music: endpoint us: endpointStatus Enabled -> Disabled}). Fields are compared
 * through the model's record components, so a field added to the model is covered without a line here.
 * The log, the API's events and audit log, and {@code apply --dry-run} all say what changed in these words.
 */
public final class ConfigDiff {
    /** Model components (by record and component) whose name in the file differs. */
    private static final Map<String, String> FILE_NAMES = Map.of(
            "ProfileConfig.enabled", "profileStatus", "ProfileConfig.relativeName", "dnsConfig.relativeName",
            "ProfileConfig.ttl", "dnsConfig.ttl", "ProfileConfig.monitor", "monitorConfig",
            "EndpointConfig.enabled", "endpointStatus", "EndpointConfig.location", "endpointLocation",
            "MonitorConfig.timeoutMillis", "timeoutInSeconds");
    /** Components that are compared on their own terms, not as fields. */
    private static final Set<String> SKIPPED = Set.of("endpoints", "fallback", "name");

    private ConfigDiff() {
    }

    static List<String> between(WayfinderConfig before, WayfinderConfig after) {
        List<String> out = new ArrayList<>();
        section(out, "dns", before.dns(), after.dns());
        section(out, "metrics", before.metricsListen(), after.metricsListen());
        section(out, "zones", before.zones(), after.zones());
        section(out, "regions", before.regions(), after.regions());
        section(out, "geolocation", before.geolocation(), after.geolocation());
        section(out, "latency", before.latency(), after.latency());
        section(out, "reload", before.reload(), after.reload());
        section(out, "api", before.api(), after.api()); // names the section only: never a token
        section(out, "storage", before.storage(), after.storage());
        out.addAll(profiles(before.profiles(), after.profiles()));
        return out;
    }

    /**
     * What changes from one list of profiles to another (matched by name, ignoring case): profiles
     * removed, then added or changed in the order of {@code after}, each field that differs on its own line.
     */
    public static List<String> profiles(List<ProfileConfig> before, List<ProfileConfig> after) {
        List<String> out = new ArrayList<>();
        Map<String, ProfileConfig> old = byName(before);
        Map<String, ProfileConfig> now = byName(after);
        for (Map.Entry<String, ProfileConfig> e : old.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                out.add("profile " + e.getValue().name() + " removed");
            }
        }
        for (Map.Entry<String, ProfileConfig> e : now.entrySet()) {
            ProfileConfig was = old.get(e.getKey());
            String name = e.getValue().name();
            if (was == null) {
                out.add("profile " + name + " added");
            } else if (!was.equals(e.getValue())) {
                profile(out, "profile " + name + ": ", was, e.getValue());
            }
        }
        return out;
    }

    private static void section(List<String> out, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            out.add(name + " changed");
        }
    }

    private static void profile(List<String> out, String prefix, ProfileConfig before, ProfileConfig after) {
        fields(out, prefix, "", before, after);
        Map<String, EndpointConfig> old = endpointsByName(before.endpoints());
        Map<String, EndpointConfig> now = endpointsByName(after.endpoints());
        for (Map.Entry<String, EndpointConfig> e : old.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                out.add(prefix + "endpoint " + e.getValue().name() + " removed");
            }
        }
        for (Map.Entry<String, EndpointConfig> e : now.entrySet()) {
            EndpointConfig was = old.get(e.getKey());
            if (was == null) {
                out.add(prefix + "endpoint " + e.getValue().name() + " added");
            } else {
                fields(out, prefix + "endpoint " + e.getValue().name() + ": ", "", was, e.getValue());
            }
        }
        if (before.fallback() == null && after.fallback() != null) {
            out.add(prefix + "fallback " + after.fallback().name() + " added");
        } else if (before.fallback() != null && after.fallback() == null) {
            out.add(prefix + "fallback " + before.fallback().name() + " removed");
        } else if (before.fallback() != null) {
            fields(out, prefix + "fallback: ", "", before.fallback(), after.fallback());
        }
    }

    /** One line per differing component of two records of the same type; nested records by their own components. */
    private static void fields(List<String> out, String prefix, String path, Record before, Record after) {
        for (RecordComponent c : before.getClass().getRecordComponents()) {
            if (path.isEmpty() && SKIPPED.contains(c.getName())) {
                continue;
            }
            Object a = value(c, before);
            Object b = value(c, after);
            if (Objects.equals(a, b)) {
                continue;
            }
            String field = path + FILE_NAMES.getOrDefault(before.getClass().getSimpleName() + "." + c.getName(), c.getName());
            if (a instanceof Record ra && b instanceof Record rb) {
                fields(out, prefix, field + ".", ra, rb);
            } else {
                out.add(prefix + field + " " + text(a, c.getName()) + " -> " + text(b, c.getName()));
            }
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    private static String text(Object value, String component) {
        if (value == null) {
            return "(not set)";
        }
        if (value instanceof Boolean b && (component.equals("enabled") || component.equals("alwaysServe"))) {
            return b ? "Enabled" : "Disabled";
        }
        if (component.equals("timeoutMillis")) {
            return ((Integer) value) / 1000.0 + "";
        }
        return value.toString();
    }

    private static Map<String, ProfileConfig> byName(List<ProfileConfig> profiles) {
        Map<String, ProfileConfig> out = new LinkedHashMap<>();
        profiles.forEach(p -> out.put(p.name().toLowerCase(Locale.ROOT), p));
        return out;
    }

    private static Map<String, EndpointConfig> endpointsByName(List<EndpointConfig> endpoints) {
        Map<String, EndpointConfig> out = new LinkedHashMap<>();
        endpoints.forEach(e -> out.put(e.name().toLowerCase(Locale.ROOT), e));
        return out;
    }
}
