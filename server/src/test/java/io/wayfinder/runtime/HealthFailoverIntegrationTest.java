package io.wayfinder.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.wayfinder.routing.Profile;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real Wayfinder whose endpoints are real HTTP servers on loopback addresses (one port, free on
 * all of them), probed every 2 s; a test switches a server to 503 and watches the answers move.
 * <ul>
 *   <li>{@code www} (Performance, 1 failure tolerated): eu 127.0.0.10 (westeurope), us 127.0.0.11
 *       (eastus). London (81.2.69.0/24) is nearest westeurope, Virginia (3.80.0.0/24) eastus.</li>
 *   <li>{@code safe} (Priority, none tolerated): s1 127.0.0.12, s2 127.0.0.13, fallback 127.0.0.99
 *       (never probed, so no server).</li>
 *   <li>{@code tree} (Priority, none tolerated): the nested child {@code kid} (k1 127.0.0.14) first,
 *       then x 127.0.0.15.</li>
 * </ul>
 */
class HealthFailoverIntegrationTest {
    private static final String LONDON = "81.2.69.0/24";
    private static final String VIRGINIA = "3.80.0.0/24";
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private static final String CONFIG = """
            dns:
              listen: ["127.0.0.1:0"]
            metrics:
              listen: "127.0.0.1:0"
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [127.0.0.1]}
                hostmaster: hostmaster.app.test
            latency:
              sources: [latency.csv]
              aggregation: {minSamples: 10}
            profiles:
              - name: web
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www, ttl: 0}
                monitorConfig: {protocol: HTTP, port: %1$d, path: /health, intervalInSeconds: 2, timeoutInSeconds: 1,
                                toleratedNumberOfFailures: 1}
                endpoints:
                  - {name: eu, target: 127.0.0.10, endpointLocation: westeurope}
                  - {name: us, target: 127.0.0.11, endpointLocation: eastus}
              - name: safe
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: safe, ttl: 0}
                monitorConfig: {protocol: HTTP, port: %1$d, path: /health, intervalInSeconds: 2, timeoutInSeconds: 1,
                                toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: s1, target: 127.0.0.12}
                  - {name: s2, target: 127.0.0.13}
                fallback: {name: sorry, target: 127.0.0.99}
              - name: tree
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: tree, ttl: 0}
                monitorConfig: {protocol: HTTP, port: %1$d, path: /health, intervalInSeconds: 2, timeoutInSeconds: 1,
                                toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: n, type: nested, target: kid}
                  - {name: x, target: 127.0.0.15}
              - name: kid
                trafficRoutingMethod: Priority
                monitorConfig: {protocol: HTTP, port: %1$d, path: /health, intervalInSeconds: 2, timeoutInSeconds: 1,
                                toleratedNumberOfFailures: 0}
                endpoints:
                  - {name: k1, target: 127.0.0.14}
            """;

    private static final String LATENCY = """
            prefix,region,rtt_ms,samples
            81.2.69.0/24,westeurope,10,20
            81.2.69.0/24,eastus,80,20
            3.80.0.0/24,westeurope,85,20
            3.80.0.0/24,eastus,5,20
            """;

