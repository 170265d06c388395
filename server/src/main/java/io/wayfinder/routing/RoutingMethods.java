package io.wayfinder.routing;

import java.util.List;
import java.util.Locale;

/** The registry of routing methods: adding one is its class and one line here. */
public final class RoutingMethods {
    private static final List<RoutingMethod> ALL = List.of(
            new PerformanceRouting(),
            new PriorityRouting(),
            new WeightedRouting(),
            new GeographicRouting(),
            new MultiValueRouting(),
            new SubnetRouting());

    private RoutingMethods() {
    }

    /** Every method, in the order users see them listed. */
    public static List<RoutingMethod> all() {
        return ALL;
    }

    /** The method of this name (any case), or null. */
    public static RoutingMethod named(String name) {
        for (RoutingMethod m : ALL) {
            if (m.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        return null;
    }
}
