package io.wayfinder.quality;

import io.wayfinder.control.ConfigLoader;
import io.wayfinder.geo.CsvGeoTable;
import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.health.HealthStatuses;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.Evidence;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.latency.LatencyTable;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import io.wayfinder.profile.ConfigException;
import io.wayfinder.profile.WayfinderConfig;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingContext;
import io.wayfinder.routing.RoutingPlan;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.Trace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * How often performance routing sends a client to its truly fastest region, measured on a
 * {@link GeneratedWorld}: every client /24 is routed as an ECS client through a Performance profile
 * with one endpoint per region, exactly as the server routes it (configuration reader, routing-table
 * builder, {@link Router}), and the chosen region is compared with the one the world knows is fastest.
 * A naive "nearest region to the client's geolocation" router is measured alongside for comparison.
 *
 * <p>Run {@code scripts/routing-quality} to print the report as Markdown.
 */
public final class RoutingQuality {
    /** As {@code LoadedSources}: measurements sampled for the distance fit. */
    static final int FIT_SAMPLE = 200_000;
    static final String PROFILE = "perf";

    /** Groups of client networks, by what the table knows about them. */
    public enum Group {
        MEASURED("(a) measured: own entry in the table"),
        MEASURED_COMPLETE("(a1) measured, all 8 regions"),
        MEASURED_GAPS("(a2) measured, 1-3 regions missing"),
        LIT_BLOCK("(b) unmeasured, /16 has measurements"),
        DARK_BLOCK("(c) unmeasured, nothing measured in its /16"),
        ALL("all client networks");

        final String label;

        Group(String label) {
            this.label = label;
        }

        boolean contains(GeneratedWorld.Network n) {
            return switch (this) {
                case MEASURED -> n.measured();
                case MEASURED_COMPLETE -> n.measured() && n.gaps() == 0;
                case MEASURED_GAPS -> n.measured() && n.gaps() > 0;
                case LIT_BLOCK -> !n.measured() && n.blockMeasured();
                case DARK_BLOCK -> !n.blockMeasured();
                case ALL -> true;
            };
        }
    }

    /** Quality of one router over one group of networks. */
    public record Metrics(int count, double toFastest, double meanExtraMs, double p95ExtraMs) {
        static Metrics of(List<Double> extras) {
            if (extras.isEmpty()) {
                return new Metrics(0, Double.NaN, Double.NaN, Double.NaN);
            }
            double[] sorted = extras.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int exact = 0;
            double sum = 0;
            for (double e : sorted) {
                sum += e;
                if (e == 0) {
                    exact++;
                }
            }
            // Nearest-rank 95th percentile.
            double p95 = sorted[Math.max(0, (int) Math.ceil(0.95 * sorted.length) - 1)];
            return new Metrics(sorted.length, (double) exact / sorted.length, sum / sorted.length, p95);
        }
    }

    /** Picks a region (an index into {@link GeneratedWorld#REGIONS}) for a client network. */
    @FunctionalInterface
    public interface Chooser {
        int choose(GeneratedWorld.Network network);
    }

    /** Everything the server would load from the world's data, and a router over it. */
    public static final class Setup {
        final GeneratedWorld world;
        final GeoLocator geo;
        final LatencyTable table;
        final DistanceModel model;
        final LatencyEstimator estimator;
        final RoutingTable routing;
        final Profile profile;
        private final RoutingContext context = new RoutingContext();

