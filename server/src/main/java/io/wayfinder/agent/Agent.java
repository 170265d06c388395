package io.wayfinder.agent;

import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The agent's loop: rounds, one after the other, until stopped.
 *
 * <pre>
 *   round:  targets older than --refresh?  GET /api/v1/agent/targets (on failure keep the old ones)
 *           each target: denied? -> skipped, counted
 *                        probed less than --interval ago? -> not due, counted
 *                        else -> a worker probes it (TcpRttProbe; every attempt takes a token
 *                                of the global bucket), its best round trip is a sample
 *           the samples -> SamplePoster (buffered; posted in batches; kept on failure)
 *           one line on the log
 *   wait:   until the first target is due again or the targets are to be refreshed
 * </pre>
 *
 * Workers are {@code --concurrency} daemon threads, so at most that many connection attempts are in
 * flight. Time (the intervals, the bucket, the waits) is read from an {@link AgentClock}, which tests
 * replace.
 */
public final class Agent implements AutoCloseable {
    /** The shortest wait between rounds, so that a server with nothing due never makes a busy loop. */
    static final long MIN_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AgentSettings settings;
    private final AgentClock clock;
    private final Consumer<String> log;
    private final TargetSource source;
    private final SamplePoster poster;
    private final TcpRttProbe probe;
    private final ProbeIntervals intervals;
    private final ExecutorService workers;
    private final long refreshNanos;

    /** Touched by the loop thread only. */
    private TargetSource.Targets targets;
    private long fetchedAtNanos;
    private int rounds;

    private volatile boolean stopping;
    private volatile Thread loop;

