package io.wayfinder.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.TestRoutingTables;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Per-thread answer counters: summed by name at scrape time, across threads and configurations. */
class AnswerCountsTest {
    private static final String ZONE = """
            zones:
              - name: app.test
                nameservers:
                  - {name: ns1.app.test, addresses: [127.0.0.1]}
                hostmaster: hostmaster.app.test
            profiles:
            """;
    private static final String WEB = """
              - name: web
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: a, target: 192.0.2.1, priority: 1}
                  - {name: b, target: 192.0.2.2, priority: 2}
            """;
    private static final String API = """
              - name: api
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: api}
                endpoints:
                  - {name: x, target: 192.0.2.3, priority: 1}
            """;
    /** web with its endpoints in the other order. */
    private static final String WEB_SWAPPED = """
              - name: web
                zone: app.test
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: b, target: 192.0.2.2, priority: 2}
                  - {name: a, target: 192.0.2.1, priority: 1}
            """;
    private static final RoutingPlan WEB_THEN_API = TestRoutingTables.plan(ZONE + WEB + API);
    /** The same profiles in the other order, and web's endpoints swapped: every index moves. */
    private static final RoutingPlan API_THEN_WEB = TestRoutingTables.plan(ZONE + API + WEB_SWAPPED);

    private final AnswerCounts counts = new AnswerCounts();

    @Test
    void everyEndpointHasANoerrorSeriesFromTheStartAndOtherResultsOnceCounted() {
        AnswerCounts.Generation g = counts.generation(WEB_THEN_API);
        g.add(0, 1, AnswerCounts.NOERROR);
        g.add(0, 1, AnswerCounts.NOERROR);
        g.add(0, 0, AnswerCounts.NODATA);
        g.add(1, -1, AnswerCounts.NXDOMAIN);

        assertThat(scrape(WEB_THEN_API, 0)).containsExactly(
                Map.entry("web/a/NOERROR", 0L),
                Map.entry("web/a/NODATA", 1L),
                Map.entry("web/b/NOERROR", 2L),
                Map.entry("api//NXDOMAIN", 1L),
                Map.entry("api/x/NOERROR", 0L));
    }

    @Test
    void aReloadThatMovesEveryIndexKeepsTheCountsWithTheirNames() {
        assertThat(API_THEN_WEB.profileIndex("web")).isEqualTo(1);
        assertThat(API_THEN_WEB.endpoints(1).get(0).name()).isEqualTo("b");
        AnswerCounts.Generation before = counts.generation(WEB_THEN_API);
        before.add(0, 0, AnswerCounts.NOERROR); // web/a
        before.add(1, 0, AnswerCounts.NOERROR); // api/x
        Map<String, Long> first = scrape(WEB_THEN_API, 0);

        AnswerCounts.Generation after = counts.generation(API_THEN_WEB);
        assertThat(before.retired).as("the thread's old generation is retired by its first answer from the new one").isTrue();
        after.add(1, 1, AnswerCounts.NOERROR); // web/a, now at other indices
        after.add(1, 0, AnswerCounts.NOERROR); // web/b
        after.add(0, 0, AnswerCounts.NOERROR); // api/x

        Map<String, Long> second = scrape(API_THEN_WEB, 1);
        assertThat(first).containsEntry("web/a/NOERROR", 1L).containsEntry("api/x/NOERROR", 1L);
        assertThat(second).containsEntry("web/a/NOERROR", 2L).containsEntry("web/b/NOERROR", 1L)
                .containsEntry("api/x/NOERROR", 2L).hasSize(3);
        assertThat(scrape(API_THEN_WEB, 2)).as("the old generation is folded once, not again").isEqualTo(second);
    }

    @Test
    void eachThreadCountsInItsOwnArrayAndAScrapeSumsThem() throws Exception {
        counts.generation(WEB_THEN_API).add(0, 0, AnswerCounts.NOERROR);
        Thread other = new Thread(() -> {
            AnswerCounts.Generation g = counts.generation(WEB_THEN_API);
            for (int i = 0; i < 1000; i++) {
                g.add(0, 0, AnswerCounts.NOERROR);
            }
        });
        other.start();
        other.join();

        assertThat(counts.generation(WEB_THEN_API)).isNotNull();
        assertThat(scrape(WEB_THEN_API, 0)).containsEntry("web/a/NOERROR", 1001L);
    }

    @Test
    void aThreadStillOnTheOldConfigurationIsCountedUntilItMovesAndThenOnce() throws Exception {
        // Another event loop answered from the old configuration and has had no query since the reload.
        Thread idle = new Thread(() -> counts.generation(WEB_THEN_API).add(0, 0, AnswerCounts.NOERROR));
        idle.start();
        idle.join();
        counts.generation(API_THEN_WEB).add(1, 1, AnswerCounts.NOERROR); // web/a on this thread

        assertThat(scrape(API_THEN_WEB, 0)).containsEntry("web/a/NOERROR", 2L);
        assertThat(scrape(API_THEN_WEB, 1)).containsEntry("web/a/NOERROR", 2L);
    }

    @Test
    void aRemovedProfileKeepsItsSeriesForTenMinutesThenGoesAndComesBackFromZero() {
        RoutingPlan webOnly = TestRoutingTables.plan(ZONE + WEB);
        counts.generation(WEB_THEN_API).add(1, 0, AnswerCounts.NOERROR); // api/x
        counts.generation(webOnly).add(0, 0, AnswerCounts.NOERROR);
        long removedAt = TimeUnit.MINUTES.toNanos(1);

        assertThat(scrape(webOnly, removedAt)).containsEntry("api/x/NOERROR", 1L);
        assertThat(scrape(webOnly, removedAt + AnswerCounts.RETAIN_REMOVED_NANOS - 1)).containsEntry("api/x/NOERROR", 1L);
        assertThat(scrape(webOnly, removedAt + AnswerCounts.RETAIN_REMOVED_NANOS)).doesNotContainKey("api/x/NOERROR")
                .containsEntry("web/a/NOERROR", 1L);

        RoutingPlan again = TestRoutingTables.plan(ZONE + WEB + API);
        assertThat(scrape(again, removedAt + AnswerCounts.RETAIN_REMOVED_NANOS + 1)).containsEntry("api/x/NOERROR", 0L);
    }

    @Test
    void aNameBackWithinTheRetentionKeepsCounting() {
        RoutingPlan webOnly = TestRoutingTables.plan(ZONE + WEB);
        counts.generation(WEB_THEN_API).add(1, 0, AnswerCounts.NOERROR);
        counts.generation(webOnly);
        scrape(webOnly, 0);
        RoutingPlan again = TestRoutingTables.plan(ZONE + WEB + API);
        counts.generation(again).add(1, 0, AnswerCounts.NOERROR);

        assertThat(scrape(again, 1)).containsEntry("api/x/NOERROR", 2L);
    }

    /** The scrape as "profile/endpoint/result" to value, in the order it came. */
    private Map<String, Long> scrape(RoutingPlan served, long now) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach(served, now, (profile, endpoint, result, value) ->
                out.put(profile + "/" + endpoint + "/" + result, value));
        return out;
    }
}
