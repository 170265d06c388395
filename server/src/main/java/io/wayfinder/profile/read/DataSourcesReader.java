package io.wayfinder.profile.read;

import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.profile.WayfinderConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code geolocation} and {@code latency} sections: the data files routing reads, and how
 * measurements aggregate; and the {@code reload} section, when edits of those files apply.
 */
final class DataSourcesReader {
    private DataSourcesReader() {
    }

    static WayfinderConfig.GeolocationSettings geolocation(ConfigObject geo, Path base) {
        if (geo == null) {
            return WayfinderConfig.GeolocationSettings.NONE;
        }
        List<Path> mmdb = paths(geo.strings("mmdb"), base);
        List<Path> csv = paths(geo.strings("csv"), base);
        geo.rejectUnknownKeys();
        return new WayfinderConfig.GeolocationSettings(mmdb, csv);
    }

    /** The {@code reload} section: when a changed file is applied (the files are the ones named here and above). */
    static WayfinderConfig.ReloadSettings reload(ConfigObject reload) {
        if (reload == null) {
            return WayfinderConfig.ReloadSettings.DEFAULT;
        }
        Duration quiet = reload.duration("quietPeriod", Duration.ZERO, Duration.ofMinutes(10),
                WayfinderConfig.ReloadSettings.DEFAULT_QUIET_PERIOD);
        reload.rejectUnknownKeys();
        return new WayfinderConfig.ReloadSettings(quiet);
    }

    /**
     * @param apiOn whether the configuration has {@code api:}: learning needs it, since measurements
     *              arrive through the API
     */
    static WayfinderConfig.LatencySettings latency(ConfigObject latency, Path base, boolean apiOn, RegionCatalogue catalogue) {
        List<Integer> v4 = WayfinderConfig.LatencySettings.DEFAULT_IPV4_LEVELS;
        List<Integer> v6 = WayfinderConfig.LatencySettings.DEFAULT_IPV6_LEVELS;
        if (latency == null) {
            return new WayfinderConfig.LatencySettings(List.of(), v4, v6, WayfinderConfig.LatencySettings.DEFAULT_MIN_SAMPLES);
        }
        List<Path> sources = paths(latency.strings("sources"), base);
        int minSamples = WayfinderConfig.LatencySettings.DEFAULT_MIN_SAMPLES;
        ConfigObject aggregation = latency.object("aggregation");
        if (aggregation != null) {
            if (aggregation.has("ipv4Levels")) {
                v4 = levels(aggregation, "ipv4Levels", 32);
            }
            if (aggregation.has("ipv6Levels")) {
                v6 = levels(aggregation, "ipv6Levels", 128);
            }
            minSamples = aggregation.integer("minSamples", 1, Integer.MAX_VALUE, minSamples);
            aggregation.rejectUnknownKeys();
        }
        WayfinderConfig.LearningSettings learning = learning(latency);
        boolean learn = latency.bool("learn", false);
        Duration rebuildInterval = rebuildInterval(latency, learn, apiOn);
        WayfinderConfig.RumSettings rum = RumReader.rum(latency.object("rum"), catalogue, learn);
        latency.rejectUnknownKeys();
        return new WayfinderConfig.LatencySettings(sources, v4, v6, minSamples, learning, learn, rebuildInterval, rum);
    }

    /** {@code latency.rebuildInterval}, checked with {@code latency.learn}, which needs {@code api:}. */
    private static Duration rebuildInterval(ConfigObject latency, boolean learn, boolean apiOn) {
        Duration interval = latency.duration("rebuildInterval", Duration.ofSeconds(1), Duration.ofDays(1),
                WayfinderConfig.LatencySettings.DEFAULT_REBUILD_INTERVAL);
        if (learn && !apiOn) {
            latency.errors().add(latency.pathOf("learn"), "needs api: measurements arrive through the management API"
                    + " (POST /api/v1/measurements), and the learned state is kept in its storage.dir");
        }
        if (!learn && latency.has("rebuildInterval")) {
            latency.errors().add(latency.pathOf("rebuildInterval"), "applies only with learn: true (without it the"
                    + " latency table is the configured sources, rebuilt when they change)");
        }
        return interval;
    }

    /** {@code latency.halfLife} and the {@code latency.learning} section. */
    private static WayfinderConfig.LearningSettings learning(ConfigObject latency) {
        WayfinderConfig.LearningSettings d = WayfinderConfig.LearningSettings.DEFAULT;
        Duration halfLife = latency.duration("halfLife", Duration.ofMinutes(1), Duration.ofDays(365), d.halfLife());
        ConfigObject learning = latency.object("learning");
        if (learning == null) {
            return new WayfinderConfig.LearningSettings(halfLife, d.changeMinSamples(), d.changeSigmas(),
                    d.changeMinMs(), d.holdBack(), d.hysteresisMs(), d.hysteresisSigmas(), d.staticSamples(),
                    d.maxPendingSamples());
        }
        int changeMinSamples = learning.integer("changeMinSamples", 2, 10_000, d.changeMinSamples());
        double changeSigmas = orElse(learning.number("changeSigmas", 0.5, 100, false), d.changeSigmas());
        double changeMinMs = orElse(learning.number("changeMinMs", 0, 10_000, false), d.changeMinMs());
        Duration holdBack = learning.duration("holdBack", Duration.ZERO, Duration.ofDays(30), d.holdBack());
        double hysteresisMs = orElse(learning.number("hysteresisMs", 0, 10_000, false), d.hysteresisMs());
        double hysteresisSigmas = orElse(learning.number("hysteresisSigmas", 0, 100, false), d.hysteresisSigmas());
        int staticSamples = learning.integer("staticSamples", 1, 1_000_000, d.staticSamples());
        int maxPending = learning.integer("maxPendingSamples", 1_000, 500_000_000, d.maxPendingSamples());
        learning.rejectUnknownKeys();
        return new WayfinderConfig.LearningSettings(halfLife, changeMinSamples, changeSigmas, changeMinMs, holdBack,
                hysteresisMs, hysteresisSigmas, staticSamples, maxPending);
    }

    private static double orElse(Double value, double fallback) {
        return value == null ? fallback : value;
    }

    private static List<Integer> levels(ConfigObject aggregation, String key, int max) {
        List<Integer> out = new ArrayList<>();
        List<String> texts = aggregation.strings(key);
        for (int i = 0; i < texts.size(); i++) {
            String path = aggregation.pathOf(key) + "[" + i + "]";
            try {
                int level = Integer.parseInt(texts.get(i).replace("/", ""));
                if (level < 1 || level > max) {
                    aggregation.errors().add(path, "must be a prefix length between 1 and " + max);
                } else if (out.contains(level)) {
                    aggregation.errors().add(path, "/" + level + " is listed twice");
                } else {
                    out.add(level);
                }
            } catch (NumberFormatException e) {
                aggregation.errors().add(path, "'" + texts.get(i) + "' is not a prefix length");
            }
        }
        if (out.size() > 16) {
            aggregation.errors().add(aggregation.pathOf(key), "at most 16 levels");
        }
        return out;
    }

    private static List<Path> paths(List<String> texts, Path base) {
        List<Path> out = new ArrayList<>();
        for (String text : texts) {
            Path p = Path.of(text);
            out.add(base == null || p.isAbsolute() ? p : base.resolve(p).normalize());
        }
        return out;
    }
}
