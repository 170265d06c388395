package io.wayfinder.dns.server;

import io.wayfinder.net.ConnectionSlots.Refusal;
import io.wayfinder.time.LogThrottle;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the TCP listeners did with connections, cheap to bump from every event loop, and the
 * rate-limited log of it: every refusal and every close the server decides is counted here and
 * logged at most once per 10 s per kind (an idle close, the normal end of a connection, only counted).
 */
public final class TcpStats {
    private static final Logger LOG = LoggerFactory.getLogger(TcpStats.class);

    /** Why the server closed a connection (a client's own close is not counted here). */
    public enum CloseReason {
        /** Nothing under way for {@code idleTimeout} (RFC 7766 §6.2.3). */
        IDLE("idle"),
        /** The same, for the shorter time of a connection accepted while the server was crowded ({@link TcpLimits#crowdedIdleTimeout}). */
        IDLE_CROWDED("idle_crowded"),
        /** A message begun and not finished within {@code messageTimeout}. */
        MESSAGE_TIMEOUT("message_timeout"),
        /** An answer not taken by the client within {@code writeTimeout}. */
        WRITE_TIMEOUT("write_timeout"),
        /** Something that is not a query (a response, an empty or short message): closed after the answers before it. */
        NOT_A_QUERY("not_a_query"),
        /** The connection failed (reset, broken pipe) or an error reached the listener. */
        ERROR("error");

        private final String label;

        CloseReason(String label) {
            this.label = label;
        }

        /** The metric label. */
        public String label() {
            return label;
        }
    }

    private final LongAdder accepted = new LongAdder();
    private final LongAdder[] refused = adders(Refusal.values().length);
    private final LongAdder[] closed = adders(CloseReason.values().length);
    private final LongAdder readsPaused = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder pendingAnswers = new LongAdder();
    private final LongAdder bufferedBytes = new LongAdder();
    private final LogThrottle[] refusedLog = throttles(Refusal.values().length);
    private final LogThrottle[] closedLog = throttles(CloseReason.values().length);
    private final LogThrottle pausedLog = new LogThrottle();

    void recordAccepted() {
        accepted.increment();
    }

    void recordRefused(Refusal why, InetSocketAddress client, int limit) {
        refused[why.ordinal()].increment();
        long suppressed = refusedLog[why.ordinal()].admit();
        if (suppressed >= 0) {
            LOG.warn("TCP connection from {} refused: {} {}", DnsServer.format(client),
                    why == Refusal.GLOBAL ? limit + " connections open (dns.tcp.maxConnections)"
                            : limit + " connections open from that address (dns.tcp.maxConnectionsPerAddress)",
                    LogThrottle.tail(suppressed));
        }
    }

    void recordClosed(CloseReason why, InetSocketAddress client, String detail) {
        closed[why.ordinal()].increment();
        if (why == CloseReason.IDLE) {
            return;
        }
        long suppressed = closedLog[why.ordinal()].admit();
        if (suppressed < 0) {
            return;
        }
        String line = "TCP connection from {} closed: {} {}";
        Object who = client == null ? "?" : DnsServer.format(client);
        switch (why) {
            case MESSAGE_TIMEOUT, WRITE_TIMEOUT -> LOG.warn(line, who, detail, LogThrottle.tail(suppressed));
            default -> LOG.info(line, who, detail, LogThrottle.tail(suppressed));
        }
    }

    void recordReadsPaused(InetSocketAddress client, int pending) {
        readsPaused.increment();
        long suppressed = pausedLog.admit();
        if (suppressed >= 0) {
            LOG.info("TCP client {} is not taking its answers: its connection is no longer read ({} answers waiting) {}",
                    DnsServer.format(client), pending, LogThrottle.tail(suppressed));
        }
    }

    void recordOpened() {
        open.incrementAndGet();
    }

    void recordReleased() {
        open.decrementAndGet();
    }

    void recordPending(int answers, long bytes) {
        pendingAnswers.add(answers);
        bufferedBytes.add(bytes);
    }

    void recordBuffered(long bytes) {
        bufferedBytes.add(bytes);
    }

    /** Connections accepted (and not refused) since start. */
    public long accepted() {
        return accepted.sum();
    }

    public long refused(Refusal why) {
        return refused[why.ordinal()].sum();
    }

    public long closed(CloseReason why) {
        return closed[why.ordinal()].sum();
    }

    /** Times a connection stopped being read because its client was not taking its answers. */
    public long readsPaused() {
        return readsPaused.sum();
    }

    /** Connections open now (accepted, not yet closed). */
    public int open() {
        return open.get();
    }

    /** Answers made and not yet taken by the kernel, all connections together. */
    public long pendingAnswers() {
        return pendingAnswers.sum();
    }

    /** Bytes the server holds for TCP clients: those answers, plus parts of queries not yet complete. */
    public long bufferedBytes() {
        return bufferedBytes.sum();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] out = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            out[i] = new LongAdder();
        }
        return out;
    }

    private static LogThrottle[] throttles(int n) {
        LogThrottle[] out = new LogThrottle[n];
        for (int i = 0; i < n; i++) {
            out[i] = new LogThrottle();
        }
        return out;
    }
}
