package io.wayfinder.bench;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.routing.Endpoint;
import io.wayfinder.routing.Profile;
import io.wayfinder.routing.Router;
import io.wayfinder.routing.RoutingContext;
import io.wayfinder.routing.RoutingTable;
import io.wayfinder.routing.Trace;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One benchmark thread's walk through the client networks, routing each as the query path does:
 * {@code context.reset(client)} then {@link Router#route}, with the thread's own context.
 */
@State(Scope.Thread)
public class RouteCursor {
    private final RoutingContext context = new RoutingContext();
    private int next;

    /** Routes the next client of {@code networks} (cycled) and returns the first answer. */
    public Endpoint route(RoutingTable table, Profile profile, IpPrefix[] networks) {
        int i = next;
        next = i + 1 == networks.length ? 0 : i + 1;
        context.reset(networks[i]);
        Router.route(table, profile, context, Trace.NONE);
        return context.answer(0);
    }
}
