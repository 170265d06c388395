package io.wayfinder.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Measures how long Wayfinder takes to stop answering with an endpoint whose server died, and to
 * answer with it again once it is back, end to end: health probe, state machine, snapshot, DNS.
 *
 * <p>Runs {@code wayfinder serve} as a separate process on loopback with one Priority profile:
 * {@code primary} 127.0.0.10 (priority 1) and {@code secondary} 127.0.0.11, both HTTP servers in
 * this JVM on one shared port, health-checked on {@code /health} (interval 2 s, timeout 1 s,
 * tolerated 1, required successes 1 by default) and answered with TTL 0. Each trial:
 * <ol>
 *   <li>waits a random 0..interval, so the kill falls at a random phase of the probe schedule;</li>
 *   <li>kills the primary's server (t0; {@code --mode refused}: {@code HttpServer.stop(0)}, so
 *       every probe from then on gets "connection refused"; {@code --mode hang}: the port is
 *       taken over by a socket that accepts connections and never answers, so every probe runs
 *       into its timeout);</li>
 *   <li>queries the name over UDP every 10 ms until the answer is not the primary: failover time;</li>
 *   <li>waits a random 0..interval again, restarts the primary's server (t1) and queries until the
 *       answer is the primary: recovery time.</li>
 * </ol>
 * To explain outliers, each trial also shows: when the server's log line
 * {@code endpoint svc/primary: A -> B (reason)} came; when each probe reached the primary's port
 * (so the probe schedule is seen from outside); what that schedule predicts (the next probe after
 * the kill, + tolerated intervals); the slowest DNS round trip; and the longest stall of this JVM.
 * {@code --pause-server-ms N} stops the server process (SIGSTOP) for N ms half a second after the
 * first probe after each kill, to reproduce what a long GC pause or a starved CPU does.
 *
 * <pre>
 *   java -cp bench/target/benchmarks.jar io.wayfinder.bench.FailoverTimer [TRIALS] [--trials N]
 *       [--jar server/target/wayfinder-*-all.jar] [--mode refused|hang] [--seed S] [--interval 2]
 *       [--timeout 1] [--tolerated 1] [--required 1] [--server-log FILE] [--java-opts "..."]
 *       [--pause-server-ms N]
 * </pre>
 * Exit status: 0 when every trial met both targets, 3 when one did not, 1 on a setup error.
 */
public final class FailoverTimer {
    private static final String PRIMARY = "127.0.0.10";
    private static final String SECONDARY = "127.0.0.11";
    private static final String ZONE = "failover.test.";
    private static final String QNAME = "www." + ZONE;
    private static final long POLL_MILLIS = 10;
    private static final long PHASE_TIMEOUT_MILLIS = 30_000;
    private static final Pattern STATUS_LINE = Pattern.compile(
            "^(\\S+) .*endpoint svc/(primary|secondary): (\\w+) -> (\\w+) \\((.*)\\)\\s*$");

    private final PrintStream out = System.out;
    private int trials = 20;
    private Path jar;
    private String mode = "refused";
    private long seed = System.nanoTime();
    private int interval = 2;
    private int timeout = 1;
    private int tolerated = 1;
    private int required = 1;
    private Path serverLog;
    private String javaOpts = "";
    private long pauseServerMs;

    /** One status change from the server's log. */
    record StatusEvent(long wallMillis, String endpoint, String from, String to, String reason) {
    }

    /** One trial's times, in ms; detection times are -1 when no log line matched. */
    record Trial(int n, long phaseWaitMs, double failoverMs, String failoverAnswer, double recoveryMs,
                 String recoveryAnswer, long degradedAfterMs, long onlineAfterMs, String degradedReason,
                 int oddAnswers, int polls, double maxRttMs, double expectedFailoverMs, double expectedRecoveryMs,
                 long stallMs, String probes, String notes, String loadavg) {
    }

    /** A health probe that reached the primary's port: "ok" (answered 200) or "hang" (never answered). */
    record ProbeHit(long wallMillis, String kind) {
    }

    /** One DNS answer: what it said and when it arrived. */
    record Answer(long receivedNanos, long rttNanos, String text, boolean primary, boolean valid) {
    }

