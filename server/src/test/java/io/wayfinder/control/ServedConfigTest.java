package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wayfinder.geo.GeoLookupFailures;
import io.wayfinder.health.Prober;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.store.SqliteProfileStore;
import io.wayfinder.time.ThreadScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloads and API writes pass through one door, each starting from what the one before left: a
 * reload loaded before a write (a latency table takes seconds) is applied with the written
 * profiles, never the ones it read.
 */
class ServedConfigTest {
    private static final String CONFIG = """
            api: {listen: "127.0.0.1:0", tokens: [{name: ci, token: writer-token-0123456789, role: writer}]}
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www, ttl: 5}
                endpoints:
                  - {name: primary, target: 192.0.2.10}
            """;

    @TempDir
    Path dir;
    private final Clock clock = Clock.systemUTC();
    private ThreadScheduler control;
    private SqliteProfileStore store;
    private SnapshotPublisher publisher;
    private StoreProfiles source;
    private Path file;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("wayfinder.yaml");
        Files.writeString(file, CONFIG);
        control = new ThreadScheduler("control", clock);
        Prober never = target -> new CompletableFuture<>();
        publisher = new SnapshotPublisher(control, never);
        store = SqliteProfileStore.open(dir.resolve("data"), clock);
        source = new StoreProfiles(store, ConfigLoader.reader());
    }

    @AfterEach
    void stop() {
        publisher.close().join();
        control.close();
        store.close();
    }

    private LoadedConfig load() throws Exception {
        return ConfigLoader.load(file, clock, new GeoLookupFailures(clock), source);
    }

    private static ProfileConfig withTtl(ProfileConfig p, int ttl) {
        return new ProfileConfig(p.name(), p.zone(), p.trafficRoutingMethod(), p.enabled(), p.relativeName(), ttl,
                p.maxReturn(), p.endpoints(), p.monitor(), p.fallback());
    }

    @Test
    void aReloadLoadedBeforeAWriteIsAppliedWithTheWrittenProfiles() throws Exception {
        LoadedConfig first = load();
        assertThat(first.profileRevision()).as("seeded: one profile").isEqualTo(1);
        publisher.configurationLoaded(first).join();
        ServedConfig served = new ServedConfig(publisher, source, clock, first);
        ProfileWrites writes = new ProfileWrites(served, store);

        LoadedConfig loadedMeanwhile = load(); // as a reload does, off the lock, before the write
        ProfileWrites.Result r = writes.write("web", ProfileWrites.Precondition.NONE,
                (current, settings) -> withTtl(current.config(), 42), "ci", "PATCH", "profiles/web");
        assertThat(r.changes()).containsExactly("profile web: dnsConfig.ttl 5 -> 42");
        assertThat(publisher.snapshot().routing().profile("web").ttl()).isEqualTo(42);

        served.applyReload(loadedMeanwhile);
        assertThat(publisher.snapshot().routing().profile("web").ttl()).as("the write is not undone").isEqualTo(42);
        assertThat(served.current().profileRevision()).isEqualTo(2);
    }

    @Test
    void aWriteThatBreaksAnotherProfileIsRejectedWithTheErrorInThatProfile() throws Exception {
        Files.writeString(file, CONFIG + """
                  - name: parent
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: parent}
                    endpoints:
                      - {name: child, type: nested, target: web}
                """);
        LoadedConfig first = load();
        publisher.configurationLoaded(first).join();
        ServedConfig served = new ServedConfig(publisher, source, clock, first);
        ProfileWrites writes = new ProfileWrites(served, store);
        ProfileWrites.Rejected e = catchThrowableOfType(ProfileWrites.Rejected.class, () -> writes.write("web",
                ProfileWrites.Precondition.NONE, (current, settings) -> null, "ci", "DELETE", "profiles/web"));
        assertThat(e.kind()).isEqualTo(ProfileWrites.Rejected.Kind.INVALID);
        assertThat(e.errors()).singleElement().isEqualTo(new ProfileWrites.FieldError("parent", "endpoints[0].target",
                "no profile is named 'web'"));
        assertThat(store.profile("web")).isPresent();
        assertThat(store.revision()).as("nothing stored").isEqualTo(2);
    }

    @Test
    void anUnchangedWriteStoresNothing() throws Exception {
        LoadedConfig first = load();
        publisher.configurationLoaded(first).join();
        ServedConfig served = new ServedConfig(publisher, source, clock, first);
        ProfileWrites writes = new ProfileWrites(served, store);
        List<EndpointConfig> same = new ArrayList<>();
        ProfileWrites.Result r = writes.write("WEB", ProfileWrites.Precondition.NONE, (current, settings) -> {
            same.addAll(current.config().endpoints());
            return current.config();
        }, "ci", "PUT", "profiles/web");
        assertThat(r.changed()).isFalse();
        assertThat(r.profile().version()).isEqualTo(1);
        assertThat(store.audit(null, null, 10)).hasSize(1);
    }
}
