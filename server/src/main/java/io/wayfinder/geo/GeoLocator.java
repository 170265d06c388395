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

    /** One line for logs: the source and its size. */
    String describe();
}