    private final List<StatusEvent> events = new CopyOnWriteArrayList<>();
    /** Every probe that reached the primary's port, in order of arrival. */
    private final List<ProbeHit> primaryProbes = new CopyOnWriteArrayList<>();
    /** The longest a 5 ms sleep in this JVM overslept since the last reset: CPU starvation, GC. */
    private final java.util.concurrent.atomic.AtomicLong stallNanos = new java.util.concurrent.atomic.AtomicLong();

    public static void main(String[] args) throws Exception {
        FailoverTimer timer = new FailoverTimer();
        try {
            timer.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("failover: " + e.getMessage());
            System.exit(1);
        }
        int status;
        try {
            status = timer.run();
        } catch (Exception e) {
            System.err.println("failover: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.matches("\\d+")) {
                trials = Integer.parseInt(a);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--trials" -> trials = Integer.parseInt(v);
                case "--jar" -> jar = Path.of(v);
                case "--mode" -> mode = v;
                case "--seed" -> seed = Long.parseLong(v);
                case "--interval" -> interval = Integer.parseInt(v);
                case "--timeout" -> timeout = Integer.parseInt(v);
                case "--tolerated" -> tolerated = Integer.parseInt(v);
                case "--required" -> required = Integer.parseInt(v);
                case "--server-log" -> serverLog = Path.of(v);
                case "--java-opts" -> javaOpts = v;
                case "--pause-server-ms" -> pauseServerMs = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (!mode.equals("refused") && !mode.equals("hang")) {
            throw new IllegalArgumentException("--mode must be refused or hang");
        }
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1");
        }
    }

    private int run() throws Exception {
        Path serverJar = jar != null ? jar : findJar();
        Path dir = Files.createTempDirectory("wayfinder-failover");
        Path log = serverLog != null ? serverLog : dir.resolve("server.log");

        // The endpoints first, so that the server's first probes already find them.
        Endpoint secondary = null;
        for (int attempt = 0; attempt < 20 && secondary == null; attempt++) {
            primary = new Endpoint(PRIMARY, 0, primaryProbes);
            try {
                secondary = new Endpoint(SECONDARY, primary.port, null);
            } catch (IOException e) {
                primary.kill();
            }
        }
        if (secondary == null) {
            throw new IOException("no port free on both " + PRIMARY + " and " + SECONDARY);
        }
        int endpointPort = primary.port;
        int dnsPort = freeUdpAndTcpPort();
        int metricsPort = freeTcpPort();
        Path config = dir.resolve("failover.yaml");
        Files.writeString(config, config(dnsPort, metricsPort, endpointPort));

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (!javaOpts.isBlank()) {
            command.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", serverJar.toString(), "serve", "--config", config.toString()));
        Files.deleteIfExists(log);
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        Thread killer = new Thread(server::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(killer);
        Thread tailer = startTailer(log, server);
        Thread stallMeter = new Thread(() -> {
            while (true) {
                long before = System.nanoTime();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long over = System.nanoTime() - before - TimeUnit.MILLISECONDS.toNanos(5);
                stallNanos.accumulateAndGet(over, Math::max);
            }
        }, "stall-meter");
        stallMeter.setDaemon(true);
        stallMeter.start();

        SimpleResolver resolver = new SimpleResolver(InetAddress.getByName("127.0.0.1"));
        resolver.setPort(dnsPort);
        resolver.setTimeout(Duration.ofMillis(500));
        Random random = new Random(seed);
        List<Trial> done = new ArrayList<>();
        int status;
        try {
            header(serverJar, config, log, dnsPort, metricsPort, endpointPort);
            waitReady(server, resolver, metricsPort);
            out.println("failover_s: kill -> first answer without the primary; degraded_s: kill -> the server's log line"
                    + " 'Online -> Degraded'; sched_s: what the probe schedule predicts (next probe after the kill, from the"
                    + " last probe seen before it, + tolerated intervals [+ timeout in hang mode]);");
            out.println("recovery_s: restart -> first answer with the primary; online_s: restart -> 'Degraded -> Online'; sched_s:"
                    + " the next probe after the restart by the same schedule; rtt_max_ms: slowest DNS round trip of the trial;"
                    + " stall_ms: longest stall of this JVM (a 5 ms sleep oversleeping);");
            out.println("probes: arrival of each probe at the primary's port, in s from the kill (before '|') and from the restart"
                    + " (after it); 'h' = held unanswered (hang mode)");
            out.printf(Locale.ROOT, "%5s %7s %10s %10s %8s %10s %10s %8s %10s %8s  %-11s %-20s %-15s %s%n", "trial", "wait_ms",
                    "failover_s", "degraded_s", "sched_s", "recovery_s", "online_s", "sched_s", "rtt_max_ms", "stall_ms",
                    "answer", "probe result", "loadavg", "probes / notes");
            for (int i = 1; i <= trials; i++) {
                ensureAlive(server);
                waitOnline(metricsPort, resolver);
                Trial t = trial(i, resolver, random, server);
                done.add(t);
                print(t);
            }
            status = summary(done);
        } finally {
            server.destroy();
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            tailer.interrupt();
            primary.kill();
            secondary.kill();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
        return status;
    }

    /** The primary's server: replaced by a new one at every restart. */
    private Endpoint primary;

    private Trial trial(int n, SimpleResolver resolver, Random random, Process server) throws Exception {
        long intervalMs = interval * 1000L;
        long wait = (long) (random.nextDouble() * intervalMs);
        Thread.sleep(wait);
        stallNanos.set(0);
        ProbeHit lastOk = primaryProbes.isEmpty() ? null : primaryProbes.get(primaryProbes.size() - 1);
        long killWall = System.currentTimeMillis();
        long t0 = System.nanoTime();
        primary.kill();
        Hang hang = null;
        String note = "";
        if (mode.equals("hang")) {
            hang = new Hang(PRIMARY, primary.port, primaryProbes);
        } else if (!refuses(PRIMARY, primary.port)) {
            note = "port still accepts after stop(0)! ";
        }
        Thread pauser = null;
        if (pauseServerMs > 0 && lastOk != null) {
            long at = nextTick(lastOk.wallMillis(), killWall, intervalMs) + 500;
            note += String.format(Locale.ROOT, "server paused %d ms from %+.2f s; ", pauseServerMs, (at - killWall) / 1000.0);
            pauser = pause(server, at, pauseServerMs);
        }
        Odd odd = new Odd();
        Answer fail = pollUntil(resolver, a -> a.valid() && !a.primary(), t0, odd, server);
        double failoverMs = (fail.receivedNanos() - t0) / 1e6;
        if (pauser != null) {
            pauser.join();
        }

        Thread.sleep((long) (random.nextDouble() * intervalMs));
        long restartWall = System.currentTimeMillis();
        long t1 = System.nanoTime();
        if (hang != null) {
            hang.close();
        }
        int port = primary.port;
        for (int attempt = 1; ; attempt++) {
            try {
                primary = new Endpoint(PRIMARY, port, primaryProbes);
                break;
            } catch (java.net.BindException e) {
                if (attempt == 50) {
                    throw e;
                }
                if (attempt == 1) {
                    note += "restart: port busy, retried the bind; ";
                }
                Thread.sleep(10);
            }
        }
        Answer back = pollUntil(resolver, a -> a.valid() && a.primary(), t1, odd, server);
        double recoveryMs = (back.receivedNanos() - t1) / 1e6;
        long backWall = System.currentTimeMillis();
        Thread.sleep(200); // let the log line of the recovery arrive

        long degradedAfter = -1;
        long onlineAfter = -1;
        String reason = "";
        for (StatusEvent e : events) {
            if (!e.endpoint().equals("primary")) {
                if (e.wallMillis() >= killWall - 1000) {
                    note += "secondary " + e.from() + "->" + e.to() + " (" + e.reason() + ") ";
                }
                continue;
            }
            if (e.to().equals("Degraded") && e.wallMillis() >= killWall && e.wallMillis() < restartWall
                    && degradedAfter < 0) {
                degradedAfter = e.wallMillis() - killWall;
                reason = e.reason();
            } else if (e.to().equals("Online") && e.wallMillis() >= restartWall && onlineAfter < 0) {
                onlineAfter = e.wallMillis() - restartWall;
            }
        }
        // What the probe schedule predicts. It is fixed-rate, so its grid is the last probe that
        // reached the primary before the kill + k intervals: the first probe after the kill fails,
        // `tolerated` more fail one interval apart (each after its timeout in hang mode); the first
        // probe after the restart succeeds, `required - 1` more one interval apart.
        double expectedFailover = Double.NaN;
        double expectedRecovery = Double.NaN;
        if (lastOk != null) {
            long nextAfterKill = nextTick(lastOk.wallMillis(), killWall, intervalMs);
            expectedFailover = nextAfterKill + tolerated * intervalMs + (mode.equals("hang") ? timeout * 1000L : 0) - killWall;
            long nextAfterRestart = nextTick(lastOk.wallMillis(), restartWall, intervalMs);
            expectedRecovery = nextAfterRestart + (required - 1) * intervalMs - restartWall;
        }
        StringBuilder probes = new StringBuilder();
        boolean bar = false;
        for (ProbeHit h : primaryProbes) {
            if (h.wallMillis() < killWall - intervalMs - 500 || h.wallMillis() > backWall) {
                continue;
            }
            if (h.wallMillis() >= restartWall && !bar) {
                probes.append(" |");
                bar = true;
            }
            long base = h.wallMillis() < restartWall ? killWall : restartWall;
            probes.append(String.format(Locale.ROOT, " %+.2f%s", (h.wallMillis() - base) / 1000.0, h.kind().equals("ok") ? "" : "h"));
        }
        if (!bar) {
            probes.append(" |");
        }
        if (odd.count > 0) {
            note += odd.count + " odd answer(s), first: " + odd.sample;
        }
        return new Trial(n, wait, failoverMs, fail.text(), recoveryMs, back.text(), degradedAfter, onlineAfter,
                reason, odd.count, odd.polls, odd.maxRttNanos / 1e6, expectedFailover, expectedRecovery,
                TimeUnit.NANOSECONDS.toMillis(stallNanos.get()), probes.toString().trim(), note.trim(), loadavg());
    }

    /**
     * A diagnostic ({@code --pause-server-ms}): stops the server process (SIGSTOP) at wall time
     * {@code atWall} for {@code millis}, as a long GC pause or a starved CPU would, half a second
     * after the first probe after the kill started, i.e. while it waits for its timeout (hang mode).
     */
    private static Thread pause(Process server, long atWall, long millis) {
        Thread t = new Thread(() -> {
            try {
                long delay = atWall - System.currentTimeMillis();
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                signal(server, "STOP");
                try {
                    Thread.sleep(millis);
                } finally {
                    signal(server, "CONT");
                }
            } catch (InterruptedException | IOException e) {
                System.err.println("failover: pause failed: " + e);
            }
        }, "pauser");
        t.start();
        return t;
    }

    private static void signal(Process server, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).inheritIO().start().waitFor();
    }

    /** The first time after {@code after} on the grid {@code anchor + k * interval}. */
    static long nextTick(long anchor, long after, long interval) {
        long k = Math.floorDiv(after - anchor, interval) + 1;
        return anchor + k * interval;
    }

    /**
     * The queries of one trial: how many, the slowest round trip (a slow one delays the measured
     * time), and the answers that were neither the old nor the new state (errors, timeouts).
     */
    private static final class Odd {
        int polls;
        long maxRttNanos;
        int count;
        String sample;
    }

    /** Queries every POLL_MILLIS until an answer passes; returns it (or throws after 30 s). */
    private Answer pollUntil(SimpleResolver resolver, Predicate<Answer> done, long since, Odd odd, Process server)
            throws Exception {
        long next = System.nanoTime();
        while (true) {
            Answer a = query(resolver);
            odd.polls++;
            odd.maxRttNanos = Math.max(odd.maxRttNanos, a.rttNanos());
            if (done.test(a)) {
                return a;
            }
            if (!a.valid()) {
                odd.count++;
                if (odd.sample == null) {
                    odd.sample = String.format(Locale.ROOT, "%s at +%.0f ms", a.text(), (a.receivedNanos() - since) / 1e6);
                }
            }
            if (System.nanoTime() - since > TimeUnit.MILLISECONDS.toNanos(PHASE_TIMEOUT_MILLIS)) {
                throw new IllegalStateException("no change after " + PHASE_TIMEOUT_MILLIS + " ms; last answer " + a.text());
            }
            ensureAlive(server);
            next += TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            } else {
                next = System.nanoTime(); // behind (a slow answer): do not burst to catch up
            }
        }
    }

    private static Answer query(SimpleResolver resolver) {
        long sent = System.nanoTime();
        try {
            Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(QNAME), Type.A, DClass.IN)));
            long at = System.nanoTime();
            if (response.getRcode() != Rcode.NOERROR) {
                return new Answer(at, at - sent, Rcode.string(response.getRcode()), false, false);
            }
            List<String> addresses = new ArrayList<>();
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof ARecord a) {
                    addresses.add(a.getAddress().getHostAddress() + (r.getTTL() == 0 ? "" : " ttl " + r.getTTL()));
                }
            }
            if (addresses.isEmpty()) {
                return new Answer(at, at - sent, "NODATA", false, false);
            }
            String text = String.join(",", addresses);
            return new Answer(at, at - sent, text, text.equals(PRIMARY),
                    addresses.stream().allMatch(s -> s.equals(PRIMARY) || s.equals(SECONDARY)));
        } catch (IOException e) {
            long at = System.nanoTime();
            return new Answer(at, at - sent, "no answer (" + e.getClass().getSimpleName() + ")", false, false);
        }
    }

    private void waitReady(Process server, SimpleResolver resolver, int metricsPort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            ensureAlive(server);
            Answer a = query(resolver);
            if (a.primary() && online(metricsPort, "primary") && online(metricsPort, "secondary")) {
                out.println("ready: DNS answers " + PRIMARY + ", both endpoints Online");
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("server not ready after 60 s (DNS answering the primary, both endpoints Online)");
    }

    private void waitOnline(int metricsPort, SimpleResolver resolver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (online(metricsPort, "primary") && online(metricsPort, "secondary") && query(resolver).primary()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("endpoints not both Online 30 s after recovery");
    }

    private static boolean online(int metricsPort, String endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + metricsPort + "/metrics").openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String line : body.split("\n")) {
                    if (line.startsWith("wayfinder_endpoint_status{") && line.contains("endpoint=\"" + endpoint + "\"")
                            && line.contains("profile=\"svc\"")) {
                        return line.contains("status=\"Online\"");
                    }
                }
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static void ensureAlive(Process server) {
        if (!server.isAlive()) {
            throw new IllegalStateException("wayfinder serve exited with status " + server.exitValue() + " (see its log)");
        }
    }

    /** Follows the server's log: echoes nothing, keeps the status changes of the two endpoints. */
    private Thread startTailer(Path log, Process server) {
        Thread t = new Thread(() -> {
            try {
                while (!Files.exists(log)) {
                    Thread.sleep(10);
                }
                try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                    StringBuilder partial = new StringBuilder();
                    while (!Thread.currentThread().isInterrupted()) {
                        int c = r.read();
                        if (c < 0) {
                            Thread.sleep(20);
                            continue;
                        }
                        if (c != '\n') {
                            partial.append((char) c);
                            continue;
                        }
                        String line = partial.toString();
                        partial.setLength(0);
                        Matcher m = STATUS_LINE.matcher(line);
                        if (m.matches()) {
                            try {
                                long wall = OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
                                events.add(new StatusEvent(wall, m.group(2), m.group(3), m.group(4), m.group(5)));
                            } catch (RuntimeException ignored) {
                                // a line that merely looks like one
                            }
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                System.err.println("failover: cannot follow the server log: " + e);
            }
        }, "log-tailer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void header(Path serverJar, Path config, Path log, int dnsPort, int metricsPort, int endpointPort) {
        out.println("# Wayfinder failover timer");
        out.printf(Locale.ROOT, "started   %s%n", OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.printf(Locale.ROOT, "server    %s%n", serverJar);
        out.printf(Locale.ROOT, "config    %s (DNS 127.0.0.1:%d, metrics 127.0.0.1:%d, endpoints %s and %s on port %d)%n",
                config, dnsPort, metricsPort, PRIMARY, SECONDARY, endpointPort);
        out.printf(Locale.ROOT, "log       %s%n", log);
        out.printf(Locale.ROOT, "probe     HTTP GET /health, interval %d s, timeout %d s, tolerated %d, required successes %d, TTL 0%n",
                interval, timeout, tolerated, required);
        out.printf(Locale.ROOT, "kill      %s, at a random 0-%d s phase; restart after another random 0-%d s%n",
                mode.equals("refused") ? "HttpServer.stop(0): connection refused" : "port held by a socket that never answers: probe timeout",
                interval, interval);
        out.printf(Locale.ROOT, "trials    %d (seed %d), DNS polled over UDP every %d ms%n", trials, seed, POLL_MILLIS);
        if (pauseServerMs > 0) {
            out.printf(Locale.ROOT, "pause     the server process is stopped (SIGSTOP) for %d ms, 0.5 s after the first probe after each kill%n",
                    pauseServerMs);
        }
        out.printf(Locale.ROOT, "machine   %d cpus, loadavg %s, java %s%n", Runtime.getRuntime().availableProcessors(),
                loadavg(), System.getProperty("java.version"));
        out.flush();
    }

    private void print(Trial t) {
        out.printf(Locale.ROOT, "%5d %7d %10.3f %10s %8.3f %10.3f %10s %8.3f %10.1f %8d  %-11s %-20s %-15s %s%s%n", t.n(),
                t.phaseWaitMs(), t.failoverMs() / 1000,
                t.degradedAfterMs() < 0 ? "?" : String.format(Locale.ROOT, "%.3f", t.degradedAfterMs() / 1000.0),
                t.expectedFailoverMs() / 1000, t.recoveryMs() / 1000,
                t.onlineAfterMs() < 0 ? "?" : String.format(Locale.ROOT, "%.3f", t.onlineAfterMs() / 1000.0),
                t.expectedRecoveryMs() / 1000, t.maxRttMs(), t.stallMs(), t.failoverAnswer(),
                t.degradedReason().isEmpty() ? "?" : t.degradedReason(), t.loadavg(), t.probes(),
                t.notes().isEmpty() ? "" : "; " + t.notes());
        out.flush();
    }

    private int summary(List<Trial> done) {
        double failTarget = (interval + timeout) * (tolerated + 1) + 1.0;
        double recoverTarget = required * interval + 1.0;
        double[] f = done.stream().mapToDouble(t -> t.failoverMs() / 1000).sorted().toArray();
        double[] r = done.stream().mapToDouble(t -> t.recoveryMs() / 1000).sorted().toArray();
        boolean failPass = f[f.length - 1] <= failTarget;
        boolean recoverPass = r[r.length - 1] <= recoverTarget;
        int odd = done.stream().mapToInt(Trial::oddAnswers).sum();
        out.println();
        out.printf(Locale.ROOT, "## Summary: %d trials, mode %s, interval %d s, timeout %d s, tolerated %d, required %d, TTL 0%n",
                done.size(), mode, interval, timeout, tolerated, required);
        out.println();
        out.println("| | median | p90 | max | min | target (max) | result |");
        out.println("|---|---:|---:|---:|---:|---:|---|");
        out.printf(Locale.ROOT, "| failover (kill → first answer without it) | %.2f s | %.2f s | %.2f s | %.2f s | %.0f s | %s |%n",
                median(f), p90(f), f[f.length - 1], f[0], failTarget, failPass ? "PASS" : "FAIL");
        out.printf(Locale.ROOT, "| recovery (restart → first answer with it) | %.2f s | %.2f s | %.2f s | %.2f s | %.0f s | %s |%n",
                median(r), p90(r), r[r.length - 1], r[0], recoverTarget, recoverPass ? "PASS" : "FAIL");
        out.println();
        out.printf(Locale.ROOT, "targets: failover <= (interval + timeout) x (tolerated + 1) + 1 s = %.0f s; recovery <= required x interval + 1 s = %.0f s; "
                + "PASS = every trial within it. median: mean of the middle two; p90: nearest rank.%n", failTarget, recoverTarget);
        double failWait = mode.equals("hang") ? timeout : 0;
        out.printf(Locale.ROOT, "model (probes on a fixed %d s schedule, the kill at a random phase): failover %.0f-%.0f s (%s), "
                + "recovery %.0f-%.0f s, plus the time to publish and a %d ms poll%n", interval,
                tolerated * interval + failWait, (tolerated + 1) * interval + failWait,
                mode.equals("hang") ? "each failed probe waits for its timeout" : "a refused probe fails at once",
                (required - 1) * (double) interval, required * (double) interval, POLL_MILLIS);
        out.printf(Locale.ROOT, "answers that were neither the primary nor the secondary (errors, timeouts): %d; loadavg at end %s%n",
                odd, loadavg());
        out.flush();
        return failPass && recoverPass ? 0 : 3;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double p90(double[] sorted) {
        int rank = (int) Math.ceil(0.9 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private String config(int dnsPort, int metricsPort, int endpointPort) {
        return String.format(Locale.ROOT, """
                # Written by io.wayfinder.bench.FailoverTimer.
                dns:
                  listen: ["127.0.0.1:%d"]
                metrics:
                  listen: "127.0.0.1:%d"
                zones:
                  - name: failover.test
                    nameservers:
                      - {name: ns1.failover.test, addresses: [127.0.0.1]}
                profiles:
                  - name: svc
                    trafficRoutingMethod: Priority
                    dnsConfig: {relativeName: www, ttl: 0}
                    monitorConfig: {protocol: HTTP, port: %d, path: /health, intervalInSeconds: %d,
                                    timeoutInSeconds: %d, toleratedNumberOfFailures: %d, requiredConsecutiveSuccesses: %d}
                    endpoints:
                      - {name: primary, type: external, target: %s, priority: 1}
                      - {name: secondary, type: external, target: %s, priority: 2}
                """, dnsPort, metricsPort, endpointPort, interval, timeout, tolerated, required, PRIMARY, SECONDARY);
    }

    private static Path findJar() throws IOException {
        Path dir = Path.of("server", "target");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "wayfinder-*-all.jar")) {
            for (Path p : s) {
                return p.toAbsolutePath();
            }
        } catch (IOException e) {
            // fall through
        }
        throw new IOException("no server/target/wayfinder-*-all.jar (run from the repository root after "
                + "`mvn -B -q -DskipTests package`, or pass --jar)");
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (the server binds both). */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    /** Whether a connection to host:port is refused now (what the probes will see). */
    private static boolean refuses(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String loadavg() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** An endpoint's HTTP server: 200 on /health (and every other path). */
    private static final class Endpoint {
        final int port;
        private final HttpServer http;
        private boolean stopped;

        Endpoint(String host, int port, List<ProbeHit> probes) throws IOException {
            http = HttpServer.create(new InetSocketAddress(host, port), 50);
            http.createContext("/", exchange -> {
                if (probes != null) {
                    probes.add(new ProbeHit(System.currentTimeMillis(), "ok"));
                }
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            http.start();
            this.port = http.getAddress().getPort();
        }

        /** Closes the listening socket and every connection: connection refused from then on. */
        void kill() {
            if (!stopped) {
                stopped = true;
                http.stop(0);
            }
        }
    }

    /**
     * Holds a port and accepts every connection without ever answering: the probe's connection
     * opens, its request goes unanswered, it runs into its timeout.
     */
    private static final class Hang {
        private final ServerSocket socket;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Hang(String host, int port, List<ProbeHit> probes) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 50);
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        probes.add(new ProbeHit(System.currentTimeMillis(), "hang"));
                        held.add(s);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hang-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        }

        /**
         * Closes the port and the held connections. Waits for the accepting thread to leave accept():
         * until it does, the kernel keeps the listening socket alive and the port cannot be bound.
         */
        void close() throws IOException, InterruptedException {
            socket.close();
            acceptor.join(2000);
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
