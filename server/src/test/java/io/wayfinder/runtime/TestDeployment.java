package io.wayfinder.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * A real Wayfinder started on ephemeral loopback ports from a configuration and data files written
 * to a temporary directory, with a dnsjava client to ask it. The world is small and known:
 * <ul>
 *   <li>81.2.69.0/24 (London): westeurope 10 ms, northeurope 12, eastus 80, southeastasia 200</li>
 *   <li>1.0.16.0/24 (Tokyo): southeastasia 70 ms, others slower</li>
 *   <li>198.51.100.0/24: northeurope 5 ms, the fastest (routes to the nested web-eu profile)</li>
 *   <li>2a00:1450:4009::/48 (London, IPv6): westeurope 8 ms</li>
 * </ul>
 */
final class TestDeployment implements AutoCloseable {
    static final String CONFIG = """
            dns:
              listen: ["127.0.0.1:0", "[::1]:0"]
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [127.0.0.1, "::1"]}
                  - ns2.elsewhere.test
                hostmaster: hostmaster.app.test
                ttl: 3600
                soa: {minimum: 60}
              - name: big.test
                nameservers: [%s]
              - name: wide.test
                nameservers: [%s]
              - name: crowded.test
                nameservers: [%s]
            geolocation:
              csv: geo.csv
            latency:
              sources: [latency.csv]
              aggregation: {minSamples: 10}
            reload:
              quietPeriod: 300ms      # the tests write whole files; 3 polls of 100 ms
            profiles:
              - name: web
                zone: app.test
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: www, ttl: 20}
                endpoints:
                  - {name: eu, target: 192.0.2.10, endpointLocation: westeurope}
                  - {name: us, target: "2001:db8::10", endpointLocation: eastus}
                  - {name: asia, target: asia.cdn.example.net, endpointLocation: southeastasia}
                  - {name: eu-failover, type: nested, target: web-eu, endpointLocation: northeurope}
              - name: web-eu
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: eu, ttl: 40}
                endpoints:
                  - {name: primary, target: 192.0.2.20, priority: 1}
                  - {name: secondary, target: 192.0.2.21, priority: 2}
              - name: split
                zone: app.test
                trafficRoutingMethod: Weighted
                dnsConfig: {relativeName: split}
                endpoints:
                  - {name: a, target: 192.0.2.30, weight: 1}
                  - {name: b, target: 192.0.2.31, weight: 3}
              - name: alias
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: alias, ttl: 50}
                endpoints:
                  - {name: to-eu, target: eu.app.test}
              - name: dangling
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: dangling}
                endpoints:
                  - {name: nowhere, target: missing.app.test}
              - name: deep
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www.deep}
                endpoints:
                  - {name: only, target: 192.0.2.50}
              - name: off
                zone: app.test
                trafficRoutingMethod: Priority
                profileStatus: Disabled
                dnsConfig: {relativeName: off}
                endpoints:
                  - {name: only, target: 192.0.2.60}
              - name: empty
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: empty}
                endpoints:
                  - {name: only, target: 192.0.2.70, endpointStatus: Disabled}
              - name: pair
                zone: app.test
                trafficRoutingMethod: Performance
                dnsConfig: {relativeName: pair}
                endpoints:
                  - {name: p1, target: 192.0.2.80, endpointLocation: westeurope}
                  - {name: p2, target: 192.0.2.81, endpointLocation: westeurope}
                  - {name: far, target: 192.0.2.82, endpointLocation: southeastasia}
              - name: loop-a
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: loop-a}
                endpoints:
                  - {name: to-b, target: loop-b.app.test}
              - name: loop-b
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: loop-b}
                endpoints:
                  - {name: to-a, target: loop-a.app.test}
            """;

    static final String LATENCY = """
            prefix,region,rtt_ms,samples
            81.2.69.0/24,westeurope,10,20
            81.2.69.0/24,northeurope,12,20
            81.2.69.0/24,eastus,80,20
            81.2.69.0/24,southeastasia,200,20
            1.0.16.0/24,westeurope,220,20
            1.0.16.0/24,northeurope,230,20
            1.0.16.0/24,eastus,160,20
            1.0.16.0/24,southeastasia,70,20
            198.51.100.0/24,northeurope,5,20
            198.51.100.0/24,westeurope,20,20
            198.51.100.0/24,eastus,90,20
            198.51.100.0/24,southeastasia,210,20
            2a00:1450:4009::/48,westeurope,8,20
            2a00:1450:4009::/48,northeurope,11,20
            2a00:1450:4009::/48,eastus,85,20
            2a00:1450:4009::/48,southeastasia,190,20
            """;

    static final String GEO = """
            prefix,latitude,longitude,country
            81.2.69.0/24,51.514301,-0.091224,GB
            1.0.16.0/24,35.691601,139.768005,JP
            """;

    final Path dir;
    final Path configFile;
    final WayfinderServer server;
    final InetSocketAddress ipv4;
    final InetSocketAddress ipv6;

