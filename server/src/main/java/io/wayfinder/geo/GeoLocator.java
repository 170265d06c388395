package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;

/** Finds where an address is. Implementations are immutable and safe to share between threads. */
public interface GeoLocator {

    /** A locator that knows nothing. */
    GeoLocator NONE = new GeoLocator() {
        @Override
        public GeoLocation locate(IpPrefix address) {
            return null;
        }

        @Override
        public String describe() {
            return "none";
        }
    };

    /**
     * The location of the most specific network the source knows that contains the first address
     * of {@code address}, or {@code null}.
     */
    GeoLocation locate(IpPrefix address);

    /** One line for logs: the source and its size. */
    String describe();
}
