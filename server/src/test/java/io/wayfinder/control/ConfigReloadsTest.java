package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.health.Prober;
import io.wayfinder.time.ManualScheduler;
import io.wayfinder.time.ThreadScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the watcher applies a changed configuration: only once the file has stopped changing, and
 * never losing an edit made while a reload runs. The watcher's time is a {@link ManualScheduler}'s;
 * the publisher runs on a control thread of its own, as in the server.
 */
class ConfigReloadsTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final long POLL_MILLIS = 100;

    /** Two profiles; {@code %s} is the name of shop's endpoint, which the tests change to tell versions apart. */
    private static final String CONFIG = """
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: w, target: 192.0.2.1}
              - name: shop
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: shop}
                endpoints:
                  - {name: %s, target: 192.0.2.2}
            """;

    @TempDir
    Path dir;
    Path file;
    ManualScheduler watcher;
    ThreadScheduler control;
    SnapshotPublisher publisher;
    ConfigReloads reloads;
    /** Every snapshot published, the first included, in order. */
    final List<Snapshot> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        file = Files.writeString(dir.resolve("wayfinder.yaml"), CONFIG.formatted("v1"));
        watcher = new ManualScheduler(START);
        control = new ThreadScheduler("control-test", Clock.systemUTC());
        Prober never = target -> new CompletableFuture<>();
        publisher = new SnapshotPublisher(control, never);
        publisher.onPublish(published::add);
        LoadedConfig first = ConfigLoader.load(file, watcher.clock());
        publisher.configurationLoaded(first).join();
        reloads = new ConfigReloads(publisher, watcher, first, POLL_MILLIS);
    }

    @AfterEach
    void stop() {
        reloads.close();
        publisher.close().join();
        control.close();
    }

    /** The name of shop's endpoint in a snapshot, or null when the snapshot has no shop. */
    private static String shopEndpoint(Snapshot snapshot) {
        var shop = snapshot.routing().profile("shop");
        return shop == null ? null : shop.endpoints().get(0).name();
    }

    /**
     * A configuration written in two steps 1.5 s apart (truncate and write the first half, then
     * append the rest) was applied in between, and shop, not yet written, answered NXDOMAIN.
     */
    @Test
    void aFileWrittenInTwoStepsIsAppliedOnceWhole() throws Exception {
        String next = CONFIG.formatted("v2");
        int cut = next.indexOf("  - name: shop");
        Files.writeString(file, next.substring(0, cut)); // valid on its own: web without shop
        watcher.advance(Duration.ofMillis(1500));
        Files.writeString(file, next.substring(cut), StandardOpenOption.APPEND);
        watcher.advance(Duration.ofSeconds(5));

        assertThat(published).extracting(ConfigReloadsTest::shopEndpoint).containsExactly("v1", "v2");
        assertThat(reloads.reloads()).isEqualTo(1);
        assertThat(reloads.rejected()).isZero();
    }

    /**
     * A rejected version is timed for the metrics and not retried until a file changes again; the
     * next good edit applies and is timed too. (The first poll sees a change 100 ms in; the
     * default quiet period of 2 s ends at 2,100 ms.)
     */
    @Test
    void aRejectedFileIsTimedAndNotRetriedUntilItChanges() throws Exception {
        assertThat(reloads.lastAppliedMillis()).isEqualTo(START.toEpochMilli());
        assertThat(reloads.lastRejectedMillis()).isZero();

        Files.writeString(file, "zones: [{name: app.test\n");
        watcher.advance(Duration.ofSeconds(5));
        watcher.advance(Duration.ofMinutes(1));
        assertThat(reloads.rejected()).isEqualTo(1);
        assertThat(reloads.lastRejectedMillis()).isEqualTo(START.plusMillis(2_100).toEpochMilli());

        Files.writeString(file, CONFIG.formatted("v2"));
        watcher.advance(Duration.ofSeconds(5));
        assertThat(reloads.reloads()).isEqualTo(1);
        assertThat(reloads.lastAppliedMillis()).isEqualTo(START.plusMillis(65_000 + 2_100).toEpochMilli());
        assertThat(published).extracting(ConfigReloadsTest::shopEndpoint).containsExactly("v1", "v2");
    }

    /** The configuration says how long to wait; a new value applies to the edits after it. */
    @Test
    void theQuietPeriodIsTheServedConfigurations() throws Exception {
        Files.writeString(file, CONFIG.formatted("v2") + "reload: {quietPeriod: 0s}\n");
        watcher.advance(Duration.ofMillis(2_100));
        assertThat(reloads.reloads()).isEqualTo(1);

        Files.writeString(file, CONFIG.formatted("v3") + "reload: {quietPeriod: 0s}\n");
        watcher.advance(Duration.ofMillis(100));
        assertThat(reloads.reloads()).isEqualTo(2);
        assertThat(published).extracting(ConfigReloadsTest::shopEndpoint).containsExactly("v1", "v2", "v3");
    }

    /**
     * The files were stamped after loading, so an edit made while a (long) reload ran was taken as
     * already applied and lost. Here the edit lands while the first reload is being published.
     */
    @Test
    void anEditMadeWhileAReloadRunsIsPickedUp() throws Exception {
        AtomicInteger publications = new AtomicInteger();
        publisher.onPublish(snapshot -> {
            if (publications.incrementAndGet() == 1) { // the first reload, still running
                try {
                    Files.writeString(file, CONFIG.formatted("edited-during-reload"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        Files.writeString(file, CONFIG.formatted("v2"));
        watcher.advance(Duration.ofSeconds(5));
        watcher.advance(Duration.ofSeconds(5));

        assertThat(published).extracting(ConfigReloadsTest::shopEndpoint)
                .containsExactly("v1", "v2", "edited-during-reload");
        assertThat(reloads.reloads()).isEqualTo(2);
    }
}
