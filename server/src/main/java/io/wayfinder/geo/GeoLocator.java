package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;

/** Finds where a client network is. Implementations are immutable and safe to share between threads. */
public interface GeoLocator {

    /** A locator that knows nothing, anywhere (so its "nothing" holds for the whole address space). */
    GeoLocator NONE = new GeoLocator() {
        @Override
        public GeoLocation locate(IpPrefix client) {
            return GeoLocation.unknown(client.truncate(0));
        }

        @Override
        public void locate(IpPrefix client, Found out) {
            out.set(GeoLocation.UNKNOWN, 0);
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /**
     * The location of the client network (looked up at its first address), or an
     * {@linkplain GeoLocation#unknown unknown} one. Either way the result says for which network
     * around the client it holds. Null is tolerated from simple implementations and means
     * "unknown, holding only for the client's own network".
     */
    GeoLocation locate(IpPrefix client);

    /** {@link #locate}, with null turned into the most cautious unknown. */
    static GeoLocation locateOrUnknown(GeoLocator locator, IpPrefix client) {
        GeoLocation found = locator.locate(client);
        return found != null ? found : GeoLocation.unknown(client);
    }

    /**
     * {@link #locate}, for the query path: the same answer without allocating, as the source keeps
     * it. {@code out.location()} has the latitude, longitude, codes and source length that
     * locate() would give (or is {@linkplain GeoLocation#known unknown}), but its {@code network()}
     * is the source's own; how far the answer holds is {@code out.holdingLength()}, the length of
     * the network locate() would name. This default calls locate(), so it allocates whatever that
     * does (a {@link GeoCache} hit: nothing); sources that can answer without objects override it.
     */
    default void locate(IpPrefix client, Found out) {
        GeoLocation found = locateOrUnknown(this, client);
        out.set(found, found.network().length());
    }

    /** Where {@link #locate(IpPrefix, Found)} leaves its answer; one per thread, reused. Not thread-safe. */
    final class Found {
        private GeoLocation location = GeoLocation.UNKNOWN;
        private int holdingLength;

        public void set(GeoLocation sourceLocation, int holds) {
            location = sourceLocation;
            holdingLength = holds;
        }

        /** The source's location (its network() is the source's entry, not how far it holds). */
        public GeoLocation location() {
            return location;
        }

        /** The prefix length around the client for which this answer holds. */
        public int holdingLength() {
            return holdingLength;
        }
    }

    /** One line for logs: the source and its size. */
    String describe();
}
