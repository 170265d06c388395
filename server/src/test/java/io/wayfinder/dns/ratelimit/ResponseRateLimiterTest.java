package io.wayfinder.dns.ratelimit;

import static io.wayfinder.dns.ratelimit.ResponseRateLimiter.DROP;
import static io.wayfinder.dns.ratelimit.ResponseRateLimiter.PASS;
import static io.wayfinder.dns.ratelimit.ResponseRateLimiter.SLIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.ResponseWriter;
import io.wayfinder.testing.CapturedLog;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.Type;

/** The limiter on a clock moved by hand: no sleeps, no wall clock. */
class ResponseRateLimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long WWW_A = 101;
    private static final long WWW_AAAA = 102;

    private long now = 5 * SECOND;

    private ResponseRateLimiter limiter(int perSecond, int slip) {
        return new ResponseRateLimiter(new ResponseRateSettings(perSecond, slip, 24, 64), () -> now, 42);
    }

    /** Sends {@code n} responses and tallies the verdicts: [pass, slip, drop]. */
    private static int[] send(ResponseRateLimiter limiter, int n, String address, ResponseKind kind, long name) {
        int[] tally = new int[3];
        byte[] a = bytes(address);
        for (int i = 0; i < n; i++) {
            tally[limiter.check(a, kind, name)]++;
        }
        return tally;
    }

    @Test
    void underTheLimitEverythingPasses() {
        ResponseRateLimiter limiter = limiter(20, 2);
        assertThat(send(limiter, 20, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(20, 0, 0);
        assertThat(limiter.dropped() + limiter.slipped()).isZero();
    }

    @ParameterizedTest(name = "slip {0}: {1} of 60 over the limit truncated")
    @CsvSource({"0, 0", "1, 60", "2, 30", "3, 20", "5, 12", "7, 9"})
    void overTheLimitExactlyOneInSlipIsTruncatedAndTheRestDropped(int slip, int truncated) {
        ResponseRateLimiter limiter = limiter(10, slip);
        List<Integer> verdicts = new ArrayList<>();
        byte[] a = bytes("198.51.100.7");
        for (int i = 0; i < 70; i++) {
            verdicts.add(limiter.check(a, ResponseKind.ANSWER, WWW_A));
        }
        assertThat(verdicts.subList(0, 10)).containsOnly(PASS);
        List<Integer> over = verdicts.subList(10, 70);
        assertThat(over).doesNotContain(PASS);
        assertThat(over.stream().filter(v -> v == SLIP).count()).isEqualTo(truncated);
        if (slip > 0) {
            assertThat(over.get(0)).as("the first response over the limit is the one truncated").isEqualTo(SLIP);
            for (int i = 0; i < over.size(); i++) {
                assertThat(over.get(i)).as("response %d over the limit", i + 1).isEqualTo(i % slip == 0 ? SLIP : DROP);
            }
        }
        assertThat(limiter.slipped()).isEqualTo(truncated);
        assertThat(limiter.dropped()).isEqualTo(60 - truncated);
    }

    @Test
    void eachKindAndNameIsCountedApart() {
        ResponseRateLimiter limiter = limiter(10, 2);
        String client = "198.51.100.7";
        assertThat(send(limiter, 11, client, ResponseKind.ANSWER, WWW_A)[0]).isEqualTo(10);
        // The same network, other kinds or names: each has its own ten.
        assertThat(send(limiter, 10, client, ResponseKind.ANSWER, WWW_AAAA)).containsExactly(10, 0, 0);
        assertThat(send(limiter, 10, client, ResponseKind.NODATA, WWW_A)).containsExactly(10, 0, 0);
        assertThat(send(limiter, 10, client, ResponseKind.NXDOMAIN, WWW_A)).containsExactly(10, 0, 0);
        assertThat(send(limiter, 10, client, ResponseKind.ERROR, 0)).containsExactly(10, 0, 0);
        assertThat(send(limiter, 1, client, ResponseKind.ANSWER, WWW_A)[0]).as("still limited").isZero();
    }

    @Test
    void networksAreCountedApartByPrefixLength() {
        ResponseRateLimiter limiter = limiter(10, 0);
        send(limiter, 10, "198.51.100.7", ResponseKind.ANSWER, WWW_A);
        assertThat(send(limiter, 1, "198.51.100.250", ResponseKind.ANSWER, WWW_A)).as("same /24").containsExactly(0, 0, 1);
        assertThat(send(limiter, 10, "198.51.101.7", ResponseKind.ANSWER, WWW_A)).as("next /24").containsExactly(10, 0, 0);

        send(limiter, 10, "2001:db8:0:1::1", ResponseKind.ANSWER, WWW_A);
        assertThat(send(limiter, 1, "2001:db8:0:1:ffff::9", ResponseKind.ANSWER, WWW_A)).as("same /64").containsExactly(0, 0, 1);
        assertThat(send(limiter, 10, "2001:db8:0:2::1", ResponseKind.ANSWER, WWW_A)).as("next /64").containsExactly(10, 0, 0);
        assertThat(send(limiter, 10, "198.51.100.0", ResponseKind.ANSWER, WWW_A)[0])
                .as("an IPv6 network is not an IPv4 one").isZero();

        limiter.update(new ResponseRateSettings(10, 0, 32, 128));
        assertThat(send(limiter, 10, "198.51.100.8", ResponseKind.ANSWER, WWW_A)).as("/32: another client").containsExactly(10, 0, 0);
        assertThat(send(limiter, 10, "2001:db8:0:1::2", ResponseKind.ANSWER, WWW_A)).as("/128").containsExactly(10, 0, 0);
    }

    @Test
    void aNewSecondRefills() {
        ResponseRateLimiter limiter = limiter(10, 2);
        now = 7 * SECOND + SECOND / 2;
        assertThat(send(limiter, 30, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(10, 10, 10);
        now = 8 * SECOND - 1;
        assertThat(send(limiter, 1, "198.51.100.7", ResponseKind.ANSWER, WWW_A)[0]).as("the same second").isZero();
        now = 8 * SECOND;
        assertThat(send(limiter, 12, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(10, 1, 1);
        now = 20 * SECOND;
        assertThat(send(limiter, 10, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(10, 0, 0);
    }

    @Test
    void limitingThatGoesOnStartsOnce() {
        ResponseRateLimiter limiter = limiter(10, 2);
        for (int s = 0; s < 4; s++) {
            now = (30 + s) * SECOND;
            send(limiter, 50, "198.51.100.7", ResponseKind.ANSWER, WWW_A);
        }
        assertThat(limiter.starts()).as("four seconds over the limit in a row").isEqualTo(1);
        now = 35 * SECOND; // a second without a flood in between
        send(limiter, 50, "198.51.100.7", ResponseKind.ANSWER, WWW_A);
        assertThat(limiter.starts()).isEqualTo(2);
    }

    @Test
    void zeroResponsesASecondTurnsItOffAndSettingsChangeLive() {
        ResponseRateLimiter limiter = limiter(0, 2);
        assertThat(send(limiter, 1000, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(1000, 0, 0);
        limiter.update(new ResponseRateSettings(5, 1, 24, 64));
        assertThat(send(limiter, 10, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(5, 5, 0);
        limiter.update(ResponseRateSettings.OFF);
        assertThat(send(limiter, 10, "198.51.100.7", ResponseKind.ANSWER, WWW_A)).containsExactly(10, 0, 0);
    }

    @Test
    void memoryStaysFixedUnderAMillionForgedSources() {
        ResponseRateLimiter limiter = limiter(10, 2);
        int capacity = limiter.capacity();
        String victim = "203.0.113.9";
        assertThat(send(limiter, 10, victim, ResponseKind.ANSWER, WWW_A)[0]).isEqualTo(10);
        // A million one-off sources in the same second, all ANY for the same name, as a forged flood.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        byte[] forged = new byte[4];
        int passed = 0;
        for (int i = 0; i < 1_000_000; i++) {
            int address = 0x0A00_0000 + i * 256; // 10.0.0.0 + one /24 each
            forged[0] = (byte) (address >>> 24);
            forged[1] = (byte) (address >>> 16);
            forged[2] = (byte) (address >>> 8);
            passed += limiter.check(forged, ResponseKind.ANSWER, WWW_A) == PASS ? 1 : 0;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        assertThat(passed).as("each forged network is under its limit").isEqualTo(1_000_000);
        assertThat(limiter.capacity()).isEqualTo(capacity);
        assertThat(allocated).as("bytes allocated for a million checks").isLessThan(256 * 1024);
        assertThat(send(limiter, 1, victim, ResponseKind.ANSWER, WWW_A)[0])
                .as("the flood did not evict the busy network's count").isZero();
    }

    @Test
    void onTheQueryPathUdpIsLimitedAndTcpNever() {
        ResponseRateLimiter limiter = limiter(3, 0);
        int[] udp = new int[3];
        int[] tcp = new int[3];
        for (int i = 0; i < 10; i++) {
            udp[checkAnswer(limiter, false)]++;
            tcp[checkAnswer(limiter, true)]++;
        }
        assertThat(udp).containsExactly(3, 0, 7);
        assertThat(tcp).containsExactly(10, 0, 0);
    }

    /** Decodes a query for www.app.test A, writes an answer to it and asks the limiter. */
    private static int checkAnswer(ResponseRateLimiter limiter, boolean tcp) {
        DnsQuery query = ResponseClassifierTest.query("www.app.test", Type.A, tcp);
        ByteBuf out = Unpooled.buffer();
        ResponseWriter writer = new ResponseWriter();
        writer.begin(out, query);
        writer.answer().pointer(ResponseWriter.QUESTION_NAME).record(Type.A, 30, new byte[] {0, 4, (byte) 192, 0, 2, 1});
        writer.finish(Rcode.NOERROR, true, -1);
        return limiter.check(query, QueryDecoder.OK, out, 0);
    }

    @Test
    void limitingStartsAreLoggedAtMostEveryFiveSecondsAndTheNextLineCountsTheOthers() {
        ResponseRateLimiter limiter = limiter(5, 0);
        try (CapturedLog log = new CapturedLog(ResponseRateLimiter.class)) {
            for (String network : List.of("198.51.100.7", "203.0.113.7", "192.0.2.7")) {
                send(limiter, 10, network, ResponseKind.ANSWER, WWW_A);
            }
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).startsWith("response-rate limit: 198.51.100.0/24 is being sent more than 5 ANSWER")
                    .doesNotContain("other network");

            now += 5 * SECOND - 1;
            send(limiter, 10, "198.18.0.7", ResponseKind.ANSWER, WWW_A);
            assertThat(log.lines()).as("within 5 s of the last line").hasSize(1);

            now += 1;
            send(limiter, 10, "198.19.0.7", ResponseKind.ANSWER, WWW_A);
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(1)).startsWith("response-rate limit: 198.19.0.0/24")
                    .endsWith("; limiting also started for 3 other network(s) or kind(s) since the last such line");
        }
    }

    static byte[] bytes(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
