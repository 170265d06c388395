package io.wayfinder.answer;

import io.wayfinder.dns.wire.WireNames;
import io.wayfinder.profile.ZoneConfig;
import java.nio.ByteBuffer;

/**
 * A served zone with its apex records pre-encoded for the query path. Names in record data (SOA
 * MNAME and RNAME, NS targets) are kept as uncompressed lower-case wire names, so that the writer
 * can compress them against the names already in each response.
 */
final class Zone {
    final String name;
    final byte[] wireName;
    final int ttl;
    /** TTL of the SOA in negative answers: min(SOA TTL, SOA minimum), RFC 2308 §5. */
    final int negativeTtl;
    final byte[] soaMname;
    final byte[] soaRname;
    /** Serial, refresh, retry, expire and minimum: the 20 bytes after the SOA's names. */
    final byte[] soaNumbers;
    final byte[][] nsNames;
    /**
     * For each name server in {@link #nsNames}: the name's node when it is inside a served zone and
     * has addresses (its glue), else null. Filled by {@link ZoneData#build} before the zone is
     * published, never changed after.
     */
    final NameNode[] nsHosts;

    Zone(ZoneConfig config, long serial) {
        this.name = config.name();
        this.wireName = WireNames.toWire(config.name());
        this.ttl = config.ttl();
        this.negativeTtl = Math.min(config.ttl(), config.minimum());
        this.soaMname = WireNames.toWire(config.nameservers().get(0).name());
        this.soaRname = WireNames.toWire(config.hostmaster());
        this.soaNumbers = ByteBuffer.allocate(20).putInt((int) serial).putInt(config.refresh()).putInt(config.retry())
                .putInt(config.expire()).putInt(config.minimum()).array();
        this.nsNames = new byte[config.nameservers().size()][];
        for (int i = 0; i < nsNames.length; i++) {
            nsNames[i] = WireNames.toWire(config.nameservers().get(i).name());
        }
        this.nsHosts = new NameNode[nsNames.length];
    }

    /** Rdata preceded by its 16-bit length, as {@link io.wayfinder.dns.wire.ResponseWriter#record} takes it. */
    static byte[] withLength(byte[] rdata) {
        byte[] out = new byte[rdata.length + 2];
        out[0] = (byte) (rdata.length >>> 8);
        out[1] = (byte) rdata.length;
        System.arraycopy(rdata, 0, out, 2, rdata.length);
        return out;
    }
}
