package io.wayfinder.dns.ratelimit;

import io.netty.buffer.ByteBuf;
import io.wayfinder.dns.wire.DnsQuery;
import io.wayfinder.dns.wire.QueryDecoder;
import io.wayfinder.dns.wire.Rcode;

/**
 * Says what kind of response was just written and which name it is counted by, from the response's
 * own bytes (header, and for NXDOMAIN the owner of the authority SOA), so the limiter needs no
 * knowledge of zones. The responses are ours and well-formed, but every read is bounds-checked
 * anyway: a response the walk cannot follow is counted with name hash 0, never an exception.
 * Allocates nothing.
 */
final class ResponseClassifier {
    private static final int HEADER = 12;
    private static final int TC = 0x0200;
    /** Compression pointers followed at most this often when reading a name (they only point backwards in ours). */
    private static final int MAX_POINTERS = 32;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ResponseClassifier() {
    }

    /**
     * @param decodeStatus what the decoder said of the query ({@link QueryDecoder#OK} when it was answered)
     * @param start        where the response message starts in {@code response}
     */
    static ResponseKind kind(int decodeStatus, ByteBuf response, int start) {
        if (decodeStatus != QueryDecoder.OK) {
            return ResponseKind.ERROR;
        }
        int flags = response.getUnsignedShort(start + 2);
        int rcode = flags & 0xF;
        if (rcode == Rcode.NXDOMAIN) {
            return ResponseKind.NXDOMAIN;
        }
        if (rcode != Rcode.NOERROR) {
            return ResponseKind.ERROR;
        }
        if ((flags & TC) != 0) {
            return ResponseKind.ANSWER; // too large for UDP: counted as the answer it stands for
        }
        return response.getUnsignedShort(start + 6) > 0 ? ResponseKind.ANSWER : ResponseKind.NODATA;
    }

    /** The hash of what a response of this kind is counted by, beside the client network; 0 for errors. */
    static long nameHash(ResponseKind kind, DnsQuery query, ByteBuf response, int start) {
        return switch (kind) {
            case ANSWER -> hash(query.lowerName(), query.nameLength()) * 31 + query.qtype();
            case NODATA -> hash(query.lowerName(), query.nameLength());
            case NXDOMAIN -> zoneHash(response, start);
            case ERROR -> 0;
        };
    }

    /** FNV-1a over a lower-case wire name. */
    static long hash(byte[] wireName, int length) {
        long h = FNV_OFFSET;
        for (int i = 0; i < length; i++) {
            h = (h ^ (wireName[i] & 0xFF)) * FNV_PRIME;
        }
        return h;
    }

    /** The hash of the owner of the first authority record (the zone's SOA in a negative answer), lower-cased. */
    private static long zoneHash(ByteBuf response, int start) {
        int end = response.writerIndex();
        if (end - start < HEADER) {
            return 0;
        }
        int qdcount = response.getUnsignedShort(start + 4);
        int ancount = response.getUnsignedShort(start + 6);
        int nscount = response.getUnsignedShort(start + 8);
        if (nscount == 0) {
            return 0;
        }
        int pos = start + HEADER;
        for (int i = 0; i < qdcount && pos > 0; i++) {
            pos = skipName(response, pos, end);
            pos = pos < 0 || pos + 4 > end ? -1 : pos + 4;
        }
        for (int i = 0; i < ancount && pos > 0; i++) {
            pos = skipName(response, pos, end);
            pos = pos < 0 || pos + 10 > end ? -1 : pos + 10 + response.getUnsignedShort(pos + 8);
        }
        return pos < 0 || pos >= end ? 0 : hashName(response, start, pos, end);
    }

    private static int skipName(ByteBuf b, int pos, int end) {
        while (pos < end) {
            int len = b.getUnsignedByte(pos);
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                return pos + 2 <= end ? pos + 2 : -1;
            }
            pos += 1 + len;
        }
        return -1;
    }

    /** {@link #hash} of the name at {@code pos}, following compression pointers, lower-casing as it goes. */
    private static long hashName(ByteBuf b, int start, int pos, int end) {
        long h = FNV_OFFSET;
        int pointers = 0;
        int total = 0;
        while (pos < end) {
            int len = b.getUnsignedByte(pos);
            if ((len & 0xC0) == 0xC0) {
                if (pos + 2 > end || ++pointers > MAX_POINTERS) {
                    return 0;
                }
                pos = start + (((len & 0x3F) << 8) | b.getUnsignedByte(pos + 1));
                continue;
            }
            if (len > 63 || pos + 1 + len > end || (total += len + 1) > DnsQuery.MAX_NAME_LENGTH) {
                return 0;
            }
            h = (h ^ len) * FNV_PRIME;
            if (len == 0) {
                return h;
            }
            for (int k = 1; k <= len; k++) {
                int c = b.getUnsignedByte(pos + k);
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                h = (h ^ c) * FNV_PRIME;
            }
            pos += 1 + len;
        }
        return 0;
    }
}
