package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;

/**
 * A fixed-size, direct-mapped cache in front of a slow locator (MMDB decoding allocates).
 *
 * <p>Lock-free by construction: each slot holds an immutable entry whose fields are final, so a
 * reader sees either an old entry or a new one, never a torn one; a lost race only costs a repeated
 * lookup. An unknown location is cached too, so an unknown network costs one database lookup.
 */
public final class GeoCache implements GeoLocator {
    private static final int DEFAULT_SLOTS = 1 << 16;

    private final GeoLocator source;
    private final Entry[] slots;
    private final int mask;

    private record Entry(boolean ipv6, long hi, long lo, int length, GeoLocation location) {
    }

    public GeoCache(GeoLocator source) {
        this(source, DEFAULT_SLOTS);
    }

    public GeoCache(GeoLocator source, int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two");
        }
        this.source = source;
        this.slots = new Entry[slots];
        this.mask = slots - 1;
    }

    @Override
    public GeoLocation locate(IpPrefix client) {
        int slot = slotOf(client.ipv6(), client.hi(), client.lo(), client.length());
        Entry entry = slots[slot];
        if (entry != null && entry.ipv6 == client.ipv6() && entry.hi == client.hi() && entry.lo == client.lo()
                && entry.length == client.length()) {
            return entry.location;
        }
        GeoLocation location = source.locate(client);
        slots[slot] = new Entry(client.ipv6(), client.hi(), client.lo(), client.length(), location);
        return location;
    }

    private int slotOf(boolean ipv6, long hi, long lo, int length) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL) ^ (ipv6 ? 0x165667B19E3779F9L : 0) ^ length;
        return (int) (h ^ (h >>> 29)) & mask;
    }

    @Override
    public String describe() {
        return source.describe();
    }
}