        Setup(GeneratedWorld world, GeoLocator geo, int[] ipv4Levels, int minSamples) {
            this.world = world;
            this.geo = geo;
            RegionCatalogue catalogue = RegionCatalogue.builtIn();
            LatencyTableBuilder builder = new LatencyTableBuilder()
                    .aggregation(ipv4Levels, WayfinderConfig.LatencySettings.DEFAULT_IPV6_LEVELS.stream().mapToInt(Integer::intValue).toArray(), minSamples);
            for (GeneratedWorld.Measurement m : world.measurements()) {
                builder.add(m.prefix(), m.region(), m.rttMs(), m.samples());
            }
            table = builder.build();
            model = DistanceModel.fit(builder.sample(FIT_SAMPLE), geo, catalogue);
            estimator = new LatencyEstimator(table, geo, model);
            WayfinderConfig config;
            try {
                config = ConfigLoader.reader().parse(profileYaml(), null);
            } catch (ConfigException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            routing = RoutingTable.build(RoutingPlan.compile(config), HealthStatuses.NONE, estimator, null);
            profile = routing.profile(PROFILE);
        }

        /** The same router over an estimator built elsewhere (a learned table, say). */
        Setup(GeneratedWorld world, GeoLocator geo, LatencyEstimator estimator) {
            this.world = world;
            this.geo = geo;
            this.table = estimator.table();
            this.model = estimator.model();
            this.estimator = estimator;
            WayfinderConfig config;
            try {
                config = ConfigLoader.reader().parse(profileYaml(), null);
            } catch (ConfigException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            routing = RoutingTable.build(RoutingPlan.compile(config), HealthStatuses.NONE, estimator, null);
            profile = routing.profile(PROFILE);
        }

        /** The region Wayfinder's router picks for the network as an ECS /24 client. */
        int route(GeneratedWorld.Network network) {
            context.reset(network.prefix());
            Router.route(routing, profile, context, Trace.NONE);
            return GeneratedWorld.REGIONS.indexOf(context.answer(0).name());
        }

        /** The region nearest to where geolocation puts the network (0 when it cannot be placed). */
        int nearest(GeneratedWorld.Network network) {
            Place where = locate(geo, network.prefix());
            if (where == null) {
                return 0;
            }
            int best = 0;
            double bestKm = Double.POSITIVE_INFINITY;
            for (int r = 0; r < world.regions().size(); r++) {
                Region region = world.regions().get(r);
                double km = GreatCircle.kilometres(where.latitude(), where.longitude(), region.latitude(),
                        region.longitude());
                if (km < bestKm) {
                    bestKm = km;
                    best = r;
                }
            }
            return best;
        }

        /** The evidence behind each region's estimate, e.g. "measured", "aggregate /16", "distance". */
        String[] evidence(GeneratedWorld.Network network) {
            LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
            lookup.reset(network.prefix());
            String[] out = new String[world.regions().size()];
            for (int r = 0; r < out.length; r++) {
                Region region = world.regions().get(r);
                estimator.estimate(lookup, table.column(region.name()), region.latitude(), region.longitude());
                Evidence kind = lookup.evidence();
                out[r] = kind == Evidence.AGGREGATE ? "aggregate /" + lookup.evidenceLength() : kind.label();
            }
            return out;
        }

        public DistanceModel model() {
            return model;
        }
    }

    /**
     * The estimator re-implemented from the table's public API, with the two changes this report
     * proposes (see the README) switched on or off. With both off it must choose as the router does;
     * the report prints how often it agrees, which keeps this copy honest.
     *
     * <ul>
     * <li>{@code coherent}: an aggregate counts only when its block is geographically coherent (half
     *     its measured networks, geolocated, lie within {@link #SPREAD_KM} of the block's medoid) and,
     *     for blocks shorter than a /16, when the client is geolocated within {@link #SPREAD_KM} of
     *     that medoid too. A registry's /12 or /8 spans a continent: its mean RTT describes nobody.</li>
     * <li>{@code offset}: the client's most specific evidence (its own entry, else the most specific
     *     aggregate) is the base; a region filled in from less specific evidence (a coarser aggregate,
     *     or the distance model) is shifted by the mean difference between the base and that evidence
     *     over the regions both have. That difference is mostly the client's own last mile, which a
     *     mean over other networks, or the fitted intercept, does not carry.</li>
     * </ul>
     */
    static final class Proposal implements Chooser {
        /** 500 km is 5-12 ms of round trip at the world's route inflation: within last-mile noise. */
        static final double SPREAD_KM = 500;

        private final Setup setup;
        private final boolean coherent;
        private final boolean offset;
        private final int[] columns;
        private final double[][] centreLat;
        private final double[][] centreLon;
        private final double[][] spreadKm;

        Proposal(Setup setup, boolean coherent, boolean offset) {
            this.setup = setup;
            this.coherent = coherent;
            this.offset = offset;
            List<Region> regions = setup.world.regions();
            columns = new int[regions.size()];
            for (int r = 0; r < columns.length; r++) {
                columns[r] = setup.table.column(regions.get(r).name());
            }
            // Where the measured networks of each aggregate block are (the table keeps no member
            // lists, so they are recomputed from the measured prefixes).
            java.util.List<LatencyTable.AggregateLevel> levels = setup.table.levels(false);
            centreLat = new double[levels.size()][];
            centreLon = new double[levels.size()][];
            spreadKm = new double[levels.size()][];
            List<Place> measured = new ArrayList<>();
            for (GeneratedWorld.Network n : setup.world.networks()) {
                Place where = n.measured() ? locate(setup.geo, n.prefix()) : null;
                if (where != null) {
                    measured.add(where);
                }
            }
            for (int i = 0; i < levels.size(); i++) {
                int blocks = levels.get(i).blockCount();
                List<List<Place>> members = new ArrayList<>();
                for (int b = 0; b < blocks; b++) {
                    members.add(new ArrayList<>());
                }
                for (Place m : measured) {
                    int block = levels.get(i).lookup(m.network());
                    if (block != PrefixMap.NO_ENTRY) {
                        members.get(block).add(m);
                    }
                }
                centreLat[i] = new double[blocks];
                centreLon[i] = new double[blocks];
                spreadKm[i] = new double[blocks];
                for (int b = 0; b < blocks; b++) {
                    List<Place> in = members.get(b);
                    if (in.isEmpty()) {
                        spreadKm[i][b] = Double.POSITIVE_INFINITY;
                        continue;
                    }
                    // The medoid: robust to the few members a geolocation source puts on another continent.
                    int step = Math.max(1, in.size() / 200);
                    Place centre = in.get(0);
                    double bestSum = Double.POSITIVE_INFINITY;
                    for (int c = 0; c < in.size(); c += step) {
                        double sum = 0;
                        for (int o = 0; o < in.size(); o += step) {
                            sum += GreatCircle.kilometres(in.get(c).latitude(), in.get(c).longitude(), in.get(o).latitude(),
                                    in.get(o).longitude());
                        }
                        if (sum < bestSum) {
                            bestSum = sum;
                            centre = in.get(c);
                        }
                    }
                    double lat = centre.latitude();
                    double lon = centre.longitude();
                    double[] km = in.stream().mapToDouble(m -> GreatCircle.kilometres(m.latitude(), m.longitude(), lat, lon))
                            .sorted().toArray();
                    centreLat[i][b] = lat;
                    centreLon[i][b] = lon;
                    spreadKm[i][b] = km[(km.length - 1) / 2]; // the median
                }
            }
        }

        @Override
        public int choose(GeneratedWorld.Network network) {
            return argmin(estimates(network));
        }

        /**
         * Whether an aggregate block describes the client: its measured networks mostly lie within
         * {@link #SPREAD_KM} of their medoid and, for blocks shorter than a /16 (which span
         * operators and countries), the client is geolocated within {@link #SPREAD_KM} of it too.
         * Within a /16 the block's measurements are trusted over the client's own geolocation: when
         * they disagree, the geolocation is the more likely to be wrong.
         */
        private boolean coherentFor(int level, int block, int length, Place client) {
            if (spreadKm[level][block] > SPREAD_KM) {
                return false;
            }
            return length >= 16 || client == null || GreatCircle.kilometres(client.latitude(), client.longitude(),
                    centreLat[level][block], centreLon[level][block]) <= SPREAD_KM;
        }

        double[] estimates(GeneratedWorld.Network network) {
            IpPrefix client = network.prefix();
            int clientLength = client.length();
            List<Region> regions = setup.world.regions();
            int count = regions.size();
            LatencyTable table = setup.table;
            Place where = locate(setup.geo, client);

            // The client's table figures, by the length of the prefix they came from.
            TreeMap<Integer, double[]> tableByLength = new TreeMap<>(Comparator.reverseOrder());
            int entry = table.lookup(client);
            if (entry != PrefixMap.NO_ENTRY) {
                for (int r = 0; r < count; r++) {
                    if (columns[r] < 0) {
                        continue;
                    }
                    int tenths = table.tenths(entry, columns[r]);
                    int length = table.sourceLength(entry, columns[r]);
                    if (tenths != LatencyTable.MISSING && length <= clientLength) {
                        tableByLength.computeIfAbsent(length, l -> nan(count))[r] = tenths / 10.0;
                    }
                }
            }
            List<Source> ranked = new ArrayList<>();
            tableByLength.forEach((length, figures) -> ranked.add(new Source(length, false, figures)));
            java.util.List<LatencyTable.AggregateLevel> levels = table.levels(false);
            for (int i = 0; i < levels.size(); i++) {
                int length = levels.get(i).length();
                int block = length > clientLength ? PrefixMap.NO_ENTRY : levels.get(i).lookup(client);
                if (block == PrefixMap.NO_ENTRY) {
                    continue;
                }
                if (coherent && !coherentFor(i, block, length, where)) {
                    continue;
                }
                double[] figures = nan(count);
                for (int r = 0; r < count; r++) {
                    if (columns[r] >= 0 && levels.get(i).tenths(block, columns[r]) != LatencyTable.MISSING) {
                        figures[r] = levels.get(i).tenths(block, columns[r]) / 10.0;
                    }
                }
                ranked.add(new Source(length, true, figures));
            }
            // Most specific first; a table figure before an aggregate of the same length.
            ranked.sort(Comparator.comparingInt((Source source) -> -source.length()).thenComparing(Source::aggregate));
            List<double[]> sources = new ArrayList<>();
            for (Source source : ranked) {
                sources.add(source.figures());
            }
            if (where != null) {
                double[] figures = new double[count];
                for (int r = 0; r < count; r++) {
                    Region region = regions.get(r);
                    figures[r] = setup.model.estimateMs(GreatCircle.kilometres(where.latitude(), where.longitude(),
                            region.latitude(), region.longitude()));
                }
                sources.add(figures);
            }

            double[] base = sources.stream().filter(f -> Arrays.stream(f).anyMatch(v -> !Double.isNaN(v))).findFirst()
                    .orElse(null);
            double[] out = new double[count];
            for (int r = 0; r < count; r++) {
                out[r] = Double.POSITIVE_INFINITY;
                for (double[] source : sources) {
                    if (Double.isNaN(source[r])) {
                        continue;
                    }
                    out[r] = source[r];
                    if (offset && source != base) {
                        double sum = 0;
                        int common = 0;
                        for (int q = 0; q < count; q++) {
                            if (!Double.isNaN(base[q]) && !Double.isNaN(source[q])) {
                                sum += base[q] - source[q];
                                common++;
                            }
                        }
                        if (common > 0) {
                            out[r] += sum / common;
                        }
                    }
                    break;
                }
            }
            return out;
        }

        /** Figures per region (NaN where none) from a table prefix or an aggregate block of a length. */
        private record Source(int length, boolean aggregate, double[] figures) {
        }

        private static double[] nan(int count) {
            double[] a = new double[count];
            Arrays.fill(a, Double.NaN);
            return a;
        }

        private static int argmin(double[] values) {
            int best = 0;
            for (int i = 1; i < values.length; i++) {
                if (Math.round(values[i] * 10) < Math.round(values[best] * 10)) {
                    best = i;
                }
            }
            return best;
        }
    }

    /** Where a geolocation source puts a network. */
    record Place(IpPrefix network, double latitude, double longitude) {
    }

    /** Where the source puts the network, or null when it cannot place it. */
    static Place locate(GeoLocator geo, IpPrefix network) {
        GeoLocation where = geo.locate(network);
        // Written for both forms of the GeoLocator contract: null, or a location with NaN coordinates.
        return where == null || Double.isNaN(where.latitude()) ? null
                : new Place(network, where.latitude(), where.longitude());
    }

    static String profileYaml() {
        StringBuilder yaml = new StringBuilder("""
                zones:
                  - name: quality.test
                    nameservers: [ns1.quality.test]
                profiles:
                  - name: perf
                    trafficRoutingMethod: Performance
                    dnsConfig: {relativeName: www}
                    endpoints:
                """);
        int i = 1;
        for (String region : GeneratedWorld.REGIONS) {
            yaml.append("      - {name: ").append(region).append(", type: external, target: 192.0.2.").append(i++)
                    .append(", endpointLocation: ").append(region).append("}\n");
        }
        return yaml.toString();
    }

    public static Setup setup(GeneratedWorld world) {
        return setup(world, WayfinderConfig.LatencySettings.DEFAULT_IPV4_LEVELS.stream().mapToInt(Integer::intValue).toArray(), WayfinderConfig.LatencySettings.DEFAULT_MIN_SAMPLES);
    }

    public static Setup setup(GeneratedWorld world, int[] ipv4Levels, int minSamples) {
        try {
            return new Setup(world, CsvGeoTable.read(world.writeGeoCsv()), ipv4Levels, minSamples);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Metrics of one router for each group. */
    public static Map<Group, Metrics> measure(GeneratedWorld world, Chooser chooser) {
        Map<Group, List<Double>> extras = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            extras.put(g, new ArrayList<>());
        }
        for (GeneratedWorld.Network n : world.networks()) {
            double extra = n.extraMs(chooser.choose(n));
            for (Group g : Group.values()) {
                if (g.contains(n)) {
                    extras.get(g).add(extra);
                }
            }
        }
        Map<Group, Metrics> out = new EnumMap<>(Group.class);
        extras.forEach((g, list) -> out.put(g, Metrics.of(list)));
        return out;
    }

    /** Metrics of one router over the networks a predicate selects. */
    public static Metrics measure(GeneratedWorld world, Chooser chooser, Predicate<GeneratedWorld.Network> which) {
        List<Double> extras = new ArrayList<>();
        for (GeneratedWorld.Network n : world.networks()) {
            if (which.test(n)) {
                extras.add(n.extraMs(chooser.choose(n)));
            }
        }
        return Metrics.of(extras);
    }

    /** The result of an evaluation: Wayfinder and the nearest-region baseline, per group. */
    public record Result(Setup setup, Map<Group, Metrics> wayfinder, Map<Group, Metrics> nearest) {
    }

    public static Result evaluate(GeneratedWorld world) {
        Setup setup = setup(world);
        return new Result(setup, measure(world, setup::route), measure(world, setup::nearest));
    }

    // ---------------------------------------------------------------------------------------------
    // The report.

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        System.out.print(report(GeneratedWorld.generate(GeneratedWorld.Params.standard(seed))));
    }

    static String report(GeneratedWorld world) {
        StringBuilder out = new StringBuilder();
        Result result = evaluate(world);
        Setup setup = result.setup();
        long measured = world.networks().stream().filter(GeneratedWorld.Network::measured).count();
        long withGaps = world.networks().stream().filter(n -> n.gaps() > 0).count();
        long blocks = world.networks().stream().map(GeneratedWorld.Network::block).distinct().count();
        double meanInflation = world.metros().stream().flatMapToDouble(m -> Arrays.stream(m.inflation())).average()
                .orElse(0);
        double meanLastMile = world.networks().stream().mapToDouble(GeneratedWorld.Network::lastMileMs).average().orElse(0);
        out.append(String.format(Locale.ROOT, "Generated world (seed %d): %d metros, %d /16 blocks, %d client /24s, "
                        + "%d measured (%d with gaps), %d latency rows, %d geolocation rows.%n%n",
                world.params().seed(), world.metros().size(), blocks, world.networks().size(), measured, withGaps,
                world.measurements().size(), world.geoRows().size()));
        out.append("Fitted distance model: ").append(setup.model().describe()).append('\n');
        out.append(String.format(Locale.ROOT, "(the world's truth: %.4f ms/km on average, last mile %.1f ms on average)%n%n",
                meanInflation * GeneratedWorld.FIBRE_MS_PER_KM, meanLastMile));

        out.append("| Client networks | Count | Wayfinder: to fastest | mean extra ms | p95 extra ms "
                + "| Nearest region: to fastest | mean extra ms | p95 extra ms |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Group g : Group.values()) {
            Metrics w = result.wayfinder().get(g);
            Metrics n = result.nearest().get(g);
            out.append(String.format(Locale.ROOT, "| %s | %d | %s | %.2f | %.1f | %s | %.2f | %.1f |%n", g.label, w.count(),
                    percent(w.toFastest()), w.meanExtraMs(), w.p95ExtraMs(), percent(n.toFastest()), n.meanExtraMs(),
                    n.p95ExtraMs()));
        }

        // Which evidence the estimator used, per group.
        out.append("\nEvidence behind the 8 per-region estimates of each client network:\n\n");
        out.append("| Client networks | Evidence (share of region estimates) | Clients whose 8 estimates mix kinds or levels |\n");
        out.append("|---|---|---:|\n");
        Map<GeneratedWorld.Network, String[]> evidence = new LinkedHashMap<>();
        for (GeneratedWorld.Network n : world.networks()) {
            evidence.put(n, setup.evidence(n));
        }
        for (Group g : List.of(Group.MEASURED_COMPLETE, Group.MEASURED_GAPS, Group.LIT_BLOCK, Group.DARK_BLOCK)) {
            Map<String, Integer> counts = new TreeMap<>();
            int total = 0;
            int mixed = 0;
            int clients = 0;
            for (Map.Entry<GeneratedWorld.Network, String[]> e : evidence.entrySet()) {
                if (!g.contains(e.getKey())) {
                    continue;
                }
                clients++;
                String[] kinds = e.getValue();
                for (String k : kinds) {
                    counts.merge(k, 1, Integer::sum);
                    total++;
                }
                if (Arrays.stream(kinds).distinct().count() > 1) {
                    mixed++;
                }
            }
            StringBuilder mix = new StringBuilder();
            for (Map.Entry<String, Integer> c : counts.entrySet()) {
                if (mix.length() > 0) {
                    mix.append(", ");
                }
                mix.append(c.getKey()).append(' ').append(percent((double) c.getValue() / total));
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", g.label, mix, percent((double) mixed / clients)));
        }
        out.append('\n');
        out.append(whatIfs(world, result));
        return out.toString();
    }

    /** The variants compared in the what-if table, and the agreement check of the prototype. */
    static String whatIfs(GeneratedWorld world, Result result) {
        Setup setup = result.setup();
        Setup deep = setup(world, new int[] {20, 16, 12, 8}, WayfinderConfig.LatencySettings.DEFAULT_MIN_SAMPLES);
        Proposal same = new Proposal(setup, false, false);
        // Ties to 0.1 ms are broken by a hash in the router and by region order here: they agree too.
        long agree = world.networks().stream().filter(n -> {
            double[] estimates = same.estimates(n);
            return Math.round(estimates[same.choose(n)] * 10) == Math.round(estimates[setup.route(n)] * 10);
        }).count();
        Map<String, Map<Group, Metrics>> variants = new LinkedHashMap<>();
        variants.put("Wayfinder (default aggregation: /20, /16)", result.wayfinder());
        variants.put("Wayfinder with `aggregation: {ipv4Levels: [20, 16, 12, 8]}` (the first defaults)",
                measure(world, deep::route));
        variants.put("Prototype: /20, /16, /12, /8, coarse aggregates only where geographically coherent",
                measure(world, new Proposal(deep, true, false)));
        variants.put("Prototype: /20, /16 and an offset to the client's most specific evidence",
                measure(world, new Proposal(setup, false, true)));
        variants.put("Nearest region to the geolocation", result.nearest());
        List<Group> columns = List.of(Group.MEASURED_GAPS, Group.LIT_BLOCK, Group.DARK_BLOCK, Group.ALL);
        StringBuilder out = new StringBuilder();
        out.append("What-ifs: share sent to the truly fastest region / mean extra RTT (ms)\n\n| Router |");
        for (Group g : columns) {
            out.append(' ').append(g.label).append(" |");
        }
        out.append("\n|---|");
        out.append("---:|".repeat(columns.size()));
        out.append('\n');
        variants.forEach((name, metrics) -> {
            out.append("| ").append(name).append(" |");
            for (Group g : columns) {
                Metrics m = metrics.get(g);
                out.append(String.format(Locale.ROOT, " %s / %.2f |", percent(m.toFastest()), m.meanExtraMs()));
            }
            out.append('\n');
        });
        out.append(String.format(Locale.ROOT, "%nThe prototype with both proposals off picks the router's region (or one "
                + "tied with it to 0.1 ms) for %d of %d client networks.%n", agree, world.networks().size()));
        return out.toString();
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
