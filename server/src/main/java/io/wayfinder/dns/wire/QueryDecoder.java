package io.wayfinder.dns.wire;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;

/**
 * A strict decoder for what an authoritative server must accept: a header, exactly one question,
 * records in the answer and authority sections skipped, and at most one OPT record (with at most
 * one Client Subnet option) among the additional records, and a TSIG record only as the last of
 * them (RFC 8945 §5.2), which makes the answer NOTAUTH/BADKEY: we hold no keys.
 *
 * <p>It reads the packet in place with absolute indices, copies only the lower-cased question name
 * and the ECS address into the reused {@link DnsQuery}, and allocates nothing. Every read is
 * bounds-checked against the packet, so no input makes it throw: malformed input is a status.
 * Compression pointers are followed only backwards (as dnsjava does), which bounds the work on any
 * input and rules out loops.
 */
public final class QueryDecoder {
    /** Decoded: answer it. */
    public static final int OK = 0;
    /** Not worth an answer: too short for a header, or a response (QR set). */
    public static final int DROP = -1;
    /** Malformed: answer FORMERR. */
    public static final int FORMERR = Rcode.FORMERR;
    /** An opcode other than QUERY: answer NOTIMP. */
    public static final int NOTIMP = Rcode.NOTIMP;
    /** EDNS version above 0: answer BADVERS (RFC 6891 §6.1.3). */
    public static final int BADVERS = Rcode.BADVERS;
    /** Signed with TSIG: answer NOTAUTH with a BADKEY TSIG record (RFC 8945 §5.2.1). */
    public static final int NOTAUTH = Rcode.NOTAUTH;

    private static final int HEADER = 12;
    private static final int ECS_OPTION = 8;

    private QueryDecoder() {
    }

    /**
     * Decodes the readable bytes of {@code packet} into {@code query}; returns a status above.
     *
     * @param sender where it came from, or null when the transport wrote it into the query (see
     *               {@link DnsQuery#rawSender})
     */
    public static int decode(ByteBuf packet, InetSocketAddress sender, boolean tcp, DnsQuery query) {
        query.reset(packet, sender, tcp);
        int base = packet.readerIndex();
        int end = base + packet.readableBytes();
        if (end - base < HEADER) {
            return DROP;
        }
        long header = packet.getLong(base); // ID, flags, QDCOUNT, ANCOUNT: one read, not four
        query.id = (int) (header >>> 48);
        query.flags = (int) (header >>> 32) & 0xFFFF;
        if ((query.flags & 0x8000) != 0) {
            return DROP;
        }
        if (query.opcode() != 0) {
            return NOTIMP;
        }
        int qdcount = (int) (header >>> 16) & 0xFFFF;
        int ancount = (int) header & 0xFFFF;
        int counts = packet.getInt(base + 8); // NSCOUNT, ARCOUNT
        int nscount = counts >>> 16;
        int arcount = counts & 0xFFFF;
        if (qdcount != 1) {
            return FORMERR;
        }
        int pos = readQuestionName(packet, base, base + HEADER, end, query);
        if (pos < 0 || pos + 4 > end) {
            return FORMERR;
        }
        query.qtype = packet.getUnsignedShort(pos);
        query.qclass = packet.getUnsignedShort(pos + 2);
        pos += 4;
        query.questionParsed = true;

        for (int i = 0; i < ancount + nscount; i++) {
            pos = skipRecord(packet, base, pos, end);
            if (pos < 0) {
                return FORMERR;
            }
        }
        for (int i = 0; i < arcount; i++) {
            int nameEnd = skipName(packet, base, pos, end);
            if (nameEnd < 0 || nameEnd + 10 > end) {
                return FORMERR;
            }
            int type = packet.getUnsignedShort(nameEnd);
            int rdlength = packet.getUnsignedShort(nameEnd + 8);
            int rdata = nameEnd + 10;
            if (rdata + rdlength > end) {
                return FORMERR;
            }
            if (type == RecordType.OPT) {
                // The OPT owner must be the root (a single zero byte); two OPTs are an error.
                if (query.edns || nameEnd - pos != 1) {
                    return FORMERR;
                }
                int status = readOpt(packet, nameEnd, rdata, rdlength, query);
                if (status != OK) {
                    return status;
                }
            } else if (type == RecordType.TSIG) {
                // Anywhere but last, or malformed, it is FORMERR (RFC 8945 §5.2).
                if (i != arcount - 1 || !readTsig(packet, base, pos, rdata, rdlength, query)) {
                    return FORMERR;
                }
            }
            pos = rdata + rdlength;
        }
        // Bytes after the last record are ignored, as most servers do.
        if (query.tsig) {
            return NOTAUTH; // the signature is checked before anything else about the request
        }
        return query.edns && query.ednsVersion != 0 ? BADVERS : OK;
    }

