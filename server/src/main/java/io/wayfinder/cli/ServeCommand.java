package io.wayfinder.cli;

import ch.qos.logback.classic.Level;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.ListenAddress;
import io.wayfinder.runtime.WayfinderServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve DNS for the configured zones and profiles until stopped.",
            "Edits to the configuration or its data files are picked up within seconds;",
            "a configuration with errors is logged and the running one kept."})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Listen here instead of dns.listen (repeatable; [::1]:8053 for IPv6).")
    List<String> listen = new ArrayList<>();

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics here instead of metrics.listen (also when the file has none).")
    String metricsListen;

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads (default: one per core).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "error, warn, info (default) or debug.")
    String logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default: one line per event) or json (one JSON object per line, for log shippers).")
    LogSetup.Format logFormat;

    /** What to do about an address that could not be bound, naming the option that moves it. */
    static String listenFailure(WayfinderServer.ListenFailure e) {
        String option = switch (e.listener()) {
            case DNS -> "--listen HOST:PORT";
            case METRICS -> "--metrics-listen HOST:PORT";
            case API -> "api.listen in the configuration";
        };
        String what = switch (e.listener()) {
            case DNS -> "";
            case METRICS -> " (metrics)";
            case API -> " (API)";
        };
        if (e.inUse()) {
            return e.address() + what + " is in use; choose another with " + option + " (port 0 picks a free one)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "cannot listen on " + e.address() + what + ": " + root.getMessage()
                + (e.address().port() > 0 && e.address().port() < 1024 ? " (ports below 1024 need CAP_NET_BIND_SERVICE;"
                + " see Installing as a service in the README)" : "")
                + "; choose another address with " + option + " HOST:PORT";
    }

    @Override
    public Integer call() throws Exception {
        Level level = Level.toLevel(logLevel, null);
        if (level == null || !List.of(Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG).contains(level)) {
            System.err.println("--log-level must be error, warn, info or debug, not " + logLevel);
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        }
        LogSetup.apply(level, logFormat);
        List<ListenAddress> override = new ArrayList<>();
        for (String text : listen) {
            try {
                override.add(ListenAddress.parse(text));
            } catch (IllegalArgumentException e) {
                System.err.println("--listen " + e.getMessage());
                return WayfinderCommand.EXIT_INVALID_CONFIG;
            }
        }
        ListenAddress metrics = null;
        if (metricsListen != null) {
            try {
                metrics = ListenAddress.parse(metricsListen);
            } catch (IllegalArgumentException e) {
                System.err.println("--metrics-listen " + e.getMessage());
                return WayfinderCommand.EXIT_INVALID_INPUT;
            }
        }
        // The hook goes in before the server starts: a SIGTERM while it starts (DNS may already
        // answer before the metrics listener is up) waits for the start to end, then stops what
        // started, with the closing line, instead of ending the JVM with nothing closed.
        AtomicReference<WayfinderServer> running = new AtomicReference<>();
        CountDownLatch startEnded = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitUninterruptibly(startEnded);
            WayfinderServer started = running.get();
            if (started != null) {
                LOG.info("stopping: {} responses sent since start", started.dnsStats().responses());
                started.close();
                LOG.info("stopped");
            }
            stopped.countDown();
        }, "shutdown"));
        try {
            long watch = WayfinderServer.Options.defaults().watchIntervalMillis();
            running.set(WayfinderServer.start(config, new WayfinderServer.Options(override, threads, watch, metrics)));
        } catch (ConfigException e) {
            ConfigLoading.report(config, e, System.err);
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        } catch (WayfinderServer.ListenFailure e) {
            System.err.println(listenFailure(e));
            return WayfinderCommand.EXIT_RUNTIME_FAILURE;
        } catch (IOException e) {
            System.err.println("cannot start: " + e.getMessage());
            return WayfinderCommand.EXIT_RUNTIME_FAILURE;
        } finally {
            startEnded.countDown();
        }
        stopped.await();
        return 0;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
