package io.wayfinder.dns.ratelimit;

import io.netty.buffer.ByteBuf;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.time.LogThrottle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Response-rate limiting for UDP: decides, for each response the server is about to send, whether
 * it goes out ({@link #PASS}), goes out as an empty truncated response ({@link #SLIP}: a real client
 * retries over TCP, which cannot be spoofed) or is dropped ({@link #DROP}). Responses are counted
 * per client network ({@code ipv4PrefixLength}, {@code ipv6PrefixLength}), {@link ResponseKind} and
 * name, in one-second windows: the first {@code responsesPerSecond} of a second pass, and of the
 * rest the 1st, (1 + slip)th, (1 + 2 slip)th ... slip and the others are dropped, so exactly one
 * in {@code slip} is answered. TCP responses are never limited. Shared by every event loop.
 *
 * <h2>Design note: the table</h2>
 * A fixed array of {@value #SETS} sets of {@value #WAYS} entries, one {@code long} each (2 MiB),
 * allocated once: memory does not grow with the number of sources, however many a flood forges.
 * A response's key (network, kind, name; mixed with a random per-process seed, so nobody can aim
 * collisions) picks a set with its low bits; its top 24 bits are the entry's fingerprint. An entry
 * packs, from the top:
 * <pre>
 *   fingerprint:24 | limitedLastSecond:1 | second:15 | count:24
 * </pre>
 * and is updated with one compare-and-set: no lock, no allocation. A key with no entry takes the
 * set's empty entry, else one last used in an earlier second (its count no longer matters), else
 * the one with the lowest count this second. So a flood of forged one-off sources only replaces
 * other one-offs, and cannot evict the busy entry of the network it tries to reflect at (NSD's
 * direct-mapped table lets any collision reset a count). A fingerprint shared by two keys in one
 * set (1 in 2^24 per pair) merges their counts: harmless. The second is kept modulo 2^15 (9 hours),
 * and a count saturates at 2^24 - 1, far above {@link #MAX_RESPONSES_PER_SECOND}.
 *
 * <p>Why a plain one-second window rather than NSD's smoothed rate (r = r/2 + count): limiting is
 * decided within the current second alone, so an entry from an earlier second is free to reuse,
 * which is what keeps the table's replacement rule simple; a client bursting across a second
 * boundary may get up to twice the limit in a short while, which does not help an attacker, whose
 * flood lasts for many seconds.
 *
 * <p>{@code limitedLastSecond} tells "limiting started" from "limiting goes on", so that a network
 * under a sustained flood is logged once, not every second (and the log itself is throttled).
 */
public final class ResponseRateLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseRateLimiter.class);

    /** Send the response. */
    public static final int PASS = 0;
    /** Send an empty response with TC instead. */
    public static final int SLIP = 1;
    /** Send nothing. */
    public static final int DROP = 2;
    /** The largest limit accepted: far beyond what one network should be sent, far below a count's capacity. */
    public static final int MAX_RESPONSES_PER_SECOND = 1_000_000;

    /** Sets in the table: with 4 ways, 262,144 entries, room for Knot's advice (1.4 x qps / limit) at 37 M qps. */
    static final int SETS = 1 << 16;
    static final int WAYS = 4;
    /** A verdict bit from {@link #admit}: this response is the first over the limit for its key, which was not limited a second ago. */
    static final int STARTED = 4;

    private static final int FINGERPRINT_SHIFT = 40;
    private static final long LIMITED_LAST_SECOND = 1L << 39;
    private static final int SECOND_SHIFT = 24;
    private static final int SECOND_MASK = 0x7FFF;
    private static final int COUNT_MASK = 0xFF_FFFF;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long LOG_INTERVAL_NANOS = 5 * NANOS_PER_SECOND;
    private static final long IPV6_TAG = 0x6A09E667F3BCC909L;

    private final AtomicLongArray table = new AtomicLongArray(SETS * WAYS);
    private final LongSupplier nanoClock;
    private final long seed;
    private volatile ResponseRateSettings settings;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder slipped = new LongAdder();
    private final LongAdder starts = new LongAdder();
    /** A line when limiting starts, at most every 5 s: a flood from forged addresses starts it for many networks. */
    private final LogThrottle startLog;

    public ResponseRateLimiter(ResponseRateSettings settings) {
        this(settings, System::nanoTime, ThreadLocalRandom.current().nextLong());
    }

    /** With a clock of nanoseconds (as {@link System#nanoTime}) and a fixed hash seed, for tests. */
    ResponseRateLimiter(ResponseRateSettings settings, LongSupplier nanoClock, long seed) {
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.seed = seed;
        this.startLog = new LogThrottle(LOG_INTERVAL_NANOS, nanoClock);
    }

    /** Applies new settings from the next response on (a configuration reload); counts are kept. */
    public void update(ResponseRateSettings next) {
        ResponseRateSettings before = settings;
        if (!next.equals(before)) {
            settings = next;
            LOG.info("response-rate limit: {}", describe(next));
        }
    }

    public ResponseRateSettings settings() {
        return settings;
    }

    /**
     * Decides about the response just written for {@code query}.
     *
     * @param decodeStatus what the decoder said of the query (errors are counted as {@link ResponseKind#ERROR})
     * @param response     the response, from {@code start} to its writer index
     * @return {@link #PASS}, {@link #SLIP} or {@link #DROP}; always PASS over TCP and when limiting is off
     */
    public int check(DnsQuery query, int decodeStatus, ByteBuf response, int start) {
        ResponseRateSettings s = settings;
        if (s.responsesPerSecond() == 0 || query.overTcp()) {
            return PASS;
        }
        ResponseKind kind = ResponseClassifier.kind(decodeStatus, response, start);
        long name = ResponseClassifier.nameHash(kind, query, response, start);
        byte[] address = query.senderAddress();
        int verdict = admit(s, network(address, s), kind, name);
        if ((verdict & STARTED) != 0) {
            logStart(s, address, kind, query);
            verdict &= ~STARTED;
        }
        return verdict;
    }

    /** The same decision for an address and an already classified response (tests and benchmarks). */
    int check(byte[] address, ResponseKind kind, long nameHash) {
        ResponseRateSettings s = settings;
        if (s.responsesPerSecond() == 0) {
            return PASS;
        }
        int verdict = admit(s, network(address, s), kind, nameHash);
        if ((verdict & STARTED) != 0) {
            logStart(s, address, kind, null);
        }
        return verdict & ~STARTED;
    }

    /** Counts one response for the key and returns the verdict, with {@link #STARTED} when limiting starts. */
    private int admit(ResponseRateSettings s, long network, ResponseKind kind, long nameHash) {
        long key = mix(mix(network ^ seed) ^ (nameHash * 0x9E3779B97F4A7C15L) ^ (kind.ordinal() + 1L));
        int base = (int) (key & (SETS - 1)) * WAYS;
        long fingerprint = key >>> FINGERPRINT_SHIFT;
        int second = (int) (Math.floorDiv(nanoClock.getAsLong(), NANOS_PER_SECOND) & SECOND_MASK);
        int limit = s.responsesPerSecond();
        while (true) {
            int victim = -1;
            long victimEntry = 0;
            long victimScore = Long.MAX_VALUE;
            boolean raced = false;
            for (int i = base; i < base + WAYS; i++) {
                long e = table.get(i);
                if (e != 0 && (e >>> FINGERPRINT_SHIFT) == fingerprint) {
                    long next = counted(e, second, limit);
                    if (table.compareAndSet(i, e, next)) {
                        return verdict(next, s);
                    }
                    raced = true;
                    break;
                }
                // Empty first, then entries of an earlier second, then the lowest count of this second.
                long score = e == 0 ? -1 : secondOf(e) != second ? 0 : countOf(e);
                if (score < victimScore) {
                    victim = i;
                    victimEntry = e;
                    victimScore = score;
                }
            }
            if (!raced) {
                long fresh = (fingerprint << FINGERPRINT_SHIFT) | ((long) second << SECOND_SHIFT) | 1;
                if (table.compareAndSet(victim, victimEntry, fresh)) {
                    return verdict(fresh, s);
                }
            }
        }
    }

    /** The entry after one more response in {@code second}: counted on, or a new window. */
    private static long counted(long e, int second, int limit) {
        if (secondOf(e) == second) {
            return countOf(e) == COUNT_MASK ? e : e + 1;
        }
        boolean limitedJustBefore = secondOf(e) == ((second - 1) & SECOND_MASK) && countOf(e) > limit;
        return (e & ~((1L << FINGERPRINT_SHIFT) - 1))
                | (limitedJustBefore ? LIMITED_LAST_SECOND : 0)
                | ((long) second << SECOND_SHIFT) | 1;
    }

    private int verdict(long e, ResponseRateSettings s) {
        int count = countOf(e);
        int limit = s.responsesPerSecond();
        if (count <= limit) {
            return PASS;
        }
        int over = count - limit; // 1 for the first response over the limit this second
        int started = over == 1 && (e & LIMITED_LAST_SECOND) == 0 ? STARTED : 0;
        if (s.slip() > 0 && (over - 1) % s.slip() == 0) {
            slipped.increment();
            return SLIP | started;
        }
        dropped.increment();
        return DROP | started;
    }

    private static int secondOf(long e) {
        return (int) (e >>> SECOND_SHIFT) & SECOND_MASK;
    }

    private static int countOf(long e) {
        return (int) e & COUNT_MASK;
    }

    /** The client network as a number: the address with the bits past the prefix length cleared. */
    private static long network(byte[] a, ResponseRateSettings s) {
        if (a.length == 4) {
            return readInt(a, 0) & 0xFFFF_FFFFL & (-1L << (32 - s.ipv4PrefixLength()));
        }
        int length = s.ipv6PrefixLength();
        long high = readLong(a, 0) & (length >= 64 ? -1L : -1L << (64 - length));
        long low = length <= 64 ? 0 : readLong(a, 8) & (length == 128 ? -1L : -1L << (128 - length));
        return mix(high ^ IPV6_TAG) + low;
    }

    /** A 64-bit finaliser (the one of SplitMix64): every input bit flips about half the output bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int readInt(byte[] a, int at) {
        return ((a[at] & 0xFF) << 24) | ((a[at + 1] & 0xFF) << 16) | ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
    }

    private static long readLong(byte[] a, int at) {
        return ((long) readInt(a, at) << 32) | (readInt(a, at + 4) & 0xFFFF_FFFFL);
    }

    /** One line when limiting starts for a network and kind; at most one every 5 s, the rest counted into the next. */
    private void logStart(ResponseRateSettings s, byte[] address, ResponseKind kind, DnsQuery query) {
        starts.increment();
        long others = startLog.admit();
        if (others < 0) {
            return;
        }
        String example = query == null || kind == ResponseKind.ERROR ? ""
                : " (such as " + query.nameText() + " type " + query.qtype() + ")";
        LOG.warn("response-rate limit: {} is being sent more than {} {} responses a second{}; {}{}",
                networkText(address, s), s.responsesPerSecond(), kind.name(), example,
                s.slip() == 0 ? "the rest are dropped" : s.slip() == 1 ? "the rest are sent as empty TC responses"
                        : "1 in " + s.slip() + " of the rest is sent as an empty TC response, the others dropped",
                others == 0 ? "" : "; limiting also started for " + others + " other network(s) or kind(s) since the last such line");
    }

    private static String networkText(byte[] address, ResponseRateSettings s) {
        int length = address.length == 4 ? s.ipv4PrefixLength() : s.ipv6PrefixLength();
        byte[] masked = address.clone();
        for (int bit = length; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(masked).getHostAddress() + "/" + length;
        } catch (UnknownHostException e) {
            return "?/" + length; // cannot happen: 4 or 16 bytes
        }
    }

    /** The settings in words, for logs. */
    public static String describe(ResponseRateSettings s) {
        if (!s.enabled()) {
            return "off";
        }
        return s.responsesPerSecond() + " responses a second per client network (IPv4 /" + s.ipv4PrefixLength()
                + ", IPv6 /" + s.ipv6PrefixLength() + ") and kind, slip " + s.slip();
    }

    /** UDP responses dropped by the limit. */
    public long dropped() {
        return dropped.sum();
    }

    /** UDP responses replaced by an empty TC response. */
    public long slipped() {
        return slipped.sum();
    }

    /** Times limiting started for a network and kind (each is a log line, or counted into the next one). */
    public long starts() {
        return starts.sum();
    }

    /** Entries in the table: fixed at construction. */
    int capacity() {
        return table.length();
    }
}
