package io.wayfinder.cli;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.ConfigLoader;
import io.wayfinder.control.LoadedConfig;
import io.wayfinder.control.SnapshotPublisher;
import io.wayfinder.health.HealthMonitor;
import io.wayfinder.health.NettyProber;
import io.wayfinder.health.Prober;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.time.ThreadScheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/** What the commands share: loading a configuration with every error reported, and taking its health. */
final class ConfigLoading {
    private ConfigLoading() {
    }

    /** A configuration that could not be loaded; its errors have been printed. */
    static final class Rejected extends Exception {
        Rejected() {
            super(null, null, false, false);
        }
    }

    /** Loads, or prints every error (each with its field path) to {@code err} and throws {@link Rejected}. */
    static LoadedConfig load(Path file, PrintStream err) throws Rejected {
        try {
            return ConfigLoader.load(file, Clock.systemUTC());
        } catch (ConfigException e) {
            report(file, e, err);
            throw new Rejected();
        } catch (IOException e) {
            err.println(file + ": " + e.getMessage());
            throw new Rejected();
        }
    }

    static void report(Path file, ConfigException e, PrintStream err) {
        err.println(file + ": " + e.errors().size() + " error(s)");
        for (ConfigError error : e.errors()) {
            err.println("  " + error);
        }
    }

    /** The snapshot a server would start with: every monitored endpoint CheckingEndpoint. */
    static Snapshot unprobed(LoadedConfig loaded) {
        Prober never = target -> new CompletableFuture<>();
        return withPublisher(loaded, never, SnapshotPublisher::snapshot);
    }

    /**
     * Probes every monitored endpoint {@code rounds} times back to back (default: enough for the
     * largest toleratedNumberOfFailures to show Degraded) and hands the snapshot and the monitor to {@code use}.
     */
    static <T> T probed(LoadedConfig loaded, Integer rounds, BiFunction<Snapshot, HealthMonitor, T> use) {
        int n = rounds != null ? rounds : loaded.config().profiles().stream()
                .filter(p -> p.monitor() != null).mapToInt(p -> p.monitor().toleratedNumberOfFailures() + 1).max().orElse(1);
        try (NettyProber prober = new NettyProber(Clock.systemUTC())) {
            return withPublisher(loaded, prober, publisher -> {
                Snapshot snapshot = publisher.snapshot();
                for (int i = 0; i < Math.max(1, n); i++) {
                    snapshot = publisher.probeAll().join();
                }
                return use.apply(snapshot, publisher.health());
            });
        }
    }

    /** A publisher of the configuration on a control thread of its own, for as long as {@code use} runs. */
    private static <T> T withPublisher(LoadedConfig loaded, Prober prober, Function<SnapshotPublisher, T> use) {
        try (ThreadScheduler control = new ThreadScheduler("control", Clock.systemUTC())) {
            SnapshotPublisher publisher = new SnapshotPublisher(control, prober);
            publisher.configurationLoaded(loaded).join();
            try {
                return use.apply(publisher);
            } finally {
                publisher.close().join();
            }
        }
    }
}
