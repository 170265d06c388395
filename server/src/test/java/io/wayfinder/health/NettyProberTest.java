package io.wayfinder.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.wayfinder.profile.MonitorConfig;
import io.wayfinder.profile.MonitorConfig.Header;
import io.wayfinder.profile.MonitorConfig.Protocol;
import io.wayfinder.profile.MonitorConfig.StatusCodeRange;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real probes against real servers on loopback ephemeral ports. The probe's path picks what the
 * server does: {@code /status/NNN} answers NNN (301 and 302 with a Location), {@code /slow} holds
 * the request until the class is done, {@code /hangup} closes the connection without answering.
 * Every request is recorded by its URI. Name targets resolve through an injected
 * {@link NettyProber.HostResolver}; nothing leaves loopback.
 */
class NettyProberTest {
    /** The probe timeout of the slow-server tests (a fraction of a second, as a config may say); the others allow a loaded machine more. */
    private static final int TIMEOUT_MILLIS = 700;
    private static final int GENEROUS_TIMEOUT_MILLIS = 5000;

    private static final InetAddress LOOPBACK = address("127.0.0.1");

    @TempDir
    static Path dir;

    static final Map<String, List<Map<String, List<String>>>> requests = new ConcurrentHashMap<>();
    static final CountDownLatch release = new CountDownLatch(1);
    static ExecutorService serverThreads;
    static HttpServer http;
    static HttpsServer https;
    static HttpServer httpOn127001;
    static HttpServer httpOn127002;
    static NettyProber prober;
    /** The HTTPS server's self-signed certificate (SAN: IP 127.0.0.1). */
    static java.security.cert.X509Certificate selfSigned;
    static final Map<String, InetAddress[]> names = new ConcurrentHashMap<>();
    static final AtomicInteger resolutions = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        serverThreads = Executors.newCachedThreadPool();
        http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        https = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(selfSignedContext(dir)));
        for (HttpServer s : List.of(http, https)) {
            s.createContext("/", NettyProberTest::handle);
            s.setExecutor(serverThreads);
            s.start();
        }
        HttpServer[] pair = bindOnSamePort(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"));
        httpOn127001 = pair[0];
        httpOn127002 = pair[1];
        for (HttpServer s : pair) {
            s.createContext("/", NettyProberTest::handle);
            s.setExecutor(serverThreads);
            s.start();
        }
        prober = new NettyProber(Clock.systemUTC(), name -> {
            resolutions.incrementAndGet();
            InetAddress[] addresses = names.get(name);
            if (addresses == null) {
                throw new UnknownHostException(name);
            }
            return addresses;
        });
    }

    @AfterAll
    static void stop() {
        release.countDown();
        prober.close();
        for (HttpServer s : List.of(http, https, httpOn127001, httpOn127002)) {
            s.stop(0);
        }
        serverThreads.shutdownNow();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            Map<String, List<String>> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            headers.put(":method", List.of(exchange.getRequestMethod()));
            requests.computeIfAbsent(exchange.getRequestURI().toString(), k -> new CopyOnWriteArrayList<>()).add(headers);
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/status/")) {
                int status = Integer.parseInt(path.substring("/status/".length()));
                if (status == 301 || status == 302) {
                    exchange.getResponseHeaders().set("Location", "/status/200?followed");
                }
                exchange.sendResponseHeaders(status, -1);
            } else if (path.equals("/slow")) {
                release.await(20, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } else if (path.equals("/hangup")) {
                return; // closing the exchange before any response closes the connection
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A self-signed certificate for 127.0.0.1 made by the JDK's keytool, in an SSLContext. */
    private static SSLContext selfSignedContext(Path dir) throws Exception {
        Path store = dir.resolve("probe-test.p12");
        char[] password = "changeit".toCharArray();
        // keytool is a JVM of its own: C1 only and the serial collector make it start in half the time.
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-genkeypair", "-alias", "probe-test", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=wayfinder probe test", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit",
                "-noprompt")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!keytool.waitFor(30, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        selfSigned = (java.security.cert.X509Certificate) keys.getCertificate("probe-test");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Two HTTP servers on the same ephemeral port of two loopback addresses. */
    static HttpServer[] bindOnSamePort(InetAddress a, InetAddress b) throws IOException {
        for (int attempt = 0; ; attempt++) {
            HttpServer first = HttpServer.create(new InetSocketAddress(a, 0), 0);
            try {
                HttpServer second = HttpServer.create(new InetSocketAddress(b, first.getAddress().getPort()), 0);
                return new HttpServer[] {first, second};
            } catch (BindException e) {
                first.stop(0);
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private static MonitorConfig monitor(Protocol protocol, int port, String path, List<StatusCodeRange> ranges,
                                         boolean verify) {
        return monitor(protocol, port, path, ranges, verify, GENEROUS_TIMEOUT_MILLIS);
    }

    private static MonitorConfig monitor(Protocol protocol, int port, String path, List<StatusCodeRange> ranges,
                                         boolean verify, int timeoutMillis) {
        return new MonitorConfig(protocol, port, path, timeoutMillis / 1000 + 1, timeoutMillis, 0, List.of(), ranges, 1, verify);
    }

    private static void assertPasses(ProbeResult result) {
        assertThat(result.success()).as("success; the reason was '%s'", result.reason()).isTrue();
    }

    private static ProbeTarget http(String path) {
        return new ProbeTarget("127.0.0.1", false, monitor(Protocol.HTTP, http.getAddress().getPort(), path, List.of(), false),
                List.of());
    }

    private static ProbeResult probe(ProbeTarget target) throws Exception {
        return prober.probe(target).get(20, TimeUnit.SECONDS);
    }

    /** "200-299 301" as ranges. */
    private static List<StatusCodeRange> ranges(String text) {
        List<StatusCodeRange> out = new ArrayList<>();
        for (String part : text == null ? new String[0] : text.split(" ")) {
            String[] bounds = part.split("-");
            out.add(new StatusCodeRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[bounds.length - 1])));
        }
        return out;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    @ParameterizedTest(name = "{0} with ranges [{1}] -> success={2} ({3})")
    @CsvSource(nullValues = "-", value = {
            "200, -,               true,  HTTP 200",
            "503, -,               false, HTTP 503",
            "301, -,               false, HTTP 301",
            "302, -,               false, HTTP 302",
            "204, -,               false, HTTP 204",
            "301, 301-302,         true,  HTTP 301",
            "204, 200-299,         true,  HTTP 204",
            "301, 200-299,         false, 'expected 200-299, got 301'",
            "503, 200-299 301,     false, 'expected 200-299, 301, got 503'",
            "503, 500-599,         true,  HTTP 503",
    })
    void theStatusIsJudgedByTheExpectedRangesOrOnly200(int status, String ranges, boolean success, String reason)
            throws Exception {
        MonitorConfig monitor = monitor(Protocol.HTTP, http.getAddress().getPort(), "/status/" + status, ranges(ranges), false);
        ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor, List.of()));
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.success()).isEqualTo(success);
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        requests.remove("/status/200?followed");
        assertThat(probe(http("/status/301")).success()).isFalse();
        assertThat(requests).doesNotContainKey("/status/200?followed");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"HTTP", "HTTPS"})
    void aServerSlowerThanTheTimeoutFails(Protocol protocol) throws Exception {
        int port = (protocol == Protocol.HTTP ? http : https).getAddress().getPort();
        ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor(protocol, port, "/slow", List.of(), false, TIMEOUT_MILLIS), List.of()));
        assertThat(result.success()).isFalse();
        assertThat(result.reason()).isEqualTo("timeout after " + TIMEOUT_MILLIS + " ms");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(names = {"HTTP", "HTTPS"})
    void aServerThatHangsUpWithoutAnsweringFails(Protocol protocol) throws Exception {
        int port = (protocol == Protocol.HTTP ? http : https).getAddress().getPort();
        ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor(protocol, port, "/hangup", List.of(), false), List.of()));
        assertThat(result.success()).isFalse();
        assertThat(result.reason()).isEqualTo("connection closed before a response");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "/status/200, true,  HTTP 200",
            "/status/503, false, HTTP 503",
    })
    void httpsWithoutVerificationAcceptsASelfSignedCertificate(String path, boolean success, String reason) throws Exception {
        MonitorConfig monitor = monitor(Protocol.HTTPS, https.getAddress().getPort(), path, List.of(), false);
        ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor, List.of()));
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.success()).isEqualTo(success);
    }

    @Test
    void httpsWithVerifyCertificateRejectsASelfSignedCertificate() throws Exception {
        requests.remove("/status/200?verified");
        MonitorConfig monitor = monitor(Protocol.HTTPS, https.getAddress().getPort(), "/status/200?verified", List.of(), true);
        ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor, List.of()));
        assertThat(result.success()).isFalse();
        assertThat(result.reason()).startsWith("TLS handshake failed: ");
        assertThat(requests).as("no request is sent over an unverified connection").doesNotContainKey("/status/200?verified");
    }

    @Test
    void httpsWithVerifyCertificateAcceptsATrustedCertificateForTheAddress() throws Exception {
        MonitorConfig monitor = monitor(Protocol.HTTPS, https.getAddress().getPort(), "/status/200", List.of(), true);
        try (NettyProber trusting = new NettyProber(Clock.systemUTC(), InetAddress::getAllByName,
                new java.security.cert.X509Certificate[] {selfSigned})) {
            ProbeResult result = trusting.probe(new ProbeTarget("127.0.0.1", false, monitor, List.of())).get(20, TimeUnit.SECONDS);
            assertPasses(result);
        }
    }

    @Test
    void httpsWithVerifyCertificateRejectsATrustedCertificateForAnotherName() throws Exception {
        MonitorConfig monitor = monitor(Protocol.HTTPS, https.getAddress().getPort(), "/status/200", List.of(), true);
        List<MonitorConfig.Header> host = List.of(new MonitorConfig.Header("Host", "www.example.test"));
        try (NettyProber trusting = new NettyProber(Clock.systemUTC(), InetAddress::getAllByName,
                new java.security.cert.X509Certificate[] {selfSigned})) {
            ProbeResult result = trusting.probe(new ProbeTarget("127.0.0.1", false, monitor, host)).get(20, TimeUnit.SECONDS);
            assertThat(result.success()).isFalse();
            assertThat(result.reason()).startsWith("TLS handshake failed: ");
        }
    }

    @Test
    void httpsSendsTheRequestOverTls() throws Exception {
        requests.remove("/status/200?tls");
        MonitorConfig monitor = monitor(Protocol.HTTPS, https.getAddress().getPort(), "/status/200?tls", List.of(), false);
        assertPasses(probe(new ProbeTarget("127.0.0.1", false, monitor, List.of())));
        assertThat(requests.get("/status/200?tls")).singleElement()
                .satisfies(h -> assertThat(h.get("host")).containsExactly("127.0.0.1:" + https.getAddress().getPort()));
    }

    @Test
    void aTcpProbeSucceedsWhenTheConnectionOpens() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            MonitorConfig monitor = monitor(Protocol.TCP, server.getLocalPort(), null, List.of(), false);
            ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor, List.of()));
            assertPasses(result);
            assertThat(result.reason()).isEqualTo("TCP connected");
        }
    }

    @Test
    void aServerThatAnswersSomethingOtherThanHttpFailsEvenWhenEveryStatusIsExpected() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, LOOPBACK)) {
            serverThreads.submit(() -> {
                try (java.net.Socket s = server.accept()) {
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    Thread.sleep(2000);
                }
                return null;
            });
            MonitorConfig monitor = monitor(Protocol.HTTP, server.getLocalPort(), "/health",
                    List.of(new StatusCodeRange(100, 999)), false);
            ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor, List.of()));
            assertThat(result.success()).isFalse();
            assertThat(result.reason()).isEqualTo("not an HTTP response");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Protocol.class)
    void aClosedPortIsConnectionRefused(Protocol protocol) throws Exception {
        MonitorConfig monitor = monitor(protocol, closedPort(), protocol == Protocol.TCP ? null : "/health", List.of(), false);
        ProbeResult result = probe(new ProbeTarget("127.0.0.1", false, monitor, List.of()));
        assertThat(result.success()).isFalse();
        assertThat(result.reason()).isEqualTo("connection refused");
    }

    @Test
    void theRequestIsOneGetWithTheProbeHeadersAndConnectionClose() throws Exception {
        String uri = "/status/200?headers";
        requests.remove(uri);
        List<Header> headers = List.of(new Header("X-Probe-Token", "s3cret"), new Header("Accept-Language", "en"));
        MonitorConfig monitor = monitor(Protocol.HTTP, http.getAddress().getPort(), uri, List.of(), false);
        assertPasses(probe(new ProbeTarget("127.0.0.1", false, monitor, headers)));
        assertThat(requests.get(uri)).singleElement().satisfies(h -> {
            assertThat(h.get(":method")).containsExactly("GET");
            assertThat(h.get("host")).containsExactly("127.0.0.1:" + http.getAddress().getPort());
            assertThat(h.get("user-agent")).singleElement().asString().startsWith("Wayfinder");
            assertThat(h.get("connection")).containsExactly("close");
            assertThat(h.get("x-probe-token")).containsExactly("s3cret");
            assertThat(h.get("accept-language")).containsExactly("en");
        });
    }

    @ParameterizedTest(name = "header {0}: {1}")
    @CsvSource({
            "Host, www.example.org",
            "host, www.example.org:8443",
            "HOST, app.test",
    })
    void aCustomHostHeaderReplacesTheDefaultOne(String name, String value) throws Exception {
        String uri = "/status/200?host=" + value;
        requests.remove(uri);
        MonitorConfig monitor = monitor(Protocol.HTTP, http.getAddress().getPort(), uri, List.of(), false);
        assertPasses(probe(new ProbeTarget("127.0.0.1", false, monitor, List.of(new Header(name, value)))));
        assertThat(requests.get(uri)).singleElement().satisfies(h -> assertThat(h.get("host")).containsExactly(value));
    }

    @Test
    void anIpv6LiteralIsProbedWithABracketedHostHeader() throws Exception {
        HttpServer v6 = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
        v6.createContext("/", NettyProberTest::handle);
        v6.setExecutor(serverThreads);
        v6.start();
        try {
            String uri = "/status/200?v6";
            requests.remove(uri);
            int port = v6.getAddress().getPort();
            MonitorConfig monitor = monitor(Protocol.HTTP, port, uri, List.of(), false);
            assertPasses(probe(new ProbeTarget("::1", false, monitor, List.of())));
            assertThat(requests.get(uri)).singleElement().satisfies(h -> assertThat(h.get("host")).containsExactly("[::1]:" + port));
        } finally {
            v6.stop(0);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1           | true  | HTTP 200",
            "127.0.0.1 127.0.0.2 | true  | HTTP 200 from all 2 addresses",
            "127.0.0.1 127.0.0.3 | false | 127.0.0.3: connection refused",
            "127.0.0.3 127.0.0.1 | false | 127.0.0.3: connection refused",
            "127.0.0.3 127.0.0.4 | false | 127.0.0.3: connection refused; 127.0.0.4: connection refused",
            "127.0.0.4           | false | connection refused",
    })
    void aNameTargetPassesOnlyWhenEveryAddressItResolvesToPasses(String addresses, boolean success, String reason)
            throws Exception {
        String name = "app-" + Math.abs(addresses.hashCode()) + ".test";
        InetAddress[] resolved = Arrays.stream(addresses.split(" ")).map(NettyProberTest::address).toArray(InetAddress[]::new);
        names.put(name, resolved);
        int port = httpOn127001.getAddress().getPort();
        MonitorConfig monitor = monitor(Protocol.HTTP, port, "/status/200", List.of(), false);
        ProbeResult result = probe(new ProbeTarget(name, true, monitor, List.of()));
        assertThat(result.reason()).isEqualTo(reason);
        assertThat(result.success()).isEqualTo(success);
    }

    @Test
    void aNameTargetSendsTheNameAndPortAsHost() throws Exception {
        names.put("app.test", new InetAddress[] {address("127.0.0.1")});
        String uri = "/status/200?named";
        requests.remove(uri);
        int port = httpOn127001.getAddress().getPort();
        MonitorConfig monitor = monitor(Protocol.HTTP, port, uri, List.of(), false);
        assertPasses(probe(new ProbeTarget("app.test", true, monitor, List.of())));
        assertThat(requests.get(uri)).singleElement().satisfies(h -> assertThat(h.get("host")).containsExactly("app.test:" + port));
    }

    @Test
    void aNameIsResolvedAgainForEveryProbe() throws Exception {
        names.put("moving.test", new InetAddress[] {address("127.0.0.1")});
        int port = httpOn127001.getAddress().getPort();
        ProbeTarget target = new ProbeTarget("moving.test", true, monitor(Protocol.HTTP, port, "/status/200", List.of(), false),
                List.of());
        assertPasses(probe(target));
        names.put("moving.test", new InetAddress[] {address("127.0.0.4")});
        assertThat(probe(target).reason()).isEqualTo("connection refused");
    }

    @ParameterizedTest(name = "resolver answers {0}")
    @CsvSource({"unknown", "nothing"})
    void aNameThatCannotBeResolvedFails(String answer) throws Exception {
        String name = "unresolvable-" + answer + ".test";
        if (answer.equals("nothing")) {
            names.put(name, new InetAddress[0]);
        }
        int before = resolutions.get();
        ProbeResult result = probe(new ProbeTarget(name, true,
                monitor(Protocol.HTTP, http.getAddress().getPort(), "/status/200", List.of(), false), List.of()));
        assertThat(result.success()).isFalse();
        assertThat(result.reason()).isEqualTo("cannot resolve " + name);
        assertThat(resolutions.get()).as("the injected resolver was asked").isGreaterThan(before);
    }

    @Test
    void namesWhoseResolutionHangsDoNotHoldUpTheOthers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        NettyProber hangingDns = new NettyProber(Clock.systemUTC(), name -> {
            if (name.startsWith("hanging")) {
                try {
                    release.await(20, TimeUnit.SECONDS); // a DNS server that does not answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UnknownHostException(name);
            }
            return new InetAddress[] {LOOPBACK};
        });
        try {
            MonitorConfig monitor = monitor(Protocol.HTTP, http.getAddress().getPort(), "/status/200", List.of(), false);
            for (int i = 0; i < 4; i++) {
                hangingDns.probe(new ProbeTarget("hanging-" + i + ".test", true, monitor, List.of()));
            }
            ProbeResult fine = hangingDns.probe(new ProbeTarget("fine.test", true, monitor, List.of())).get(20, TimeUnit.SECONDS);
            assertPasses(fine);
        } finally {
            release.countDown();
            hangingDns.close();
        }
    }

    @Test
    void aNameThatResolvesSlowerThanTheTimeoutFailsWithATimeout() throws Exception {
        // The resolver holds until the probe has a result (or two timeouts have passed, so that a
        // probe that waits for it still ends): the timeout must bound resolution too.
        CountDownLatch probeDone = new CountDownLatch(1);
        AtomicInteger heldResolutions = new AtomicInteger();
        NettyProber slowDns = new NettyProber(Clock.systemUTC(), name -> {
            try {
                if (!probeDone.await(2L * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                    heldResolutions.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new InetAddress[] {address("127.0.0.1")};
        });
        try {
            MonitorConfig monitor = monitor(Protocol.HTTP, http.getAddress().getPort(), "/status/200", List.of(), false,
                    TIMEOUT_MILLIS);
            ProbeResult result = slowDns.probe(new ProbeTarget("slow-dns.test", true, monitor, List.of()))
                    .whenComplete((r, e) -> probeDone.countDown()).get(20, TimeUnit.SECONDS);
            assertThat(heldResolutions.get()).as("the probe waited for the resolver beyond its timeout").isZero();
            assertThat(result.success()).isFalse();
            assertThat(result.reason()).isEqualTo("timeout after " + TIMEOUT_MILLIS + " ms");
        } finally {
            probeDone.countDown();
            slowDns.close();
        }
    }

    @Test
    void aMalformedAddressLiteralFailsWithoutConnecting() throws Exception {
        ProbeResult result = probe(new ProbeTarget("300.1.2.3", false,
                monitor(Protocol.HTTP, 80, "/health", List.of(), false), List.of()));
        assertThat(result.success()).isFalse();
        assertThat(result.reason()).isEqualTo("bad address 300.1.2.3");
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
