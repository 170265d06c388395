package io.wayfinder.profile;

import java.util.Locale;

/** Checks and normalises DNS names written in a configuration: lower case, no trailing dot. */
public final class DnsNames {
    private DnsNames() {
    }

    /** The normalised name, or null when it is not a valid host-style name (the reason goes to errors). */
    public static String normalise(String name, String path, ConfigErrors errors) {
        String s = name.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        String problem = problem(s);
        if (problem != null) {
            errors.add(path, "'" + name + "' is not a valid DNS name: " + problem);
            return null;
        }
        return s;
    }

    /** Why a relative name (one or more labels, no zone) is invalid, or null. */
    public static String problem(String s) {
        if (s.isEmpty()) {
            return "it is empty";
        }
        if (s.length() > 253) {
            return "longer than 253 characters";
        }
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "it has an empty label";
            }
            if (label.length() > 63) {
                return "label '" + label + "' is longer than 63 characters";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return "label '" + label + "' has the character '" + c + "' (use letters, digits, '-' and '_')";
                }
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                return "label '" + label + "' starts or ends with '-'";
            }
        }
        return null;
    }

    /** Whether {@code name} is {@code zone} or a name below it. */
    public static boolean isInZone(String name, String zone) {
        return name.equals(zone) || name.endsWith("." + zone);
    }
}
