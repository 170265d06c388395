package io.wayfinder.api;

import io.wayfinder.net.ConnectionSlots.Refusal;
import io.wayfinder.time.LogThrottle;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer of the API (4xx and 5xx) and every connection it refused: counted for the
 * metrics, and logged at most once every 10 s per status (per refusal reason) with the number left
 * out, so that a flood of bad requests costs a counter each, not a log line each. Thread-safe.
 *
 * <p>Answers are counted by status and route, the route being the path pattern that matched (never
 * the path itself: the client chooses it, and one series per path would let it grow the registry
 * without bound); the statuses are the few this server sends.
 */
final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    /** The route of a request no route matches (404), or that never reached the router. */
    static final String NO_ROUTE = "none";
    /** The longest client-chosen text (a path, a message quoting it) a log line repeats. */
    static final int QUOTED_CHARS = 200;

    /** One series of the error answers. */
    record Series(int status, String route) {
    }

    private final LongSupplier nanos;
    private final Map<Series, LongAdder> answers = new ConcurrentHashMap<>();
    private final Map<Integer, LogThrottle> answerLogs = new ConcurrentHashMap<>();
    private final LongAdder[] refused = new LongAdder[Refusal.values().length];
    private final LogThrottle[] refusedLogs = new LogThrottle[Refusal.values().length];

    /** @param nanos a monotonic clock for the log's throttle (System::nanoTime) */
    ApiErrors(LongSupplier nanos) {
        this.nanos = nanos;
        for (Refusal why : Refusal.values()) {
            refused[why.ordinal()] = new LongAdder();
            refusedLogs[why.ordinal()] = new LogThrottle(nanos);
        }
    }

    /**
     * The API answered {@code status} (400 or more).
     *
     * @param route   the route's path pattern, or {@link #NO_ROUTE}
     * @param request what was asked, as a log line says it ({@code PUT /api/v1/profiles/web}); quoted here
     * @param message what the answer said, or null
     */
    void answered(int status, String route, String request, String peer, String message) {
        counted(status, route);
        long suppressed = answerLogs.computeIfAbsent(status, s -> new LogThrottle(nanos)).admit();
        if (suppressed < 0) {
            return;
        }
        String line = "API answered {} to {} from {}: {} {}";
        Object[] args = {status, quoted(request), peer, message == null ? "(no message)" : quoted(message),
            LogThrottle.tail(suppressed)};
        if (status >= 500) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
    }

    /**
     * The API answered {@code status} for a failure already logged where it happened, with its
     * stack trace ({@link FailedRequests}): counted, not logged a second time.
     */
    void counted(int status, String route) {
        answers.computeIfAbsent(new Series(status, route), s -> new LongAdder()).increment();
    }

    /** A connection from {@code peer} was closed as soon as accepted: {@code limit} were open. */
    void refused(Refusal why, String peer, int limit) {
        refused[why.ordinal()].increment();
        long suppressed = refusedLogs[why.ordinal()].admit();
        if (suppressed >= 0) {
            LOG.warn("API connection from {} refused: {} {}", peer, why == Refusal.GLOBAL
                    ? limit + " connections open, all clients together"
                    : limit + " connections open from that address (IPv6: its /64)", LogThrottle.tail(suppressed));
        }
    }

    /** Every series answered so far, with its count. */
    Map<Series, Long> answers() {
        Map<Series, Long> out = new TreeMap<>(Comparator.comparingInt(Series::status).thenComparing(Series::route));
        answers.forEach((series, n) -> out.put(series, n.sum()));
        return out;
    }

    /** Connections refused for this reason since start. */
    long refused(Refusal why) {
        return refused[why.ordinal()].sum();
    }

    /** Client-chosen text as a log line may quote it: one line (no control characters), at most {@value #QUOTED_CHARS} characters. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), QUOTED_CHARS + 3));
        for (int i = 0; i < text.length() && i < QUOTED_CHARS; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        if (text.length() > QUOTED_CHARS) {
            out.append("...");
        }
        return out.toString();
    }
}
