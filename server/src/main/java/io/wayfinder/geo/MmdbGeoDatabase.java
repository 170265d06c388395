package io.wayfinder.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Reader;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.source.SourceFormatException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <h2>A file changed or damaged under the server</h2>
 * The file is read into the heap when opened ({@link Reader.FileMode#MEMORY}), not memory-mapped:
 * a mapped file that is overwritten in place (as {@code cp} does: truncate, then write) changes
 * under the lookups, which then read a half-written tree, or fault on pages past the new end of the
 * file. A copy in memory answers as it was loaded until a reload replaces it; the cost is the file's
 * size in heap (twice during a reload). Damage is looked for when the file is opened (its metadata,
 * and the records of a spread of addresses, {@link #checkRecords}); damage that only a lookup meets
 * later makes that lookup an unknown location, counted and logged by {@link GeoLookupFailures},
 * never an exception on the query path.
 */
public final class MmdbGeoDatabase implements GeoLocator, AutoCloseable {
    private final Reader reader;
    private final Path file;
    private final boolean ipv4Only;
    private final GeoLookupFailures failures;
    /** Lookups of this database that failed, and what the first one said (null while none has). */
    private final AtomicLong failed = new AtomicLong();
    private volatile String firstFailure;

    private MmdbGeoDatabase(Reader reader, Path file, GeoLookupFailures failures) {
        this.reader = reader;
        this.file = file;
        this.ipv4Only = reader.getMetadata().ipVersion() == 4;
        this.failures = failures;
    }

    /** Opens a database whose failed lookups are counted on their own (tools and tests). */
    public static MmdbGeoDatabase open(Path file) throws IOException {
        return open(file, new GeoLookupFailures(Clock.systemUTC()));
    }

    /**
     * Reads the file into memory and checks it.
     *
     * @param failures where lookups that fail later (damage the checks did not reach) are counted
     * @throws SourceFormatException naming the file, when it is not a MaxMind DB file or is damaged
     */
    public static MmdbGeoDatabase open(Path file, GeoLookupFailures failures) throws IOException {
        Reader reader;
        try {
            reader = new Reader(file.toFile(), Reader.FileMode.MEMORY, new CHMCache());
        } catch (IOException | RuntimeException e) {
            throw new SourceFormatException(file + ": not a readable MaxMind DB file (" + e.getMessage() + ")");
        }
        MmdbGeoDatabase db = new MmdbGeoDatabase(reader, file, failures);
        db.checkRecords();
        return db;
    }

    /**
     * Decodes the records of a spread of addresses: the middle of every IPv4 /8 and, in an IPv6
     * tree, of 256 blocks across 2000::/3. A damaged tree or data section is usually met by one of
     * them; what is not is met by the lookups of the load itself ({@link #failures()}) or, at worst,
     * by a query, which then gets an unknown location.
     */
    private void checkRecords() throws SourceFormatException {
        for (int i = 0; i < 256; i++) {
            check(IpPrefix.ofIpv4((i << 24) | 0x00808080, 32));
            if (!ipv4Only) {
                check(IpPrefix.ofIpv6((0x2000L | ((long) i << 5) | 0x10) << 48, 0, 128));
            }
        }
    }

    private void check(IpPrefix address) throws SourceFormatException {
        try {
            lookup(address);
        } catch (IOException | RuntimeException e) {
            throw new SourceFormatException(file + ": damaged: the record of " + address.addressText()
                    + " cannot be decoded (" + e.getMessage() + ")");
        }
    }

    /**
     * The tree node where the lookup ends (MMDB "network") is a block whose addresses all share the
     * record, so the answer holds for it, or for the client's own network if that is shorter. A
     * lookup that fails (a damaged file) is an unknown location for the client's own network.
     */
    @Override
    public GeoLocation locate(IpPrefix client) {
        try {
            return lookup(client);
        } catch (IOException | RuntimeException e) {
            if (failed.getAndIncrement() == 0) {
                firstFailure = "lookup of " + client + ": " + e.getMessage();
            }
            failures.record(file, client, e);
            return GeoLocation.unknown(client);
        }
    }

    private GeoLocation lookup(IpPrefix client) throws IOException {
        if (client.ipv6() && ipv4Only) {
            return GeoLocation.unknown(client.truncate(0));
        }
        DatabaseRecord<Map> record;
        try {
            record = reader.getRecord(InetAddress.getByAddress(client.addressBytes()), Map.class);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes is always valid", e);
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

    /** Lookups of this database that failed since it was opened. */
    public long failures() {
        return failed.get();
    }

    /** What the first failed lookup said, or null when none has failed. */
    public String firstFailure() {
        return firstFailure;
    }

    /** The file the database was read from. */
    public Path file() {
        return file;
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
