package io.wayfinder.profile.read;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code regions} section: sites of the operator's own, added to the built-in catalogue. */
final class RegionsReader {
    private RegionsReader() {
    }

    static List<Region> regions(ConfigObject top) {
        List<Region> regions = new ArrayList<>();
        for (ConfigObject r : top.objects("regions")) {
            if (r == null) {
                continue;
            }
            String name = r.string("name", true);
            Double latitude = r.number("latitude", -90, 90, true);
            Double longitude = r.number("longitude", -180, 180, true);
            String location = r.string("location", false);
            r.rejectUnknownKeys();
            if (name != null && latitude != null && longitude != null) {
                regions.add(new Region(name.toLowerCase(Locale.ROOT), latitude, longitude, "custom",
                        location == null ? "" : location));
            }
        }
        return regions;
    }

    /** The built-in catalogue with the file's regions, built once; a clash is reported at its field. */
    static RegionCatalogue catalogue(List<Region> regions, ConfigObject top) {
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        for (int i = 0; i < regions.size(); i++) {
            try {
                catalogue = catalogue.with(List.of(regions.get(i)));
            } catch (IllegalArgumentException e) {
                top.errors().add("regions[" + i + "].name", e.getMessage());
            }
        }
        return catalogue;
    }
}
