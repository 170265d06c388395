package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.time.LogThrottle;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket and the thread that serves it: one {@code recvmmsg} per batch, the batch's
 * datagrams answered in place, one {@code sendmmsg} for its answers.
 *
 * <p><b>Layout</b> (one native arena per socket, allocated once; nothing per datagram):
 * <pre>
 *   recv: BATCH x mmsghdr ─msg_iov─> BATCH x iovec ─> in[i]   (IN_BYTES each; ByteBuf views made once)
 *                         ─msg_name─> BATCH x sockaddr (32 bytes each; the kernel writes the sender)
 *   send: BATCH x mmsghdr ─msg_iov─> BATCH x iovec ─> out[i]  (OUT_BYTES each; ByteBuf views made once)
 *                         ─msg_name─> the sockaddr slot of the query it answers (no copy)
 * </pre>
 * Datagram {@code i} is decoded from {@code in[i]} into slot {@code i} of a {@link QueryBatch} and
 * its answer written into {@code out[i]}: every datagram of the batch is decoded, then their
 * clients' latency rows are read ahead together, then they are answered (see {@link QueryBatch}
 * for why). The per-datagram work is {@link QueryProcessor}'s, as on the Netty path; only the
 * sender's 4 or 16 address bytes are copied (into the slot's query, so that the rate limiter and
 * routing read them without an object).
 *
 * <p>{@code OUT_BYTES} is 64 KiB, not the 1232 a UDP answer is cut to: the writer truncates after
 * writing, so an answer may pass the limit before {@code finish} cuts it; only the bytes written are
 * ever touched (the rest of the reservation stays untouched virtual memory).
 *
 * <p><b>Threading.</b> The socket's thread is the only one that touches the buffers, the processor
 * and the duration recorder. {@link #execute} queues a task (the Traffic View hand-off) that the
 * thread runs between two batches: at once when datagrams flow, within the receive timeout when
 * idle. {@link #stop} sets the flag, {@code shutdown}s the socket (which wakes a blocked receive)
 * and joins; the timeout bounds it even if the wake-up is lost.
 */
final class FfmUdpSocket implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(FfmUdpSocket.class);
    /** Datagrams per system call: Netty's path reads 16 per recvmmsg; 32 halves the calls under load. */
    static final int BATCH = 32;
    /** The largest query read whole (as the Netty path); longer ones are dropped (MSG_TRUNC). */
    static final int IN_BYTES = 4096;
    static final int OUT_BYTES = 64 << 10;
    /** A sockaddr's port and IPv4 address, in network byte order, and the address's place in a query. */
    private static final ValueLayout.OfShort NETWORK_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt NETWORK_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final VarHandle ARRAY_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int fd;
    private final InetSocketAddress local;
    private final String where;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = LinuxUdp.callState(arena);
    private final MemorySegment recvVec = arena.allocate(LinuxUdp.MMSGHDR_SIZE * BATCH, 8);
    private final MemorySegment recvIov = arena.allocate(LinuxUdp.IOVEC_SIZE * BATCH, 8);
    private final MemorySegment sendVec = arena.allocate(LinuxUdp.MMSGHDR_SIZE * BATCH, 8);
    private final MemorySegment sendIov = arena.allocate(LinuxUdp.IOVEC_SIZE * BATCH, 8);
    private final MemorySegment names = arena.allocate(LinuxUdp.SOCKADDR_SIZE * BATCH, 8);
    private final MemorySegment inMemory = arena.allocate((long) IN_BYTES * BATCH, 64);
    private final MemorySegment outMemory = arena.allocate((long) OUT_BYTES * BATCH, 64);
    private final ByteBuf[] in = new ByteBuf[BATCH];
    private final ByteBuf[] out = new ByteBuf[BATCH];
    /** The decoded queries of the batch in hand, one per slot. */
    private final QueryBatch batch;
    private final AnswerDurations.Recorder durations;
    private final ServerStats stats;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final LogThrottle socketErrors = new LogThrottle();
    private final Thread thread;
    private volatile boolean stopping;
    private boolean closed;

    FfmUdpSocket(int fd, InetSocketAddress local, int index, Function<Executor, NativeUdpListeners.Serving> serving,
                 ServerStats stats) {
        this.fd = fd;
        this.local = local;
        this.where = "UDP socket " + DnsServer.format(local) + " (ffm #" + index + ")";
        this.stats = stats;
        for (int i = 0; i < BATCH; i++) {
            long m = LinuxUdp.MMSGHDR_SIZE * i;
            recvIov.set(ValueLayout.JAVA_LONG, LinuxUdp.IOVEC_SIZE * i, inMemory.address() + (long) IN_BYTES * i);
            recvIov.set(ValueLayout.JAVA_LONG, LinuxUdp.IOVEC_SIZE * i + 8, IN_BYTES);
            recvVec.set(ValueLayout.JAVA_LONG, m + LinuxUdp.MSG_NAME, names.address() + LinuxUdp.SOCKADDR_SIZE * i);
            recvVec.set(ValueLayout.JAVA_INT, m + LinuxUdp.MSG_NAMELEN, (int) LinuxUdp.SOCKADDR_SIZE);
            recvVec.set(ValueLayout.JAVA_LONG, m + LinuxUdp.MSG_IOV, recvIov.address() + LinuxUdp.IOVEC_SIZE * i);
            recvVec.set(ValueLayout.JAVA_LONG, m + LinuxUdp.MSG_IOVLEN, 1);
            sendVec.set(ValueLayout.JAVA_LONG, m + LinuxUdp.MSG_IOV, sendIov.address() + LinuxUdp.IOVEC_SIZE * i);
            sendVec.set(ValueLayout.JAVA_LONG, m + LinuxUdp.MSG_IOVLEN, 1);
            in[i] = Unpooled.wrappedBuffer(inMemory.asSlice((long) IN_BYTES * i, IN_BYTES).asByteBuffer());
            out[i] = Unpooled.wrappedBuffer(outMemory.asSlice((long) OUT_BYTES * i, OUT_BYTES).asByteBuffer()).clear();
        }
        NativeUdpListeners.Serving s = serving.apply(this);
        this.batch = new QueryBatch(s.processor(), BATCH);
        this.durations = s.durations();
        this.thread = new Thread(this::run, "dns-udp-ffm-" + local.getPort() + "-" + index);
    }

    void start() {
        thread.start();
    }

    /** Runs {@code task} on this socket's thread, between two batches. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    private void run() {
        int received = 0;
        while (!stopping) {
            for (int i = 0; i < received; i++) { // the kernel wrote the sender's length there: room for the next one
                recvVec.set(ValueLayout.JAVA_INT, LinuxUdp.MMSGHDR_SIZE * i + LinuxUdp.MSG_NAMELEN, (int) LinuxUdp.SOCKADDR_SIZE);
            }
            int n = LinuxUdp.recvmmsg(state, fd, recvVec, BATCH, LinuxUdp.MSG_WAITFORONE);
            if (n < 0) {
                received = 0;
                int errno = LinuxUdp.errno(state);
                if (errno != LinuxUdp.EAGAIN && errno != LinuxUdp.EINTR && !stopping) {
                    logSocketError("recvmmsg", errno);
                }
            } else {
                received = n;
                if (n > 0) {
                    send(answer(n));
                }
            }
            runTasks();
        }
    }

    /**
     * Answers the {@code n} datagrams received in {@link QueryBatch}'s three passes: decode all,
     * prefetch all, respond to all. Returns how many answers are ready in the send vector.
     *
     * <p>A datagram's recorded duration is its own response plus its share of the decode and
     * prefetch passes (timed as a whole: decoding takes about the same for every datagram), not the
     * time it spent waiting for the others: n + 2 clock reads a batch, where timing each decode as
     * well took 2n + 2 (a read is some 20 ns, a tenth of what the batch's own code takes a query).
     */
    private int answer(int n) {
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try {
                decode(i);
            } catch (Throwable t) { // an Error while decoding: that datagram is lost
                batch.skip(i);
                stats.recordListenerError(t, where);
            }
        }
        try {
            batch.prefetch(n);
        } catch (Throwable t) { // an Error: the answers need no prefetch, they are only slower
            stats.recordListenerError(t, where);
        }
        long mark = System.nanoTime();
        long share = (mark - start) / n;
        int ready = 0;
        for (int i = 0; i < n; i++) {
            boolean answered = false;
            try {
                ByteBuf response = out[i];
                if (batch.respond(i, response)) {
                    queue(i, ready, response);
                    ready++;
                    answered = true;
                }
            } catch (Throwable t) { // an Error while answering (a RuntimeException is a SERVFAIL inside): that datagram is lost
                stats.recordListenerError(t, where);
            }
            long now = System.nanoTime();
            if (answered) {
                durations.record(share + (now - mark));
            }
            mark = now;
        }
        try {
            batch.finish();
        } catch (Throwable t) {
            stats.recordListenerError(t, where);
        }
        return ready;
    }

    /** Decodes datagram {@code i} into its slot of the batch, the sender first; a truncated one is dropped. */
    private void decode(int i) {
        long m = LinuxUdp.MMSGHDR_SIZE * i;
        if ((recvVec.get(ValueLayout.JAVA_INT, m + LinuxUdp.MSG_FLAGS) & LinuxUdp.MSG_TRUNC) != 0) {
            batch.skip(i);
            stats.recordDrop();
            return;
        }
        long name = LinuxUdp.SOCKADDR_SIZE * i;
        DnsQuery query = batch.query(i);
        boolean ipv6 = names.get(ValueLayout.JAVA_SHORT, name) == LinuxUdp.AF_INET6;
        byte[] address = query.rawSenderAddress(ipv6);
        if (ipv6) { // sockaddr_in6: family, port, flow info, then the address
            MemorySegment.copy(names, ValueLayout.JAVA_BYTE, name + 8, address, 0, address.length);
        } else { // sockaddr_in: family, port, then the address: one read, not a copy of 4 bytes
            ARRAY_INT.set(address, 0, names.get(NETWORK_INT, name + 4));
        }
        query.rawSender(ipv6, names.get(NETWORK_SHORT, name + 2) & 0xFFFF);
        batch.decode(i, in[i].setIndex(0, recvVec.get(ValueLayout.JAVA_INT, m + LinuxUdp.MSG_LEN)));
    }

    /** Puts the answer to datagram {@code i} at position {@code ready} of the send vector, to its sender. */
    private void queue(int i, int ready, ByteBuf response) {
        long s = LinuxUdp.MMSGHDR_SIZE * ready;
        sendVec.set(ValueLayout.JAVA_LONG, s + LinuxUdp.MSG_NAME, names.address() + LinuxUdp.SOCKADDR_SIZE * i);
        sendVec.set(ValueLayout.JAVA_INT, s + LinuxUdp.MSG_NAMELEN,
                recvVec.get(ValueLayout.JAVA_INT, LinuxUdp.MMSGHDR_SIZE * i + LinuxUdp.MSG_NAMELEN));
        sendIov.set(ValueLayout.JAVA_LONG, LinuxUdp.IOVEC_SIZE * ready, outMemory.address() + (long) OUT_BYTES * i);
        sendIov.set(ValueLayout.JAVA_LONG, LinuxUdp.IOVEC_SIZE * ready + 8, response.writerIndex());
    }

    /** Sends the first {@code ready} answers; a datagram the kernel refuses is skipped, the rest still go. */
    private void send(int ready) {
        int sent = 0;
        while (sent < ready) {
            int r = LinuxUdp.sendmmsg(state, fd, sent == 0 ? sendVec : sendVec.asSlice(LinuxUdp.MMSGHDR_SIZE * sent), ready - sent);
            if (r > 0) {
                sent += r;
                continue;
            }
            int errno = LinuxUdp.errno(state);
            if (errno == LinuxUdp.EINTR) {
                continue;
            }
            logSocketError("sendmmsg", errno);
            sent++;
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                stats.recordListenerError(t, where);
            }
        }
    }

    /** A failing system call concerns a client or a passing shortage: logged at most every 10 s, the socket serves on. */
    private void logSocketError(String call, int errno) {
        stats.recordSocketError();
        long suppressed = socketErrors.admit();
        if (suppressed >= 0) {
            LOG.warn("{} on {}: {} {}", call, where, LinuxUdp.describe(errno), LogThrottle.tail(suppressed));
        }
    }

    /** Asks the thread to stop and waits for it (at most a few receive timeouts). */
    void stop() {
        stopping = true;
        if (thread.isAlive()) {
            LinuxUdp.shutdown(state, fd);
            try {
                thread.join(20L * FfmUdpListeners.RECEIVE_TIMEOUT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the socket and frees the memory; call after {@link #stop} (a thread that did not stop keeps both). */
    synchronized void close() {
        if (closed || thread.isAlive()) {
            if (!closed) {
                LOG.warn("{}: its thread did not stop; the socket is left open", where);
            }
            return;
        }
        closed = true;
        LinuxUdp.close(state, fd);
        arena.close();
    }

    InetSocketAddress localAddress() {
        return local;
    }
}
