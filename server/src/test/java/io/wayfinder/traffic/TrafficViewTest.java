package io.wayfinder.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.time.ManualScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traffic View on a manual clock: the event loops' sketches merged every interval into per-profile
 * summaries, decayed, kept in the data directory and restored, and ranked for the region agents.
 * The "event loop" is the test's thread (a direct executor), as the hand-off runs on the loop.
 */
class TrafficViewTest {
    private static final Instant START = Instant.parse("2026-12-06T12:00:00Z");
    private static final Executor LOOP = Runnable::run;
    private static final TrafficView.Settings SMALL = new TrafficView.Settings(16, 4, Duration.ofDays(1),
            Duration.ofSeconds(10), Duration.ofSeconds(60));

    @TempDir
    Path dir;

    private final ManualScheduler clock = new ManualScheduler(START);

    @Test
    void mergesTheLoopsCountsEveryInterval() {
        TrafficView view = started(SMALL);
        TrafficRecorder loop = view.recorder(LOOP);
        query(loop, "81.2.69.7", false, "web", 5);
        assertThat(view.profile("web")).as("nothing before the first merge").isNull();
        clock.advance(Duration.ofSeconds(10));
        TrafficView.ProfileTraffic web = view.profile("WEB");
        assertThat(web.profile()).isEqualTo("web");
        assertThat(web.queries()).isEqualTo(5);
        assertThat(web.networks()).singleElement().satisfies(n -> {
            assertThat(n.network()).isEqualTo(IpPrefix.parse("81.2.69.0/24"));
            assertThat(n.queries()).isEqualTo(5);
            assertThat(n.error()).isZero();
            assertThat(n.endpoint()).isEqualTo("eu");
            assertThat(n.region()).isEqualTo("westeurope");
            assertThat(n.rttMs()).isEqualTo(12.4);
            assertThat(n.lastSeenMillis()).isEqualTo(START.plusSeconds(10).toEpochMilli());
        });
        query(loop, "81.2.69.99", false, "web", 3);
        clock.advance(Duration.ofSeconds(10));
        assertThat(view.profile("web").networks().get(0).queries()).isCloseTo(8, within(1e-3));
        assertThat(view.merges()).isEqualTo(2);
    }

    @Test
    void sumsTheLoopsOfOneServer() {
        TrafficView view = started(SMALL);
        query(view.recorder(LOOP), "81.2.69.7", false, "web", 2);
        Executor second = task -> task.run();
        query(view.recorder(second), "81.2.69.8", false, "web", 3);
        clock.advance(Duration.ofSeconds(10));
        assertThat(view.profile("web").networks().get(0).queries()).isEqualTo(5);
    }

    @Test
    void aQueryCountsHalfAfterAHalfLife() {
        TrafficView view = started(SMALL);
        query(view.recorder(LOOP), "81.2.69.7", false, "web", 100);
        clock.advance(Duration.ofSeconds(10));
        clock.advance(Duration.ofDays(1));
        TrafficView.ProfileTraffic web = view.profile("web");
        assertThat(web.queries()).isCloseTo(50, within(0.01));
        assertThat(web.networks().get(0).queries()).isCloseTo(50, within(0.01));
        assertThat(web.networks().get(0).rttMs()).as("a mean is not decayed").isCloseTo(12.4, within(1e-9));
    }

    /**
     * A full summary keeps its busiest networks: a newcomer enters at the smallest count plus its
     * own (it might have been counted there before) and the smallest leaves.
     */
    @Test
    void aFullProfileKeepsItsBusiestNetworks() {
        TrafficView view = started(SMALL); // 4 networks a profile
        TrafficRecorder loop = view.recorder(LOOP);
        for (int n = 1; n <= 4; n++) {
            query(loop, "10.0." + n + ".1", false, "web", n * 10);
        }
        clock.advance(Duration.ofSeconds(10));
        query(loop, "10.0.9.1", false, "web", 25);
        clock.advance(Duration.ofSeconds(10));
        List<TrafficView.NetworkTraffic> kept = view.profile("web").networks();
        assertThat(kept).extracting(n -> n.network().toString())
                .containsExactly("10.0.4.0/24", "10.0.9.0/24", "10.0.3.0/24", "10.0.2.0/24");
        assertThat(kept.get(1).queries()).isCloseTo(35, within(0.01)); // 25 + the smallest (10)
        assertThat(kept.get(1).error()).isCloseTo(10, within(0.01));
        assertThat(view.evicted()).isEqualTo(1);
        assertThat(view.networks()).isEqualTo(4);
    }

