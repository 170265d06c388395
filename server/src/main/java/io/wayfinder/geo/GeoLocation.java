package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;

/**
 * Where a client network is, as a geolocation source answers for it.
 *
 * @param network      the network this answer holds for: every network of the client's length
 *                     inside it gets the same answer from the source (an answer may be reused
 *                     that far, which bounds the ECS scope of a decision that used it)
 * @param sourceLength the prefix length of the source's own entry (how specific the source was);
 *                     longest wins when several sources answer
 */
public record GeoLocation(double latitude, double longitude, String countryCode, IpPrefix network, int sourceLength) {
    public GeoLocation {
        countryCode = countryCode == null ? "" : countryCode;
    }

    /** A location whose source entry is the network it holds for. */
    public GeoLocation(double latitude, double longitude, String countryCode, IpPrefix network) {
        this(latitude, longitude, countryCode, network, network.length());
    }

    /** The source knows nothing of this network (and of any network of its length inside {@code holds}). */
    public static GeoLocation unknown(IpPrefix holds) {
        return new GeoLocation(Double.NaN, Double.NaN, "", holds, -1);
    }

    public boolean known() {
        return !Double.isNaN(latitude);
    }

    /** The same location, said to hold for another network. */
    public GeoLocation holdingFor(IpPrefix holds) {
        return new GeoLocation(latitude, longitude, countryCode, holds, sourceLength);
    }
}
