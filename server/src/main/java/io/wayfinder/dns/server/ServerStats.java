package io.wayfinder.dns.server;

import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.time.LogThrottle;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters of what the server did, cheap to bump from every event loop; and the rate-limited error log. */
public final class ServerStats {
    private static final Logger LOG = LoggerFactory.getLogger(ServerStats.class);

    private final LongAdder[] byRcode = new LongAdder[24];
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder listenerErrors = new LongAdder();
    private final LogThrottle listenerErrorLog = new LogThrottle();
    private final LogThrottle failureLog = new LogThrottle();

    public ServerStats() {
        for (int i = 0; i < byRcode.length; i++) {
            byRcode[i] = new LongAdder();
        }
    }

    void recordAnswer(int rcode) {
        byRcode[Math.min(rcode, byRcode.length - 1)].increment();
    }

    /** {@code count} answers with this rcode at once (a batch's, {@link AnswerTally}). */
    void recordAnswers(int rcode, int count) {
        byRcode[Math.min(rcode, byRcode.length - 1)].add(count);
    }

    void recordDrop() {
        dropped.increment();
    }

    void recordFailure(RuntimeException e, DnsQuery query) {
        failures.increment(); // the SERVFAIL itself is counted by recordAnswer, if it is sent
        long suppressed = failureLog.admit();
        if (suppressed >= 0) {
            LOG.error("answering {} type {} failed (SERVFAIL sent) {}", query.nameText(), query.qtype(),
                    LogThrottle.tail(suppressed), e);
        }
    }

    /**
     * Something other than a client's broken connection reached a listener (a bug, or an Error such
     * as OutOfMemoryError): counted, and logged with its stack trace at most every 10 s. The event
     * loop carries on.
     */
    void recordListenerError(Throwable t, String where) {
        listenerErrors.increment();
        long suppressed = listenerErrorLog.admit();
        if (suppressed >= 0) {
            LOG.error("error in a DNS listener ({}): {} {}", where, t, LogThrottle.tail(suppressed), t);
        }
    }

    /**
     * A system call of a listener that failed (the FFM transport's recvmmsg or sendmmsg), which its
     * caller logs with the errno at most every 10 s: counted with {@link #listenerErrors()}.
     */
    void recordSocketError() {
        listenerErrors.increment();
    }

    /**
     * Exceptions and errors that reached a listener, and failed system calls of the FFM transport
     * (not the SERVFAILs of {@link #failures()}).
     */
    public long listenerErrors() {
        return listenerErrors.sum();
    }

    public long responses(int rcode) {
        return byRcode[rcode].sum();
    }

    /** Responses sent, of every rcode. */
    public long responses() {
        long total = 0;
        for (LongAdder count : byRcode) {
            total += count.sum();
        }
        return total;
    }

    public long dropped() {
        return dropped.sum();
    }

    /** Queries that hit a bug while being answered (each got SERVFAIL). */
    public long failures() {
        return failures.sum();
    }
}
