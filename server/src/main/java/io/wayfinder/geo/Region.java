package io.wayfinder.geo;

/**
 * A place endpoints run in: a cloud region or an operator's own site, with its coordinates.
 *
 * @param displayName the provider's display name ("East US" for Azure's eastus), accepted wherever
 *                    the region is named; empty when the provider has none
 */
public record Region(String name, double latitude, double longitude, String provider, String location,
                     String displayName) {
    public Region {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a region needs a name");
        }
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("latitude " + latitude + " is outside -90..90");
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("longitude " + longitude + " is outside -180..180");
        }
        displayName = displayName == null ? "" : displayName.strip();
    }

    /** A region without a display name (an operator's own site, AWS, Google Cloud). */
    public Region(String name, double latitude, double longitude, String provider, String location) {
        this(name, latitude, longitude, provider, location, "");
    }
}
