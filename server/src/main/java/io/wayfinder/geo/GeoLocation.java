package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;

/**
 * Where a network is: its coordinates, its ISO country code (may be empty) and the network the
 * source gave them for, whose length bounds how far the answer may be reused.
 */
public record GeoLocation(double latitude, double longitude, String countryCode, IpPrefix network) {
    public GeoLocation {
        countryCode = countryCode == null ? "" : countryCode;
    }
}
