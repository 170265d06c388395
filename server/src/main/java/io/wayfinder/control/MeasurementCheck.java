package io.wayfinder.control;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.net.IpPrefix;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rules a posted measurement must meet before the learner sees it, one sample at a time:
 *
 * <pre>
 *   clientIp       an IPv4 or IPv6 address           -> its /24 (IPv6 /48)
 *   clientNetwork  a prefix with its length, /16-/32 (IPv6 /32-/128); exactly one of the two
 *   region         a region of the catalogue, by name or Azure display name -> its name
 *   rttMs          a number, 0 &lt; rttMs &lt; 10,000
 *   time           ISO-8601 with an offset, or Unix epoch milliseconds; default: now.
 *                  Up to FUTURE_ALLOWANCE ahead of this server's clock is taken as now (clock
 *                  skew between the measuring host and this one); further ahead is rejected.
 * </pre>
 *
 * A sample that breaks a rule is rejected with one {@link Reason} (the metric's label) and, when
 * asked for, a message naming the field; the rest of its batch is unaffected. Thread-safe: one
 * check serves every request thread for one catalogue.
 */
public final class MeasurementCheck {
    /** Round trips at or above this are broken measurements (a timeout recorded as a figure), not latency. */
    public static final double MAX_RTT_MS = 10_000;
    /**
     * How far ahead of this server's clock a sample's time may be and still be taken (as now): the
     * clock skew tolerated between the host that measured and this one. Five minutes, as Kerberos
     * allows; NTP-synchronised hosts are within milliseconds, and a browser's clock is not asked.
     */
    public static final Duration FUTURE_ALLOWANCE = Duration.ofMinutes(5);
    /**
     * Epoch milliseconds below this (2001-09-09) are almost always seconds sent as milliseconds: a
     * time of 1733500000 is read as 1970-01-21. Rejected, with that said.
     */
    static final long SECONDS_NOT_MILLIS = 1_000_000_000_000L;
    /** Networks shorter than these say nothing about any one client's last mile. */
    public static final int MIN_IPV4_LENGTH = 16;
    public static final int MIN_IPV6_LENGTH = 32;
    /** The network a client address stands for: where the learner aggregates. */
    public static final int IPV4_NETWORK = 24;
    public static final int IPV6_NETWORK = 48;

    /** Why a sample was rejected: the label of {@code wayfinder_latency_samples_rejected_total}. */
    public enum Reason {
        /** No address, both forms, or not an address or network. */
        ADDRESS,
        /** Missing, or not a region of the catalogue. */
        REGION,
        /** Missing, not a number, or outside 0-10,000 ms. */
        RTT,
        /** Not a time, or in the future. */
        TIME,
        /** Not an object, a value of the wrong type, an unknown or repeated key. */
        FORMAT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A sample that breaks a rule: why, and (when asked for) in words, naming the field. */
    public static final class Rejected extends Exception {
        private final Reason reason;
        private final String field;

        public Rejected(Reason reason, String field, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.field = field;
        }

        public Reason reason() {
            return reason;
        }

        /** The key the rule is about; null when it is about the sample as a whole. */
        public String field() {
            return field;
        }
    }

    /**
     * One sample's fields as read, before the rules: strings as sent, {@code rttMs} NaN when absent.
     * Reused for every sample of a request (reset between them), so reading allocates no holder.
     */
    public static final class Sample {
        public String clientIp;
        public String clientNetwork;
        public String region;
        public double rttMs = Double.NaN;
        /** The time as text, or null (then {@link #timeMillis}, or now when not {@link #timeGiven}). */
        public String timeText;
        public long timeMillis;
        public boolean timeGiven;

        public void reset() {
            clientIp = null;
            clientNetwork = null;
            region = null;
            rttMs = Double.NaN;
            timeText = null;
            timeMillis = 0;
            timeGiven = false;
        }
    }

    private final RegionCatalogue catalogue;
    /** Spellings seen (exactly as sent) of known regions, to their names: the catalogue folds case and spaces with a regex. */
    private final Map<String, String> spellings = new ConcurrentHashMap<>();

    public MeasurementCheck(RegionCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public RegionCatalogue catalogue() {
        return catalogue;
    }

    /**
     * The measurement a sample stands for.
     *
     * @param nowMillis this server's clock: the default time, and the limit for the future
     * @param source    where it came from ({@code api}, {@code import}), kept with the measurement
     * @param describe  whether the rejection needs its message (building "did you mean" costs; a
     *                  response describes only the first rejections)
     * @throws Rejected with the first rule the sample breaks
     */
    public Measurement measurement(Sample s, long nowMillis, String source, boolean describe) throws Rejected {
        IpPrefix network = network(s, describe);
        String region = region(s.region, describe);
        double rtt = s.rttMs;
        if (Double.isNaN(rtt)) {
            throw new Rejected(Reason.RTT, "rttMs", describe ? "is required: the round-trip time in milliseconds" : null);
        }
        if (!(rtt > 0 && rtt < MAX_RTT_MS)) {
            throw new Rejected(Reason.RTT, "rttMs", describe ? "must be greater than 0 and less than 10000, not "
                    + number(rtt) : null);
        }
        return new Measurement(network, region, rtt, time(s, nowMillis, describe), source);
    }

    private static IpPrefix network(Sample s, boolean describe) throws Rejected {
        if (s.clientIp != null && s.clientNetwork != null) {
            throw new Rejected(Reason.ADDRESS, "clientIp", describe ? "give clientIp or clientNetwork, not both" : null);
        }
        if (s.clientIp != null) {
            return clientIp(s.clientIp, describe);
        }
        if (s.clientNetwork != null) {
            return clientNetwork(s.clientNetwork, describe);
        }
        throw new Rejected(Reason.ADDRESS, "clientIp", describe
                ? "is required: the client's address (clientIp) or network (clientNetwork)" : null);
    }

    private static IpPrefix clientIp(String text, boolean describe) throws Rejected {
        long v4 = ipv4(text);
        if (v4 >= 0) {
            return IpPrefix.ofIpv4((int) v4, IPV4_NETWORK);
        }
        if (text.indexOf('/') >= 0) {
            throw new Rejected(Reason.ADDRESS, "clientIp", describe ? "'" + text + "' is a network: send it as clientNetwork" : null);
        }
        try {
            byte[] bytes = IpPrefix.parseAddress(text);
            return IpPrefix.fromBytes(bytes, bytes.length == 4 ? IPV4_NETWORK : IPV6_NETWORK);
        } catch (IllegalArgumentException e) {
            throw new Rejected(Reason.ADDRESS, "clientIp", describe ? "'" + text + "' is not an IPv4 or IPv6 address" : null);
        }
    }

    private static IpPrefix clientNetwork(String text, boolean describe) throws Rejected {
        if (text.indexOf('/') < 0) {
            throw new Rejected(Reason.ADDRESS, "clientNetwork", describe ? "'" + text
                    + "' has no prefix length: send an address as clientIp, or write the network as 192.0.2.0/24" : null);
        }
        IpPrefix p;
        try {
            p = IpPrefix.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Rejected(Reason.ADDRESS, "clientNetwork", describe ? e.getMessage() : null);
        }
        int min = p.ipv6() ? MIN_IPV6_LENGTH : MIN_IPV4_LENGTH;
        if (p.length() < min) {
            throw new Rejected(Reason.ADDRESS, "clientNetwork", describe ? "'" + text + "' is shorter than /" + min
                    + ": a measurement describes a client's network, at most a /" + min : null);
        }
        return p;
    }

    /** A dotted-quad IPv4 address as an unsigned value, or -1: the common case, without the general parser's arrays. */
    static long ipv4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long address = 0;
        int part = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits > 0 && value == 0) {
                    return -1; // a leading zero: octal in some parsers, so refused as the general parser does
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return -1;
                }
            } else if (c == '.' && digits > 0 && part < 3) {
                address = address << 8 | value;
                part++;
                digits = 0;
                value = 0;
            } else {
                return -1;
            }
        }
        if (part != 3 || digits == 0) {
            return -1;
        }
        return address << 8 | value;
    }

    private String region(String text, boolean describe) throws Rejected {
        if (text == null) {
            throw new Rejected(Reason.REGION, "region", describe ? "is required: a region of the catalogue (wayfinder regions)" : null);
        }
        String name = spellings.get(text);
        if (name != null) {
            return name;
        }
        Region r = catalogue.find(text).orElse(null);
        if (r == null) {
            throw new Rejected(Reason.REGION, "region", describe ? "unknown region '" + text + "'"
                    + catalogue.suggest(text).map(s -> " (did you mean '" + s + "'?)").orElse("")
                    + "; the regions are listed by wayfinder regions" : null);
        }
        if (spellings.size() < 4 * catalogue.size() + 64) { // bounded: only spellings that name a region are kept
            spellings.put(text, r.name());
        }
        return r.name();
    }

    private static long time(Sample s, long nowMillis, boolean describe) throws Rejected {
        if (!s.timeGiven) {
            return nowMillis;
        }
        long t;
        if (s.timeText != null) {
            try {
                t = utcMillis(s.timeText);
                if (t == Long.MIN_VALUE) {
                    t = OffsetDateTime.parse(s.timeText).toInstant().toEpochMilli();
                }
            } catch (DateTimeParseException e) {
                throw new Rejected(Reason.TIME, "time", describe ? "'" + s.timeText
                        + "' is not an ISO-8601 time with an offset (2026-12-06T14:00:00Z) nor epoch milliseconds" : null);
            }
        } else {
            t = s.timeMillis;
            if (t < SECONDS_NOT_MILLIS) {
                throw new Rejected(Reason.TIME, "time", describe ? t + " is " + Instant.ofEpochMilli(t)
                        + " as epoch milliseconds: was it sent in seconds? (send milliseconds, or an ISO-8601 time)" : null);
            }
        }
        if (t > nowMillis + FUTURE_ALLOWANCE.toMillis()) {
            throw new Rejected(Reason.TIME, "time", describe ? Instant.ofEpochMilli(t) + " is in the future (this server's"
                    + " clock says " + Instant.ofEpochMilli(nowMillis) + "; up to " + FUTURE_ALLOWANCE.toMinutes()
                    + " minutes ahead is taken as now)" : null);
        }
        return Math.min(t, nowMillis);
    }

    /**
     * {@code 2026-12-06T14:00:00Z} or {@code 2026-12-06T14:00:00.123Z} (what {@code Instant.toString}
     * and most clients write) in epoch milliseconds, or {@link Long#MIN_VALUE} for any other form,
     * which the general parser then reads. The general parser takes about 2 µs a time, as long as
     * the rest of a sample's checks together; this takes a tenth of that.
     */
    static long utcMillis(String t) {
        int n = t.length();
        if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int millis = 0;
        if (n > 20) {
            if (t.charAt(19) != '.' || n == 21) {
                return Long.MIN_VALUE;
            }
            int fraction = n - 21;
            for (int i = 0; i < fraction; i++) {
                int d = t.charAt(20 + i) - '0';
                if (d < 0 || d > 9) {
                    return Long.MIN_VALUE;
                }
                if (i < 3) {
                    millis = millis * 10 + d;
                }
            }
            for (int i = fraction; i < 3; i++) {
                millis *= 10;
            }
        } else if (t.charAt(19) != 'Z') {
            return Long.MIN_VALUE;
        }
        if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month)
                .lengthOfMonth() || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE; // including the -1 of a non-digit: the general parser says what is wrong
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /** {@code count} decimal digits from {@code at}, or -1 when one is not a digit. */
    private static int digits(String t, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            int d = t.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
