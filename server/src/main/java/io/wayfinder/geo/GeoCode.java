package io.wayfinder.geo;

/**
 * One entry of the geographic hierarchy that Geographic routing matches endpoints' {@code geoMapping}
 * against: the whole world, a regional grouping, a country or a state/province.
 *
 * @param code   Azure's code, as a {@code geoMapping} spells it ({@code WORLD}, {@code GEO-EU},
 *               {@code FR}, {@code US-CA})
 * @param name   Azure's name for it
 * @param parent the code of the entry that contains it; null for {@code WORLD} alone
 * @param index  its position in {@link GeoCodeCatalogue#all()}, for choosers that walk the hierarchy
 *               with ints ({@link GeoCodeCatalogue#parent(int)})
 */
public record GeoCode(String code, String name, Kind kind, String parent, int index) {

    /** How much of the world an entry covers; each kind sits directly below the one before it. */
    public enum Kind {
        WORLD, REGION, COUNTRY, SUBDIVISION
    }

    public GeoCode {
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("a geographic code needs a code");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("geographic code " + code + " needs a name");
        }
        if (kind == null) {
            throw new IllegalArgumentException("geographic code " + code + " needs a kind");
        }
        if ((parent == null) != (kind == Kind.WORLD)) {
            throw new IllegalArgumentException("geographic code " + code + ": "
                    + (kind == Kind.WORLD ? "WORLD has no parent" : "a " + kind + " needs a parent"));
        }
        if (index < 0) {
            throw new IllegalArgumentException("geographic code " + code + ": index " + index + " is negative");
        }
    }
}
