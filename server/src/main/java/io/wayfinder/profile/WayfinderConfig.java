package io.wayfinder.profile;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole, validated configuration. Relative file paths in it have been resolved against the
 * directory of the configuration file.
 *
 * @param metricsListen where Prometheus metrics are served, or null for nowhere
 * @param regions       the regions the file adds (for writing it back)
 * @param catalogue     the built-in regions with the file's own, built once when the file is read
 * @param reload        when a changed file is applied
 * @param api           the management API, or null: then the file is the truth for profiles;
 *                      with it, the store is (seeded once from the file's profiles)
 * @param storage       where the store lives; null without {@code api}
 */
public record WayfinderConfig(
        DnsSettings dns,
        ListenAddress metricsListen,
        List<ZoneConfig> zones,
        List<Region> regions,
        RegionCatalogue catalogue,
        GeolocationSettings geolocation,
        LatencySettings latency,
        List<ProfileConfig> profiles,
        ReloadSettings reload,
        ApiSettings api,
        StorageSettings storage) {

    public WayfinderConfig {
        zones = List.copyOf(zones);
        regions = List.copyOf(regions);
        profiles = List.copyOf(profiles);
    }

    /** The same settings serving other profiles (those of the store, or an API write's). */
    public WayfinderConfig withProfiles(List<ProfileConfig> others) {
        return new WayfinderConfig(dns, metricsListen, zones, regions, catalogue, geolocation, latency, others, reload, api,
                storage);
    }

    /**
     * Profiles that answer nothing: no {@code dnsConfig.relativeName} of their own, and no profile
     * nests them (allowed, since through the API a child is written before its parent).
     */
    public List<String> unreachableProfiles() {
        java.util.Set<String> nested = new java.util.HashSet<>();
        for (ProfileConfig p : profiles) {
            for (EndpointConfig e : p.endpointsWithFallback()) {
                if (e.type() == EndpointType.nested) {
                    nested.add(e.target().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return profiles.stream().filter(p -> p.relativeName() == null)
                .map(ProfileConfig::name).filter(n -> !nested.contains(n.toLowerCase(java.util.Locale.ROOT))).toList();
    }

    public Optional<ProfileConfig> profile(String name) {
        return profiles.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Where the DNS server listens, and the limits it puts on clients. */
    /**
     * @param udpTransport {@code dns.udpTransport}: {@code auto} (the default), {@code netty} or {@code ffm}
     */
    public record DnsSettings(List<ListenAddress> listen, TcpSettings tcp, RateLimitSettings rateLimit, String udpTransport) {
        public static final List<String> UDP_TRANSPORTS = List.of("auto", "netty", "ffm");

        public DnsSettings {
            listen = List.copyOf(listen);
            if (!UDP_TRANSPORTS.contains(udpTransport)) {
                throw new IllegalArgumentException("udpTransport must be one of " + UDP_TRANSPORTS + ", not " + udpTransport);
            }
        }
    }

    /**
     * When an edit of the configuration or of a data file it names is applied: once every watched
     * file has kept the same modification time, size and identity for {@code quietPeriod}, so
     * that a file written in several steps is read whole.
     */
    public record ReloadSettings(Duration quietPeriod) {
        /**
         * Longer than the pauses of the tools that write files in pieces (an editor's save, a copy,
         * a script's appends; a configuration written in two appends 1.5 s apart was once applied
         * half), short enough that an edit shows within seconds. Atomic writers (write elsewhere,
         * then rename) may set 0.
         */
        public static final Duration DEFAULT_QUIET_PERIOD = Duration.ofSeconds(2);
        public static final ReloadSettings DEFAULT = new ReloadSettings(DEFAULT_QUIET_PERIOD);
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
                                  int minSamples, LearningSettings learning, boolean learn, Duration rebuildInterval,
                                  RumSettings rum) {
        /**
         * Blocks of these lengths around a client, most specific first: IPv4 /20 and /16, IPv6 /40
         * and /32, a provider's regional and national allocations. Not shorter: a /12 or /8 (IPv6
         * /24) is a registry allocation spanning a continent, whose mean describes nobody; measured
         * on a generated world, such aggregates sent clients with nothing measured in their /16 to
         * the fastest region 44% of the time, against 88% for the distance model (scripts/routing-quality).
         */
        public static final List<Integer> DEFAULT_IPV4_LEVELS = List.of(20, 16);
        public static final List<Integer> DEFAULT_IPV6_LEVELS = List.of(40, 32);
        /** Fewer samples than this make a block's mean too noisy to prefer over the distance model. */
        public static final int DEFAULT_MIN_SAMPLES = 10;
        /**
         * How often the learned table is rebuilt ({@code latency.rebuildInterval}) when Wayfinder
         * learns it ({@code latency.learn}, which needs {@code api:}). Once a minute: a real change
         * reaches the answers within two rebuilds, and a crash loses at most a minute of samples (the
         * learner is checkpointed after each rebuild).
         */
        public static final Duration DEFAULT_REBUILD_INTERVAL = Duration.ofSeconds(60);

        public LatencySettings {
            sources = List.copyOf(sources);
            ipv4Levels = List.copyOf(ipv4Levels);
            ipv6Levels = List.copyOf(ipv6Levels);
            learning = learning == null ? LearningSettings.DEFAULT : learning;
            java.util.Objects.requireNonNull(rebuildInterval, "rebuildInterval");
        }

        /** Without the real-user beacon ({@code latency.rum}). */
        public LatencySettings(List<Path> sources, List<Integer> ipv4Levels, List<Integer> ipv6Levels, int minSamples,
                               LearningSettings learning, boolean learn, Duration rebuildInterval) {
            this(sources, ipv4Levels, ipv6Levels, minSamples, learning, learn, rebuildInterval, null);
        }

        /** Without learning settings of its own (the defaults). */
        public LatencySettings(List<Path> sources, List<Integer> ipv4Levels, List<Integer> ipv6Levels, int minSamples) {
            this(sources, ipv4Levels, ipv6Levels, minSamples, LearningSettings.DEFAULT);
        }

        /** Learning off ({@code latency.learn}), with these learning settings. */
        public LatencySettings(List<Path> sources, List<Integer> ipv4Levels, List<Integer> ipv6Levels, int minSamples,
                               LearningSettings learning) {
            this(sources, ipv4Levels, ipv6Levels, minSamples, learning, false, DEFAULT_REBUILD_INTERVAL);
        }
    }

    /**
     * {@code latency.halfLife} and {@code latency.learning}: how measurements are weighed and when a
     * learned figure moves. Field by field as {@code latency.learn.LearningParameters}, which says
     * why each default is what it is (a test keeps the two equal).
     *
     * @param halfLife          a sample's weight halves every half-life
     * @param changeMinSamples  fewest recent samples of a network and region that may declare a change
     * @param changeSigmas      standard errors by which recent and long-term means must differ for a change
     * @param changeMinMs       milliseconds by which they must differ for a change
     * @param holdBack          longest time sparse samples wait for {@code changeMinSamples} before they are merged
     * @param hysteresisMs      a published figure moves only by more than this ...
     * @param hysteresisSigmas  ... and more than this many standard deviations of its estimate
     * @param staticSamples     samples one figure of the CSV sources counts as
     * @param maxPendingSamples samples accepted and not yet folded in, at most
     */
    public record LearningSettings(Duration halfLife, int changeMinSamples, double changeSigmas, double changeMinMs,
                                   Duration holdBack, double hysteresisMs, double hysteresisSigmas, int staticSamples,
                                   int maxPendingSamples) {
        public static final LearningSettings DEFAULT = new LearningSettings(Duration.ofDays(7), 5, 4, 5,
                Duration.ofHours(1), 1, 3, 5, 8_000_000);
    }

    /**
     * {@code latency.rum}: the real-user beacon. Browsers of the sites that include {@code /rum.js}
     * time fetches to each target and post the results to {@code POST /rum}; the samples are learned
     * like any others. Read live: an edit applies to the next script served and the next post.
     *
     * @param targets             region name to the probe URL browsers fetch for it (http or https), in
     *                            the order written; at least one
     * @param fetches             fetches of each target per page view: the first opens the connection,
     *                            the fastest of the others is the sample (2-20)
     * @param sampleRate          the share of page views that measure (0 excluded, 1 = all)
     * @param postsPerMinute      posts one source address (IPv4, or IPv6 /64) may make a minute, on average
     * @param burst               posts it may make at once after a quiet spell
     * @param trackedAddresses    source addresses whose rate is tracked at once (bounded memory: the
     *                            least recently seen is forgotten first)
     * @param trustedProxies      peers (reverse proxies, load balancers) whose client-address header
     *                            is believed; empty: the peer is the client
     * @param clientAddressHeader the header such a proxy puts the client's address in
     */
    public record RumSettings(Map<String, String> targets, int fetches, double sampleRate, int postsPerMinute,
                              int burst, int trackedAddresses, List<IpPrefix> trustedProxies,
                              String clientAddressHeader) {
        /** One to open the connection, four timed: the best of four misses a lost packet's retransmission on most page views. */
        public static final int DEFAULT_FETCHES = 5;
        /**
         * A page view posts once; two a minute on average, with ten at once, leaves room for a quick
         * reader and for a few people behind one address (an office, a carrier's NAT) while a script
         * that loops is held to a trickle.
         */
        public static final int DEFAULT_POSTS_PER_MINUTE = 30;
        public static final int DEFAULT_BURST = 10;
        /** About 100 bytes each: 100,000 addresses are about 10 MB. */
        public static final int DEFAULT_TRACKED_ADDRESSES = 100_000;
        public static final String DEFAULT_CLIENT_ADDRESS_HEADER = "X-Forwarded-For";

        public RumSettings {
            targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
            trustedProxies = List.copyOf(trustedProxies);
        }
    }

    /**
     * {@code api}: the management API's address and the bearer tokens it accepts.
     *
     * @param tokens at least one; names and values unique
     */
    public record ApiSettings(ListenAddress listen, List<ApiToken> tokens) {
        public ApiSettings {
            tokens = List.copyOf(tokens);
        }
    }

    /**
     * One bearer token of the API. Its value never appears in {@link #toString()}, so that no log
     * line or error message can carry it.
     *
     * @param token the secret, after {@code ${VAR}} was replaced by the environment variable's value
     */
    public record ApiToken(String name, String token, Role role) {
        /**
         * What a token may do: {@code reader} reads, {@code writer} also changes profiles (and posts
         * measurements), {@code measurer} only posts measurements (a beacon collector or an agent
         * holds it: it can neither read nor change anything else).
         */
        public enum Role { reader, writer, measurer }

        @Override
        public String toString() {
            return "ApiToken[name=" + name + ", role=" + role + ", token=(hidden)]";
        }
    }

    /** {@code storage}: the directory of the embedded store (SQLite), resolved against the configuration's directory. */
    public record StorageSettings(Path dir) {
    }
}