    private TestDeployment(Path dir, Path configFile, WayfinderServer server) {
        this.dir = dir;
        this.configFile = configFile;
        this.server = server;
        List<InetSocketAddress> addresses = server.dnsAddresses();
        this.ipv4 = addresses.get(0);
        this.ipv6 = addresses.get(1);
    }

    static TestDeployment start(Path dir) throws Exception {
        return start(dir, config());
    }

    /**
     * The same world with {@code dns.tcp} set to {@code tcp} (a YAML flow mapping) and metrics
     * served on an ephemeral loopback port.
     */
    static TestDeployment startWithTcpAndMetrics(Path dir, String tcp) throws Exception {
        String listen = "  listen: [\"127.0.0.1:0\", \"[::1]:0\"]\n";
        String config = config();
        if (!config.contains(listen)) {
            throw new IllegalStateException("the test configuration no longer has the listen line this edits");
        }
        return start(dir, config.replace(listen, listen + "  tcp: " + tcp + "\nmetrics:\n  listen: \"127.0.0.1:0\"\n"));
    }

    /** The same world with another configuration text (such as {@link #config()} edited). */
    static TestDeployment start(Path dir, String configText) throws Exception {
        Files.writeString(dir.resolve("latency.csv"), LATENCY);
        Files.writeString(dir.resolve("geo.csv"), GEO);
        WayfinderServer server = serve(dir, configText);
        return new TestDeployment(dir, dir.resolve(CONFIG_FILE), server);
    }

    /** The configuration file {@link #serve} writes in its directory. */
    static final String CONFIG_FILE = "wayfinder.yaml";

    /**
     * A real server started on {@code configText}, written to {@link #CONFIG_FILE} in {@code dir}
     * beside whatever data files the caller put there, with the tests' options.
     */
    static WayfinderServer serve(Path dir, String configText) throws Exception {
        Path config = Files.writeString(dir.resolve(CONFIG_FILE), configText);
        return WayfinderServer.start(config, new WayfinderServer.Options(List.of(), 2, 100));
    }

    /**
     * The configuration text. big.test has 24 name servers whose names differ in a long first label:
     * even compressed, its NS set needs TCP. wide.test has 24 that share a long suffix: 1,516 bytes
     * uncompressed, 527 compressed. crowded.test has 20 name servers inside it with four
     * IPv6 addresses each: its NS answer fits a UDP response, its glue does not.
     */
    static String config() {
        StringBuilder big = new StringBuilder();
        StringBuilder wide = new StringBuilder();
        StringBuilder crowded = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            String sep = i == 0 ? "" : ", ";
            big.append(sep).append("a-rather-long-name-server-label-number-").append(i).append(".example.net");
            wide.append(sep).append("ns").append(i).append(".a-rather-long-dns-provider-name.example.net");
        }
        for (int i = 0; i < 20; i++) {
            crowded.append(i == 0 ? "" : ", ").append("{name: ns").append(i).append(".crowded.test, addresses: [")
                    .append("\"2001:db8:").append(i).append("::1\", \"2001:db8:").append(i).append("::2\", ")
                    .append("\"2001:db8:").append(i).append("::3\", \"2001:db8:").append(i).append("::4\"]}");
        }
        return CONFIG.formatted(big, wide, crowded);
    }

    /** Rewrites the configuration file (the server watches it). */
    void rewriteConfig(String text) throws IOException {
        Path tmp = dir.resolve("wayfinder.yaml.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    Message ask(String name, int type, String ecsSubnet, boolean tcp) throws IOException {
        return ask(ipv4, name, type, ecsSubnet, tcp);
    }

    /** A query for {@code name}, with an ECS option for {@code ecsSubnet} ("a.b.c.d/len") unless null, to any server. */
    static Message ask(InetSocketAddress server, String name, int type, String ecsSubnet, boolean tcp) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        if (ecsSubnet != null) {
            String[] parts = ecsSubnet.split("/");
            ClientSubnetOption ecs = new ClientSubnetOption(Integer.parseInt(parts[1]), InetAddress.getByName(parts[0]));
            query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(ecs)), Section.ADDITIONAL);
        }
        return resolver(server, tcp).send(query);
    }

    /** The response's ECS option, which must be its only one. */
    static ClientSubnetOption ecsOf(Message response) {
        List<org.xbill.DNS.EDNSOption> options = response.getOPT().getOptions(org.xbill.DNS.EDNSOption.Code.CLIENT_SUBNET);
        if (options.size() != 1) {
            throw new AssertionError("expected one ECS option in the response, found " + options.size());
        }
        return (ClientSubnetOption) options.get(0);
    }

    static SimpleResolver resolver(InetSocketAddress server, boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTCP(tcp);
        resolver.setIgnoreTruncation(true);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }

    /** The metrics endpoint's text (GET /metrics). */
    String scrape() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(3)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * One sample's value on the metrics endpoint, named as the exposition writes it, such as
     * {@code wayfinder_dns_tcp_connections_closed_total{reason="idle"}}; NaN when there is none.
     */
    double metric(String sample) throws IOException, InterruptedException {
        for (String line : scrape().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    @Override
    public void close() {
        server.close();
    }
}
