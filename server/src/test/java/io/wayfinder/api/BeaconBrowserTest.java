package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.wayfinder.control.LatencyLearningService;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import tools.jackson.databind.JsonNode;

/**
 * The beacon end to end, in a real browser: Debian's Chromium, headless, driven by Selenium through
 * Debian's chromedriver (never a downloaded one). Everything is on loopback:
 *
 * <pre>
 *   page     http://127.0.0.5:P/            includes &lt;script src=http://127.0.0.1:API/rum.js?key=K&gt;
 *   probes   http://127.0.0.2:P2/rum/probe  westeurope, answers after delay[westeurope]
 *            http://127.0.0.3:P3/rum/probe  eastus,     answers after delay[eastus]
 *   Wayfinder API http://127.0.0.1:API (beacon, learning), DNS 127.0.0.1:D (profile music: eu in
 *            westeurope, us in eastus, Performance)
 * </pre>
 *
 * The browser times the probes and posts to /rum; the learned table for 127.0.0.0/24 (the browser's
 * network) must follow the delays, and so must the DNS answer for music.app.test, asked from
 * 127.0.0.1 and with ECS 127.0.0.0/24: the region with the shorter delay wins; swap the delays, load
 * the page again, and the answer moves.
 *
 * <p>Without Chromium and chromedriver the test is skipped with a message, unless
 * {@code WAYFINDER_REQUIRE_BROWSER=1} (which {@code bin/test} sets once it has installed them) says
 * it must run.
 *
 * <p>The learner is Wayfinder's own, as a server with {@code latency.learn} runs it.
 */
class BeaconBrowserTest {
    private static final Logger LOG = LoggerFactory.getLogger(BeaconBrowserTest.class);
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final int FAST_MS = 30;
    static final int SLOW_MS = 150;
    /** Page loads after the swap before the answer must have moved (the real learner wants a few recent samples). */
    static final int MAX_LOADS_AFTER_SWAP = 20;

    @TempDir
    Path dir;
    ApiDeployment d;
    final List<HttpServer> servers = new ArrayList<>();
    final ExecutorService pool = Executors.newFixedThreadPool(8);
    final Map<String, AtomicInteger> delays = Map.of("westeurope", new AtomicInteger(FAST_MS),
            "eastus", new AtomicInteger(SLOW_MS));
    ChromeDriver browser;

    @BeforeEach
    void requireBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if ("1".equals(System.getenv("WAYFINDER_REQUIRE_BROWSER"))) {
            assertThat(present).as("WAYFINDER_REQUIRE_BROWSER=1 but " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing (apt-get install chromium chromium-driver)").isTrue();
        }
        Assumptions.assumeTrue(present, "skipped: Debian's chromium and chromium-driver are not installed"
                + " (bin/test installs them; set WAYFINDER_REQUIRE_BROWSER=1 to make this a failure)");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        servers.forEach(s -> s.stop(0));
        pool.shutdownNow();
        if (d != null) {
            d.close();
        }
    }

