package io.wayfinder.geo;

import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;
import io.wayfinder.source.CsvLines;
import io.wayfinder.source.SourceFormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Geolocation from a CSV file {@code prefix,latitude,longitude[,country[,subdivision]]} with a
 * header line; {@code #} starts a comment line. Longest prefix wins. {@code country} is an ISO 3166-1
 * alpha-2 code, {@code subdivision} an ISO 3166-2 code of that country ({@code US-CA}); either may
 * be left empty.
 */
public final class CsvGeoTable implements GeoLocator {
    private final PrefixMap prefixes;
    private final GeoLocation[] locations;
    private final String source;

    private CsvGeoTable(PrefixMap prefixes, GeoLocation[] locations, String source) {
        this.prefixes = prefixes;
        this.locations = locations;
        this.source = source;
    }

    /**
     * @throws SourceFormatException naming the file and line of every bad row (up to
     *                               {@link CsvLines#MAX_REPORTED}; each prefix written with its length)
     */
    public static CsvGeoTable read(Path file) throws IOException {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        List<GeoLocation> locations = new ArrayList<>();
        java.util.Set<IpPrefix> seen = new java.util.HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvLines lines = new CsvLines(file, in);
            lines.expectHeader("prefix", "latitude", "longitude");
            String[] f;
            while ((f = lines.next()) != null) {
                try {
                    GeoLocation location = row(lines, f);
                    if (!seen.add(location.network())) {
                        throw lines.error("prefix " + location.network() + " appears more than once");
                    }
                    builder.add(location.network());
                    locations.add(location);
                } catch (SourceFormatException e) {
                    lines.reject(e);
                }
            }
            lines.throwIfRejected();
        }
        PrefixMap map;
        try {
            map = builder.build();
        } catch (IllegalArgumentException e) {
            throw new SourceFormatException(file + ": " + e.getMessage());
        }
        return new CsvGeoTable(map, locations.toArray(new GeoLocation[0]), file.toString());
    }

    private static GeoLocation row(CsvLines lines, String[] f) throws SourceFormatException {
        if (f.length < 3 || f.length > 5) {
            throw lines.error("expected prefix,latitude,longitude[,country[,subdivision]], got " + f.length + " fields");
        }
        IpPrefix prefix = lines.prefix(f[0]);
        double latitude = lines.number(f[1], "latitude", -90, 90);
        double longitude = lines.number(f[2], "longitude", -180, 180);
        String country = f.length >= 4 ? f[3].strip().toUpperCase(java.util.Locale.ROOT) : "";
        if (!country.isEmpty() && !country.matches("[A-Z]{2}")) {
            throw lines.error("country '" + f[3] + "' is not a two-letter ISO 3166 code");
        }
        String subdivision = f.length == 5 ? f[4].strip().toUpperCase(java.util.Locale.ROOT) : "";
        if (!subdivision.isEmpty() && country.isEmpty()) {
            throw lines.error("subdivision '" + f[4].strip() + "' needs the row's country");
        }
        if (!subdivision.isEmpty() && !GeoLocation.isSubdivisionOf(subdivision, country)) {
            throw lines.error("subdivision '" + f[4].strip() + "' is not an ISO 3166-2 code of country "
                    + country + " (" + country + "-, then 1 to 3 letters or digits)");
        }
        return new GeoLocation(latitude, longitude, country, subdivision, prefix, prefix.length());
    }

    /** A table of the given locations, each for its {@code network()}; for tests and tools. */
    public static CsvGeoTable of(java.util.Collection<GeoLocation> locations) {
        PrefixMap.Builder builder = new PrefixMap.Builder();
        List<GeoLocation> ordered = new ArrayList<>();
        for (GeoLocation location : locations) {
            builder.add(location.network());
            ordered.add(location);
        }
        return new CsvGeoTable(builder.build(), ordered.toArray(new GeoLocation[0]), "memory");
    }

    @Override
    public GeoLocation locate(IpPrefix client) {
        int interval = prefixes.interval(client);
        int entry = prefixes.entryAt(interval);
        IpPrefix holds = client.truncate(prefixes.holdingLength(interval, client));
        return entry == PrefixMap.NO_ENTRY ? GeoLocation.unknown(holds) : locations[entry].holdingFor(holds);
    }

    /** As {@link #locate(IpPrefix)}, with the row's own location: no object per query. */
    @Override
    public void locate(IpPrefix client, Found out) {
        int interval = prefixes.interval(client);
        int entry = prefixes.entryAt(interval);
        out.set(entry == PrefixMap.NO_ENTRY ? GeoLocation.UNKNOWN : locations[entry], prefixes.holdingLength(interval, client));
    }

    public int size() {
        return locations.length;
    }

    @Override
    public String describe() {
        return "CSV " + source + " (" + locations.length + " prefixes)";
    }
}
