package io.wayfinder.dns.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * UDP sockets served outside Netty, each by a thread of its own: the FFM path
 * ({@code FfmUdpListeners}, compiled for Java 22 into the jar's {@code META-INF/versions/22}). This
 * interface is what the Java 17 code knows of it; {@link UdpTransport#select} finds the class by name.
 *
 * <p>The per-datagram work is the Netty path's ({@link QueryProcessor}: decode, answer,
 * FORMERR/drop, rate limit, counters), done a receive batch at a time through a {@link QueryBatch},
 * with each answer's time recorded in the socket's {@link AnswerDurations.Recorder}.
 */
interface NativeUdpListeners {
    /** Why this cannot run here (platform, native access denied, a call libc lacks), or null when it can. */
    String unavailable();

    /**
     * Binds {@code sockets} UDP sockets to {@code address} with SO_REUSEPORT (port 0: the first one's
     * port for all) and starts a thread on each.
     *
     * @param serving makes the processor and duration recorder of one socket, given the executor of
     *                its thread (a task handed to it runs between two receive batches)
     * @throws IOException when a socket cannot be made or bound (nothing is left open)
     */
    Listener bind(InetSocketAddress address, int sockets, Function<Executor, Serving> serving, ServerStats stats)
            throws IOException;

    /** What one socket's thread answers with; made once per socket. */
    record Serving(QueryProcessor processor, AnswerDurations.Recorder durations) {
    }

    /** The sockets of one address. */
    interface Listener extends AutoCloseable {
        InetSocketAddress localAddress();

        /** Stops the threads (waking them) and closes the sockets; bounded in time. */
        @Override
        void close();
    }
}
