package io.wayfinder.routing;

import io.wayfinder.geo.Region;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.EndpointType;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Routing's half of a loaded configuration, which no health change touches: every profile with its
 * endpoints resolved to indices (profiles by their position in the configuration, endpoints by
 * theirs, a fallback last), the regions they use, and each method's {@link MethodPlan}. Built once
 * per configuration; {@link RoutingTable#build} turns it into what queries read for each state of
 * health. Immutable.
 */
public final class RoutingPlan {
    private final WayfinderConfig config;
    private final PlannedProfile[] profiles;
    private final Map<String, Integer> byName;
    private final RegionRef[] regions;

    private RoutingPlan(WayfinderConfig config, PlannedProfile[] profiles, Map<String, Integer> byName, RegionRef[] regions) {
        this.config = config;
        this.profiles = profiles;
        this.byName = byName;
        this.regions = regions;
    }

    /**
     * Compiles a configuration that passed validation (with {@link RoutingMethods} as its rules).
     *
     * @throws IllegalArgumentException if it names an unknown method or region: a bug, since
     *                                  validation rejects both
     */
    public static RoutingPlan compile(WayfinderConfig config) {
        List<ProfileConfig> configs = config.profiles();
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < configs.size(); i++) {
            byName.put(configs.get(i).name().toLowerCase(Locale.ROOT), i);
        }
        Map<String, Integer> regionIndex = new LinkedHashMap<>();
        List<RegionRef> regions = new ArrayList<>();
        PlannedProfile[] planned = new PlannedProfile[configs.size()];
        for (int i = 0; i < configs.size(); i++) {
            ProfileConfig c = configs.get(i);
            RoutingMethod method = RoutingMethods.named(c.trafficRoutingMethod());
            if (method == null) {
                throw new IllegalArgumentException("unknown routing method " + c.trafficRoutingMethod());
            }
            Endpoint[] endpoints = endpoints(config, c, i, byName, regionIndex, regions);
            planned[i] = new PlannedProfile(c, i, endpoints, method, method.plan(c, List.of(endpoints)));
        }
        return new RoutingPlan(config, planned, Map.copyOf(byName), regions.toArray(new RegionRef[0]));
    }

    /** The profile's endpoints, with its fallback (if any) as the last one. */
    private static Endpoint[] endpoints(WayfinderConfig config, ProfileConfig profile, int self, Map<String, Integer> byName,
                                        Map<String, Integer> regionIndex, List<RegionRef> regions) {
        List<EndpointConfig> configs = profile.endpointsWithFallback();
        Endpoint[] out = new Endpoint[configs.size()];
        for (int j = 0; j < out.length; j++) {
            EndpointConfig e = configs.get(j);
            Target target = e.type() == EndpointType.nested
                    ? new Target.Nested(byName.get(e.target().toLowerCase(Locale.ROOT)), e.target())
                    : Target.external(e.target());
            int region = -1;
            if (e.location() != null) {
                // By the catalogue's name: "West Europe" and "westeurope" are one region, one column.
                Region r = config.catalogue().find(e.location())
                        .orElseThrow(() -> new IllegalArgumentException("unknown region " + e.location()));
                region = regionIndex.computeIfAbsent(r.name(), name -> {
                    regions.add(new RegionRef(r.name(), -1, r.latitude(), r.longitude(), StableHash.ofName(r.name())));
                    return regions.size() - 1;
                });
            }
            out[j] = new Endpoint(e.name(), self, j, target, e.enabled(), region, e.priority(), e.weight(), e.minChildEndpoints(),
                    e.minChildEndpointsIPv4(), e.minChildEndpointsIPv6(), e.alwaysServe(),
                    StableHash.ofName(profile.name() + "/" + e.name()), e == profile.fallback());
        }
        return out;
    }

    public WayfinderConfig config() {
        return config;
    }

    public int profileCount() {
        return profiles.length;
    }

    /** The index of the profile of this name (any case), or -1. */
    public int profileIndex(String name) {
        Integer i = byName.get(name.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }

    /** The endpoints of a profile, its fallback last. */
    public List<Endpoint> endpoints(int profile) {
        return List.of(profiles[profile].endpoints());
    }

    PlannedProfile profile(int index) {
        return profiles[index];
    }

    /** The regions endpoints use, each resolved to its column in {@code table}'s estimator. */
    RegionRef[] regionsFor(io.wayfinder.latency.LatencyTable table) {
        RegionRef[] out = Arrays.copyOf(regions, regions.length);
        for (int r = 0; r < out.length; r++) {
            out[r] = out[r].withColumn(table.column(out[r].name()));
        }
        return out;
    }
}