    @Test
    void keepsItselfInTheDataDirectoryAndRestoresWhatItSaved() {
        Path file = dir.resolve(TrafficView.FILE);
        TrafficView view = started(SMALL, file);
        TrafficRecorder loop = view.recorder(LOOP);
        query(loop, "81.2.69.7", true, "web", 4);
        query(loop, "2001:db8:7:1::53", true, "api", 2);
        clock.advance(Duration.ofSeconds(60)); // merged, then saved
        assertThat(view.savedAtMillis()).isEqualTo(START.plusSeconds(60).toEpochMilli());
        assertThat(file).exists();

        TrafficView again = new TrafficView(clock, file, SMALL);
        assertThat(again.profileNames()).containsExactly("api", "web");
        assertThat(again.profile("web").networks()).singleElement().satisfies(n -> {
            assertThat(n.network()).isEqualTo(IpPrefix.parse("81.2.69.0/24"));
            assertThat(n.queries()).isCloseTo(4, within(0.01)); // decayed for 50 s since the merge
            assertThat(n.endpoint()).isEqualTo("eu");
            assertThat(n.rttMs()).isCloseTo(12.4, within(1e-9));
        });
        assertThat(again.targets(10)).extracting(t -> t.address().addressText())
                .containsExactly("81.2.69.7", "2001:db8:7:1::53");
    }

    @Test
    void timeRunsWhileTheServerIsDown() {
        Path file = dir.resolve(TrafficView.FILE);
        TrafficView view = started(SMALL, file);
        query(view.recorder(LOOP), "81.2.69.7", false, "web", 8);
        view.close(); // merges what the loop holds, then saves
        clock.advance(Duration.ofDays(2));
        TrafficView later = new TrafficView(clock, file, SMALL);
        assertThat(later.profile("web").queries()).isCloseTo(2, within(0.01));
    }

    @Test
    void stoppingMergesTheLastCountsOfEveryLoop() {
        Path file = dir.resolve(TrafficView.FILE);
        TrafficView view = started(SMALL, file);
        query(view.recorder(LOOP), "81.2.69.7", false, "web", 3);
        clock.advance(Duration.ofSeconds(10));
        query(view.recorder(LOOP), "81.2.69.7", false, "web", 2); // after the last merge
        view.close();
        assertThat(new TrafficView(clock, file, SMALL).profile("web").queries()).isCloseTo(5, within(0.01));
    }

    @Test
    void anUnreadableFileIsMovedAsideAndTheViewStartsEmpty() throws Exception {
        Path file = dir.resolve(TrafficView.FILE);
        Files.writeString(file, "not a traffic view");
        TrafficView view = new TrafficView(clock, file, SMALL);
        assertThat(view.profileNames()).isEmpty();
        assertThat(dir.resolve(TrafficView.FILE + ".unreadable")).hasContent("not a traffic view");
        assertThat(file).doesNotExist();
    }

    @Test
    void aDamagedFileIsRefusedByItsChecksum() throws Exception {
        Path file = dir.resolve(TrafficView.FILE);
        TrafficView view = started(SMALL, file);
        query(view.recorder(LOOP), "81.2.69.7", false, "web", 3);
        view.close();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThat(new TrafficView(clock, file, SMALL).profileNames()).isEmpty();
    }

