package io.wayfinder.answer;

import io.wayfinder.dns.wire.RecordType;
import io.wayfinder.dns.wire.WireNames;
import io.wayfinder.routing.Target;

/**
 * The record an external endpoint answers with, pre-encoded: its type and, for A and AAAA, its rdata
 * (with length); for a CNAME, the target as an uncompressed wire name, which the writer compresses
 * and which is followed when it is in a served zone.
 */
final class EndpointRecord {
    final int type;
    /** A and AAAA: the rdata with its length; null for a CNAME. */
    final byte[] lengthAndRdata;
    /** For a CNAME: the target in lower-case wire format. */
    final byte[] cnameTarget;

    private EndpointRecord(int type, byte[] lengthAndRdata, byte[] cnameTarget) {
        this.type = type;
        this.lengthAndRdata = lengthAndRdata;
        this.cnameTarget = cnameTarget;
    }

    /** Null for a nested endpoint, which never answers itself. */
    static EndpointRecord of(Target target) {
        if (target instanceof Target.Ipv4 v4) {
            return new EndpointRecord(RecordType.A, Zone.withLength(v4.address().addressBytes()), null);
        }
        if (target instanceof Target.Ipv6 v6) {
            return new EndpointRecord(RecordType.AAAA, Zone.withLength(v6.address().addressBytes()), null);
        }
        if (target instanceof Target.Name name) {
            return new EndpointRecord(RecordType.CNAME, null, WireNames.toWire(name.name()));
        }
        return null;
    }
}
