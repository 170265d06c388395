package io.wayfinder.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Reader;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Geolocation from a MaxMind DB file, in either of the two layouts found in the wild:
 * <ul>
 *   <li>MaxMind's City layout: {@code location.latitude}, {@code location.longitude},
 *       {@code country.iso_code}, and {@code subdivisions[0].iso_code}, the part of the ISO 3166-2
 *       code after the hyphen ({@code CA} for California);</li>
 *   <li>the flat layout of DB-IP Lite as packaged by ip-location-db: {@code latitude},
 *       {@code longitude}, {@code country_code} (coordinates stored as 32-bit floats), and
 *       {@code state1}, the subdivision's name ("California"), coded with {@link SubdivisionNames}.</li>
 * </ul>
 * Lookups decode a map and allocate, so the query path reaches this only through {@link GeoCache}.
 */
public final class MmdbGeoDatabase implements GeoLocator, AutoCloseable {
    private final Reader reader;
    private final Path file;
    private final boolean ipv4Only;

    private MmdbGeoDatabase(Reader reader, Path file) {
        this.reader = reader;
        this.file = file;
        this.ipv4Only = reader.getMetadata().ipVersion() == 4;
    }

    public static MmdbGeoDatabase open(Path file) throws IOException {
        try {
            return new MmdbGeoDatabase(new Reader(file.toFile(), new CHMCache()), file);
        } catch (IOException | RuntimeException e) {
            throw new SourceFormatException(file + ": not a readable MaxMind DB file (" + e.getMessage() + ")");
        }
    }

    /**
     * The tree node where the lookup ends (MMDB "network") is a block whose addresses all share the
     * record, so the answer holds for it, or for the client's own network if that is shorter.
     */
    @Override
    public GeoLocation locate(IpPrefix client) {
        if (client.ipv6() && ipv4Only) {
            return GeoLocation.unknown(client.truncate(0));
        }
        DatabaseRecord<Map> record;
        try {
            record = reader.getRecord(InetAddress.getByAddress(client.addressBytes()), Map.class);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": lookup of " + client + " failed", e);
        }
        // An IPv4 lookup in an IPv6 tree reports the length in IPv4 bits.
        int nodeLength = record == null ? client.length() : record.network().prefixLength();
        if (record != null && client.ipv6() && record.network().networkAddress().getAddress().length == 4) {
            // An IPv4-mapped client: the JDK made it an IPv4 lookup, so the length is in IPv4 bits.
            nodeLength += 96;
        }
        IpPrefix holds = client.truncate(Math.min(nodeLength, client.length()));
        if (record == null || record.data() == null) {
            return GeoLocation.unknown(holds);
        }
        GeoLocation location = toLocation(record.data(), holds, nodeLength);
        return location == null ? GeoLocation.unknown(holds) : location;
    }

    @SuppressWarnings("rawtypes")
    static GeoLocation toLocation(Map data, IpPrefix holds, int sourceLength) {
        Object location = data.get("location");
        Map coordinates = location instanceof Map ? (Map) location : data;
        Number latitude = number(coordinates.get("latitude"));
        Number longitude = number(coordinates.get("longitude"));
        if (latitude == null || longitude == null) {
            return null;
        }
        String country = "";
        if (data.get("country") instanceof Map countryMap && countryMap.get("iso_code") instanceof String code) {
            country = code;
        } else if (data.get("country_code") instanceof String code) {
            country = code;
        }
        return new GeoLocation(latitude.doubleValue(), longitude.doubleValue(), country, subdivision(data, country),
                holds, sourceLength);
    }

    /**
     * The record's subdivision as an ISO 3166-2 code, or "" where it has none, names one we have no
     * code for, or holds something that is not a subdivision code of its country (a bad record costs
     * the subdivision, not the location).
     */
    @SuppressWarnings("rawtypes")
    private static String subdivision(Map data, String country) {
        String code = "";
        if (data.get("subdivisions") instanceof List list && !list.isEmpty() && list.get(0) instanceof Map first
                && first.get("iso_code") instanceof String part) {
            code = country + "-" + part.strip().toUpperCase(Locale.ROOT);
        } else if (data.get("state1") instanceof String name && !name.isBlank()) {
            code = SubdivisionNames.builtIn().code(country, name).orElse("");
        }
        return GeoLocation.isSubdivisionOf(code, country) ? code : "";
    }

    private static Number number(Object value) {
        return value instanceof Number n ? n : null;
    }

    @Override
    public String describe() {
        return "MMDB " + file + " (" + reader.getMetadata().databaseType() + ", IPv" + reader.getMetadata().ipVersion()
                + ", " + reader.getMetadata().nodeCount() + " nodes)";
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
