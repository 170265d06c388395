package io.wayfinder.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What hostile clients can hold of the API, on a real server with small limits, the hostile
 * clients being raw sockets bound to loopback addresses of their own (127.0.0.3 and up) and the
 * well-behaved one {@link ApiDeployment}'s HttpClient (127.0.0.1): a body that trickles in is cut
 * off with 408; bodies read at once beyond the limit get 503; connections over an address's limit
 * or the global one are closed as soon as accepted; and meanwhile the API answers the others.
 */
class ClientLimitsApiTest {
    /**
     * 6 connections, 2 an address, 2 bodies at once, each cut off 1 s after its first byte unless it
     * brings 1 KiB/s; a request's line and headers within 2 s.
     */
    static final ApiLimits SMALL = new ApiLimits(6, 2, 2, new BodyPace(Duration.ofSeconds(1), 1024), Duration.ofSeconds(2));
    /** Generous: a close that must happen happens within this, however busy the machine. */
    static final int WAIT_MILLIS = 10_000;

    @TempDir
    Path dir;
    ApiDeployment d;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (d != null) {
            d.close();
        }
    }

    ApiDeployment start(String config) throws Exception {
        d = ApiDeployment.start(dir, config, SMALL);
        return d;
    }

    /** A connection to the API from {@code local}, a loopback address. */
    Socket connectFrom(String local) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
        s.connect(new InetSocketAddress("127.0.0.1", d.server.apiPort()), 3000);
        s.setSoTimeout(WAIT_MILLIS);
        return s;
    }

    /** GET /healthz on a kept-alive connection: its status line. */
    static String healthz(Socket s) throws IOException {
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return response(s.getInputStream()).split("\r\n", 2)[0];
    }

    /** One response, head and body (by its Content-Length), leaving the connection open. */
    static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        Matcher length = Pattern.compile("(?im)^Content-Length: *(\\d+)").matcher(text);
        byte[] body = in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    /** Whether the server closed the connection (end-of-stream or a reset) within the wait, without answering. */
    static boolean closedUnanswered(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** The headers of a PUT of web with the writer token, announcing {@code length} bytes of body. */
    static byte[] putHead(int length) {
        return ("PUT /api/v1/profiles/web HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ApiDeployment.WRITER
                + "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    double metric(String series) throws Exception {
        String text = d.send(d.request("/metrics", null).GET().build()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    int healthzStatus() throws Exception {
        return d.send(d.request("/healthz", null).GET().build()).statusCode();
    }

    /** Sends a byte of body every 200 ms, for 20 s at most: never silent for the idle timeout, far below 1 KiB/s. */
    static Thread trickle(Socket s) {
        return drip(s, new byte[] {' '}, 200);
    }

    /** Sends {@code unit} every {@code millis} ms, 100 times at most. */
    static Thread drip(Socket s, byte[] unit, long millis) {
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    s.getOutputStream().write(unit);
                    Thread.sleep(millis);
                }
            } catch (IOException | InterruptedException e) {
                // cut off, or the test is over
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aBodyThatTricklesInIsCutOffWith408WhileOthersAreServed() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        Socket slow = connectFrom("127.0.0.3");
        slow.getOutputStream().write(putHead(1000));
        Thread trickle = trickle(slow);
        try {
            assertThat(healthzStatus()).as("another client, meanwhile").isEqualTo(200);

            String answer = response(slow.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("Connection: close").contains("the body did not arrive in time");
            assertThat(closedUnanswered(slow)).as("and the connection closed").isTrue();
        } finally {
            trickle.interrupt();
        }
        assertThat(metric("wayfinder_api_errors_total{route=\"/api/v1/profiles/{name}\",status=\"408\"}")).isEqualTo(1);
        assertThat(d.addresses("www.app.test")).as("nothing was written").containsExactly("192.0.2.10");
    }

    @Test
    void headersThatTrickleInAreAnswered408AndClosedWhileOthersAreServed() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        Socket slow = connectFrom("127.0.0.3");
        slow.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
        Thread trickle = trickle(slow); // a header's value, a byte every 200 ms, never ended
        Socket lineEnds = connectFrom("127.0.0.4");
        Thread drip = drip(lineEnds, "\r\n".getBytes(StandardCharsets.US_ASCII), 200); // before any request line
        try {
            assertThat(healthzStatus()).as("another client, meanwhile").isEqualTo(200);

            assertThat(response(slow.getInputStream())).startsWith("HTTP/1.1 408 ").contains("Connection: close");
            assertThat(closedUnanswered(slow)).as("and the connection closed").isTrue();
            assertThat(response(lineEnds.getInputStream())).startsWith("HTTP/1.1 408 ");
        } finally {
            trickle.interrupt();
            drip.interrupt();
        }
        assertThat(metric("wayfinder_api_errors_total{route=\"none\",status=\"408\"}")).isEqualTo(2);
        assertThat(healthzStatus()).isEqualTo(200);
    }

    @Test
    void aConnectionIsNotCutForIdlingBetweenRequestsNorForABodyThatKeepsItsPace() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        Socket kept = connectFrom("127.0.0.3");
        assertThat(healthz(kept)).isEqualTo("HTTP/1.1 200 OK");
        Thread.sleep(3_000); // idle past the 2 s for headers: only the idle timeout (30 s) bounds this
        assertThat(healthz(kept)).as("the same connection, after idling").isEqualTo("HTTP/1.1 200 OK");

        // A body of 3 KiB at 1.5 KiB/s: it takes 2 s past its headers, inside its pace.
        String profile = "{\"trafficRoutingMethod\": \"Priority\", \"endpoints\": [{\"name\": \"a\", \"target\": \"192.0.2.1\"}]}";
        byte[] body = (profile + " ".repeat(3072 - profile.length())).getBytes(StandardCharsets.US_ASCII);
        kept.getOutputStream().write(putHead(body.length));
        for (int at = 0; at < body.length; at += 384) {
            kept.getOutputStream().write(body, at, Math.min(384, body.length - at));
            Thread.sleep(250);
        }
        assertThat(response(kept.getInputStream())).startsWith("HTTP/1.1 200 ");
        assertThat(metric("wayfinder_api_errors_total{route=\"none\",status=\"408\"}")).isZero();
    }

    @Test
    void aBeaconPostThatTricklesInIsCutOffWith408() throws Exception {
        start(BeaconApiTest.config());
        HttpResponse<String> created = d.write("POST", "/api/v1/rum/keys", "{\"name\": \"shop\", \"origins\": [\""
                + BeaconApiTest.SITE + "\"]}");
        String key = ApiDeployment.json(created).get("key").asString();
        Socket slow = connectFrom("127.0.0.3");
        slow.getOutputStream().write(("POST /rum?key=" + key + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Origin: " + BeaconApiTest.SITE + "\r\nContent-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        Thread trickle = trickle(slow);
        try {
            assertThat(response(slow.getInputStream())).startsWith("HTTP/1.1 408 ");
        } finally {
            trickle.interrupt();
        }
        assertThat(metric("wayfinder_api_errors_total{route=\"/rum\",status=\"408\"}")).isEqualTo(1);
        assertThat(metric("wayfinder_rum_posts_rejected_total{reason=\"body\"}")).isEqualTo(1);
    }

    @Test
    void bodiesBeyondTheOnesBeingReadAreAnswered503WhileOthersAreServed() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        for (String local : List.of("127.0.0.3", "127.0.0.4")) {
            Socket slow = connectFrom(local);
            slow.getOutputStream().write(putHead(1000));
            slow.getOutputStream().write('{');
        }
        Socket third = connectFrom("127.0.0.5");
        // Once the two are being read (their handlers take a moment to start), a third body is refused at once.
        await().atMost(Duration.ofMillis(WAIT_MILLIS)).pollInterval(Duration.ofMillis(20)).until(() -> {
            third.getOutputStream().write(putHead(2));
            third.getOutputStream().write("{}".getBytes(StandardCharsets.US_ASCII));
            String answer = response(third.getInputStream());
            return answer.startsWith("HTTP/1.1 503 ") && answer.contains("request bodies are being read at once");
        });
        assertThat(healthzStatus()).as("a request without a body, meanwhile").isEqualTo(200);
        assertThat(metric("wayfinder_api_errors_total{route=\"/api/v1/profiles/{name}\",status=\"503\"}")).isEqualTo(1);
    }

    @Test
    void aConnectionOverItsAddressesLimitIsClosedAtOnceWhileOthersAreServed() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        Socket first = connectFrom("127.0.0.3");
        Socket second = connectFrom("127.0.0.3");
        assertThat(healthz(first)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(healthz(second)).isEqualTo("HTTP/1.1 200 OK");

        assertThat(closedUnanswered(connectFrom("127.0.0.3"))).as("a third from the same address").isTrue();
        assertThat(healthzStatus()).as("another address").isEqualTo(200);
        assertThat(healthz(first)).as("the first two still served").isEqualTo("HTTP/1.1 200 OK");
        assertThat(metric("wayfinder_api_connections_rejected_total{reason=\"per_address\"}")).isEqualTo(1);

        second.close();
        await().atMost(Duration.ofMillis(WAIT_MILLIS)).ignoreExceptions().untilAsserted(() ->
                assertThat(healthz(connectFrom("127.0.0.3"))).as("its slot is given back").isEqualTo("HTTP/1.1 200 OK"));
    }

    @Test
    void aConnectionOverTheGlobalLimitIsClosedAtOnceUntilOneCloses() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < SMALL.maxConnections(); i++) {
            Socket s = connectFrom("127.0.0." + (3 + i));
            assertThat(healthz(s)).isEqualTo("HTTP/1.1 200 OK");
            open.add(s);
        }

        assertThat(closedUnanswered(connectFrom("127.0.0.20"))).as("one more, from a new address").isTrue();
        assertThat(healthz(open.get(0))).as("those within the limit still served").isEqualTo("HTTP/1.1 200 OK");

        open.get(0).close();
        await().atMost(Duration.ofMillis(WAIT_MILLIS)).ignoreExceptions().untilAsserted(() -> assertThat(healthzStatus()).isEqualTo(200));
        assertThat(metric("wayfinder_api_connections_rejected_total{reason=\"global\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aConnectionAcceptedWhileMoreThanHalfAreOpenIdlesOnlyAsLongAsHeadersMayTake() throws Exception {
        start(ApiDeployment.SETTINGS + ApiDeployment.PROFILES);
        List<Socket> first = new ArrayList<>();
        for (int i = 0; i < SMALL.maxConnections() / 2; i++) { // half the slots: not yet crowded
            Socket s = connectFrom("127.0.0." + (3 + i));
            assertThat(healthz(s)).isEqualTo("HTTP/1.1 200 OK");
            first.add(s);
        }
        Socket late = connectFrom("127.0.0.10");
        assertThat(healthz(late)).as("a crowded connection is answered like any other").isEqualTo("HTTP/1.1 200 OK");

        assertThat(closedUnanswered(late)).as("then closed after 2 s idle (the header time), not 30 s").isTrue();
        for (Socket s : first) {
            assertThat(healthz(s)).as("those opened before the crowd keep the connector's idle timeout").isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aTrustedProxyCountsOnlyAgainstTheGlobalLimit() throws Exception {
        start(BeaconApiTest.config()); // latency.rum.trustedProxies: [127.0.0.1]
        for (int i = 0; i < SMALL.maxConnectionsPerAddress() + 2; i++) {
            assertThat(healthz(connectFrom("127.0.0.1"))).as("proxied connection " + i).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(metric("wayfinder_api_connections_rejected_total{reason=\"per_address\"}")).isZero();

        connectFrom("127.0.0.3");
        connectFrom("127.0.0.3");
        assertThat(closedUnanswered(connectFrom("127.0.0.3"))).as("an address that is not a proxy").isTrue();
    }
}
