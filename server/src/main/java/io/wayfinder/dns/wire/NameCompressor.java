package io.wayfinder.dns.wire;

import io.netty.buffer.ByteBuf;

/**
 * Writes names into a response with compression pointers to names already in it (RFC 1035
 * §4.1.4). Used by {@link ResponseWriter}, one per writer, reset for every response; allocates
 * nothing.
 *
 * <p>Design note. The table is the message offsets of label sequences written in full so far (the
 * question name's labels, and every label a name in this response spelled out), at most
 * {@link #CAPACITY}. To write a name, each of its suffixes, longest first, is compared with every
 * entry by walking the message itself (following the pointers found there, which only go
 * backwards); the first match ends the name with a pointer. That is O(labels × entries × name
 * length) per name, which for the few dozen names of an authoritative answer is a few hundred byte
 * comparisons: cheaper than hashing suffixes into a table that would have to be allocated or
 * cleared per response. Entries beyond the capacity, or at offsets a pointer cannot express
 * (16,384 and above, only in large TCP answers), are not recorded: the names are then written
 * less compressed, never wrongly.
 *
 * <p>Names compare case-insensitively (RFC 4343), so a name in record data may end with a pointer
 * into the question, whose case is the client's. Only record types whose data RFC 3597 §4 lets a
 * server compress (NS, CNAME, SOA, PTR, MX) may have their names written through this class.
 */
final class NameCompressor {
    /** Enough for the labels of several dozen distinct names; more are written uncompressed. */
    static final int CAPACITY = 128;
    /** The largest offset a 14-bit compression pointer reaches. */
    private static final int MAX_POINTER = 0x3FFF;
    /** Pointer hops followed when comparing; a message we wrote has at most one per name. */
    private static final int MAX_HOPS = 64;

    private final int[] offsets = new int[CAPACITY];
    private int count;
    private ByteBuf out;
    private int start;

    /** Starts a message whose first byte (the header's) is at {@code start} in {@code buffer}. */
    void reset(ByteBuf buffer, int start) {
        this.out = buffer;
        this.start = start;
        count = 0;
    }

    /** Records the labels of an uncompressed name already in the message at {@code messageOffset}. */
    void remember(int messageOffset) {
        int pos = messageOffset;
        while (true) {
            int len = out.getUnsignedByte(start + pos);
            if (len == 0 || (len & 0xC0) != 0) {
                return;
            }
            add(pos);
            pos += 1 + len;
        }
    }

    /**
     * Writes a lower-case uncompressed wire name at the end of the message, ending it with a
     * pointer to the longest suffix already present; returns the message offset where it starts.
     */
    int write(byte[] wireName) {
        int at = out.writerIndex() - start;
        int pos = 0;
        while (wireName[pos] != 0) {
            int target = find(wireName, pos);
            if (target >= 0) {
                out.writeBytes(wireName, 0, pos);
                out.writeShort(0xC000 | target);
                rememberWritten(at, pos);
                return at;
            }
            pos += 1 + wireName[pos];
        }
        out.writeBytes(wireName, 0, pos + 1);
        rememberWritten(at, pos);
        return at;
    }

    /** Records the labels just written in full: the first {@code length} bytes at {@code at}. */
    private void rememberWritten(int at, int length) {
        for (int pos = 0; pos < length; ) {
            add(at + pos);
            pos += 1 + out.getUnsignedByte(start + at + pos);
        }
    }

    private void add(int messageOffset) {
        if (count < CAPACITY && messageOffset <= MAX_POINTER) {
            offsets[count++] = messageOffset;
        }
    }

    /** The offset of an entry spelling the suffix of {@code name} from {@code from}, or -1. */
    private int find(byte[] name, int from) {
        for (int i = 0; i < count; i++) {
            if (equalsAt(name, from, offsets[i])) {
                return offsets[i];
            }
        }
        return -1;
    }

    /** Whether the name in the message at {@code messageOffset} equals {@code name} from {@code from}. */
    private boolean equalsAt(byte[] name, int from, int messageOffset) {
        int pos = start + messageOffset;
        int hops = 0;
        int i = from;
        while (true) {
            int len = out.getUnsignedByte(pos);
            if ((len & 0xC0) == 0xC0) {
                if (++hops > MAX_HOPS) {
                    return false;
                }
                pos = start + (((len & 0x3F) << 8) | out.getUnsignedByte(pos + 1));
                continue;
            }
            if (len != name[i]) {
                return false;
            }
            if (len == 0) {
                return true;
            }
            for (int k = 1; k <= len; k++) {
                byte b = out.getByte(pos + k);
                if (b >= 'A' && b <= 'Z') {
                    b += 32;
                }
                if (b != name[i + k]) {
                    return false;
                }
            }
            pos += 1 + len;
            i += 1 + len;
        }
    }
}
