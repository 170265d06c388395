package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;

/**
 * The datagrams of one receive batch, answered in three passes: {@link #decode} each into a query
 * of its own slot, {@link #prefetch} them all, then {@link #respond} to each in slot order; then
 * {@link #finish} counts the answers.
 *
 * <p>Why not decode and answer one at a time: routing a client reads its row of an 80 MB latency
 * table, a cache miss of about 200 ns that the answer waits for. The prefetch pass touches every
 * query's row in a loop where no read waits for another, so the processor has the batch's misses
 * in flight together, and the answers that follow find their rows in cache. Each answer is the
 * one {@link QueryProcessor} would give alone: the prefetch changes nothing, and the responses
 * (rate limit included) are made in the order the datagrams came.
 *
 * <p>One {@link DnsQuery} per slot, made once with the batch; a query keeps a reference to its
 * packet until it is answered, so each slot needs a buffer of its own until then. Only the
 * transport's thread uses it.
 */
final class QueryBatch {
    private final QueryProcessor processor;
    private final DnsQuery[] queries;
    /** {@code statuses[i]}: the decoder's status of slot {@code i}'s datagram; DROP when it has nothing to answer. */
    private final int[] statuses;
    /** The queries of the batch in hand that the responder will answer, in slot order: what it prefetches for. */
    private final DnsQuery[] answerable;

    QueryBatch(QueryProcessor processor, int capacity) {
        this.processor = processor;
        this.queries = new DnsQuery[capacity];
        this.statuses = new int[capacity];
        this.answerable = new DnsQuery[capacity];
        for (int i = 0; i < capacity; i++) {
            queries[i] = new DnsQuery();
        }
    }

    /** Slot {@code slot}'s query: where the transport writes the sender ({@link DnsQuery#rawSender}) before {@link #decode}. */
    DnsQuery query(int slot) {
        return queries[slot];
    }

    /**
     * Decodes a datagram into slot {@code slot}; a dropped one is counted.
     *
     * @return whether it is to be answered
     */
    boolean decode(int slot, ByteBuf packet) {
        int status = processor.decodeUdp(packet, queries[slot]);
        statuses[slot] = status;
        return status != QueryDecoder.DROP;
    }

    /** Marks slot {@code slot} as having nothing to answer (a datagram the transport dropped, or one that failed). */
    void skip(int slot) {
        statuses[slot] = QueryDecoder.DROP;
    }

    /**
     * Reads ahead for the queries of slots {@code 0 .. count - 1} that the responder will answer
     * (decoded {@link QueryDecoder#OK}; not a FORMERR, NOTIMP or dropped one), in one call.
     */
    void prefetch(int count) {
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (statuses[i] == QueryDecoder.OK) {
                answerable[n++] = queries[i];
            }
        }
        processor.prefetch(answerable, n);
    }

    /**
     * Answers slot {@code slot} into {@code out} (cleared first); nothing for a slot dropped or skipped.
     *
     * @return whether {@code out} holds a response to send
     */
    boolean respond(int slot, ByteBuf out) {
        int status = statuses[slot];
        return status != QueryDecoder.DROP && processor.respondUdp(queries[slot], status, out);
    }

    /** Counts the batch's answers in the server's stats (one add per rcode): after the last {@link #respond}, before they are sent. */
    void finish() {
        processor.flushAnswers();
    }
}
