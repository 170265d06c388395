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
     * is likely cold for this query (a client's latency-table row): a transport that has a batch
     * of decoded queries calls it for each before it answers them, so that their cache misses
     * overlap. Optional. It must not change any answer or state an answer depends on, take a lock,
     * allocate or throw, and may do nothing.
     */
    default void prefetch(DnsQuery query) {
    }
}