    /**
     * Reads the question name (no compression allowed: nothing precedes it) and lower-cases it.
     * The question's bytes (at most a name and its type and class) are copied into
     * {@link DnsQuery#question} in one call and parsed there, rather than read from the buffer a
     * byte at a time (each read a bounds and reference-count check).
     */
    private static int readQuestionName(ByteBuf packet, int base, int pos, int end, DnsQuery query) {
        byte[] raw = query.question;
        int available = Math.min(end - pos, raw.length);
        // readBytes, not the absolute getBytes: on Netty's direct buffers without Unsafe (Java 24+)
        // getBytes into an array duplicates the NIO buffer for every call; readBytes reuses one.
        int readerIndex = packet.readerIndex();
        packet.readerIndex(pos).readBytes(raw, 0, available);
        packet.readerIndex(readerIndex);
        byte[] lower = query.lowerName;
        int at = 0;
        while (true) {
            if (at >= available) {
                return -1;
            }
            int len = raw[at] & 0xFF;
            if (len == 0) {
                lower[at] = 0;
                query.nameLength = at + 1;
                return pos + at + 1;
            }
            if (len > 63 || at + len + 2 > DnsQuery.MAX_NAME_LENGTH || at + 1 + len > available) {
                return -1; // pointers and reserved label types (0x40, 0x80) included
            }
            lower[at] = (byte) len;
            for (int k = at + 1; k <= at + len; k++) {
                byte b = raw[k];
                lower[k] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
            }
            at += 1 + len;
        }
    }

