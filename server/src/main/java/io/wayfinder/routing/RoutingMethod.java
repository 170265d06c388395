package io.wayfinder.routing;

import io.wayfinder.profile.MethodRules;
import io.wayfinder.profile.ProfileConfig;
import java.util.List;

/**
 * One routing method (a {@code trafficRoutingMethod}): its configuration rules ({@link MethodRules}),
 * its build step and, through what that builds, its choice. A method is one class; adding one is
 * that class plus one line in {@link RoutingMethods}. Nested profiles are followed by {@link Router},
 * not here: a method chooses among its own profile's endpoints.
 *
 * <p>Building happens in two steps, so that each change rebuilds only what it must:
 * {@link #plan} once per configuration (what depends on configuration alone, such as a subnet map),
 * and {@link MethodPlan#chooser} for every state of health or latency (which endpoints may answer).
 * Neither can fail for a configuration that passed {@link #check}.
 */
public interface RoutingMethod extends MethodRules {

    /**
     * Compiles a valid profile's configuration into what the method precomputes.
     *
     * @param endpoints the profile's endpoints by index, its fallback (if any) last
     */
    MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints);
}
