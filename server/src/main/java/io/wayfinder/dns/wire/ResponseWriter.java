package io.wayfinder.dns.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes one response into a buffer: header, the question copied byte for byte from the query,
 * records section by section, then the OPT record (and, for a TSIG-signed query, the TSIG record),
 * with the TC bit set (and the sections emptied) when the whole would not fit the client's UDP
 * limit. Reused per thread; allocates nothing.
 *
 * <p>Usage: {@link #begin}, then records in section order ({@link #answer}, {@link #authority},
 * {@link #additional} before each), then {@link #finish}. Owner names are written by the caller,
 * usually as a compression pointer: {@link #QUESTION_NAME} points at the question name. Names in
 * record data ({@link #nameRecord}, {@link #soaRecord}) are compressed against every name already
 * in the message (see {@link NameCompressor}).
 *
 * <p>Additional records written after {@link #droppable()} are optional (glue for an answer that
 * is not a referral, RFC 9471): when the response would not fit, they are dropped from the last
 * one back until it does, and only if it still does not fit is it truncated.
 */
public final class ResponseWriter {
    /** The offset of the question name in every response: right after the 12-byte header. */
    public static final int QUESTION_NAME = 12;
    /** The UDP payload size we advertise and the largest UDP response we send (DNS flag day 2020). */
    public static final int ADVERTISED_UDP_PAYLOAD = 1232;
    private static final int PLAIN_UDP_LIMIT = 512;
    private static final int TCP_LIMIT = 65535;

    private static final int AA = 0x0400;
    private static final int TC = 0x0200;
    private static final int QR = 0x8000;
    private static final int OPCODE = 0x7800;
    private static final int RD = 0x0100;
    /** Checking Disabled: copied into the response (RFC 4035 §3.1.6), as other authoritative servers do. */
    private static final int CD = 0x0010;
    /** TSIG error BADKEY (RFC 8945 §5.2.1). */
    private static final int TSIG_BADKEY = 17;
    /**
     * Droppable records whose start is tracked. Past that, records are dropped together with the
     * last tracked one before them: coarser, never wrong.
     */
    private static final int MAX_DROPPABLE = 256;
    /** EDNS option code of Client Subnet (RFC 7871). */
    private static final int ECS_OPTION = 8;
    /** Up to this many bytes, {@link #writeSmall} writes ints rather than copying the array. */
    private static final int SMALL = 64;
    private static final java.lang.invoke.VarHandle BIG_ENDIAN_INT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private ByteBuf out;
    private int start;
    private int questionEnd;
    private DnsQuery query;
    private int section;
    private final int[] counts = new int[3];
    private final NameCompressor names = new NameCompressor();
    private boolean droppable;
    /** Message offsets where each droppable record written so far starts, in order. */
    private final int[] droppableStarts = new int[MAX_DROPPABLE];
    /** The additional section's record count before each of those records. */
    private final int[] droppableCounts = new int[MAX_DROPPABLE];
    private int droppableCount;

    /** Starts a response to a query whose question was parsed. */
    public void begin(ByteBuf buffer, DnsQuery q) {
        out = buffer;
        query = q;
        start = buffer.writerIndex();
        section = 0;
        counts[0] = counts[1] = counts[2] = 0;
        droppable = false;
        droppableCount = 0;
        names.reset(buffer, start);
        // ID, flags (set in finish), QDCOUNT, ANCOUNT | NSCOUNT, ARCOUNT (set in finish)
        buffer.writeLong((long) (q.id & 0xFFFF) << 48 | (q.questionParsed ? 1L << 16 : 0));
        buffer.writeInt(0);
        if (q.questionParsed) {
            writeSmall(q.question, 0, q.nameLength + 4);
            names.remember(QUESTION_NAME);
        }
        questionEnd = buffer.writerIndex();
    }

    /** The next records go to the answer section. */
    public ResponseWriter answer() {
        return moveTo(0);
    }

    /** The next records go to the authority section. */
    public ResponseWriter authority() {
        return moveTo(1);
    }

    /** The next records go to the additional section. */
    public ResponseWriter additional() {
        return moveTo(2);
    }

    private ResponseWriter moveTo(int next) {
        if (next < section) {
            throw new IllegalStateException("sections must be written in order");
        }
        section = next;
        droppable = false;
        return this;
    }

    /**
     * The next additional records are optional: dropped, last first, when the response would
     * otherwise not fit. Only in the additional section; ends with it.
     */
    public ResponseWriter droppable() {
        if (section != 2) {
            throw new IllegalStateException("only additional records can be droppable");
        }
        droppable = true;
        return this;
    }

    /** The current write position as an offset in the message, for compression pointers to what comes next. */
    public int offset() {
        return out.writerIndex() - start;
    }

    /** Writes a compression pointer to an earlier name in this message. */
    public ResponseWriter pointer(int messageOffset) {
        noteRecordStart();
        out.writeShort(0xC000 | messageOffset);
        return this;
    }

    /** Writes a lower-case wire name, as an owner, compressed against the names already in the message. */
    public ResponseWriter name(byte[] wireName) {
        noteRecordStart();
        names.write(wireName);
        return this;
    }

    /**
     * Writes the rest of a record after its owner name: type, class IN, TTL and the rdata given as
     * {@code rdlength} bytes followed by the rdata, pre-encoded.
     */
    public ResponseWriter record(int type, int ttl, byte[] lengthAndRdata) {
        out.writeLong(typeClassTtl(type, ttl));
        writeSmall(lengthAndRdata, 0, lengthAndRdata.length);
        counts[section]++;
        return this;
    }

    /**
     * Like {@link #record(int, int, byte[])}, for rdata that is a name the caller will write next
     * (CNAME, NS): returns the offset of the rdlength field, to be closed with {@link #endRdata}.
     */
    /**
     * Writes the rest of a record whose data is one name (NS, CNAME, PTR): the name is compressed.
     *
     * @param wireName lower-case, uncompressed wire format
     * @return the message offset of the name in the record data, for pointers to it (a CNAME target's
     *         records, glue for a name server)
     */
    public int nameRecord(int type, int ttl, byte[] wireName) {
        int lengthAt = recordWithOpenRdata(type, ttl);
        int at = names.write(wireName);
        endRdata(lengthAt);
        return at;
    }

    /**
     * Writes the rest of an SOA record: MNAME and RNAME compressed, then the 20 bytes of serial,
     * refresh, retry, expire and minimum.
     */
    public ResponseWriter soaRecord(int ttl, byte[] mname, byte[] rname, byte[] numbers) {
        int lengthAt = recordWithOpenRdata(RecordType.SOA, ttl);
        names.write(mname);
        names.write(rname);
        out.writeBytes(numbers);
        endRdata(lengthAt);
        return this;
    }

    public int recordWithOpenRdata(int type, int ttl) {
        out.writeLong(typeClassTtl(type, ttl));
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        counts[section]++;
        return lengthAt;
    }

    public void endRdata(int lengthAt) {
        out.setShort(lengthAt, out.writerIndex() - lengthAt - 2);
    }

    /**
     * Completes the response: flags, counts, OPT (with the ECS option echoed and the given scope
     * when the query had one), and truncation when it does not fit.
     *
     * @param ecsScope the ECS scope prefix length, or -1 for "the query's ECS was not used"
     *                 (scope 0, the answer holds for every client)
     */
    public void finish(int rcode, boolean authoritative, int ecsScope) {
        int limit = limit();
        int trailer = optLength() + tsigLength();
        while (droppableCount > 0 && out.writerIndex() - start + trailer > limit) {
            droppableCount--;
            out.writerIndex(start + droppableStarts[droppableCount]);
            counts[2] = droppableCounts[droppableCount];
        }
        if (out.writerIndex() - start + trailer > limit) {
            out.writerIndex(questionEnd);
            counts[0] = counts[1] = counts[2] = 0;
            writeFlags(rcode, authoritative, true);
        } else {
            writeFlags(rcode, authoritative, false);
        }
        if (query.edns) {
            writeOpt(rcode, ecsScope);
            counts[2]++;
        }
        if (query.tsig) {
            writeTsigBadKey();
            counts[2]++;
        }
        out.setShort(start + 6, counts[0]);
        out.setShort(start + 8, counts[1]);
        out.setShort(start + 10, counts[2]);
    }

    /**
     * An empty response with TC set, and the OPT record when the query had one: what a rate limit
     * sends instead of an answer (RRL's "slip"), so that a real client retries over TCP while a
     * forged one gets no more bytes than it sent.
     */
    public void truncated(ByteBuf buffer, DnsQuery q, int rcode, boolean authoritative) {
        begin(buffer, q);
        writeFlags(rcode, authoritative, true);
        if (q.edns) {
            writeOpt(rcode, -1);
            counts[2]++;
        }
        out.setShort(start + 10, counts[2]);
    }

    /** A response with no records for a query that could not be answered (FORMERR, NOTIMP, BADVERS, REFUSED, SERVFAIL). */
    public void error(ByteBuf buffer, DnsQuery q, int rcode) {
        begin(buffer, q);
        finish(rcode, false, -1);
    }

    /** The largest response this client takes over its transport. */
    public int limit() {
        if (query.tcp) {
            return TCP_LIMIT;
        }
        if (!query.edns) {
            return PLAIN_UDP_LIMIT;
        }
        return Math.max(PLAIN_UDP_LIMIT, Math.min(query.udpPayloadSize, ADVERTISED_UDP_PAYLOAD));
    }

    private void writeFlags(int rcode, boolean authoritative, boolean truncated) {
        int flags = QR | (query.flags & (OPCODE | RD | CD)) | (rcode & 0xF);
        if (authoritative) {
            flags |= AA;
        }
        if (truncated) {
            flags |= TC;
        }
        out.setShort(start + 2, flags);
    }

    /** Remembers where a droppable record starts, before its owner name is written. */
    private void noteRecordStart() {
        if (droppable && droppableCount < MAX_DROPPABLE) {
            droppableStarts[droppableCount] = offset();
            droppableCounts[droppableCount++] = counts[2];
        }
    }

    /**
     * The TSIG record of a response to a signed query: unsigned (MAC size 0), error BADKEY,
     * since we hold no keys (RFC 8945 §5.2.1, §5.3.2). Key and algorithm names are written
     * uncompressed, as the RFC asks of the algorithm name; time signed, fudge and original ID
     * are the query's.
     */
    private int tsigLength() {
        if (!query.tsig) {
            return 0;
        }
        return query.tsigKeyNameLength + 10 + query.tsigAlgorithmLength + 16;
    }

    private void writeTsigBadKey() {
        DnsQuery q = query;
        QueryDecoder.copyName(q.packet, q.packet.readerIndex(), q.tsigKeyNameOffset, out);
        out.writeShort(RecordType.TSIG);
        out.writeShort(RecordType.ANY_CLASS);
        out.writeInt(0);
        out.writeShort(q.tsigAlgorithmLength + 16);
        QueryDecoder.copyName(q.packet, q.packet.readerIndex(), q.tsigAlgorithmOffset, out);
        out.writeBytes(q.packet, q.tsigTimeOffset, 8); // time signed (6) and fudge (2)
        out.writeShort(0); // MAC size: unsigned
        out.writeShort(q.tsigOriginalId);
        out.writeShort(TSIG_BADKEY);
        out.writeShort(0); // other len
    }

    private int optLength() {
        if (!query.edns) {
            return 0;
        }
        return 11 + (query.ecs ? 8 + (query.ecsSourceLength + 7) / 8 : 0);
    }

    private void writeOpt(int rcode, int ecsScope) {
        out.writeByte(0); // root owner
        // type, UDP payload size, extended rcode (upper 8 bits), version 0, flags: DO copied
        // (RFC 3225 §3; we sign nothing)
        out.writeLong((long) RecordType.OPT << 48 | (long) ADVERTISED_UDP_PAYLOAD << 32
                | (long) ((rcode >>> 4) & 0xFF) << 24 | (query.dnssecOk ? 0x8000 : 0));
        if (query.ecs) {
            int addressBytes = (query.ecsSourceLength + 7) / 8;
            out.writeShort(8 + addressBytes); // rdlength
            // option code, option length, family, source prefix length, scope prefix length
            out.writeLong((long) ECS_OPTION << 48 | (long) (4 + addressBytes) << 32 | (long) query.ecsFamily << 16
                    | (query.ecsSourceLength & 0xFF) << 8 | (Math.max(0, ecsScope) & 0xFF));
            writeSmall(query.ecsAddress, 0, addressBytes);
        } else {
            out.writeShort(0);
        }
    }

    /** A record's type, class IN and TTL, as the 8 bytes that follow its owner name. */
    private static long typeClassTtl(int type, int ttl) {
        return (long) (type & 0xFFFF) << 48 | (long) RecordType.IN << 32 | (ttl & 0xFFFF_FFFFL);
    }

    /**
     * Copies a few bytes (a question, an address record's data) four at a time. Each write to a
     * Netty direct buffer pays its checks once, whatever its width; a copy of an array pays more to
     * set up (a {@code ByteBuffer} position, limit and a memory copy with its own checks) than a
     * few dozen bytes are worth. Longer arrays are copied whole.
     */
    private void writeSmall(byte[] bytes, int from, int length) {
        if (length > SMALL) {
            out.writeBytes(bytes, from, length);
            return;
        }
        int i = from;
        int end = from + length;
        for (; i + 4 <= end; i += 4) {
            out.writeInt((int) BIG_ENDIAN_INT.get(bytes, i));
        }
        for (; i < end; i++) {
            out.writeByte(bytes[i]);
        }
    }
}
