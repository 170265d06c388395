package io.wayfinder.profile;

import java.util.ArrayList;
import java.util.List;

/** Collects errors while a configuration is read and checked, so that a user sees them all at once. */
public final class ConfigErrors {
    private final List<ConfigError> errors = new ArrayList<>();

    public void add(String path, String message) {
        errors.add(new ConfigError(path, message));
    }

    public boolean hasErrorAt(String path) {
        for (ConfigError e : errors) {
            if (e.path().equals(path) || e.path().startsWith(path + ".") || e.path().startsWith(path + "[")) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public int count() {
        return errors.size();
    }

    public void throwIfAny() throws ConfigException {
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }
}
