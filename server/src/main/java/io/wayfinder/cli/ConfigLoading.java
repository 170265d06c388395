package io.wayfinder.cli;

import io.wayfinder.health.HealthMonitor;
import io.wayfinder.health.NettyProber;
import io.wayfinder.profile.ConfigError;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.runtime.LoadedConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

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
            return LoadedConfig.load(file);
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

    /** The monitor of a configuration, not probing: every monitored endpoint CheckingEndpoint, as at a start. */
    static HealthMonitor unprobed(LoadedConfig loaded) {
        HealthMonitor monitor = new HealthMonitor(target -> new CompletableFuture<>(), Clock.systemUTC(), (view, changes) -> { });
        monitor.configure(loaded.config());
        return monitor;
    }

    /**
     * Probes every monitored endpoint {@code rounds} times back to back (default: enough for the
     * largest toleratedNumberOfFailures to show Degraded) and hands the monitor to {@code use}.
     */
    static <T> T probed(LoadedConfig loaded, Integer rounds, java.util.function.Function<HealthMonitor, T> use) {
        int n = rounds != null ? rounds : loaded.config().profiles().stream()
                .filter(p -> p.monitor() != null).mapToInt(p -> p.monitor().toleratedNumberOfFailures() + 1).max().orElse(1);
        try (NettyProber prober = new NettyProber(Clock.systemUTC());
             HealthMonitor monitor = new HealthMonitor(prober, Clock.systemUTC(), (view, changes) -> { })) {
            monitor.configure(loaded.config());
            for (int i = 0; i < Math.max(1, n); i++) {
                monitor.probeAllNow();
            }
            return use.apply(monitor);
        }
    }
}
