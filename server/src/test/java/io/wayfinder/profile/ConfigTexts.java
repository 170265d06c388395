package io.wayfinder.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;

/** Configuration texts as the reader sees them, and the one way the tests check a reported mistake. */
public final class ConfigTexts {
    private ConfigTexts() {
    }

    /** Reads a configuration text with the built-in regions; relative paths resolve against /srv/wayfinder. */
    public static WayfinderConfig parse(String yaml) throws ConfigException {
        return io.wayfinder.control.ConfigLoader.reader().parse(yaml, Path.of("/srv/wayfinder"));
    }

    /** The errors a configuration text is rejected with; fails the test when it is accepted. */
    public static List<ConfigError> errorsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("the configuration should have been rejected:%n%s", yaml).isNotNull();
        return e.errors();
    }

    /** That one of the errors is at exactly this field path and says this. */
    public static void assertReportedAt(List<ConfigError> errors, String path, String phrase) {
        assertThat(errors)
                .as("errors: %s", errors)
                .anySatisfy(e -> {
                    assertThat(e.path()).isEqualTo(path);
                    assertThat(e.message()).contains(phrase);
                });
    }
}
