package io.wayfinder.cli;

import io.wayfinder.agent.Agent;
import io.wayfinder.agent.AgentSettings;
import io.wayfinder.agent.DenyList;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code agent --region R}: a region agent ({@link Agent}) against the server named. It runs until
 * SIGTERM or Ctrl-C (a shutdown hook stops the loop and posts what waits), or, with {@code --once},
 * for one round: exit 0 when the round had its targets and posted what it measured, 1 when the server
 * could not be reached, 2 for wrong options or a server that refused the agent (token, region).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run a region agent: measure the round trip from this site to the client",
            "networks the server names (GET /api/v1/agent/targets) and post it as",
            "measurements (source agent:REGION). Needs a measurer or writer token.",
            "",
            "It measures TCP connection set-up (SYN to SYN-ACK, or to the RST of a closed",
            "port: both are one round trip) and closes at once; nothing is sent. Not ICMP:",
            "a raw socket needs CAP_NET_RAW, which a Java process rarely has, and resolvers",
            "answer TCP 53 anyway. The best of --attempts tries is the sample; a timeout",
            "gives none. One line per round on stderr.",
            "",
            "Durations are a whole number and a unit: 500ms, 2s, 5m, 1h."})
final class AgentCommand implements Callable<Integer> {
    /** How long the shutdown hook waits for the loop to post what waits. */
    static final Duration STOP_WAIT = Duration.ofSeconds(10);

    @Mixin
    ServerOptions server;

    @Option(names = {"-r", "--region"}, required = true, paramLabel = "REGION",
            description = "The region this agent measures from (a region of the catalogue: wayfinder regions).")
    String region;

    @Option(names = "--ports", paramLabel = "PORT,...", split = ",", defaultValue = "53,443,80",
            description = "Ports tried in order until one answers; the one that answered is remembered (default: ${DEFAULT-VALUE}).")
    List<Integer> ports;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "64",
            description = "Connection attempts in flight at most (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "How long an attempt waits for an answer; then it is a timeout, no sample (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "3",
            description = "Attempts per target per round; the smallest round trip is the sample (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5m",
            description = "A target is probed at most once per interval (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "10m",
            description = "How often the targets are asked for again (default: ${DEFAULT-VALUE}).")
    String refresh;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
            description = "Connection attempts per second at most, over all targets (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "Targets asked for: the N networks that query most (1-10000; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--buffer", paramLabel = "N", defaultValue = "1000000",
            description = "Samples kept while the server cannot be reached; beyond, the oldest are dropped (default: ${DEFAULT-VALUE}).")
    int buffer;

    @Option(names = "--deny", paramLabel = "FILE",
            description = "Networks never probed, one a line (192.0.2.0/24, 2001:db8::/32 or an address; # comments)."
                    + " Multicast, broadcast and unspecified addresses are always denied.")
    Path deny;

    @Option(names = "--once", description = "One round, then exit (for cron and tests): 0 posted, 1 server unreachable, 2 refused.")
    boolean once;

    @Override
    public Integer call() {
        AgentSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException | ApiClient.Failure e) {
            System.err.println(e instanceof ApiClient.Failure f ? String.join("\n", f.lines()) : e.getMessage());
            return WayfinderCommand.EXIT_INVALID_INPUT;
        }
        PrintStream err = System.err;
        try (Agent agent = Agent.create(settings, line -> err.println(Instant.now() + " " + line))) {
            if (once) {
                Agent.Round r;
                try {
                    r = agent.round();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return WayfinderCommand.EXIT_RUNTIME_FAILURE;
                }
                return r.ok() ? WayfinderCommand.EXIT_OK
                        : r.refused() ? WayfinderCommand.EXIT_INVALID_INPUT : WayfinderCommand.EXIT_RUNTIME_FAILURE;
            }
            return runUntilStopped(agent, err);
        }
    }

    /** Rounds until SIGTERM or Ctrl-C; the hook stops the loop and waits for its last post. */
    private static int runUntilStopped(Agent agent, PrintStream err) {
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            agent.stop();
            try {
                done.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "agent-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            agent.run();
            err.println(Instant.now() + " agent stopped"); // before the hook returns: the JVM halts then
        } finally {
            done.countDown();
        }
        return WayfinderCommand.EXIT_OK;
    }

    private AgentSettings settings() throws ApiClient.Failure {
        String s = server.serverOrNull();
        if (s == null) {
            throw ApiClient.Failure.usage("Missing the server: --server URL or the environment variable "
                    + ServerOptions.SERVER_VARIABLE + " (the server's api.listen, as http://127.0.0.1:8080)");
        }
        DenyList denied;
        try {
            denied = deny == null ? DenyList.builtIn() : DenyList.read(deny);
        } catch (NoSuchFileException e) {
            throw ApiClient.Failure.usage("--deny " + deny + ": no such file");
        } catch (IOException e) {
            throw ApiClient.Failure.usage("--deny " + deny + ": cannot be read: " + e.getMessage());
        }
        return new AgentSettings(ServerOptions.base(s), server.tokenOrNull(), region, ports, concurrency,
                duration("--timeout", timeout), attempts, duration("--interval", interval), duration("--refresh", refresh),
                rate, limit, buffer, denied);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + text
                    + "' is not a duration: write a whole number and a unit, as 500ms, 2s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
