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
 * <p>Why not Jetty's {@code NetworkConnectionLimit}: at its limit it stops accepting, so the
 * connections over it wait in the kernel's backlog, unanswered, a health check's included; and it
 * has no limit per address, so one client could take every slot.
 */
final class ApiConnectionLimit implements Connection.Listener {
    private final ConnectionSlots slots;
    private final Supplier<List<IpPrefix>> trustedProxies;
    private final ApiErrors errors;
    /** The slot each open connection holds (refused ones hold none). */
    private final Map<Connection, Object> held = new ConcurrentHashMap<>();

    /** @param trustedProxies the proxies of the configuration being served (empty when none) */
    ApiConnectionLimit(ConnectionSlots slots, Supplier<List<IpPrefix>> trustedProxies, ApiErrors errors) {
        this.slots = slots;
        this.trustedProxies = trustedProxies;
        this.errors = errors;
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
    }

    @Override
    public void onClosed(Connection connection) {
        Object slot = held.remove(connection);
        if (slot != null) {
            slots.release(slot);
        }
    }
}
