package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.routing.RoutingPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload keeps the served routing plan when only a data file changed, and compiles a new one for
 * any change to the configuration: the example's every section (zones, geolocation, latency,
 * regions, probes, nested and geographic profiles) read twice must compare equal.
 */
class ConfigLoaderPlanTest {
    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final String OWN_REGION = """
            regions:
              - {name: lab-one, latitude: 52.1, longitude: 4.3}
            """;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void copyTheExample() throws Exception {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            for (Path from : files.sorted(Comparator.naturalOrder()).toList()) {
                Path to = dir.resolve(EXAMPLES.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        file = dir.resolve("music-streaming.yaml");
    }

    private LoadedConfig reload(RoutingPlan served) throws Exception {
        return ConfigLoader.reload(file, CLOCK, new io.wayfinder.geo.GeoLookupFailures(CLOCK), ProfileSource.FILE, served);
    }

    @Test
    void aReloadWhoseDataFileChangedKeepsTheServedPlan() throws Exception {
        LoadedConfig served = ConfigLoader.load(file, CLOCK);
        Path latency = dir.resolve("data/latency.csv");
        List<String> rows = Files.readAllLines(latency);
        Files.write(latency, rows.subList(0, rows.size() - 1)); // one row fewer: another table

        LoadedConfig next = reload(served.plan());

        assertThat(next.config()).isEqualTo(served.config());
        assertThat(next.plan()).isSameAs(served.plan());
        assertThat(next.zones().plan()).as("zones built on the plan kept").isSameAs(served.plan());
        assertThat(next.sources()).isNotSameAs(served.sources());
    }

    @Test
    void aReloadOfAFileWithItsOwnRegionsKeepsTheServedPlan() throws Exception {
        Files.writeString(file, Files.readString(file) + OWN_REGION);
        LoadedConfig served = ConfigLoader.load(file, CLOCK);

        LoadedConfig next = reload(served.plan());

        assertThat(next.config().catalogue()).as("read again").isNotSameAs(served.config().catalogue());
        assertThat(next.plan()).isSameAs(served.plan());
    }

    @Test
    void aReloadOfAnEditedConfigurationCompilesANewPlan() throws Exception {
        LoadedConfig served = ConfigLoader.load(file, CLOCK);
        Files.writeString(file, Files.readString(file).replace("ttl: 300", "ttl: 301"));

        LoadedConfig next = reload(served.plan());

        assertThat(next.config()).isNotEqualTo(served.config());
        assertThat(next.plan()).isNotSameAs(served.plan());
        assertThat(next.plan().config()).isSameAs(next.config());
    }

    @Test
    void anEditedRegionCompilesANewPlan() throws Exception {
        Files.writeString(file, Files.readString(file) + OWN_REGION);
        LoadedConfig served = ConfigLoader.load(file, CLOCK);
        Files.writeString(file, Files.readString(file).replace("latitude: 52.1", "latitude: 52.2"));

        LoadedConfig next = reload(served.plan());

        assertThat(next.config().catalogue()).isNotEqualTo(served.config().catalogue());
        assertThat(next.plan()).isNotSameAs(served.plan());
    }

    @Test
    void withoutAServedPlanALoadCompilesItsOwn() throws Exception {
        LoadedConfig next = reload(null);

        assertThat(next.plan().config()).isSameAs(next.config());
    }
}
