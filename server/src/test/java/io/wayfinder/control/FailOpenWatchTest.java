package io.wayfinder.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.TestRoutingTables;
import org.junit.jupiter.api.Test;

/** Fail-open is loud: one WARN line when it starts and one when it ends, saying why, and a count of entries. */
class FailOpenWatchTest {
    private static final String CONFIG = """
            zones: [{name: app.test, nameservers: [ns1.app.test]}]
            profiles:
              - name: web
                trafficRoutingMethod: Priority
                profileStatus: %s
                dnsConfig: {relativeName: www}
                endpoints:
                  - {name: a, target: 192.0.2.1}
                  - {name: b, target: 192.0.2.2}
                %s
              - name: other
                trafficRoutingMethod: Priority
                dnsConfig: {relativeName: other}
                endpoints:
                  - {name: c, target: 192.0.2.3}
            """;
    private static final String DOWN = "web/a=Degraded web/b=Degraded";
    private static final String UP = "web/a=Online web/b=Degraded";

    private final FailOpenWatch watch = new FailOpenWatch();
    private final RoutingPlan plain = TestRoutingTables.plan(CONFIG.formatted("Enabled", ""));

    @Test
    void entryAndExitAreEachOneLineAndEntriesAreCounted() {
        assertThat(watch.observe(TestRoutingTables.table(plain, UP))).isEmpty();

        assertThat(watch.observe(TestRoutingTables.table(plain, DOWN))).containsExactly(
                "profile web: every eligible endpoint is Degraded; FAILING OPEN, answering with them anyway");
        assertThat(watch.observe(TestRoutingTables.table(plain, DOWN))).as("still failing open: no new line").isEmpty();
        assertThat(watch.observe(TestRoutingTables.table(plain, UP))).containsExactly(
                "profile web: healthy endpoints are back; no longer failing open");
        assertThat(watch.entries()).isEqualTo(1);
    }

    @Test
    void theExitSaysWhenTheProfileWasDisabledRatherThanHealed() {
        watch.observe(TestRoutingTables.table(plain, DOWN));

        assertThat(watch.observe(TestRoutingTables.table(TestRoutingTables.plan(CONFIG.formatted("Disabled", "")), DOWN)))
                .containsExactly("profile web: profile disabled; no longer failing open");
    }

    @Test
    void theExitSaysWhenEveryEndpointWasDisabled() {
        watch.observe(TestRoutingTables.table(plain, DOWN));
        String allDisabled = CONFIG.formatted("Enabled", "")
                .replace("target: 192.0.2.1}", "target: 192.0.2.1, endpointStatus: Disabled}")
                .replace("target: 192.0.2.2}", "target: 192.0.2.2, endpointStatus: Disabled}");

        assertThat(watch.observe(TestRoutingTables.table(TestRoutingTables.plan(allDisabled), DOWN)))
                .containsExactly("profile web: no endpoint is eligible any more (disabled or stopped); no longer failing open");
    }

    @Test
    void theExitSaysWhenTheProfileWasRemoved() {
        watch.observe(TestRoutingTables.table(plain, DOWN));
        String withoutWeb = CONFIG.formatted("Enabled", "").replaceFirst("(?s)  - name: web.*?(  - name: other)", "$1");

        assertThat(watch.observe(TestRoutingTables.table(TestRoutingTables.plan(withoutWeb), "")))
                .containsExactly("profile web: removed from the configuration; no longer failing open");
    }

    @Test
    void aFallbackThatCanAnswerAgainEndsFailOpen() {
        RoutingPlan withFallback = TestRoutingTables.plan(CONFIG.formatted("Enabled",
                "fallback: {name: sorry, type: nested, target: other}"));
        assertThat(watch.observe(TestRoutingTables.table(withFallback, DOWN + " other/c=Degraded"))).containsExactly(
                "profile web: every eligible endpoint is Degraded; FAILING OPEN, answering with them anyway",
                "profile other: every eligible endpoint is Degraded; FAILING OPEN, answering with them anyway");

        assertThat(watch.observe(TestRoutingTables.table(withFallback, DOWN + " other/c=Online"))).containsExactly(
                "profile web: every eligible endpoint is Degraded; answering with its fallback endpoint",
                "profile web: its fallback endpoint answers instead; no longer failing open",
                "profile other: healthy endpoints are back; no longer failing open");
        assertThat(watch.entries()).isEqualTo(3);
    }
}