    /**
     * The agents' targets: networks by their queries over every profile, each with a resolver's
     * address when one was seen, else its first host (an ECS network names no host).
     */
    @Test
    void targetsRankNetworksOverEveryProfileWithAnAddressEach() {
        TrafficView view = started(new TrafficView.Settings(16, 100, Duration.ofDays(1), Duration.ofSeconds(10),
                Duration.ofSeconds(60)));
        TrafficRecorder loop = view.recorder(LOOP);
        query(loop, "81.2.69.0/24", false, "web", 3);       // ECS only
        query(loop, "81.2.69.0/24", false, "api", 3);
        query(loop, "216.160.83.53", true, "web", 5);       // a resolver
        query(loop, "2001:db8:7::/56", false, "web", 1);
        query(loop, "0.0.0.0/0", false, "web", 50);         // ECS that names no network: not a target
        clock.advance(Duration.ofSeconds(10));
        List<TrafficView.Target> targets = view.targets(10);
        assertThat(targets).extracting(t -> t.network().toString(), t -> t.address().addressText(),
                TrafficView.Target::fromResolver, TrafficView.Target::queries).containsExactly(
                org.assertj.core.groups.Tuple.tuple("81.2.69.0/24", "81.2.69.1", false, 6.0),
                org.assertj.core.groups.Tuple.tuple("216.160.83.0/24", "216.160.83.53", true, 5.0),
                org.assertj.core.groups.Tuple.tuple("2001:db8:7::/48", "2001:db8:7::1", false, 1.0));
        assertThat(view.targets(1)).hasSize(1);
    }

    /**
     * Space-Saving through the whole path (sketches of one interval, merged summaries): a Zipf-like
     * stream over 5,000 networks, 5,000 queries an interval into sketches of 2,048 slots (some sets
     * fill up), and a profile of 100: the 20 busiest are all kept, each count an upper bound and
     * the count less its error a lower bound of the truth.
     */
    @Test
    void theBusiestNetworksOfAHeavyTailedStreamAreKept() {
        TrafficView view = started(new TrafficView.Settings(256, 100, Duration.ofDays(1_000_000), Duration.ofSeconds(10),
                Duration.ofSeconds(60)));
        TrafficRecorder loop = view.recorder(LOOP);
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        double[] cumulative = new double[5000];
        double sum = 0;
        for (int k = 0; k < cumulative.length; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        long[] truth = new long[cumulative.length];
        for (int interval = 0; interval < 20; interval++) {
            for (int i = 0; i < 5000; i++) {
                double u = random.nextDouble() * sum;
                int k = java.util.Arrays.binarySearch(cumulative, u);
                k = k < 0 ? -k - 1 : k;
                truth[k]++;
                loop.record(IpPrefix.ofIpv4(0x0A00_0000 + (k << 8), 24), true, "web", null, null, -1);
            }
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(view.sketchReplacements()).as("some sets filled up").isPositive();
        List<TrafficView.NetworkTraffic> kept = view.profile("web").networks();
        for (int k = 0; k < 20; k++) {
            IpPrefix network = IpPrefix.ofIpv4(0x0A00_0000 + (k << 8), 24);
            long actual = truth[k];
            assertThat(kept).as("network %d (%d queries)", k, actual).anySatisfy(n -> {
                assertThat(n.network()).isEqualTo(network);
                assertThat(n.queries()).isGreaterThanOrEqualTo(actual - 0.01);
                assertThat(n.guaranteed()).isLessThanOrEqualTo(actual + 0.01);
            });
        }
    }

    private TrafficView started(TrafficView.Settings settings) {
        return started(settings, null);
    }

    private TrafficView started(TrafficView.Settings settings, Path file) {
        TrafficView view = new TrafficView(clock, file, settings);
        view.start();
        clock.runPending();
        return view;
    }

    /** {@code times} queries of a profile from a client (an address as a resolver, a prefix as ECS), sent to eu. */
    private static void query(TrafficRecorder loop, String client, boolean resolver, String profile, int times) {
        IpPrefix c = client.contains("/") ? IpPrefix.parse(client)
                : IpPrefix.parse(client + (client.contains(":") ? "/128" : "/32"));
        for (int i = 0; i < times; i++) {
            loop.record(c, !resolver, profile, "eu", "westeurope", 124);
        }
    }
}
