package io.wayfinder.bench;

import io.wayfinder.dns.wire.RecordType;
import io.wayfinder.dns.wire.WireNames;
import java.nio.ByteBuffer;

/**
 * The query the query-path benchmarks send: an A/IN query with RD, EDNS (1232) and an ECS option
 * for a /24. The option's three address bytes come last, so that a benchmark can write the next
 * client into a packet it keeps, as a new datagram would bring it, instead of building a new one.
 */
public final class EcsQueryPacket {
    /** Where the three ECS address bytes start, counted back from the end of the packet. */
    public static final int CLIENT_FROM_END = 3;

    private EcsQueryPacket() {
    }

    /** The query for {@code name} from the /24 of {@code client} (an IPv4 address as an int). */
    public static byte[] of(String name, int client) {
        byte[] qname = WireNames.toWire(name);
        ByteBuffer b = ByteBuffer.allocate(12 + qname.length + 4 + 11 + 11);
        b.putShort((short) 0x1234).putShort((short) 0x0100).putShort((short) 1).putShort((short) 0)
                .putShort((short) 0).putShort((short) 1);
        b.put(qname).putShort((short) RecordType.A).putShort((short) RecordType.IN);
        b.put((byte) 0).putShort((short) RecordType.OPT).putShort((short) 1232).putInt(0).putShort((short) 11);
        b.putShort((short) 8).putShort((short) 7).putShort((short) 1).put((byte) 24).put((byte) 0);
        b.put((byte) (client >>> 24)).put((byte) (client >>> 16)).put((byte) (client >>> 8));
        return b.array();
    }
}
