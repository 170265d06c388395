package io.wayfinder.answer;

import io.wayfinder.dns.wire.WireNames;
import io.wayfinder.profile.ZoneConfig;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** A served zone with its apex records pre-encoded for the query path. */
final class Zone {
    final String name;
    final byte[] wireName;
    final int ttl;
    /** TTL of the SOA in negative answers: min(SOA TTL, SOA minimum), RFC 2308 §5. */
    final int negativeTtl;
    final byte[] soaRdata;
    final byte[][] nsRdata;

    Zone(ZoneConfig config, long serial) {
        this.name = config.name();
        this.wireName = WireNames.toWire(config.name());
        this.ttl = config.ttl();
        this.negativeTtl = Math.min(config.ttl(), config.minimum());
        ByteArrayOutputStream soa = new ByteArrayOutputStream();
        soa.writeBytes(WireNames.toWire(config.nameservers().get(0).name()));
        soa.writeBytes(WireNames.toWire(config.hostmaster()));
        ByteBuffer numbers = ByteBuffer.allocate(20);
        numbers.putInt((int) serial).putInt(config.refresh()).putInt(config.retry()).putInt(config.expire())
                .putInt(config.minimum());
        soa.writeBytes(numbers.array());
        this.soaRdata = withLength(soa.toByteArray());
        this.nsRdata = new byte[config.nameservers().size()][];
        for (int i = 0; i < nsRdata.length; i++) {
            nsRdata[i] = withLength(WireNames.toWire(config.nameservers().get(i).name()));
        }
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