    @Test
    void theLearnedTableAndTheDnsAnswerFollowWhatTheBrowserMeasures() throws Exception {
        String westeurope = probe("127.0.0.2", "westeurope");
        String eastus = probe("127.0.0.3", "eastus");
        d = ApiDeployment.start(dir, config(westeurope, eastus), LatencyLearningService.Learners.LEARNED);
        String site = page("127.0.0.5");
        String origin = site.substring(0, site.length() - 1);
        HttpResponse<String> created = d.write("POST", "/api/v1/rum/keys", "{\"name\": \"shop\", \"origins\": [\"" + origin + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String key = ApiDeployment.json(created).get("key").asString();
        browser = chromium();
        LOG.info("browser test: {} {}", browser.getCapabilities().getBrowserName(),
                browser.getCapabilities().getBrowserVersion());

        // westeurope answers in 30 ms, eastus in 150: one page view, and westeurope wins.
        load(site + "?key=" + key, 1);
        JsonNode table = learnedTable();
        double we = rtt(table, "westeurope");
        double us = rtt(table, "eastus");
        LOG.info("browser test: learned for 127.0.0.0/24 after delays westeurope {} ms, eastus {} ms: westeurope {} ms,"
                + " eastus {} ms", FAST_MS, SLOW_MS, we, us);
        // The learner shrinks a single page view's figures a little toward what it borrows (148.2 for a
        // 150 ms probe once), so the table is held to the delays, not to the millisecond.
        assertThat(we).as("what the browser measured includes the probe's delay").isGreaterThanOrEqualTo(FAST_MS * 0.8);
        assertThat(us - we).as("eastus slower by most of the delays' difference").isGreaterThanOrEqualTo((SLOW_MS - FAST_MS) * 0.8);
        assertThat(metric("wayfinder_rum_samples_accepted_total{timing=\"resource\"}"))
                .as("the browser timed the probes with Resource Timing (Timing-Allow-Origin honoured)").isEqualTo(2);
        assertThat(answer(null)).as("the resolver's address").isEqualTo("192.0.2.40");
        assertThat(answer("127.0.0.0")).as("ECS 127.0.0.0/24").isEqualTo("192.0.2.40");

        // Swap the delays: page views go on, and within a few the table and the answer move to eastus.
        delays.get("westeurope").set(SLOW_MS);
        delays.get("eastus").set(FAST_MS);
        int loads = 0;
        while (loads < MAX_LOADS_AFTER_SWAP) {
            loads++;
            load(site + "?key=" + key + "&view=" + loads, 1 + loads);
            table = learnedTable();
            if (rtt(table, "eastus") < rtt(table, "westeurope") && answer(null).equals("192.0.2.41")) {
                break;
            }
        }
        LOG.info("browser test: after the swap, {} page views: westeurope {} ms, eastus {} ms", loads,
                rtt(table, "westeurope"), rtt(table, "eastus"));
        assertThat(rtt(table, "eastus")).as("eastus now answers faster").isLessThan(rtt(table, "westeurope"));
        assertThat(answer(null)).as("the resolver's address").isEqualTo("192.0.2.41");
        assertThat(answer("127.0.0.0")).as("ECS 127.0.0.0/24").isEqualTo("192.0.2.41");
        assertThat(metric("wayfinder_rum_posts_accepted_total")).isEqualTo(1 + loads);
    }

    // --- the world -------------------------------------------------------------------------------------

    static String config(String westeurope, String eastus) {
        return ApiDeployment.SETTINGS.replace("  sources: [latency.csv]\n", """
                  sources: [latency.csv]
                  learn: true
                  rebuildInterval: 1h
                  rum:
                    targets:
                      westeurope: %s
                      eastus: %s
                    fetches: 4
                """.formatted(westeurope, eastus)) + ApiDeployment.WEB_AND_EU + """
                  - name: music
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: music, ttl: 1}
                    endpoints:
                      - {name: eu, target: 192.0.2.40, endpointLocation: westeurope}
                      - {name: us, target: 192.0.2.41, endpointLocation: eastus}
                """;
    }

    /** A region's probe on its own loopback address: /rum/probe, answered after the region's delay. */
    String probe(String address, String region) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 64);
        s.setExecutor(pool);
        s.createContext("/rum/probe", exchange -> {
            try (exchange) {
                Thread.sleep(delays.get(region).get());
                exchange.getResponseHeaders().add("Timing-Allow-Origin", "*");
                exchange.getResponseHeaders().add("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        s.start();
        servers.add(s);
        return "http://" + address + ":" + s.getAddress().getPort() + "/rum/probe";
    }

    /** The site: one page that includes the beacon with the key of its query string. */
    String page(String address) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 64);
        s.setExecutor(pool);
        s.createContext("/", exchange -> {
            try (exchange) {
                String query = exchange.getRequestURI().getQuery();
                Matcher m = Pattern.compile("key=([a-z0-9_]+)").matcher(query == null ? "" : query);
                String key = m.find() ? m.group(1) : "";
                byte[] html = ("<!doctype html><html><head><title>shop</title><script async src=\"" + d.url()
                        + "/rum.js?key=" + key + "\"></script></head><body><h1>shop</h1></body></html>")
                        .getBytes(StandardCharsets.UTF_8);
                respond(exchange, html);
            }
        });
        s.start();
        servers.add(s);
        return "http://" + address + ":" + s.getAddress().getPort() + "/";
    }

    private static void respond(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    ChromeDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("chromium-profile"),
                // Loopback only: the page and the probes are on 127.0.0.x; every other host name the
                // browser might look up on its own (updates, safe browsing, metrics) fails here, so
                // nothing it does can reach beyond 127.0.0.0/8.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.*", "--no-pings", "--disable-domain-reliability",
                "--disable-client-side-phishing-detection", "--disable-features=MediaRouter,OptimizationHints,Translate",
                "--no-proxy-server");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort()
                .withLogOutput(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        // chromedriver's own log: not needed unless debugging
                    }
                }).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Loads the page and waits for its post: {@code posts} accepted since the start, then a rebuild. */
    void load(String url, int posts) throws Exception {
        browser.get(url);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> metric("wayfinder_rum_posts_accepted_total") >= posts);
        HttpResponse<String> rebuilt = d.write("POST", "/api/v1/latency/rebuild", null);
        assertThat(rebuilt.statusCode()).as(rebuilt.body()).isEqualTo(200);
    }

    /** What routing reads for the browser's network, region by region. */
    JsonNode learnedTable() throws Exception {
        HttpResponse<String> r = d.get("/api/v1/latency?client=127.0.0.1&region=westeurope,eastus");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ApiDeployment.json(r);
    }

    static double rtt(JsonNode table, String region) {
        for (JsonNode row : table.get("regions")) {
            if (row.get("region").asString().equals(region)) {
                JsonNode v = row.get("served").get("rttMs");
                return v.isNull() ? Double.POSITIVE_INFINITY : v.asDouble();
            }
        }
        throw new AssertionError("no row for " + region + " in " + table);
    }

    /** The A record a DNS client gets for music.app.test, from 127.0.0.1, with ECS for this /24 when given. */
    String answer(String ecsNetwork) throws IOException {
        Message query = Message.newQuery(Record.newRecord(Name.fromString("music.app.test."), Type.A, DClass.IN));
        if (ecsNetwork != null) {
            query.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24,
                    InetAddress.getByName(ecsNetwork)))), Section.ADDITIONAL);
        }
        SimpleResolver resolver = new SimpleResolver(d.dns);
        resolver.setTimeout(Duration.ofSeconds(3));
        List<Record> records = resolver.send(query).getSection(Section.ANSWER);
        assertThat(records).hasSize(1);
        return records.get(0).rdataToString();
    }

    double metric(String name) throws Exception {
        String text = d.send(d.request("/metrics", null).GET().build()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
