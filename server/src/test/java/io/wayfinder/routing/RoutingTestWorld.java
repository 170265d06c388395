package io.wayfinder.routing;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.health.MonitorStatus;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.WayfinderConfig;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small routing world for tests: profiles written as YAML (the zone is added here), a latency
 * table, a geolocation table and a health view, compiled into a {@link RoutingTable}.
 *
 * <pre>
 * RoutingTable table = RoutingTestWorld.profiles("""
 *         - name: web
 *           ...""")
 *     .latency("81.2.69.0/24", "westeurope", 10)
 *     .health("web", "eu", MonitorStatus.Degraded)
 *     .build();
 * </pre>
 */
final class RoutingTestWorld {
    private static final String ZONE = """
            zones:
              - name: app.test
                nameservers: [ns1.app.test]
            profiles:
            """;

    private final WayfinderConfig config;
    private final LatencyTableBuilder latency = new LatencyTableBuilder();
    private final Map<IpPrefix, GeoLocation> geo = new LinkedHashMap<>();
    /** Probe statuses as {@link TestRoutingTables#statuses} reads them: {@code "profile/endpoint=Status ..."}. */
    private final StringBuilder health = new StringBuilder();
    private DistanceModel model = DistanceModel.UNFITTED;

    private RoutingTestWorld(WayfinderConfig config) {
        this.config = config;
    }

    /** A world whose profiles are the YAML list items given (indented as under {@code profiles:}). */
    static RoutingTestWorld profiles(String profilesYaml) {
        return new RoutingTestWorld(parse(profilesYaml));
    }

    static WayfinderConfig parse(String profilesYaml) {
        String indented = profilesYaml.stripIndent().lines().map(line -> "  " + line)
                .reduce(new StringBuilder(), (b, line) -> b.append(line).append('\n'), StringBuilder::append).toString();
        try {
            return io.wayfinder.control.ConfigLoader.reader().parse(ZONE + indented, null);
        } catch (ConfigException e) {
            throw new AssertionError("test configuration is invalid: " + e.errors(), e);
        }
    }

    /** One measurement with plenty of samples (enough for any aggregate block). */
    RoutingTestWorld latency(String prefix, String region, double rttMs) {
        return latency(prefix, region, rttMs, 100);
    }

    RoutingTestWorld latency(String prefix, String region, double rttMs, int samples) {
        latency.add(IpPrefix.parse(prefix), region, rttMs, samples);
        return this;
    }

    /** The network is located at these coordinates (longest prefix wins). */
    RoutingTestWorld located(String prefix, double latitude, double longitude) {
        IpPrefix network = IpPrefix.parse(prefix);
        geo.put(network, new GeoLocation(latitude, longitude, "", network));
        return this;
    }

    /** The network is in this country and subdivision ("" for none); coordinates do not matter. */
    RoutingTestWorld locatedIn(String prefix, String country, String subdivision) {
        IpPrefix network = IpPrefix.parse(prefix);
        geo.put(network, new GeoLocation(0, 0, country, subdivision, network, network.length()));
        return this;
    }

    /** Aggregation levels and the samples a block needs, as {@link LatencyTableBuilder#aggregation}. */
    RoutingTestWorld aggregation(int[] ipv4Levels, int[] ipv6Levels, int minSamples) {
        latency.aggregation(ipv4Levels, ipv6Levels, minSamples);
        return this;
    }

    RoutingTestWorld model(DistanceModel distanceModel) {
        this.model = distanceModel;
        return this;
    }

    /** What probes say of an external endpoint; endpoints not named are unmonitored. */
    RoutingTestWorld health(String profile, String endpoint, MonitorStatus status) {
        return health(profile + "/" + endpoint + "=" + status);
    }

    /** What probes say, written as {@code "profile/endpoint=Status ..."}. */
    RoutingTestWorld health(String statuses) {
        health.append(statuses).append(' ');
        return this;
    }

    /** Builds the latency table with the direct IPv4 index from this many IPv4 prefixes on (0: always). */
    RoutingTestWorld directIndexFrom(int ipv4Prefixes) {
        latency.directIndexFrom(ipv4Prefixes);
        return this;
    }

    RoutingTable build() {
        LatencyTable table = latency.build();
        LatencyEstimator estimator = new LatencyEstimator(table, locator(Map.copyOf(geo)), model);
        RoutingPlan plan = RoutingPlan.compile(config);
        return RoutingTable.build(plan, TestRoutingTables.statuses(plan, health.toString()), estimator, null);
    }

    /** The real prefix table (not a hand-rolled search), so that scopes come out as in production. */
    private static GeoLocator locator(Map<IpPrefix, GeoLocation> locations) {
        return io.wayfinder.geo.CsvGeoTable.of(locations.values());
    }

    /**
     * An answer: the external endpoint chosen (null when none; several joined by commas), how routing
     * ended, and the ECS scope it holds for.
     */
    record Answer(String endpoint, RoutingOutcome outcome, int scope) {
        /** An answer, or (endpoint null) the NXDOMAIN of a profile with nothing to serve. */
        Answer(String endpoint, int scope) {
            this(endpoint, endpoint == null ? RoutingOutcome.NXDOMAIN : RoutingOutcome.ANSWER, scope);
        }
    }

    static Answer answer(RoutingTable table, String profile, String client) {
        return answer(table, profile, client, false);
    }

    static Answer answer(RoutingTable table, String profile, String client, boolean wantsIpv6) {
        RoutingContext context = new RoutingContext();
        context.reset(IpPrefix.parse(client));
        context.wantsIpv6(wantsIpv6);
        RoutingOutcome outcome = Router.route(table, table.profile(profile), context, Trace.NONE);
        StringBuilder names = new StringBuilder();
        for (int k = 0; outcome == RoutingOutcome.ANSWER && k < context.answerCount(); k++) {
            names.append(k == 0 ? "" : ",").append(context.answer(k).name());
        }
        return new Answer(names.length() == 0 ? null : names.toString(), outcome, context.scope());
    }

    /** The name of the endpoint that answers the client, or null. */
    static String route(RoutingTable table, String profile, String client) {
        return answer(table, profile, client).endpoint();
    }

    static String route(RoutingTable table, String profile, IpPrefix client) {
        return route(table, profile, client.toString());
    }

    static MonitorStatus status(RoutingTable table, String profile, String endpoint) {
        Profile p = table.profile(profile);
        return p.status(p.endpoint(endpoint).index());
    }

    static Decision explain(RoutingTable table, String profile, String client) {
        return DecisionRecorder.explain(table, table.profile(profile), IpPrefix.parse(client), client.contains("/"), false);
    }

    /** {@code count} distinct random networks of {@code length} inside {@code within}, the same on every run. */
    static List<IpPrefix> randomNetworks(long seed, int count, String within, int length) {
        IpPrefix block = IpPrefix.parse(within);
        Random random = new Random(seed);
        Set<IpPrefix> out = new LinkedHashSet<>();
        while (out.size() < count) {
            IpPrefix network = block.ipv6()
                    ? IpPrefix.ofIpv6(block.hi() | (random.nextLong() & ~IpPrefix.highMask(block.length())),
                            block.lo() | (random.nextLong() & ~IpPrefix.lowMask(block.length())), length)
                    : IpPrefix.ofIpv4((int) (block.lo() | (random.nextInt() & ~IpPrefix.ipv4Mask(block.length()))), length);
            out.add(network);
        }
        return List.copyOf(out);
    }
}
