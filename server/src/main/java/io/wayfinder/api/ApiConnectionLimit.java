package io.wayfinder.api;

import io.wayfinder.beacon.ClientAddress;
import io.wayfinder.net.ConnectionSlots;
import io.wayfinder.net.ConnectionSlots.Refusal;
import io.wayfinder.net.IpPrefix;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Connection;

/**
 * The API's connection limits ({@link ApiLimits}), on Jetty's connector: a connection over the
 * global limit or its address's is closed as soon as it is accepted (the client reads end-of-stream
 * and may retry), counted and logged by {@link ApiErrors}. A trusted proxy
 * ({@code latency.rum.trustedProxies}, read at each connection) counts only against the global
 * limit: it speaks for many clients.
 *
 * <p>A connection accepted while more than half of the connections are open may idle only for
 * {@code crowdedIdleMillis} (the time a request's line and headers may take) instead of the
 * connector's 30 s: what DNS over TCP does when crowded ({@code TcpLimits.crowdedIdleTimeout}, NSD's
 * rule). Clients that hold connections open and idle (browsers between beacons, or many addresses
 * filling the slots on purpose) then give the second half back within seconds.
 *
 * <p>Why not Jetty's {@code NetworkConnectionLimit}: at its limit it stops accepting, so the
 * connections over it wait in the kernel's backlog, unanswered, a health check's included; and it
 * has no limit per address, so one client could take every slot.
 */
final class ApiConnectionLimit implements Connection.Listener {
    private final ConnectionSlots slots;
    private final Supplier<List<IpPrefix>> trustedProxies;
    private final ApiErrors errors;
    private final long crowdedIdleMillis;
    /** The slot each open connection holds (refused ones hold none). */
    private final Map<Connection, Object> held = new ConcurrentHashMap<>();

    /**
     * @param trustedProxies    the proxies of the configuration being served (empty when none)
     * @param crowdedIdleMillis how long a connection accepted while more than half are open may idle
     */
    ApiConnectionLimit(ConnectionSlots slots, Supplier<List<IpPrefix>> trustedProxies, ApiErrors errors, long crowdedIdleMillis) {
        this.slots = slots;
        this.trustedProxies = trustedProxies;
        this.errors = errors;
        this.crowdedIdleMillis = crowdedIdleMillis;
    }

    /** Called by Jetty on a selector thread, once the connection is set up and before anything is read. */
    @Override
    public void onOpened(Connection connection) {
        if (!(connection.getEndPoint().getRemoteSocketAddress() instanceof InetSocketAddress peer)
                || peer.getAddress() == null) {
            return; // not a network connection
        }
        Object slot = ClientAddress.isTrusted(peer.getAddress().getAddress(), trustedProxies.get())
                ? slots.acquireGlobalOnly() : slots.acquire(peer.getAddress());
        if (slot instanceof Refusal why) {
            errors.refused(why, peer.getAddress().getHostAddress(), why == Refusal.GLOBAL ? slots.max() : slots.maxPerClient());
            connection.getEndPoint().close();
            return;
        }
        held.put(connection, slot);
        if (slots.crowded()) {
            connection.getEndPoint().setIdleTimeout(Math.min(crowdedIdleMillis, connection.getEndPoint().getIdleTimeout()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Object slot = held.remove(connection);
        if (slot != null) {
            slots.release(slot);
        }
    }
}