    @TempDir
    static Path dir;
    static ExecutorService serverThreads;
    /** The health servers by address; each answers /health with its current status. */
    static final Map<String, Backend> backends = new LinkedHashMap<>();
    static WayfinderServer server;
    static Path configFile;
    static String configText;
    static final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(3)).build();

    record Backend(HttpServer server, AtomicInteger status) {
    }

    @BeforeAll
    static void start() throws Exception {
        serverThreads = Executors.newCachedThreadPool();
        List<String> addresses = List.of("127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.15");
        List<HttpServer> servers = bindOnSamePort(addresses);
        for (int i = 0; i < addresses.size(); i++) {
            AtomicInteger status = new AtomicInteger(200);
            HttpServer s = servers.get(i);
            s.createContext("/health", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(status.get(), -1);
                }
            });
            s.setExecutor(serverThreads);
            s.start();
            backends.put(addresses.get(i), new Backend(s, status));
        }
        int port = servers.get(0).getAddress().getPort();
        Files.writeString(dir.resolve("latency.csv"), LATENCY);
        configFile = dir.resolve("wayfinder.yaml");
        configText = CONFIG.formatted(port);
        Files.writeString(configFile, configText);
        server = WayfinderServer.start(configFile, new WayfinderServer.Options(List.of(), 2, 100));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        backends.values().forEach(b -> b.server().stop(0));
        serverThreads.shutdownNow();
    }

    /** Every server healthy again, and every profile back to its healthy answer. */
    @AfterEach
    void heal() {
        backends.values().forEach(b -> b.status().set(200));
        eventually().until(() -> answer("www.app.test", LONDON).equals("127.0.0.10")
                && answer("www.app.test", VIRGINIA).equals("127.0.0.11")
                && answer("safe.app.test", LONDON).equals("127.0.0.12")
                && answer("tree.app.test", LONDON).equals("127.0.0.14"));
    }

    private static ConditionFactory eventually() {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions();
    }

    /** HTTP servers on the same ephemeral port of each address. */
    private static List<HttpServer> bindOnSamePort(List<String> addresses) throws IOException {
        for (int attempt = 0; ; attempt++) {
            List<HttpServer> bound = new ArrayList<>();
            try {
                int port = 0;
                for (String a : addresses) {
                    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(a), port), 0);
                    bound.add(s);
                    port = s.getAddress().getPort();
                }
                return bound;
            } catch (BindException e) {
                bound.forEach(s -> s.stop(0));
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static void serve(String address, int status) {
        backends.get(address).status().set(status);
    }

    /** The A record's address for a client network (ECS), or "-" when there is none. */
    private static String answer(String name, String ecsSubnet) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
        String[] parts = ecsSubnet.split("/");
        ClientSubnetOption ecs = new ClientSubnetOption(Integer.parseInt(parts[1]), InetAddress.getByName(parts[0]));
        query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ecs)), Section.ADDITIONAL);
        SimpleResolver resolver = new SimpleResolver(server.dnsAddresses().get(0));
        resolver.setTimeout(Duration.ofSeconds(2));
        Message response = resolver.send(query);
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                return a.getAddress().getHostAddress();
            }
        }
        return "-";
    }

    private static String metrics() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Profile profile(String name) {
        return server.snapshot().routing().profile(name);
    }

    @Test
    void anEndpointThatFailsLosesItsClientsToTheNextRegionAndWinsThemBackWhenItRecovers() throws Exception {
        assertThat(answer("www.app.test", LONDON)).isEqualTo("127.0.0.10");
        serve("127.0.0.10", 503);
        eventually().until(() -> answer("www.app.test", LONDON).equals("127.0.0.11"));
        assertThat(profile("web").failOpen()).isFalse();
        assertThat(server.health().reports()).filteredOn(r -> r.endpoint().equals("eu")).singleElement()
                .satisfies(r -> assertThat(r.lastResult().reason()).isEqualTo("HTTP 503"));
        serve("127.0.0.10", 200);
        eventually().until(() -> answer("www.app.test", LONDON).equals("127.0.0.10"));
    }

    @Test
    void whenEveryEndpointIsDownTheProfileFailsOpenLoudly() throws Exception {
        long entries = server.failOpenEntries();
        serve("127.0.0.10", 503);
        serve("127.0.0.11", 503);
        eventually().until(() -> profile("web").failOpen());
        // both Degraded endpoints are served again, each to the clients it is nearest to
        assertThat(answer("www.app.test", LONDON)).isEqualTo("127.0.0.10");
        assertThat(answer("www.app.test", VIRGINIA)).isEqualTo("127.0.0.11");
        assertThat(server.failOpenEntries()).isEqualTo(entries + 1);
        assertThat(metrics()).contains("wayfinder_profile_fail_open{profile=\"web\"} 1.0");
    }

    @Test
    void whenEveryEndpointIsDownTheFallbackAnswersInstead() throws Exception {
        serve("127.0.0.12", 503);
        serve("127.0.0.13", 503);
        eventually().until(() -> answer("safe.app.test", LONDON).equals("127.0.0.99"));
        assertThat(profile("safe").onFallback()).isTrue();
        assertThat(profile("safe").failOpen()).isFalse();
        assertThat(metrics()).contains("wayfinder_profile_fail_open{profile=\"safe\"} 1.0");
    }

    @Test
    void aNestedChildGoingDownMovesTheParentToItsNextEndpoint() throws Exception {
        assertThat(answer("tree.app.test", LONDON)).isEqualTo("127.0.0.14");
        serve("127.0.0.14", 503);
        eventually().until(() -> answer("tree.app.test", LONDON).equals("127.0.0.15"));
        assertThat(profile("tree").failOpen()).isFalse();
        serve("127.0.0.14", 200);
        eventually().until(() -> answer("tree.app.test", LONDON).equals("127.0.0.14"));
    }

    @Test
    void aRejectedReloadLeavesHealthAndAnswersAsTheyWere() throws Exception {
        serve("127.0.0.10", 503);
        eventually().until(() -> answer("www.app.test", LONDON).equals("127.0.0.11"));

        // Two changes in one bad edit: web loses its monitor (its endpoints would be Unmonitored,
        // so served) and gains a fallback in a region that does not exist.
        String bad = configText.replaceFirst("(?s)(relativeName: www, ttl: 0\\}\n)\\s+monitorConfig: \\{[^}]*\\}\n", "$1")
                .replace("  - {name: us, target: 127.0.0.11, endpointLocation: eastus}",
                        "  - {name: us, target: 127.0.0.11, endpointLocation: eastus}\n"
                                + "    fallback: {name: sorry, target: 127.0.0.98, endpointLocation: westeurop}");
        assertThat(bad).doesNotContain("relativeName: www, ttl: 0}\n    monitorConfig").contains("westeurop}");
        long rejected = server.rejectedReloads();
        long reloads = server.reloads();
        rewrite(bad);
        eventually().until(() -> server.rejectedReloads() == rejected + 1);

        // A health change after the rejected edit is published with the running configuration.
        serve("127.0.0.12", 503);
        eventually().until(() -> answer("safe.app.test", LONDON).equals("127.0.0.13"));
        assertThat(answer("www.app.test", LONDON)).as("the Degraded endpoint stays out").isEqualTo("127.0.0.11");
        assertThat(server.reloads()).isEqualTo(reloads);

        rewrite(configText);
        eventually().until(() -> server.reloads() == reloads + 1);
    }

    private static void rewrite(String text) throws IOException {
        Path tmp = dir.resolve("wayfinder.yaml.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
