package io.wayfinder.routing;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.LatencyEstimator;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.RoutingMethodName;
import io.wayfinder.profile.WayfinderConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compiles a validated configuration, the state of health and the latency estimator into a
 * {@link RoutingTable}: names become indices, monitor statuses are rolled up through nested
 * profiles, and each profile's candidate endpoints are worked out once.
 */
public final class RoutingTableBuilder {
    private final WayfinderConfig config;
    private final RegionCatalogue catalogue;
    private final LatencyEstimator estimator;

    public RoutingTableBuilder(WayfinderConfig config, RegionCatalogue catalogue, LatencyEstimator estimator) {
        this.config = config;
        this.catalogue = catalogue;
        this.estimator = estimator;
    }

    public RoutingTable build(HealthView health) {
        List<ProfileConfig> configs = config.profiles();
        Map<String, Integer> profileIndex = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            profileIndex.put(configs.get(i).name().toLowerCase(Locale.ROOT), i);
        }
        Map<String, Integer> regionIndex = new LinkedHashMap<>();
        List<RoutingTable.RegionRef> regions = new ArrayList<>();
        Endpoint[][] endpoints = new Endpoint[configs.size()][];
        for (int i = 0; i < configs.size(); i++) {
            endpoints[i] = compileEndpoints(configs.get(i), i, profileIndex, regionIndex, regions);
        }
        RoutingTable.RegionRef[] regionArray = regions.toArray(new RoutingTable.RegionRef[0]);

        MonitorStatus[][] statuses = new MonitorStatus[configs.size()][];
        for (int i = 0; i < configs.size(); i++) {
            statusesOf(i, configs, endpoints, statuses, health);
        }