    public Agent(AgentSettings settings, Connector connector, AgentClock clock, Consumer<String> log) {
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        AgentHttp http = new AgentHttp(settings.server(), settings.token());
        this.source = new TargetSource(http, settings.region(), settings.limit());
        this.poster = new SamplePoster(http, SamplePoster.MAX_BATCH, settings.buffer());
        // A burst of at most a second's tokens, and never more than can be in flight: after a quiet
        // spell the workers start together, and from then on the attempts come at the rate.
        TokenBucket bucket = new TokenBucket(clock, settings.rate(), (int) Math.max(1, Math.min(settings.rate(), settings.concurrency())));
        this.probe = new TcpRttProbe(connector, bucket, settings.ports(), settings.attempts(), (int) settings.timeout().toMillis());
        this.intervals = new ProbeIntervals(settings.interval().toNanos());
        this.refreshNanos = settings.refresh().toNanos();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "agent-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The real connector and clocks. */
    public static Agent create(AgentSettings settings, Consumer<String> log) {
        return new Agent(settings, new SocketConnector(), AgentClock.SYSTEM, log);
    }

    /**
     * What a round did.
     *
     * @param targets  targets the server named
     * @param denied   of those, skipped by the deny list
     * @param notDue   skipped: probed less than --interval ago
     * @param probed   probed this round
     * @param samples  probed and answered: a round trip each
     * @param timeouts probed, every attempt timed out
     * @param errors   probed, no answer and not only timeouts (no route, unreachable)
     * @param flush    what posting did (posted counts samples of earlier rounds too)
     * @param waiting  samples kept for the next post
     * @param dropped  samples dropped from a full buffer since the start
     * @param failedPosts posts that failed since the start (their samples were kept, or dropped later)
     * @param targetsError why the targets could not be fetched (null when they were, or were not due)
     * @param targetsRefused whether the server refused the request for targets (4xx: wrong token or region)
     */
    public record Round(int number, String region, int targets, int denied, int notDue, int probed, int samples,
                        int timeouts, int errors, SamplePoster.Flush flush, int waiting, long dropped,
                        long failedPosts, String targetsError, boolean targetsRefused) {

        /** Whether nothing failed: the targets were had and what was measured was posted. */
        public boolean ok() {
            return targetsError == null && !flush.failed();
        }

        /** Whether the server refused the agent (4xx): the settings are wrong. */
        public boolean refused() {
            return targetsRefused || flush.refused();
        }

        /** The one line the round is logged as. */
        public String line() {
            StringBuilder b = new StringBuilder("agent ").append(region).append(" round ").append(number).append(": ")
                    .append(targets).append(" targets, ").append(probed).append(" probed, ").append(samples)
                    .append(" samples, ").append(timeouts).append(" timeouts, ").append(errors).append(" errors, ")
                    .append(denied).append(" denied, ").append(notDue).append(" not due; posted ").append(flush.posted())
                    .append(" (").append(flush.accepted()).append(" accepted), ").append(waiting).append(" waiting, ")
                    .append(dropped).append(" dropped, ").append(failedPosts).append(" failed posts");
            if (targetsError != null) {
                b.append("; targets not refreshed: ").append(targetsError);
            }
            if (flush.failed()) {
                b.append("; post failed, kept for the next round: ").append(flush.error());
            }
            return b.toString();
        }
    }

    /** One round; interrupted when stopping. */
    public Round round() throws InterruptedException {
        int number = ++rounds;
        String targetsError = null;
        boolean refused = false;
        long now = clock.nanos();
        if (targets == null || now - fetchedAtNanos >= refreshNanos) {
            try {
                targets = source.fetch();
                fetchedAtNanos = now;
                forgetOldTargets();
            } catch (AgentHttp.Failure f) {
                targetsError = f.getMessage();
                refused = f.refused;
            }
        }
        List<Target> list = targets == null ? List.of() : targets.targets();
        String region = targets == null ? settings.region() : targets.region();
        int denied = 0;
        int notDue = 0;
        List<Callable<TcpRttProbe.Result>> work = new ArrayList<>();
        List<Target> probed = new ArrayList<>();
        for (Target t : list) {
            if (settings.deny().denied(t.address()) != null) {
                denied++;
            } else if (!intervals.due(t.network(), now)) {
                notDue++;
            } else {
                intervals.probed(t.network(), now);
                probed.add(t);
                work.add(() -> probe.probe(t));
            }
        }
        List<Sample> samples = new ArrayList<>();
        int timeouts = 0;
        int errors = 0;
        List<Future<TcpRttProbe.Result>> results = workers.invokeAll(work);
        for (int i = 0; i < results.size(); i++) {
            TcpRttProbe.Result r;
            try {
                r = results.get(i).get();
            } catch (ExecutionException e) {
                errors++;
                continue;
            }
            if (r.answered()) {
                samples.add(new Sample(probed.get(i).network(), r.rttNanos(), clock.epochMillis()));
            } else if (r.errors() == 0) {
                timeouts++;
            } else {
                errors++;
            }
        }
        poster.add(samples);
        SamplePoster.Flush flush = targets == null && poster.waiting() == 0
                ? new SamplePoster.Flush(0, 0, 0, null, false) : poster.flush(region);
        Round round = new Round(number, region, list.size(), denied, notDue, probed.size(), samples.size(), timeouts, errors,
                flush, poster.waiting(), poster.dropped(), poster.failedPosts(), targetsError, refused);
        log.accept(round.line());
        return round;
    }

    private void forgetOldTargets() {
        Set<IpPrefix> networks = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (Target t : targets.targets()) {
            networks.add(t.network());
            addresses.add(t.addressText());
        }
        intervals.retain(networks);
        probe.retain(addresses);
    }

    /** Rounds until {@link #stop}; then one last post of what waits. */
    public void run() {
        loop = Thread.currentThread();
        try {
            while (!stopping) {
                Round r = round();
                clock.sleep(waitAfter(r));
            }
        } catch (InterruptedException e) {
            // stop() interrupts the loop: fall through to the last post
        } finally {
            loop = null;
        }
        if (poster.waiting() > 0) {
            try {
                SamplePoster.Flush f = poster.flush(targets == null ? settings.region() : targets.region());
                log.accept("agent " + settings.region() + " stopping: posted " + f.posted() + ", " + poster.waiting()
                        + " not posted" + (f.failed() ? ": " + f.error() : ""));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long to wait after a round: until a target is due or the targets are stale, at least a second. */
    long waitAfter(Round r) {
        long now = clock.nanos();
        long refresh = Math.max(0, fetchedAtNanos + refreshNanos - now);
        if (targets == null || r.targetsError() != null) {
            refresh = Math.min(refreshNanos, settings.interval().toNanos()); // ask again before long
        }
        List<IpPrefix> networks = new ArrayList<>();
        if (targets != null) {
            for (Target t : targets.targets()) {
                if (settings.deny().denied(t.address()) == null) {
                    networks.add(t.network());
                }
            }
        }
        long due = networks.isEmpty() ? refresh : intervals.nanosUntilDue(networks, now);
        return Math.max(MIN_WAIT_NANOS, Math.min(refresh, due));
    }

    /** Asks {@link #run} to finish: the round in progress is interrupted (an attempt in flight ends by its timeout). */
    public void stop() {
        stopping = true;
        Thread t = loop;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
