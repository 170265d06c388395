package io.wayfinder.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.api.ApiDeployment;
import io.wayfinder.control.FakeLearning;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent against a real server on loopback, with the real TCP connector and a manual clock: the
 * server's traffic names three networks (127.0.2.0/24 and 127.0.3.0/24 by ECS, 127.0.0.0/24 as a
 * resolver); a listener answers on 127.0.2.1, nothing listens on 127.0.0.1 (RST), and 127.0.3.0/24
 * is denied. Only loopback addresses are ever contacted.
 */
class AgentLoopbackTest {
    static final String MEASURER = "measurer-token-0123456789abcdef";

    @TempDir
    Path dir;
    ApiDeployment d;
    FakeLearning learner;
    ServerSocketChannel answering;
    ServerSocketChannel denied;
    final ManualAgentClock clock = new ManualAgentClock();
    final List<String> log = new ArrayList<>();

    /** The API's settings with a measurer token and learning on. */
    static String config() {
        return ApiDeployment.SETTINGS
                .replace("    - {name: dashboard,", "    - {name: agent, token: " + MEASURER + ", role: measurer}\n    - {name: dashboard,")
                .replace("  sources: [latency.csv]\n", "  sources: [latency.csv]\n  learn: true\n  rebuildInterval: 1h\n")
                + ApiDeployment.WEB_AND_EU;
    }

    @BeforeEach
    void start() throws Exception {
        d = ApiDeployment.start(dir, config(), (checkpoint, parameters) -> learner = new FakeLearning());
        answering = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.2.1", 0), 64);
        int port = ((InetSocketAddress) answering.getLocalAddress()).getPort();
        denied = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.3.1", port), 64);
        answering.configureBlocking(false);
        denied.configureBlocking(false);
        for (int i = 0; i < 3; i++) {
            assertThat(d.askFor("www.app.test", "127.0.2.0", 24)).isZero();
        }
        assertThat(d.askFor("www.app.test", "127.0.3.0", 24)).isZero();
        assertThat(d.askFor("www.app.test", "127.0.3.0", 24)).isZero();
        assertThat(d.rcode("www.app.test")).as("from 127.0.0.1, without ECS").isZero();
        d.mergeTraffic();
    }

    @AfterEach
    void stop() throws Exception {
        answering.close();
        denied.close();
        d.close();
    }

    private int port() throws Exception {
        return ((InetSocketAddress) answering.getLocalAddress()).getPort();
    }

    private Agent agent(double rate) throws Exception {
        AgentSettings s = AgentSettings.defaults(URI.create(d.url()), MEASURER, "West Europe")
                .withPorts(List.of(port())).withRate(rate)
                .withDeny(DenyList.parse(List.of("127.0.3.0/24  # asked not to be probed"), "deny.txt"));
        s = new AgentSettings(s.server(), s.token(), s.region(), s.ports(), 1, s.timeout(), s.attempts(), s.interval(),
                s.refresh(), s.rate(), s.limit(), s.buffer(), s.deny());
        return new Agent(s, new SocketConnector(), clock, log::add);
    }

    /** Connections that reached the listener's backlog (the handshake completes there, accepted or not). */
    private static int connections(ServerSocketChannel listener) throws Exception {
        int n = 0;
        for (SocketChannel c = listener.accept(); c != null; c = listener.accept()) {
            c.close();
            n++;
        }
        return n;
    }

    @Test
    void aRoundMeasuresTheTargetsAndTheServerLearnsThem() throws Exception {
        try (Agent agent = agent(50)) {
            Agent.Round r = agent.round();
            assertThat(r.ok()).as(r.line()).isTrue();
            assertThat(r.region()).as("the server's spelling").isEqualTo("westeurope");
            assertThat(r.targets()).isEqualTo(3);
            assertThat(r.denied()).isEqualTo(1);
            assertThat(r.probed()).isEqualTo(2);
            assertThat(r.samples()).as("the listener's SYN-ACK and 127.0.0.1's RST both give a round trip").isEqualTo(2);
            assertThat(r.timeouts()).isZero();
            assertThat(r.flush().posted()).isEqualTo(2);
            assertThat(r.flush().accepted()).isEqualTo(2);
        }
        assertThat(connections(answering)).as("three attempts, the best kept").isEqualTo(3);
        assertThat(connections(denied)).as("a denied target is never probed").isZero();
        assertThat(learner.samples()).extracting(Measurement::network).containsExactlyInAnyOrder(
                IpPrefix.parse("127.0.2.0/24"), IpPrefix.parse("127.0.0.0/24"));
        assertThat(learner.samples()).allMatch(m -> m.source().equals("agent:westeurope"))
                .allMatch(m -> m.region().equals("westeurope")).allMatch(m -> m.rttMs() > 0);
        assertThat(log).singleElement().asString().startsWith("agent westeurope round 1: 3 targets, 2 probed, 2 samples,"
                + " 0 timeouts, 0 errors, 1 denied, 0 not due; posted 2 (2 accepted), 0 waiting, 0 dropped");
    }

    @Test
    void aTargetIsProbedOncePerIntervalAndAttemptsKeepToTheRate() throws Exception {
        try (Agent agent = agent(10)) {
            agent.round();
            assertThat(clock.slept()).as("6 attempts at 10 a second, one worker: 5 waits of 100 ms on the agent's clock")
                    .isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
            assertThat(connections(answering)).isEqualTo(3);

            clock.advance(4, TimeUnit.MINUTES);
            Agent.Round soon = agent.round();
            assertThat(soon.probed()).isZero();
            assertThat(soon.notDue()).isEqualTo(2);
            assertThat(connections(answering)).as("not due: no connection").isZero();
            assertThat(agent.waitAfter(soon)).as("until the first target is due again")
                    .isEqualTo(TimeUnit.MINUTES.toNanos(1) - TimeUnit.MILLISECONDS.toNanos(500));

            clock.advance(1, TimeUnit.MINUTES);
            Agent.Round later = agent.round();
            assertThat(later.probed()).isEqualTo(2);
            assertThat(connections(answering)).isEqualTo(3);
        }
        assertThat(learner.samples()).hasSize(4);
    }

    @Test
    void samplesThatCouldNotBePostedWaitForTheNextRound() throws Exception {
        try (Agent agent = agent(1000)) {
            agent.round();
            d.close();
            clock.advance(10, TimeUnit.MINUTES); // the targets are due a refresh, and the networks a probe
            Agent.Round r = agent.round();
            assertThat(r.ok()).isFalse();
            assertThat(r.refused()).isFalse();
            assertThat(r.targetsError()).contains("cannot reach the server");
            assertThat(r.probed()).as("the targets kept from before").isEqualTo(2);
            assertThat(r.flush().failed()).isTrue();
            assertThat(r.waiting()).isEqualTo(2);
            assertThat(r.failedPosts()).isEqualTo(1);
            assertThat(r.line()).contains("0 dropped, 1 failed posts; targets not refreshed: GET /api/v1/agent/targets")
                    .contains("post failed, kept for the next round").doesNotContain(MEASURER);
        } finally {
            d = ApiDeployment.start(dir, config(), (checkpoint, parameters) -> learner = new FakeLearning());
        }
    }
}