    /** Skips a possibly compressed name; returns the index after it in the record, or -1. */
    private static int skipName(ByteBuf packet, int base, int pos, int end) {
        int total = 0;
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int len = packet.getUnsignedByte(pos);
            if (len == 0) {
                return pos + 1;
            }
            if ((len & 0xC0) == 0xC0) {
                if (pos + 2 > end) {
                    return -1;
                }
                int target = base + (((len & 0x3F) << 8) | packet.getUnsignedByte(pos + 1));
                // Only backward pointers are legal; we need not follow them to find the record's end.
                return target < pos ? pos + 2 : -1;
            }
            if (len > 63) {
                return -1;
            }
            total += len + 1;
            if (total + 1 > DnsQuery.MAX_NAME_LENGTH || pos + 1 + len > end) { // + 1: the root label
                return -1;
            }
            pos += 1 + len;
        }
    }

    /**
     * Reads a TSIG record's parts (RFC 8945 §4.2): the key name at {@code owner}, then in the
     * rdata the algorithm name, time signed (6), fudge (2), MAC size and MAC, original ID, error,
     * other length and data, which must fill the rdata exactly. False when malformed.
     */
    private static boolean readTsig(ByteBuf packet, int base, int owner, int rdata, int rdlength, DnsQuery query) {
        int end = rdata + rdlength;
        int keyLength = expandedLength(packet, base, owner);
        int algorithmEnd = skipName(packet, base, rdata, end);
        int algorithmLength = expandedLength(packet, base, rdata);
        if (keyLength < 0 || algorithmEnd < 0 || algorithmLength < 0 || algorithmEnd + 10 > end) {
            return false;
        }
        int macSize = packet.getUnsignedShort(algorithmEnd + 8);
        int afterMac = algorithmEnd + 10 + macSize;
        if (afterMac + 6 > end || afterMac + 6 + packet.getUnsignedShort(afterMac + 4) != end) {
            return false;
        }
        query.tsig = true;
        query.tsigKeyNameOffset = owner;
        query.tsigKeyNameLength = keyLength;
        query.tsigAlgorithmOffset = rdata;
        query.tsigAlgorithmLength = algorithmLength;
        query.tsigTimeOffset = algorithmEnd;
        query.tsigOriginalId = packet.getUnsignedShort(afterMac);
        return true;
    }

    /**
     * The length of a possibly compressed name once expanded (root label included), following
     * pointers only backwards; -1 when it is malformed or longer than 255 bytes.
     */
    static int expandedLength(ByteBuf packet, int base, int pos) {
        int total = 0;
        int end = packet.writerIndex();
        while (true) {
            if (pos >= end) {
                return -1;
            }
            int len = packet.getUnsignedByte(pos);
            if ((len & 0xC0) == 0xC0) {
                if (pos + 2 > end) {
                    return -1;
                }
                int target = base + (((len & 0x3F) << 8) | packet.getUnsignedByte(pos + 1));
                if (target >= pos) {
                    return -1;
                }
                pos = target;
                continue;
            }
            if (len > 63) {
                return -1;
            }
            total += len + 1;
            if (total > DnsQuery.MAX_NAME_LENGTH || pos + 1 + len > end) {
                return -1;
            }
            if (len == 0) {
                return total;
            }
            pos += 1 + len;
        }
    }

    /** Copies a name that {@link #expandedLength} accepted into {@code out}, uncompressed. */
    static void copyName(ByteBuf packet, int base, int pos, ByteBuf out) {
        while (true) {
            int len = packet.getUnsignedByte(pos);
            if ((len & 0xC0) == 0xC0) {
                pos = base + (((len & 0x3F) << 8) | packet.getUnsignedByte(pos + 1));
                continue;
            }
            out.writeBytes(packet, pos, 1 + len);
            if (len == 0) {
                return;
            }
            pos += 1 + len;
        }
    }

    private static int skipRecord(ByteBuf packet, int base, int pos, int end) {
        int nameEnd = skipName(packet, base, pos, end);
        if (nameEnd < 0 || nameEnd + 10 > end) {
            return -1;
        }
        int next = nameEnd + 10 + packet.getUnsignedShort(nameEnd + 8);
        return next > end ? -1 : next;
    }

    private static int readOpt(ByteBuf packet, int fixed, int rdata, int rdlength, DnsQuery query) {
        query.edns = true;
        query.udpPayloadSize = packet.getUnsignedShort(fixed + 2);
        query.ednsVersion = packet.getUnsignedByte(fixed + 5);
        query.dnssecOk = (packet.getUnsignedShort(fixed + 6) & 0x8000) != 0;
        if (query.ednsVersion != 0) {
            return OK; // BADVERS (decided by the caller) without judging options by version 0's rules
        }
        int pos = rdata;
        int end = rdata + rdlength;
        while (pos < end) {
            if (pos + 4 > end) {
                return FORMERR;
            }
            int code = packet.getUnsignedShort(pos);
            int length = packet.getUnsignedShort(pos + 2);
            int data = pos + 4;
            if (data + length > end) {
                return FORMERR;
            }
            if (code == ECS_OPTION) {
                if (query.ecs || !readClientSubnet(packet, data, length, query)) {
                    return FORMERR;
                }
            }
            pos = data + length;
        }
        return OK;
    }

    /**
     * RFC 7871 §6: family 1 or 2, source length within the family, scope 0 in a query, exactly
     * ceil(source/8) address bytes, and no bits set past the source length. Anything else is FORMERR.
     */
    private static boolean readClientSubnet(ByteBuf packet, int data, int length, DnsQuery query) {
        if (length < 4) {
            return false;
        }
        int family = packet.getUnsignedShort(data);
        int source = packet.getUnsignedByte(data + 2);
        int scope = packet.getUnsignedByte(data + 3);
        int maxBits = family == 1 ? 32 : family == 2 ? 128 : -1;
        if (maxBits < 0 || source > maxBits || scope != 0) {
            return false;
        }
        int addressBytes = (source + 7) / 8;
        if (length - 4 != addressBytes) {
            return false;
        }
        byte[] address = query.ecsAddress;
        java.util.Arrays.fill(address, (byte) 0);
        for (int i = 0; i < addressBytes; i++) {
            address[i] = packet.getByte(data + 4 + i);
        }
        if (source % 8 != 0 && (address[addressBytes - 1] & (0xFF >>> (source % 8))) != 0) {
            return false;
        }
        query.ecs = true;
        query.ecsFamily = family;
        query.ecsSourceLength = source;
        return true;
    }
}
