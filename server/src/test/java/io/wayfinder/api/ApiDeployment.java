package io.wayfinder.api;

import io.wayfinder.control.LatencyLearningService;
import io.wayfinder.runtime.WayfinderServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Wayfinder with {@code api:} on ephemeral loopback ports, its store in a temporary
 * directory, and clients for it: {@link HttpClient} for the API, dnsjava for DNS. Two tokens, a
 * writer ({@link #WRITER}, named {@code ci}) and a reader ({@link #READER}, named {@code dashboard}).
 * The API's tests use it as it is; the client commands' tests through {@code cli.ClientServer}.
 */
public final class ApiDeployment implements AutoCloseable {
    public static final String WRITER = "writer-token-0123456789abcdef";
    public static final String READER = "reader-token-0123456789abcdef";
    public static final JsonMapper JSON = JsonMapper.builder().build();

    /** Everything but the profiles: the listeners, the tokens, zone app.test and the data files. */
    public static final String SETTINGS = """
            dns:
              listen: ["127.0.0.1:0"]
              rateLimit: {responsesPerSecond: 0}
            api:
              listen: "127.0.0.1:0"
              tokens:
                - {name: ci, token: %s, role: writer}
                - {name: dashboard, token: %s, role: reader}
            zones:
              - name: app.test
                nameservers: [ns1.app.test]
                soa: {minimum: 60}
            geolocation:
              csv: geo.csv
            latency:
              sources: [latency.csv]
            reload:
              quietPeriod: 0s
            """.formatted(WRITER, READER);

    /** The two plain profiles every start has: web (Priority, two endpoints, TTL 5) and eu (one endpoint). */
    public static final String WEB_AND_EU = """
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www, ttl: 5}
                endpoints:
                  - {name: primary, target: 192.0.2.10}
                  - {name: secondary, target: 192.0.2.11}
              - name: eu
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: eu}
                endpoints:
                  - {name: only, target: 192.0.2.20}
            """;

    /** web and eu, and parent, which nests eu and nothing else. */
    static final String PROFILES = WEB_AND_EU + """
              - name: parent
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: parent}
                endpoints:
                  - {name: child, type: nested, target: eu}
            """;

    /** 81.2.69.0/24 (London) measured to westeurope and eastus. */
    private static final String LATENCY = """
            prefix,region,rtt_ms,samples
            81.2.69.0/24,westeurope,10,20
            81.2.69.0/24,eastus,80,20
            """;

    /** 81.2.69.0/24 in London. */
    private static final String GEO = """
            prefix,latitude,longitude,country
            81.2.69.0/24,51.514301,-0.091224,GB
            """;

    final Path dir;
    public final Path configFile;
    final WayfinderServer server;
    final InetSocketAddress dns;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ApiDeployment(Path dir, Path configFile, WayfinderServer server) {
        this.dir = dir;
        this.configFile = configFile;
        this.server = server;
        this.dns = server.dnsAddresses().get(0);
    }

    static ApiDeployment start(Path dir) throws Exception {
        return start(dir, SETTINGS + PROFILES);
    }

    /** Started from this configuration, with the data files {@link #SETTINGS} names beside it. */
    public static ApiDeployment start(Path dir, String config) throws Exception {
        return start(dir, config, LatencyLearningService.Learners.LEARNED);
    }

    /** The same with this learner (latency learning's tests give {@code FakeLearning}). */
    public static ApiDeployment start(Path dir, String config, LatencyLearningService.Learners learners) throws Exception {
        return start(dir, config, new WayfinderServer.Options(List.of(), 1, 50).withLearners(learners));
    }

    /** The same with these limits on what clients may hold of the API. */
    static ApiDeployment start(Path dir, String config, ApiLimits limits) throws Exception {
        return start(dir, config, new WayfinderServer.Options(List.of(), 1, 50).withApiLimits(limits));
    }

    private static ApiDeployment start(Path dir, String config, WayfinderServer.Options options) throws Exception {
        writeDataFiles(dir);
        Path file = dir.resolve("wayfinder.yaml");
        Files.writeString(file, config);
        return new ApiDeployment(dir, file, WayfinderServer.start(file, options));
    }

    /** The latency and geolocation files {@link #SETTINGS} names, in {@code dir}. */
    static void writeDataFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve("latency.csv"), LATENCY);
        Files.writeString(dir.resolve("geo.csv"), GEO);
    }

    /** Replaces the configuration file whole (a rename: applied at the next poll). */
    void rewriteConfig(String text) throws IOException {
        Path tmp = dir.resolve("wayfinder.yaml.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, configFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    URI uri(String path) {
        return URI.create(url() + path);
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A GET with the reader token. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path, READER).GET().build());
    }

    /** A write with the writer token: method, path, body (JSON unless a content type is given). */
    HttpResponse<String> write(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(path, WRITER);
        List<String> h = new ArrayList<>(List.of(headers));
        if (body != null && !h.contains("Content-Type")) {
            h.add("Content-Type");
            h.add(method.equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        for (int i = 0; i + 1 < h.size(); i += 2) {
            b.header(h.get(i), h.get(i + 1));
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** The A records of a name, as a DNS client gets them (in the order given). */
    List<String> addresses(String name) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns);
        resolver.setTimeout(Duration.ofSeconds(3));
        Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN)));
        List<String> out = new ArrayList<>();
        for (Record r : answer.getSection(org.xbill.DNS.Section.ANSWER)) {
            out.add(r.rdataToString());
        }
        return out;
    }

    /** The DNS response code for an A query of the name. */
    public int rcode(String name) throws IOException {
        SimpleResolver resolver = new SimpleResolver(dns);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN)))
                .getRcode();
    }

    /** An A query of the name as a resolver passing ECS {@code network/length} asks it; its response code. */
    public int askFor(String name, String network, int length) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(length, InetAddress.getByName(network)))),
                org.xbill.DNS.Section.ADDITIONAL);
        SimpleResolver resolver = new SimpleResolver(dns);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(q).getRcode();
    }

    /** Folds the event loops' Traffic View counts in now (the server does it every 10 s). */
    public void mergeTraffic() throws Exception {
        server.trafficView().mergeSoon().get(10, TimeUnit.SECONDS);
    }

    /** The API's base address, as {@code --server} takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.apiPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
