package io.wayfinder.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.health.MonitorStatus;
import io.wayfinder.latency.DistanceModel;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.net.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The query path's Performance decision (which takes a shortcut when the client's table row
 * settles every region) against {@link #oracle}, the decision as it was before the shortcut:
 * one {@link LatencyEstimator#estimate} per region, compared to a tenth of a millisecond, ties
 * broken by the rendezvous hash. Random worlds (tables with nested IPv4 and IPv6 prefixes, figures
 * that tie, regions the table never measured, random aggregation levels, geolocation, health) and
 * random clients (inside measured networks, under covering prefixes, in aggregate or distance space,
 * with every ECS length) must get the same endpoint, the same ECS scope and the same estimate, on
 * the query path and in explanations. The query path and explanations run on the table with the
 * direct IPv4 index forced on (small as it is), the oracle on the same table without it: IPv4
 * clients of /24 and longer then take the direct index where their /24 holds no boundary, and the
 * winner index of the settled /24s ({@link io.wayfinder.latency.SettledWinners}) where it names one.
 */
class PerformanceDecisionEquivalenceTest {
    private static final String[] REGIONS = {"westeurope", "northeurope", "eastus", "southeastasia", "westus2", "japaneast"};
    /** Where the worlds' prefixes lie, so that clients find them: a few IPv4 /12s and one IPv6 /32. */
    private static final String[] V4_SPACE = {"10.0.0.0/12", "10.16.0.0/12", "172.16.0.0/12"};
    private static final String V6_SPACE = "2001:db8::/32";
    private static final MonitorStatus[] STATUSES = {MonitorStatus.Online, MonitorStatus.Online, MonitorStatus.Online,
            MonitorStatus.Degraded, MonitorStatus.Stopped, MonitorStatus.Disabled};

    private static final long WORLDS = 30;

    @ParameterizedTest(name = "world {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
            27, 28, 29, 30})
    void theQueryPathDecidesAsEstimatingEveryRegionDid(long seed) {
        List<String> different = new ArrayList<>();
        compare(seed, different);
        assertThat(different).as("world %d", seed).isEmpty();
    }

    /** The comparison above means something only if both the shortcut and the full path run often. */
    @Test
    void theWorldsExerciseTheShortcutAndTheFullPath() {
        int compared = 0;
        int settledByRow = 0;
        int namedByWinnerIndex = 0;
        for (long seed = 1; seed <= WORLDS; seed++) {
            int[] counts = compare(seed, new ArrayList<>());
            compared += counts[0];
            settledByRow += counts[1];
            namedByWinnerIndex += counts[2];
        }
        assertThat(settledByRow).as("clients settled by their table row, of %d", compared).isBetween(compared / 10, compared - compared / 10);
        assertThat(namedByWinnerIndex).as("clients whose /24 the winner index names, of %d", compared).isGreaterThan(compared / 40);
    }

    /** ... and only if IPv4 clients of /24 and longer often take the direct index, and often cannot. */
    @Test
    void theWorldsExerciseTheDirectIndexAndTheSearch() {
        int direct = 0;
        int searched = 0;
        for (long seed = 1; seed <= WORLDS; seed++) {
            Random random = new Random(seed);
            World world = world(random);
            var prefixes = world.table.estimator().table().prefixes();
            assertThat(prefixes.hasDirectIpv4Index()).isTrue();
            assertThat(world.oracleTable.estimator().table().prefixes().hasDirectIpv4Index()).isFalse();
            for (int i = 0; i < 400; i++) {
                IpPrefix client = client(random, world.prefixes);
                if (!client.ipv6() && client.length() >= 24) {
                    if (prefixes.directIpv4(client.ipv4()) != io.wayfinder.net.PrefixMap.NOT_DIRECT) {
                        direct++;
                    } else {
                        searched++;
                    }
                }
            }
        }
        assertThat(direct).as("IPv4 /24+ clients the direct index answers").isGreaterThan(1_000);
        assertThat(searched).as("IPv4 /24+ clients in a /24 a boundary cuts").isGreaterThan(100);
    }

    /** Routes 400 random clients of world {@code seed}; returns how many, and how many the table row settled. */
    private static int[] compare(long seed, List<String> different) {
        Random random = new Random(seed);
        World world = world(random);
        RoutingTable table = world.table;
        int compared = 0;
        int settledByRow = 0;
        int namedByWinnerIndex = 0;
        int[] columns = profileColumns(table);
        io.wayfinder.latency.SettledWinners winners = columns == null ? null : table.estimator().table().settledWinners(columns);
        for (int i = 0; i < 400; i++) {
            IpPrefix client = client(random, world.prefixes);
            if (winners != null && !client.ipv6() && client.length() >= 24
                    && winners.winner(client.ipv4()) != io.wayfinder.latency.SettledWinners.NONE) {
                namedByWinnerIndex++;
            }
            Expected expected = oracle(world.oracleTable, client);
            RoutingContext context = new RoutingContext();
            context.reset(client);
            RoutingOutcome outcome = Router.route(table, table.profile("perf"), context, Trace.NONE);
            String endpoint = outcome == RoutingOutcome.ANSWER ? context.answer(0).name() : null;
            Decision explained = DecisionRecorder.explain(table, table.profile("perf"), client, true, false);
            String explainedEndpoint = explained.answers().isEmpty() ? null : explained.answers().get(0).endpoint();
            if (!java.util.Objects.equals(endpoint, expected.endpoint) || context.scope() != expected.scope
                    || context.estimateTenths() != expected.tenths
                    || !java.util.Objects.equals(explainedEndpoint, expected.endpoint) || explained.scope() != expected.scope) {
                different.add(client + ": route " + endpoint + " /" + context.scope() + " " + context.estimateTenths()
                        + ", explain " + explainedEndpoint + " /" + explained.scope() + ", oracle " + expected);
            }
            compared++;
            settledByRow += expected.settledByRow ? 1 : 0;
        }
        return new int[] {compared, settledByRow, namedByWinnerIndex};
    }

    /** The columns of the regions of the profile's endpoints, ascending, as its winner index is built; null if one is not the table's. */
    private static int[] profileColumns(RoutingTable table) {
        java.util.TreeSet<Integer> columns = new java.util.TreeSet<>();
        for (Endpoint e : table.profile("perf").availability().endpoints()) {
            int column = table.region(e.region()).column();
            if (column < 0) {
                return null;
            }
            columns.add(column);
        }
        return columns.stream().mapToInt(Integer::intValue).toArray();
    }

    /** One row per profile region: the world's table settles, or not, exactly as rowTenths says. */
    @Test
    void rowTenthsIsTheEstimateWheneverItSettles() {
        Random random = new Random(99);
        for (int w = 0; w < 10; w++) {
            World world = world(random);
            LatencyEstimator estimator = world.table.estimator();
            for (int i = 0; i < 500; i++) {
                IpPrefix client = client(random, world.prefixes);
                for (RegionRef region : world.table.regions()) {
                    LatencyEstimator.Lookup fast = new LatencyEstimator.Lookup();
                    fast.reset(client);
                    int tenths = estimator.rowTenths(fast, region.column());
                    LatencyEstimator.Lookup full = new LatencyEstimator.Lookup();
                    full.reset(client);
                    world.oracleTable.estimator().estimate(full, region.column(), region.latitude(), region.longitude());
                    if (tenths != LatencyEstimator.UNSETTLED) {
                        assertThat(Math.round(full.rttMs() * 10)).as("%s to %s", client, region.name()).isEqualTo(tenths);
                        assertThat(fast.holdingLength()).as("%s to %s: holding length", client, region.name())
                                .isEqualTo(full.holdingLength());
                    }
                }
            }
        }
    }

    /** {@code table} with the direct IPv4 index, {@code oracleTable} the same world without it. */
    private record World(RoutingTable table, RoutingTable oracleTable, List<IpPrefix> prefixes) {
    }

    private static World world(Random random) {
        List<String> measured = new ArrayList<>();
        for (String region : REGIONS) {
            if (random.nextInt(6) != 0) {
                measured.add(region); // sometimes a region the table never measured: distance only
            }
        }
        StringBuilder yaml = new StringBuilder("""
                - name: perf
                  trafficRoutingMethod: Performance
                  dnsConfig: {relativeName: www}
                  endpoints:
                """);
        int endpoints = 1 + random.nextInt(6);
        for (int e = 0; e < endpoints; e++) {
            // Few regions for many endpoints: regions are often shared.
            String region = REGIONS[random.nextInt(1 + random.nextInt(REGIONS.length))];
            yaml.append("    - {name: e").append(e).append(", target: 192.0.2.").append(e + 1)
                    .append(", endpointLocation: ").append(region).append("}\n");
        }
        RoutingTestWorld world = RoutingTestWorld.profiles(yaml.toString());
        for (int e = 0; e < endpoints; e++) {
            world.health("perf", "e" + e, STATUSES[random.nextInt(STATUSES.length)]);
        }
        int[][] v4Levels = {{}, {20, 16}, {24}, {28, 20, 12}, {16}};
        int[][] v6Levels = {{}, {40, 32}, {56, 48}};
        world.aggregation(v4Levels[random.nextInt(v4Levels.length)], v6Levels[random.nextInt(v6Levels.length)],
                1 + random.nextInt(20));
        if (random.nextBoolean()) {
            world.model(new DistanceModel(0.01 + random.nextInt(3) * 0.005, random.nextInt(20), 100, 0.9, true));
        }
        List<IpPrefix> prefixes = new ArrayList<>();
        Map<IpPrefix, Boolean> seen = new LinkedHashMap<>();
        int count = 20 + random.nextInt(200);
        for (int p = 0; p < count; p++) {
            IpPrefix prefix = randomPrefix(random, random.nextInt(5) == 0);
            if (seen.putIfAbsent(prefix, true) != null) {
                continue;
            }
            prefixes.add(prefix);
            for (String region : measured) {
                if (random.nextInt(4) != 0) {
                    world.latency(prefix.toString(), region, rtt(random), 1 + random.nextInt(15));
                }
            }
        }
        for (int p = 0; p < 5 + random.nextInt(40); p++) {
            IpPrefix prefix = randomPrefix(random, random.nextInt(5) == 0);
            if (seen.putIfAbsent(prefix, false) == null) {
                prefixes.add(prefix);
                world.located(prefix.toString(), -60 + random.nextDouble() * 120, -180 + random.nextDouble() * 360);
            }
        }
        // Whole /24s measured to every region the table has: what the winner index is made of.
        for (int p = random.nextInt(150); p > 0; p--) {
            IpPrefix space = IpPrefix.parse(V4_SPACE[random.nextInt(V4_SPACE.length)]);
            IpPrefix prefix = IpPrefix.ofIpv4((int) (space.lo() | (random.nextInt() & 0x000F_FF00L)), 24);
            if (seen.putIfAbsent(prefix, true) == null) {
                prefixes.add(prefix);
                for (String region : measured) {
                    world.latency(prefix.toString(), region, rtt(random), 1 + random.nextInt(15));
                }
            }
        }
        RoutingTable withDirectIndex = world.directIndexFrom(0).build();
        return new World(withDirectIndex, world.directIndexFrom(Integer.MAX_VALUE).build(), prefixes);
    }

    /** Figures that often tie, or differ by a tenth, or round to one; some above 500 ms (whole milliseconds). */
    private static double rtt(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 10 + random.nextInt(4) * 0.05;
            case 1 -> 10 + random.nextInt(3);
            case 2 -> 400 + random.nextInt(300);
            default -> random.nextInt(3000) / 10.0;
        };
    }

    private static IpPrefix randomPrefix(Random random, boolean ipv6) {
        if (ipv6) {
            IpPrefix space = IpPrefix.parse(V6_SPACE);
            int length = 32 + random.nextInt(33);
            return IpPrefix.ofIpv6(space.hi() | (random.nextLong() & 0x0000_0000_00FF_F000L), 0, length);
        }
        IpPrefix space = IpPrefix.parse(V4_SPACE[random.nextInt(V4_SPACE.length)]);
        int length = 12 + random.nextInt(19);
        return IpPrefix.ofIpv4((int) (space.lo() | (random.nextInt() & 0x000F_FF00L & IpPrefix.ipv4Mask(length) & ~IpPrefix.ipv4Mask(12))), length);
    }

    /** A client near a world prefix (inside it, around it, or well outside), with a random ECS length. */
    private static IpPrefix client(Random random, List<IpPrefix> prefixes) {
        IpPrefix near = prefixes.get(random.nextInt(prefixes.size()));
        int keep = Math.max(0, near.length() - random.nextInt(12) + random.nextInt(8)); // inside or a sibling
        if (near.ipv6()) {
            int length = switch (random.nextInt(4)) {
                case 0 -> 48;
                case 1 -> 56;
                case 2 -> 128;
                default -> 24 + random.nextInt(105);
            };
            long hi = near.hi() & IpPrefix.highMask(Math.min(64, keep)) | random.nextLong() & ~IpPrefix.highMask(Math.min(64, keep));
            return IpPrefix.ofIpv6(hi, random.nextLong(), length);
        }
        int length = switch (random.nextInt(5)) {
            case 0 -> 24;
            case 1 -> 32;
            case 2 -> random.nextInt(33); // every ECS length, /0 to /7 included
            default -> 8 + random.nextInt(25);
        };
        int mask = (int) IpPrefix.ipv4Mask(Math.min(32, keep));
        int address = random.nextInt(10) == 0 ? random.nextInt() : (near.ipv4() & mask) | (random.nextInt() & ~mask);
        return IpPrefix.ofIpv4(address, length);
    }

    private record Expected(String endpoint, int scope, int tenths, boolean settledByRow) {
    }

    /**
     * The decision as {@code PerformanceRouting} made it before the table-row shortcut: every
     * region estimated, then compared (profiles here have no fallback and no subnet override).
     */
    private static Expected oracle(RoutingTable table, IpPrefix client) {
        Profile profile = table.profile("perf");
        Availability availability = profile.availability();
        if (availability.candidateCount() == 0) {
            return new Expected(null, 0, -1, false);
        }
        Map<Integer, List<Endpoint>> groups = new LinkedHashMap<>();
        for (int k = 0; k < availability.candidateCount(); k++) {
            Endpoint e = availability.endpoint(availability.candidate(k));
            groups.computeIfAbsent(e.region(), r -> new ArrayList<>()).add(e);
        }
        List<Integer> regionIndices = new ArrayList<>(groups.keySet());
        if (groups.size() == 1 && groups.values().iterator().next().size() == 1) {
            return new Expected(groups.values().iterator().next().get(0).name(), 0, -1, false);
        }
        RoutingContext context = new RoutingContext();
        context.reset(client);
        long clientHash = context.clientHash();
        int hashLength = Math.min(client.length(), client.ipv6() ? RoutingContext.IPV6_HASH_LENGTH : RoutingContext.IPV4_HASH_LENGTH);
        LatencyEstimator estimator = table.estimator();
        LatencyEstimator.Lookup lookup = new LatencyEstimator.Lookup();
        lookup.reset(client);
        int best = -1;
        long bestTenths = Long.MAX_VALUE;
        long bestScore = 0;
        boolean tied = false;
        boolean settled = true;
        for (int g = 0; g < regionIndices.size(); g++) {
            RegionRef region = table.region(regionIndices.get(g));
            LatencyEstimator.Lookup probe = new LatencyEstimator.Lookup();
            probe.reset(client);
            settled &= estimator.rowTenths(probe, region.column()) != LatencyEstimator.UNSETTLED;
            estimator.estimate(lookup, region.column(), region.latitude(), region.longitude());
            double ms = lookup.rttMs();
            long tenths = Double.isInfinite(ms) ? Long.MAX_VALUE : Math.round(ms * 10);
            long score = StableHash.score(clientHash, region.seed());
            if (best < 0 || tenths < bestTenths) {
                best = g;
                bestTenths = tenths;
                bestScore = score;
                tied = false;
            } else if (tenths == bestTenths) {
                tied = true;
                if (Long.compareUnsigned(score, bestScore) > 0) {
                    best = g;
                    bestScore = score;
                }
            }
        }
        int scope = lookup.holdingLength();
        List<Endpoint> inRegion = groups.get(regionIndices.get(best));
        Endpoint chosen = inRegion.get(0);
        if (tied || inRegion.size() > 1) {
            scope = Math.max(scope, hashLength);
        }
        if (inRegion.size() > 1) {
            chosen = inRegion.get(Rendezvous.pick(inRegion.toArray(new Endpoint[0]), inRegion.size(), clientHash));
        }
        return new Expected(chosen.name(), scope, bestTenths == Long.MAX_VALUE ? -1 : (int) bestTenths, settled);
    }
}
