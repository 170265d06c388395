package io.wayfinder.api;

import io.javalin.http.Context;
import io.wayfinder.control.ControlEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/events}: the control path's events (status changes, fail-open entries and
 * exits, configurations applied) as server-sent events, to any number of watchers.
 *
 * <pre>
 *   control thread --publish--> [ring of the last RECENT events] --offer--> client queue (CLIENT_QUEUE) --> its request thread
 *                    never blocks                                  full: the client is dropped
 * </pre>
 *
 * <p><b>Memory is bounded whatever the clients do.</b> The control thread only appends to a ring
 * and offers to each client's bounded queue; it never waits for a client. A client whose queue is
 * full has fallen {@value #CLIENT_QUEUE} events behind: its queue is emptied, it is sent one
 * {@code overflow} event and closed. A client that stops reading blocks only its own request
 * thread, until the server's write timeout closes it. At most {@value #MAX_CLIENTS} watchers at
 * once (each holds a thread); more get 503.
 *
 * <p><b>Catching up.</b> Every event has an id ({@code EPOCH-N}, the epoch being when this server
 * started). A client that reconnects with {@code Last-Event-ID} (browsers' EventSource do) first gets
 * the events it missed, if the ring still holds them; otherwise, or when the server has restarted
 * since, a {@code reset} event says to read {@code /api/v1/status} again. A comment every
 * {@value #HEARTBEAT_SECONDS} s keeps idle connections open through proxies.
 */
final class EventStream implements AutoCloseable {
    static final int RECENT = 1024;
    static final int CLIENT_QUEUE = 256;
    static final int MAX_CLIENTS = 16;
    static final int HEARTBEAT_SECONDS = 10;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Envelope CLOSE = new Envelope(-1, "", "", "");

    /** One event as sent: its sequence number, id, name and JSON. */
    private record Envelope(long seq, String id, String name, String data) {
    }

    private final String epoch;
    // Guarded by this:
    private final ArrayDeque<Envelope> recent = new ArrayDeque<>();
    private final Set<Subscription> clients = new LinkedHashSet<>();
    private long sequence;
    private boolean closed;

    EventStream(Clock clock) {
        this.epoch = Long.toString(clock.millis(), 36);
    }

    /** Called on the control thread: never blocks. */
    synchronized void publish(ControlEvent event) {
        if (closed) {
            return;
        }
        sequence++;
        String id = epoch + "-" + sequence;
        Envelope e = new Envelope(sequence, id, event.type().toString(), json(id, event));
        recent.addLast(e);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
        for (Subscription c : clients) {
            // One slot beyond CLIENT_QUEUE is kept for the end-of-stream marker.
            if (!c.overflowed && (c.queue.size() >= CLIENT_QUEUE || !c.queue.offer(e))) {
                c.overflowed = true;
                c.queue.clear();
                c.queue.offer(CLOSE); // wakes its thread, which says why and closes
            }
        }
    }

    private static String json(String id, ControlEvent e) {
        ObjectNode out = JSON.createObjectNode();
        out.put("id", id);
        out.put("time", e.time() == null ? null : e.time().toString());
        out.put("type", e.type().toString());
        putIfSet(out, "profile", e.profile());
        putIfSet(out, "endpoint", e.endpoint());
        putIfSet(out, "from", e.from());
        putIfSet(out, "to", e.to());
        putIfSet(out, "reason", e.reason());
        if (!e.changes().isEmpty()) {
            e.changes().forEach(out.putArray("changes")::add);
        }
        out.put("message", e.message());
        return JSON.writeValueAsString(out);
    }

    private static void putIfSet(ObjectNode out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    /** One watcher's place in the stream: what it missed before it came, and its bounded queue. */
    static final class Subscription {
        private final BlockingQueue<Envelope> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE + 1);
        private final List<Envelope> missed = new ArrayList<>();
        private volatile boolean overflowed;
        private boolean reset;

        /** Whether it was dropped for falling {@value #CLIENT_QUEUE} events behind. */
        boolean overflowed() {
            return overflowed;
        }

        /** The next event as the stream writes it, "" after a quiet {@code timeout}, or null when the stream ends. */
        String next(long timeout, TimeUnit unit) throws InterruptedException {
            Envelope e = queue.poll(timeout, unit);
            if (e == null) {
                return "";
            }
            return e == CLOSE ? null : text(e);
        }
    }

    /**
     * Registers a watcher, with the events after {@code lastEventId} it missed.
     *
     * @throws ApiException 503 with {@value #MAX_CLIENTS} watchers already, or while stopping
     */
    synchronized Subscription subscribe(String lastEventId) {
        if (closed || clients.size() >= MAX_CLIENTS) {
            throw new ApiException(503, "too many event-stream clients (at most " + MAX_CLIENTS + "); try again later",
                    List.of(), java.util.Map.of("Retry-After", "10"));
        }
        Subscription s = new Subscription();
        s.reset = catchUp(lastEventId, s.missed);
        clients.add(s);
        return s;
    }

    synchronized void unsubscribe(Subscription s) {
        clients.remove(s);
    }

    /** Serves one watcher until it goes away, falls behind, or the server stops. Runs on the request's thread. */
    void serve(Context ctx) {
        Subscription s = subscribe(ctx.header("Last-Event-ID"));
        try {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-store");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            OutputStream out = ctx.res().getOutputStream();
            write(out, "retry: 3000\n: wayfinder events\n\n");
            if (s.reset) {
                write(out, "event: reset\ndata: {\"message\":\"events since the Last-Event-ID are no longer held (or the"
                        + " server restarted): read /api/v1/status again\"}\n\n");
            }
            for (Envelope e : s.missed) {
                write(out, text(e));
            }
            for (String next = s.next(HEARTBEAT_SECONDS, TimeUnit.SECONDS); next != null;
                 next = s.next(HEARTBEAT_SECONDS, TimeUnit.SECONDS)) {
                write(out, next.isEmpty() ? ": keep-alive\n\n" : next);
            }
            if (s.overflowed) {
                write(out, "event: overflow\ndata: {\"message\":\"this client fell more than " + CLIENT_QUEUE
                        + " events behind and is disconnected; reconnect (with Last-Event-ID to catch up)\"}\n\n");
            }
        } catch (IOException e) {
            // the client went away, or stopped reading past the idle timeout
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe(s);
        }
    }

    /**
     * The events after {@code lastEventId} that are still held, into {@code missed}.
     *
     * @return whether the client must be told to read the status again (what it missed is gone)
     */
    private boolean catchUp(String lastEventId, List<Envelope> missed) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return false;
        }
        int dash = lastEventId.lastIndexOf('-');
        long last;
        try {
            last = dash < 0 ? -1 : Long.parseLong(lastEventId.substring(dash + 1).strip());
        } catch (NumberFormatException e) {
            last = -1;
        }
        if (dash < 0 || !lastEventId.substring(0, dash).strip().equals(epoch) || last < 0 || last > sequence) {
            return true;
        }
        long oldest = recent.isEmpty() ? sequence + 1 : recent.peekFirst().seq();
        for (Envelope e : recent) {
            if (e.seq() > last) {
                missed.add(e);
            }
        }
        return last + 1 < oldest;
    }

    private static String text(Envelope e) {
        return "id: " + e.id() + "\nevent: " + e.name() + "\ndata: " + e.data() + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Watchers connected now. */
    synchronized int clients() {
        return clients.size();
    }

    /** Ends every stream (the server is stopping). */
    @Override
    public synchronized void close() {
        closed = true;
        for (Subscription c : clients) {
            c.queue.clear();
            c.queue.offer(CLOSE);
        }
    }
}
