package io.wayfinder.routing;

import io.wayfinder.profile.ConfigErrors;
import io.wayfinder.profile.EndpointConfig;
import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.WayfinderConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Priority routing: the available endpoint with the lowest priority number (1-1000, unique in the
 * profile; an endpoint without one takes its position). The same for every client (ECS scope 0).
 */
final class PriorityRouting implements RoutingMethod {

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public boolean uses(MethodField field) {
        return false;
    }

    @Override
    public void check(ProfileConfig profile, String path, WayfinderConfig config, ConfigErrors errors) {
        Map<Integer, String> priorities = new HashMap<>();
        for (int j = 0; j < profile.endpoints().size(); j++) {
            EndpointConfig e = profile.endpoints().get(j);
            String other = priorities.putIfAbsent(e.priority(), e.name());
            if (other != null) {
                errors.add(path + ".endpoints[" + j + "].priority", "priority " + e.priority() + " is already used by endpoint '"
                        + other + "' (an endpoint without a priority takes its position in the list)");
            }
        }
    }

    @Override
    public MethodPlan plan(ProfileConfig config, List<Endpoint> endpoints) {
        return (availability, inputs) -> {
            int best = availability.candidate(0);
            for (int k = 1; k < availability.candidateCount(); k++) {
                int j = availability.candidate(k);
                if (availability.endpoint(j).priority() < availability.endpoint(best).priority()) {
                    best = j;
                }
            }
            return new Chosen(availability.endpoint(best), availability.candidateCount() == 1);
        };
    }

    /** The answer is decided when the table is built: a query only reports it. */
    private record Chosen(Endpoint endpoint, boolean only) implements Chooser {
        @Override
        public RoutingOutcome choose(RoutingContext context, Trace trace) {
            return Chooser.answer(endpoint, only ? Reason.ONLY_CANDIDATE : Reason.HIGHEST_PRIORITY, context, trace);
        }

        @Override
        public String whyNot(Endpoint loser, List<Endpoint> winners, RoutingContext context,
                             List<Decision.RegionEstimate> estimates) {
            return "priority " + loser.priority() + "; " + endpoint.name() + " has priority " + endpoint.priority();
        }
    }
}
