package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;

/**
 * Where a client network is, as a geolocation source answers for it.
 *
 * @param countryCode  ISO 3166-1 alpha-2 code, upper case; empty when unknown
 * @param subdivision  ISO 3166-2 code of the state or province, such as {@code US-CA}: the country
 *                     code, a hyphen and one to three letters or digits; empty when unknown
 * @param network      the network this answer holds for: every network of the client's length
 *                     inside it gets the same answer from the source (an answer may be reused
 *                     that far, which bounds the ECS scope of a decision that used it)
 * @param sourceLength the prefix length of the source's own entry (how specific the source was);
 *                     longest wins when several sources answer
 */
public record GeoLocation(double latitude, double longitude, String countryCode, String subdivision, IpPrefix network,
                          int sourceLength) {
    public GeoLocation {
        countryCode = countryCode == null ? "" : countryCode;
        subdivision = subdivision == null ? "" : subdivision;
        if (!subdivision.isEmpty() && !isSubdivisionOf(subdivision, countryCode)) {
            throw new IllegalArgumentException("subdivision '" + subdivision + "' is not an ISO 3166-2 code of country '"
                    + countryCode + "'");
        }
    }

    /** A location whose source knows no subdivision. */
    public GeoLocation(double latitude, double longitude, String countryCode, IpPrefix network, int sourceLength) {
        this(latitude, longitude, countryCode, "", network, sourceLength);
    }

    /** A location without subdivision whose source entry is the network it holds for. */
    public GeoLocation(double latitude, double longitude, String countryCode, IpPrefix network) {
        this(latitude, longitude, countryCode, "", network, network.length());
    }

    /**
     * The unknown location {@link GeoLocator#locate(IpPrefix, GeoLocator.Found)} hands out, shared;
     * its network says nothing (the holding length is given beside it).
     */
    public static final GeoLocation UNKNOWN = unknown(IpPrefix.ofIpv4(0, 0));

    /** The source knows nothing of this network (and of any network of its length inside {@code holds}). */
    public static GeoLocation unknown(IpPrefix holds) {
        return new GeoLocation(Double.NaN, Double.NaN, "", "", holds, -1);
    }

    public boolean known() {
        return !Double.isNaN(latitude);
    }

    /** The same location, said to hold for another network. */
    public GeoLocation holdingFor(IpPrefix holds) {
        return new GeoLocation(latitude, longitude, countryCode, subdivision, holds, sourceLength);
    }

    /**
     * Whether {@code code} has the shape of an ISO 3166-2 subdivision code of {@code country}:
     * {@code country}, '-', then one to three upper-case letters or digits. Checked by hand, not with
     * a regex, because every location the query path copies passes through here.
     */
    static boolean isSubdivisionOf(String code, String country) {
        int length = code.length();
        if (country.length() != 2 || length < 4 || length > 6 || !code.startsWith(country) || code.charAt(2) != '-') {
            return false;
        }
        for (int i = 3; i < length; i++) {
            char c = code.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
