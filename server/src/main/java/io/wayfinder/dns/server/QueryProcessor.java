package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wayfinder.dns.ratelimit.ResponseRateLimiter;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.ResponseWriter;
import java.net.InetSocketAddress;

/**
 * Turns one request into one response, whatever the request holds. The failure contract, written
 * once: a packet too short for a header, or a response, is dropped; malformed → FORMERR; another
 * opcode → NOTIMP; a bug while answering → SERVFAIL, a counter and a rate-limited log. Nothing
 * escapes to the event loop. Then, over UDP, the response-rate limit may replace the response with
 * an empty TC one or drop it. One per channel (not thread-safe).
 */
final class QueryProcessor {
    private static final int AA = 0x0400;

    /** The query {@link #process} decodes into; the batch path brings its own, one per slot. */
    private final DnsQuery query = new DnsQuery();
    private final ResponseWriter writer = new ResponseWriter();
    private final Responder responder;
    private final ServerStats stats;
    /** Shared by every UDP processor; null for TCP, which is never limited. */
    private final ResponseRateLimiter limiter;
    /** The batch path's answers, counted until {@link #flushAnswers}. */
    private final AnswerTally tally;

    QueryProcessor(Responder responder, ServerStats stats, ResponseRateLimiter limiter) {
        this.responder = responder;
        this.stats = stats;
        this.limiter = limiter;
        this.tally = new AnswerTally(stats);
    }

    /**
     * @param prefix bytes to reserve before the message (2 for TCP's length field, 0 for UDP)
     * @return the response (the caller owns it), or null when the packet is dropped
     */
    ByteBuf process(ByteBuf packet, InetSocketAddress sender, boolean tcp, ByteBufAllocator allocator, int prefix) {
        int status = QueryDecoder.decode(packet, sender, tcp, query);
        if (status == QueryDecoder.DROP) {
            stats.recordDrop();
            return null;
        }
        ByteBuf out = allocator.ioBuffer(tcp ? 1024 : 512);
        out.writerIndex(prefix);
        if (!respond(query, status, tcp, out, prefix, false)) {
            out.release();
            return null;
        }
        return out;
    }

    /*
     * The same work in three steps, for a UDP transport that owns its buffers and answers a batch
     * of datagrams at a time (the FFM path on Java 22+, through QueryBatch): decode each into a
     * query of its own, prefetch each, then respond to each. Nothing is allocated.
     */

    /**
     * Decodes a datagram whose sender the transport wrote into {@code query} first
     * ({@link DnsQuery#rawSender}); a dropped one is counted here.
     *
     * @return {@link QueryDecoder}'s status; {@link QueryDecoder#DROP}: nothing to answer
     */
    int decodeUdp(ByteBuf packet, DnsQuery query) {
        int status = QueryDecoder.decode(packet, null, false, query);
        if (status == QueryDecoder.DROP) {
            stats.recordDrop();
        }
        return status;
    }

    /**
     * Reads ahead for {@code queries[0 .. count - 1]}, each one {@link #decodeUdp} gave
     * {@link QueryDecoder#OK} ({@link Responder#prefetch}); changes nothing.
     */
    void prefetch(DnsQuery[] queries, int count) {
        responder.prefetch(queries, count);
    }

    /**
     * Answers a query {@link #decodeUdp} did not drop into {@code out}, cleared first.
     *
     * Its answer is counted in the stats at the next {@link #flushAnswers}.
     *
     * @return whether {@code out} holds a response to send (false: the rate limit drops it)
     */
    boolean respondUdp(DnsQuery query, int status, ByteBuf out) {
        out.clear();
        return respond(query, status, false, out, 0, true);
    }

    /** Adds the answers {@link #respondUdp} made since the last call to the stats: once a batch, before it is sent. */
    void flushAnswers() {
        tally.flush();
    }

    /**
     * Writes the response to the decoded query after {@code prefix}; false when the rate limit drops it.
     *
     * @param tallied counted in {@link #tally} (the batch path), not in the stats at once
     */
    private boolean respond(DnsQuery query, int status, boolean tcp, ByteBuf out, int prefix, boolean tallied) {
        int rcode;
        if (status != QueryDecoder.OK) {
            writer.error(out, query, status);
            rcode = status;
        } else {
            try {
                responder.respond(query, writer, out);
                rcode = out.getUnsignedByte(prefix + 3) & 0xF;
            } catch (RuntimeException e) {
                out.writerIndex(prefix);
                writer.error(out, query, Rcode.SERVFAIL);
                rcode = Rcode.SERVFAIL;
                stats.recordFailure(e, query);
            }
        }
        if (limiter != null && !tcp) {
            int verdict = limiter.check(query, status, out, prefix);
            if (verdict == ResponseRateLimiter.DROP) {
                return false;
            }
            if (verdict == ResponseRateLimiter.SLIP) {
                boolean authoritative = (out.getUnsignedShort(prefix + 2) & AA) != 0;
                out.writerIndex(prefix);
                writer.truncated(out, query, rcode, authoritative);
            }
        }
        if (tallied) {
            tally.count(rcode);
        } else {
            stats.recordAnswer(rcode);
        }
        return true;
    }
}