        RoutingMethod performance = new PerformanceRouting(regionArray, estimator);
        RoutingMethod priority = new PriorityRouting();
        RoutingMethod weighted = new WeightedRouting();
        Profile[] profiles = new Profile[configs.size()];
        Map<String, Profile> byName = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            ProfileConfig c = configs.get(i);
            RoutingMethod method = switch (c.trafficRoutingMethod()) {
                case Performance -> performance;
                case Priority -> priority;
                case Weighted -> weighted;
                default -> throw new IllegalArgumentException(c.trafficRoutingMethod() + " routing is not supported");
            };
            profiles[i] = compileProfile(c, i, method, endpoints[i], statuses[i]);
            byName.put(c.name().toLowerCase(Locale.ROOT), profiles[i]);
        }
        return new RoutingTable(profiles, byName, regionArray, estimator);
    }

    /** The profile's endpoints, with its fallback (if any) as the last one. */
    private Endpoint[] compileEndpoints(ProfileConfig profile, int self, Map<String, Integer> profileIndex,
                                        Map<String, Integer> regionIndex, List<RoutingTable.RegionRef> regions) {
        List<EndpointConfig> configs = new ArrayList<>(profile.endpoints());
        if (profile.fallback() != null) {
            configs.add(profile.fallback());
        }
        Endpoint[] out = new Endpoint[configs.size()];
        for (int j = 0; j < out.length; j++) {
            EndpointConfig e = configs.get(j);
            Target target = e.type() == EndpointType.nested
                    ? new Target.Nested(profileIndex.get(e.target().toLowerCase(Locale.ROOT)), e.target())
                    : Target.external(e.target());
            int region = -1;
            if (e.location() != null) {
                region = regionIndex.computeIfAbsent(e.location(), name -> {
                    Region r = catalogue.find(name).orElseThrow(() -> new IllegalArgumentException("unknown region " + name));
                    regions.add(new RoutingTable.RegionRef(r.name(), estimator.table().column(r.name()), r.latitude(),
                            r.longitude(), StableHash.ofName(r.name())));
                    return regions.size() - 1;
                });
            }
            out[j] = new Endpoint(e.name(), self, j, target, e.enabled(), region, e.priority(), e.weight(), e.minChildEndpoints(),
                    e.minChildEndpointsIPv4(), e.minChildEndpointsIPv6(), e.alwaysServe(),
                    StableHash.ofName(profile.name() + "/" + e.name()), e == profile.fallback());
        }
        return out;
    }

    /** Fills statuses[i], children first (validation guarantees there is no cycle). */
    private static void statusesOf(int i, List<ProfileConfig> configs, Endpoint[][] endpoints,
                                   MonitorStatus[][] statuses, HealthView health) {
        if (statuses[i] != null) {
            return;
        }
        ProfileConfig profile = configs.get(i);
        MonitorStatus[] out = new MonitorStatus[endpoints[i].length];
        for (int j = 0; j < out.length; j++) {
            Endpoint e = endpoints[i][j];
            if (!profile.enabled()) {
                out[j] = MonitorStatus.Inactive;
            } else if (!e.enabled()) {
                out[j] = MonitorStatus.Disabled;
            } else if (e.target() instanceof Target.Nested nested) {
                statusesOf(nested.profileIndex(), configs, endpoints, statuses, health);
                out[j] = NestedRollUp.status(e, configs.get(nested.profileIndex()).enabled(),
                        endpoints[nested.profileIndex()], statuses[nested.profileIndex()]);
                if (e.alwaysServe() && out[j] != MonitorStatus.Stopped) {
                    out[j] = MonitorStatus.Unmonitored;
                }
            } else if (e.fallback()) {
                out[j] = MonitorStatus.Unmonitored; // never probed; used only when everything else is Degraded
            } else if (e.alwaysServe()) {
                out[j] = MonitorStatus.Unmonitored;
            } else {
                MonitorStatus probed = health.status(profile.name(), e.name());
                out[j] = probed == null ? MonitorStatus.Unmonitored : probed;
            }
        }
        statuses[i] = out;
    }

    private static Profile compileProfile(ProfileConfig c, int index, RoutingMethod method, Endpoint[] endpoints,
                                          MonitorStatus[] statuses) {
        List<Integer> served = new ArrayList<>();
        List<Integer> eligible = new ArrayList<>();
        int fallback = -1;
        for (int j = 0; j < endpoints.length; j++) {
            if (endpoints[j].fallback()) {
                // A fallback that cannot answer (disabled, or nesting a profile that is stopped or
                // down): fail open as without one, rather than answer nothing.
                fallback = statuses[j].served() ? j : -1;
                continue;
            }
            if (statuses[j].served()) {
                served.add(j);
            }
            if (statuses[j].eligible()) {
                eligible.add(j);
            }
        }
        boolean allDegraded = served.isEmpty() && !eligible.isEmpty();
        boolean onFallback = allDegraded && fallback >= 0;
        boolean failOpen = allDegraded && !onFallback;
        List<Integer> chosen = onFallback ? List.of(fallback) : failOpen ? eligible : served;
        if (c.trafficRoutingMethod() == RoutingMethodName.Priority) {
            chosen = new ArrayList<>(chosen);
            chosen.sort(Comparator.comparingInt(j -> endpoints[j].priority()));
        }
        int[] candidates = chosen.stream().mapToInt(Integer::intValue).toArray();
        Profile.RegionGroups groups = c.trafficRoutingMethod() == RoutingMethodName.Performance && !onFallback
                ? groupByRegion(candidates, endpoints) : null;
        return new Profile(c.name(), index, c.fqdn(), c.trafficRoutingMethod(), method, c.enabled(), c.ttl(), endpoints,
                statuses, candidates, failOpen, onFallback, groups);
    }

    private static Profile.RegionGroups groupByRegion(int[] candidates, Endpoint[] endpoints) {
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int j : candidates) {
            groups.computeIfAbsent(endpoints[j].region(), r -> new ArrayList<>()).add(j);
        }
        int[] regions = new int[groups.size()];
        int[][] members = new int[groups.size()][];
        int k = 0;
        for (Map.Entry<Integer, List<Integer>> g : groups.entrySet()) {
            regions[k] = g.getKey();
            members[k] = g.getValue().stream().mapToInt(Integer::intValue).toArray();
            k++;
        }
        return new Profile.RegionGroups(regions, members);
    }
}
