package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.ResponseWriter;

/**
 * Answers decoded queries. The server asks a factory for one responder per event-loop channel or
 * TCP connection, so a responder may keep per-thread scratch state and need not be thread-safe.
 *
 * <p>Contract: for a query the decoder accepted, write the whole response with
 * {@code writer.begin(out, query)} ... {@code writer.finish(...)}. A responder that throws gets its
 * partial output discarded and the client a SERVFAIL; the event loop carries on.
 */
public interface Responder {
    void respond(DnsQuery query, ResponseWriter writer, ByteBuf out);

    /**
     * Reads ahead, without waiting for it, what {@link #respond} will read first from memory that
     * is likely cold (a client's latency-table row) for {@code queries[0 .. count - 1]}: a
     * transport that has a batch of decoded queries calls it once before it answers them, so that
     * their cache misses overlap. Optional. It must not change any answer or state an answer
     * depends on, keep the queries, take a lock, allocate or throw, and may do nothing. It may leave
     * on each query where it found the question name ({@link DnsQuery#prefetchedNameSlot}) for
     * {@link #respond} to read it there instead of finding it again, as long as the answer stays the
     * one {@code respond} would give without it.
     */
    default void prefetch(DnsQuery[] queries, int count) {
    }
}