package io.wayfinder.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One target's round with a scripted connector: the best of N, the port search, timeouts and the rate. */
class TcpRttProbeTest {
    private static final Target TARGET = new Target(IpPrefix.parse("81.2.69.0/24"), IpPrefix.parseAddress("81.2.69.1"),
            "ecs-network");

    /** Answers from a script, one outcome per call, and records the ports asked. */
    static final class ScriptedConnector implements Connector {
        final Deque<Outcome> script = new ArrayDeque<>();
        final List<Integer> ports = new ArrayList<>();
        final List<Integer> timeouts = new ArrayList<>();

        ScriptedConnector then(Outcome... outcomes) {
            script.addAll(List.of(outcomes));
            return this;
        }

        @Override
        public synchronized Outcome connect(InetSocketAddress address, int timeoutMillis) {
            ports.add(address.getPort());
            timeouts.add(timeoutMillis);
            return script.isEmpty() ? Outcome.timeout() : script.removeFirst();
        }
    }

    private final ManualAgentClock clock = new ManualAgentClock();

    private TcpRttProbe probe(ScriptedConnector c, int attempts) {
        return new TcpRttProbe(c, new TokenBucket(clock, 1000, 1000), List.of(53, 443, 80), attempts, 2000);
    }

    @Test
    void theSampleIsTheSmallestOfTheAttempts() throws Exception {
        ScriptedConnector c = new ScriptedConnector().then(Connector.Outcome.connected(30_000_000),
                Connector.Outcome.connected(21_000_000), Connector.Outcome.refused(25_000_000));
        TcpRttProbe.Result r = probe(c, 3).probe(TARGET);
        assertThat(r.rttNanos()).isEqualTo(21_000_000);
        assertThat(r.tries()).isEqualTo(3);
        assertThat(r.port()).isEqualTo(53);
        assertThat(c.ports).containsExactly(53, 53, 53);
        assertThat(c.timeouts).containsOnly(2000);
    }

    @Test
    void bestOfIgnoresAttemptsWithoutAnAnswer() {
        TcpRttProbe.Best best = new TcpRttProbe.Best();
        assertThat(best.answered()).isFalse();
        assertThat(best.rttNanos()).isEqualTo(-1);
        best.add(-1);
        best.add(9);
        best.add(4);
        best.add(7);
        assertThat(best.rttNanos()).isEqualTo(4);
    }

    @Test
    void portsAreTriedInOrderAndTheOneThatAnsweredIsRemembered() throws Exception {
        ScriptedConnector c = new ScriptedConnector().then(Connector.Outcome.timeout(), Connector.Outcome.refused(12_000_000),
                Connector.Outcome.connected(11_000_000));
        TcpRttProbe probe = probe(c, 3);
        TcpRttProbe.Result r = probe.probe(TARGET);
        assertThat(c.ports).as("53 timed out, 443 answered with an RST: kept").containsExactly(53, 443, 443);
        assertThat(r.rttNanos()).isEqualTo(11_000_000);
        assertThat(r.timeouts()).isEqualTo(1);
        assertThat(probe.answeringPort("81.2.69.1")).isEqualTo(443);
        c.ports.clear();
        c.then(Connector.Outcome.connected(10_000_000), Connector.Outcome.connected(10_000_000),
                Connector.Outcome.connected(10_000_000));
        probe.probe(TARGET);
        assertThat(c.ports).as("the next round starts on the port remembered").containsExactly(443, 443, 443);
    }

    @Test
    void aTargetThatNeverAnswersIsATimeoutWithNoSampleAndItsPortIsForgotten() throws Exception {
        ScriptedConnector c = new ScriptedConnector().then(Connector.Outcome.connected(5_000_000));
        TcpRttProbe probe = probe(c, 3);
        probe.probe(TARGET);
        assertThat(probe.answeringPort("81.2.69.1")).isEqualTo(53);
        c.ports.clear();
        TcpRttProbe.Result r = probe.probe(TARGET); // the script is empty: every attempt times out
        assertThat(r.answered()).isFalse();
        assertThat(r.timeouts()).isEqualTo(3);
        assertThat(r.errors()).isZero();
        assertThat(c.ports).containsExactly(53, 53, 53);
        assertThat(probe.answeringPort("81.2.69.1")).isNull();
    }

    @Test
    void withFewerAttemptsThanPortsTheSearchStopsAtTheAttempts() throws Exception {
        ScriptedConnector c = new ScriptedConnector();
        TcpRttProbe.Result r = probe(c, 2).probe(TARGET);
        assertThat(c.ports).containsExactly(53, 443);
        assertThat(r.tries()).isEqualTo(2);
    }

    @Test
    void aHostThatAnswersOnNoPortIsTriedOncePerPortAndNoMore() throws Exception {
        ScriptedConnector c = new ScriptedConnector();
        TcpRttProbe.Result r = new TcpRttProbe(c, new TokenBucket(clock, 1000, 1000), List.of(53), 3, 2000).probe(TARGET);
        assertThat(c.ports).as("the search ends with the ports: a silent host is not asked three times").containsExactly(53);
        assertThat(r.timeouts()).isEqualTo(1);
    }

    @Test
    void errorsAreNotTimeouts() throws Exception {
        ScriptedConnector c = new ScriptedConnector().then(Connector.Outcome.error("No route to host"));
        TcpRttProbe.Result r = probe(c, 1).probe(TARGET);
        assertThat(r.answered()).isFalse();
        assertThat(r.errors()).isEqualTo(1);
        assertThat(r.error()).isEqualTo("No route to host");
    }

    @Test
    void everyAttemptTakesAToken() throws Exception {
        ScriptedConnector c = new ScriptedConnector();
        for (int i = 0; i < 6; i++) {
            c.then(Connector.Outcome.connected(1_000_000));
        }
        TcpRttProbe probe = new TcpRttProbe(c, new TokenBucket(clock, 10, 1), List.of(53), 3, 2000);
        probe.probe(TARGET);
        probe.probe(TARGET);
        assertThat(c.ports).hasSize(6);
        assertThat(clock.slept()).as("6 attempts at 10 a second: the first free, then 5 x 100 ms")
                .isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    }
}
