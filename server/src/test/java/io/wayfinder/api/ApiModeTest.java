package io.wayfinder.api;

import static io.wayfinder.api.ApiDeployment.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wayfinder.control.StoreProfiles;
import io.wayfinder.runtime.WayfinderServer;
import io.wayfinder.store.SqliteProfileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Where the truth lives. Without {@code api:} the file holds the profiles (the rest of the suite);
 * with it the store does: seeded once from the file, after which the file's profiles are not
 * applied (and the log says so once per edit), while the file's other settings stay live.
 */
class ApiModeTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger storeLog = (Logger) LoggerFactory.getLogger(StoreProfiles.class);

    @BeforeEach
    void captureLog() {
        log.start();
        storeLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        storeLog.detachAppender(log);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static final String EDITED_PROFILES = ApiDeployment.PROFILES.replace("ttl: 5", "ttl: 99")
            .replace("""
                      - name: parent
                        trafficRoutingMethod: Priority
                        dnsConfig: {relativeName: parent}
                        endpoints:
                          - {name: child, type: nested, target: eu}
                    """, "");

    @Test
    void anEmptyStoreIsSeededFromTheFileOnceAndIsTheTruthAfter() throws Exception {
        try (ApiDeployment api = ApiDeployment.start(dir)) {
            assertThat(Files.exists(dir.resolve("data").resolve(SqliteProfileStore.FILE_NAME))).as("data/ beside the file").isTrue();
            assertThat(json(api.get("/api/v1/profiles")).get("profiles")).hasSize(3);
            api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": 7}}");
        }
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("was empty: seeded with the 3 profile(s)"));
        log.list.clear();

        try (ApiDeployment api = ApiDeployment.start(dir, ApiDeployment.SETTINGS + EDITED_PROFILES)) {
            JsonNodes.assertNames(json(api.get("/api/v1/profiles")).get("profiles"), "web", "eu", "parent");
            assertThat(ttl(api, "www.app.test")).as("the store's edit, not the file's").isEqualTo(7);
            assertThat(api.addresses("parent.app.test")).containsExactly("192.0.2.20");
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w)
                    .contains("its profiles: differ from the store's")
                    .contains("bin/wayfinder apply -f " + api.configFile));
            assertThat(log.list).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("seeded"));
        }
    }

    @Test
    void fileEditsOfProfilesAreNotAppliedAndSaidOnceWhileItsSettingsStayLive() throws Exception {
        try (ApiDeployment api = ApiDeployment.start(dir)) {
            long reloads = api.server.reloads();
            api.rewriteConfig(ApiDeployment.SETTINGS + EDITED_PROFILES);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.server.reloads() > reloads);
            assertThat(ttl(api, "www.app.test")).isEqualTo(5);
            assertThat(api.addresses("parent.app.test")).containsExactly("192.0.2.20");

            // Another edit of the settings alone, the profiles edited as before: applied, and no second line.
            long before = api.server.reloads();
            api.rewriteConfig((ApiDeployment.SETTINGS + EDITED_PROFILES).replace("soa: {minimum: 60}", "soa: {minimum: 42}"));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.server.reloads() > before);
            assertThat(negativeTtl(api)).as("the file's settings are live").isEqualTo(42);
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w)
                    .contains("profiles: changed, but with api: the store holds the profiles")
                    .contains("bin/wayfinder apply -f " + api.configFile));

            // And the API's writes go on with the new settings.
            assertThat(api.write("PATCH", "/api/v1/profiles/web", "{\"dnsConfig\": {\"ttl\": 8}}").statusCode()).isEqualTo(200);
            assertThat(ttl(api, "www.app.test")).isEqualTo(8);
            assertThat(negativeTtl(api)).isEqualTo(42);
        }
    }

    @Test
    void aStoreEmptiedThroughTheApiIsNotSeededAgain() throws Exception {
        try (ApiDeployment api = ApiDeployment.start(dir)) {
            for (String p : new String[] {"parent", "web", "eu"}) {
                assertThat(api.write("DELETE", "/api/v1/profiles/" + p, null).statusCode()).isEqualTo(204);
            }
            assertThat(api.rcode("www.app.test")).isEqualTo(Rcode.NXDOMAIN);
        }
        try (ApiDeployment api = ApiDeployment.start(dir)) {
            assertThat(json(api.get("/api/v1/profiles")).get("profiles")).isEmpty();
            assertThat(api.rcode("www.app.test")).isEqualTo(Rcode.NXDOMAIN);
        }
    }

    @Test
    void withApiTheFileMayHoldNoProfiles() throws Exception {
        try (ApiDeployment api = ApiDeployment.start(dir, ApiDeployment.SETTINGS)) {
            assertThat(json(api.get("/api/v1/profiles")).get("profiles")).isEmpty();
            assertThat(api.write("PUT", "/api/v1/profiles/first", """
                    {"trafficRoutingMethod": "Priority", "dnsConfig": {"relativeName": "first"},
                     "endpoints": [{"name": "a", "target": "192.0.2.1"}]}
                    """).statusCode()).isEqualTo(201);
            assertThat(api.addresses("first.app.test")).containsExactly("192.0.2.1");
        }
    }

    @Test
    void aReloadThatTheStoredProfilesDoNotFitIsRejectedAndTheRunningOneKept() throws Exception {
        try (ApiDeployment api = ApiDeployment.start(dir)) {
            long rejected = api.server.rejectedReloads();
            api.rewriteConfig((ApiDeployment.SETTINGS + ApiDeployment.PROFILES).replace("name: app.test", "name: other.test"));
            await().atMost(Duration.ofSeconds(10)).until(() -> api.server.rejectedReloads() > rejected);
            assertThat(api.addresses("www.app.test")).containsExactly("192.0.2.10");
        }
    }

    @Test
    void withoutApiNothingIsStored() throws Exception {
        ApiDeployment.writeDataFiles(dir);
        Path file = dir.resolve("plain.yaml");
        Files.writeString(file, ApiDeployment.SETTINGS.replaceAll("(?s)api:.*?role: reader}\n", "") + ApiDeployment.PROFILES);
        try (WayfinderServer server = WayfinderServer.start(file, new WayfinderServer.Options(List.of(), 1, 50))) {
            assertThat(server.apiPort()).isEqualTo(-1);
            assertThat(server.snapshot().config().api()).isNull();
        }
        assertThat(Files.exists(dir.resolve("data"))).isFalse();
    }

    private static long ttl(ApiDeployment api, String name) throws Exception {
        Message m = resolver(api).send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).get(0).getTTL();
    }

    /** The negative-answer TTL (the SOA minimum) of an NXDOMAIN in the zone. */
    private static long negativeTtl(ApiDeployment api) throws Exception {
        Message m = resolver(api).send(Message.newQuery(Record.newRecord(Name.fromString("nothing.app.test", Name.root), Type.A,
                DClass.IN)));
        return ((SOARecord) m.getSection(Section.AUTHORITY).get(0)).getMinimum();
    }

    private static SimpleResolver resolver(ApiDeployment api) {
        SimpleResolver r = new SimpleResolver(api.dns);
        r.setTimeout(Duration.ofSeconds(3));
        return r;
    }

    /** Small helpers on JSON arrays. */
    private static final class JsonNodes {
        static void assertNames(tools.jackson.databind.JsonNode list, String... names) {
            assertThat(list).extracting(p -> p.get("name").asString()).containsExactly(names);
        }
    }
}
