package io.wayfinder.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.Rcode;
import io.wayfinder.dns.wire.ResponseWriter;
import java.net.InetSocketAddress;

/**
 * Turns one request into one response, whatever the request holds. The failure contract, written
 * once: a packet too short for a header, or a response, is dropped; malformed → FORMERR; another
 * opcode → NOTIMP; a bug while answering → SERVFAIL, a counter and a rate-limited log. Nothing
 * escapes to the event loop. One per channel (not thread-safe).
 */
final class QueryProcessor {
    private final DnsQuery query = new DnsQuery();
    private final ResponseWriter writer = new ResponseWriter();
    private final Responder responder;
    private final ServerStats stats;

    QueryProcessor(Responder responder, ServerStats stats) {
        this.responder = responder;
        this.stats = stats;
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
        if (status != QueryDecoder.OK) {
            writer.error(out, query, status);
            stats.recordAnswer(status);
            return out;
        }
        try {
            responder.respond(query, writer, out);
            stats.recordAnswer(out.getUnsignedByte(prefix + 3) & 0xF);
        } catch (RuntimeException e) {
            out.writerIndex(prefix);
            writer.error(out, query, Rcode.SERVFAIL);
            stats.recordFailure(e, query);
        }
        return out;
    }
}
