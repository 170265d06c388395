package io.wayfinder.cli;

import io.wayfinder.answer.Snapshot;
import io.wayfinder.control.LoadedConfig;
import io.wayfinder.health.HealthMonitor;
import io.wayfinder.health.HealthReport;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.ProfileMonitorStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Probe every monitored endpoint now and print its health.",
            "Prints each profile and endpoint with its monitor status, last probe result,",
            "consecutive failures and successes, and since when."})
final class StatusCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML configuration.")
    Path config;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Probe rounds, back to back (default: enough for the largest toleratedNumberOfFailures to show Degraded).")
    Integer rounds;

    @Override
    public Integer call() {
        LoadedConfig loaded;
        try {
            loaded = ConfigLoading.load(config, System.err);
        } catch (ConfigLoading.Rejected e) {
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        }
        String report = ConfigLoading.probed(loaded, rounds, StatusCommand::render);
        System.out.print(report);
        return 0;
    }

    static String render(Snapshot snapshot, HealthMonitor monitor) {
        Map<String, HealthReport> reports = new HashMap<>();
        for (HealthReport r : monitor.reports()) {
            reports.put(r.profile().toLowerCase(Locale.ROOT) + "/" + r.endpoint().toLowerCase(Locale.ROOT), r);
        }
        StringBuilder out = new StringBuilder();
        for (Profile p : snapshot.routing().profiles()) {
            out.append("profile ").append(p.name()).append(": ").append(ProfileMonitorStatus.of(p));
            if (p.failOpen()) {
                out.append("  FAIL-OPEN (every eligible endpoint is Degraded; serving them anyway)");
            }
            if (p.onFallback()) {
                out.append("  ON FALLBACK (every eligible endpoint is Degraded)");
            }
            out.append('\n');
            out.append(String.format(Locale.ROOT, "  %-14s %-24s %-16s %-5s %-3s %-20s %s%n",
                    "endpoint", "target", "status", "fails", "oks", "since", "last probe"));
            for (Endpoint e : p.endpoints()) {
                HealthReport r = reports.get(p.name().toLowerCase(Locale.ROOT) + "/" + e.name().toLowerCase(Locale.ROOT));
                String last = r == null || r.lastResult() == null ? "-"
                        : r.lastResult().reason() + " (" + r.lastResult().elapsedMillis() + " ms)";
                out.append(String.format(Locale.ROOT, "  %-14s %-24s %-16s %-5s %-3s %-20s %s%n",
                        e.name() + (e.fallback() ? " (fallback)" : ""), e.target(), p.status(e.index()),
                        r == null ? "-" : r.consecutiveFailures(), r == null ? "-" : r.consecutiveSuccesses(),
                        r == null ? "-" : r.since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), last));
            }
        }
        return out.toString();
    }
}
