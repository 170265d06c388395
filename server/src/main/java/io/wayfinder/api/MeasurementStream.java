package io.wayfinder.api;

import io.wayfinder.control.MeasurementCheck;
import io.wayfinder.control.MeasurementCheck.Reason;
import io.wayfinder.latency.learn.Measurement;
import io.wayfinder.text.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a body of measurements as it arrives, with Jackson's streaming parser: one token at a
 * time, one reused {@link MeasurementCheck.Sample} holder, no tree. A JSON array
 * ({@code application/json}) or JSON lines ({@code application/x-ndjson}: one object per line, or
 * any white space between objects).
 *
 * <p>What refuses the whole request (nothing of it is learned): a body over {@value #MAX_BYTES}
 * bytes or over {@value #MAX_SAMPLES} samples (413), and text that is not JSON (400, with line and
 * column). What rejects one sample only: everything {@link MeasurementCheck} checks, and a sample
 * that is not an object, has a value of the wrong type, or an unknown or repeated key. The first
 * {@value #DESCRIBED} rejections are described with their index (and line, for JSON lines).
 *
 * <p>Samples are kept until the body has been read whole and handed to the learner together, so
 * that a 413 or a syntax error halfway leaves nothing half-learned.
 */
final class MeasurementStream {
    /** Samples one request may carry: a batch the learner takes in one call, and a bounded list of them in memory. */
    static final int MAX_SAMPLES = 100_000;
    /**
     * Bytes one request may carry: 100,000 samples with IPv6 addresses, display names and ISO
     * times are under 16 MiB, so this leaves room for formatting without letting a body of blanks
     * or one huge string hold a thread.
     */
    static final long MAX_BYTES = 32L * 1024 * 1024;
    /** Rejections a response describes one by one; the rest are counted by reason. */
    static final int DESCRIBED = 100;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> KEYS = List.of("clientIp", "clientNetwork", "region", "rttMs", "time");

    /** A rejected sample, as the response describes it. */
    record Rejection(int index, Integer line, String reason, String field, String message) {
    }

    /** What a body held: the measurements that passed, and what was rejected. */
    record Batch(List<Measurement> accepted, long[] rejectedByReason, List<Rejection> rejections) {
        long rejected() {
            long n = 0;
            for (long r : rejectedByReason) {
                n += r;
            }
            return n;
        }
    }

    private MeasurementStream() {
    }

    /**
     * @param lines     JSON lines rather than one array
     * @param nowMillis this server's clock, for times left out and the limit on the future
     * @throws ApiException 413 (too many samples or bytes), 400 (not JSON, or not an array)
     */
    static Batch read(InputStream body, boolean lines, MeasurementCheck check, long nowMillis, String source) {
        LimitedInput in = new LimitedInput(body, MAX_BYTES);
        List<Measurement> accepted = new ArrayList<>();
        long[] rejected = new long[Reason.values().length];
        List<Rejection> described = new ArrayList<>();
        MeasurementCheck.Sample sample = new MeasurementCheck.Sample();
        try (JsonParser p = JSON.createParser(in)) {
            JsonToken t = p.nextToken();
            if (!lines) {
                if (t != JsonToken.START_ARRAY) {
                    throw new ApiException(400, "the body must be a JSON array of measurements"
                            + " (or JSON lines, sent as application/x-ndjson)");
                }
                t = p.nextToken();
            }
            int index = 0;
            while (t != null && t != JsonToken.END_ARRAY) {
                if (index == MAX_SAMPLES) {
                    throw tooMany(in);
                }
                boolean describe = described.size() < DESCRIBED;
                Integer line = lines ? (int) p.currentTokenLocation().getLineNr() : null;
                try {
                    accepted.add(check.measurement(read(p, t, sample, describe), nowMillis, source, describe));
                } catch (MeasurementCheck.Rejected r) {
                    rejected[r.reason().ordinal()]++;
                    if (describe) {
                        described.add(new Rejection(index, line, r.reason().label(), r.field(), r.getMessage()));
                    }
                }
                index++;
                t = p.nextToken();
            }
            if (!lines && (t == null || p.nextToken() != null)) {
                throw new ApiException(400, t == null ? "the JSON array is not closed: the body ends inside it"
                        : "the body goes on after the JSON array; send one array (or JSON lines, as application/x-ndjson)");
            }
        } catch (StreamReadException e) {
            if (in.over()) {
                throw tooLarge(in);
            }
            throw new ApiException(400, "the body is not " + (lines ? "JSON lines" : "JSON") + ": " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (JacksonException e) {
            if (in.over()) {
                throw tooLarge(in);
            }
            throw RequestBodies.unreadable(e);
        }
        return new Batch(accepted, rejected, described);
    }

    /**
     * One sample's fields into the holder, the parser left on its closing token.
     *
     * @throws MeasurementCheck.Rejected when it is not an object, or a key is unknown, repeated or
     *                                   of the wrong type (the rest of the value is skipped)
     */
    private static MeasurementCheck.Sample read(JsonParser p, JsonToken start, MeasurementCheck.Sample s, boolean describe)
            throws MeasurementCheck.Rejected {
        s.reset();
        if (start != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new MeasurementCheck.Rejected(Reason.FORMAT, null, describe ? "a measurement is an object"
                    + " {\"clientIp\", \"region\", \"rttMs\", \"time\"}, not " + describe(start) : null);
        }
        MeasurementCheck.Rejected first = null;
        int seen = 0;
        for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            int bit = switch (key) {
                case "clientIp" -> 1;
                case "clientNetwork" -> 2;
                case "region" -> 4;
                case "rttMs" -> 8;
                case "time" -> 16;
                default -> 0;
            };
            if (first != null || bit == 0 || (seen & bit) != 0 || v == JsonToken.VALUE_NULL) {
                if (first == null && bit == 0) {
                    first = new MeasurementCheck.Rejected(Reason.FORMAT, key, describe ? "unknown key '" + key + "'"
                            + Suggestions.didYouMean(key, KEYS) + "; the keys are " + String.join(", ", KEYS) : null);
                } else if (first == null && (seen & bit) != 0) {
                    first = new MeasurementCheck.Rejected(Reason.FORMAT, key, describe ? "is given twice" : null);
                }
                seen |= bit;
                p.skipChildren();
                continue;
            }
            seen |= bit;
            first = value(p, key, v, s, describe);
        }
        if (first != null) {
            throw first;
        }
        return s;
    }

    /** One value into the holder; a rejection when it has the wrong type (its value skipped). */
    private static MeasurementCheck.Rejected value(JsonParser p, String key, JsonToken v, MeasurementCheck.Sample s,
                                                   boolean describe) {
        switch (key) {
            case "clientIp", "clientNetwork", "region" -> {
                if (v != JsonToken.VALUE_STRING) {
                    p.skipChildren();
                    return wrongType(key.equals("region") ? Reason.REGION : Reason.ADDRESS, key, "a string", v, describe);
                }
                String text = p.getString();
                switch (key) {
                    case "clientIp" -> s.clientIp = text;
                    case "clientNetwork" -> s.clientNetwork = text;
                    default -> s.region = text;
                }
                return null;
            }
            case "rttMs" -> {
                if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                    p.skipChildren();
                    return wrongType(Reason.RTT, key, "a number of milliseconds", v, describe);
                }
                s.rttMs = p.getDoubleValue();
                return null;
            }
            default -> { // time
                s.timeGiven = true;
                if (v == JsonToken.VALUE_STRING) {
                    s.timeText = p.getString();
                    return null;
                }
                if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    s.timeMillis = p.getLongValue();
                    return null;
                }
                p.skipChildren();
                return wrongType(Reason.TIME, key, "an ISO-8601 time or whole epoch milliseconds", v, describe);
            }
        }
    }

    private static MeasurementCheck.Rejected wrongType(Reason reason, String key, String wanted, JsonToken got, boolean describe) {
        return new MeasurementCheck.Rejected(reason, key, describe ? "must be " + wanted + ", not " + describe(got) : null);
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.name();
        };
    }

    private static ApiException tooMany(LimitedInput in) {
        in.drain();
        return new ApiException(413, "more than " + MAX_SAMPLES + " measurements in one request; send at most "
                + MAX_SAMPLES + " a request (bin/wayfinder latency import batches a file)", List.of(),
                Map.of("Connection", "close"));
    }

    static ApiException tooLarge(LimitedInput in) {
        in.drain();
        return new ApiException(413, "the body is larger than " + MAX_BYTES + " bytes (" + (MAX_BYTES >> 20) + " MiB)",
                List.of(), Map.of("Connection", "close"));
    }

    /**
     * The body, counted as it arrives: past the limit a read fails (Jackson then reports it, and
     * {@link #over} says why). Whatever Content-Length says.
     */
    static final class LimitedInput extends InputStream {
        private final InputStream in;
        private final long limit;
        private long read;
        private boolean over;

        LimitedInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        boolean over() {
            return over;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                read += n;
                if (read > limit) {
                    over = true;
                    throw new IOException("the body is larger than " + limit + " bytes");
                }
            }
            return n;
        }

        /**
         * Reads and drops what the client is still sending, up to the limit again, so that it gets
         * the 413 rather than a reset; beyond that the connection is closed.
         */
        void drain() {
            RequestBodies.drain(in, limit);
        }

        @Override
        public void close() {
            // the request's stream belongs to the server
        }
    }
}
