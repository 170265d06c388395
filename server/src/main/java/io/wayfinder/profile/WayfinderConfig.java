package io.wayfinder.profile;

import io.wayfinder.geo.Region;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A whole, validated configuration. Relative file paths in it have been resolved against the
 * directory of the configuration file.
 *
 * @param metricsListen where Prometheus metrics are served, or null for nowhere
 */
public record WayfinderConfig(
        DnsSettings dns,
        ListenAddress metricsListen,
        List<ZoneConfig> zones,
        List<Region> regions,
        GeolocationSettings geolocation,
        LatencySettings latency,
        List<ProfileConfig> profiles) {

    public WayfinderConfig {
        zones = List.copyOf(zones);
        regions = List.copyOf(regions);
        profiles = List.copyOf(profiles);
    }

    public Optional<ProfileConfig> profile(String name) {
        return profiles.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Where the DNS server listens. */
    public record DnsSettings(List<ListenAddress> listen) {
        public DnsSettings {
            listen = List.copyOf(listen);
        }
    }

    /** Files to geolocate client networks with; longest prefix wins across them. */
    public record GeolocationSettings(List<Path> mmdb, List<Path> csv) {
        public GeolocationSettings {
            mmdb = List.copyOf(mmdb);
            csv = List.copyOf(csv);
        }

        public static final GeolocationSettings NONE = new GeolocationSettings(List.of(), List.of());
    }

    /**
     * Latency table sources and how measurements are aggregated for networks the table does not
     * cover: blocks of these prefix lengths, used when they hold at least {@code minSamples}.
     */
    public record LatencySettings(List<Path> sources, List<Integer> ipv4Levels, List<Integer> ipv6Levels,
                                  int minSamples) {
        public LatencySettings {
            sources = List.copyOf(sources);
            ipv4Levels = List.copyOf(ipv4Levels);
            ipv6Levels = List.copyOf(ipv6Levels);
        }
    }
}
