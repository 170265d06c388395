package io.wayfinder.control;

import io.wayfinder.profile.ProfileConfig;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Error paths of a whole configuration ({@code profiles[3].endpoints[0].target}) split into the profile and the path inside it. */
final class ProfilePaths {
    private static final Pattern PROFILE = Pattern.compile("profiles\\[(\\d+)](?:\\.(.*))?");

    /** A path inside one profile: the profile's name, or null when the path is not inside a profile. */
    record Split(String profile, String path) {
    }

    private ProfilePaths() {
    }

    static Split split(String path, List<ProfileConfig> profiles) {
        Matcher m = PROFILE.matcher(path);
        if (!m.matches()) {
            return new Split(null, path);
        }
        int i = Integer.parseInt(m.group(1));
        String rest = m.group(2) == null ? "" : m.group(2);
        return i < profiles.size() ? new Split(profiles.get(i).name(), rest) : new Split(null, path);
    }

    /** {@code profiles[3].x} as {@code profiles['web'].x}. */
    static String named(String path, List<ProfileConfig> profiles) {
        Split s = split(path, profiles);
        if (s.profile() == null) {
            return path;
        }
        return "profiles['" + s.profile() + "']" + (s.path().isEmpty() ? "" : "." + s.path());
    }
}
