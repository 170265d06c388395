package io.wayfinder.api;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;

/**
 * A request's line and headers must arrive within {@code limit} of its first byte; a connection
 * whose headers take longer is answered 408 and closed, counted and logged as an error answer
 * ({@link ApiErrors}). Jetty 12 has no such limit: its idle timeout only bounds silence, so a
 * client sending its headers a byte every few seconds ("slowloris") kept its connection for as
 * long as it went on, and 64 addresses' worth of them held all of the API's connections
 * ({@link ApiLimits}), health checks and metrics refused with the rest. The rule of Apache's
 * mod_reqtimeout ({@code header=20}).
 *
 * <p>Every open connection is looked at every tenth of the limit (at least every 100 ms), on a
 * thread of its own: where its HTTP parser stands, how many bytes and how many requests it has read. A connection is
 * at rest while nothing of a request has come (the parser at its start, and no byte since it was
 * last at rest: leading line ends are bytes too) and while a request is being read or answered
 * (the parser past the headers: {@link BodyReadLimit} bounds the body), or when a request came
 * since the last look (one answered between two looks); otherwise a request's line and headers are
 * on their way, since the last look that found it at rest. A look reads the
 * parser's state and two counters: 512 connections cost nothing to look at.
 *
 * <p>The parser is read through Jetty's {@code internal.HttpConnection}, the one class that exposes
 * it; a connection of another kind is never cut. {@code ClientLimitsApiTest}'s test of headers
 * that trickle in fails if that ever stops working.
 */
final class HeaderDeadline implements Connection.Listener, AutoCloseable {
    private static final byte[] TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final long limitNanos;
    private final LongSupplier nanos;
    private final ApiErrors errors;
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService looks;

    /** @param nanos a monotonic clock (System::nanoTime) */
    HeaderDeadline(Duration limit, LongSupplier nanos, ApiErrors errors) {
        this.limitNanos = limit.toNanos();
        this.nanos = nanos;
        this.errors = errors;
        this.looks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "api-header-deadline");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), limitNanos / 10);
        looks.scheduleWithFixedDelay(this::lookAtAll, every, every, TimeUnit.NANOSECONDS);
    }

    /** Where one connection stood at the last look. */
    private static final class Watch {
        /** A request was being read or answered at the last look. */
        boolean busy;
        /** Bytes read when it was last found at rest. */
        long restBytes;
        /** Requests it had received when last looked at. */
        long requests;
        /** When it was last found at rest. */
        long restNanos;

        Watch(long now) {
            restNanos = now;
        }
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Watch(nanos.getAsLong()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    private void lookAtAll() {
        long now = nanos.getAsLong();
        open.forEach((connection, watch) -> {
            if (late(connection.getParser(), connection.getBytesIn(), connection.getMessagesIn(), watch, now)) {
                open.remove(connection);
                cut(connection);
            }
        });
    }

    /**
     * Whether a connection whose parser and counts are these has been on one request's line and
     * headers for the limit. A request received since the last look, even one answered already,
     * means it was at rest in between.
     */
    private boolean late(HttpParser parser, long bytesIn, long requests, Watch watch, long now) {
        if (!parser.inHeaderState()) {
            watch.busy = true;
            watch.restNanos = now;
            return false;
        }
        boolean answeredSince = requests != watch.requests;
        watch.requests = requests;
        if (watch.busy || answeredSince || parser.isStart() && bytesIn == watch.restBytes) {
            watch.busy = false;
            watch.restBytes = bytesIn;
            watch.restNanos = now;
            return false;
        }
        return now - watch.restNanos >= limitNanos;
    }

    private void cut(HttpConnection connection) {
        EndPoint endPoint = connection.getEndPoint();
        String peer = endPoint.getRemoteSocketAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(endPoint.getRemoteSocketAddress());
        errors.answered(408, ApiErrors.NO_ROUTE, "(a request's line and headers)", peer,
                "the request's line and headers did not arrive within " + TimeUnit.NANOSECONDS.toMillis(limitNanos) + " ms");
        endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()), ByteBuffer.wrap(TIMEOUT));
    }

    @Override
    public void close() {
        looks.shutdownNow();
    }
}
