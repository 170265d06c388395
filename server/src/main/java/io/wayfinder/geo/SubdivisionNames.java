package io.wayfinder.geo;

import java.io.BufferedReader;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * ISO 3166-2 codes of states and provinces by name, for geolocation sources that name a client's
 * subdivision rather than code it (DB-IP writes "California", not "US-CA"). The built-in table,
 * {@code subdivision-names.tsv}, covers every subdivision Geographic routing can match and cites its
 * sources. Names match ignoring case and accents; the country tells apart names that several
 * countries use (Georgia, Victoria).
 */
public final class SubdivisionNames {
    static final String BUILT_IN = "subdivision-names.tsv";
    static final String[] HEADER = {"code", "name", "also"};

    /** {@code "US california"} (country, space, folded name) to {@code "US-CA"}. */
    private final Map<String, String> codes;

    private SubdivisionNames(Map<String, String> codes) {
        this.codes = Collections.unmodifiableMap(codes);
    }

    /** The table shipped with Wayfinder, read once. */
    public static SubdivisionNames builtIn() {
        return BuiltIn.INSTANCE;
    }

    private static final class BuiltIn {
        static final SubdivisionNames INSTANCE =
                read(TabSeparatedResource.open(SubdivisionNames.class, BUILT_IN, HEADER));
    }

    /** A table read from another text in the built-in format; for tests of its checks. */
    static SubdivisionNames read(String name, BufferedReader in) {
        return read(new TabSeparatedResource(name, in, HEADER));
    }

    /** @throws IllegalStateException naming the line of a bad code or of a name given to two codes */
    private static SubdivisionNames read(TabSeparatedResource table) {
        Map<String, String> codes = new HashMap<>();
        String[] f;
        while ((f = table.next()) != null) {
            String code = f[0];
            if (code.length() < 2 || !GeoLocation.isSubdivisionOf(code, code.substring(0, 2))) {
                throw table.error("'" + code + "' is not an ISO 3166-2 subdivision code");
            }
            if (f[1].isEmpty()) {
                throw table.error(code + " needs a name");
            }
            String country = code.substring(0, 2);
            add(table, codes, country, f[1], code);
            if (!f[2].isEmpty()) {
                for (String other : f[2].split(";")) {
                    add(table, codes, country, other, code);
                }
            }
        }
        return new SubdivisionNames(codes);
    }

    private static void add(TabSeparatedResource table, Map<String, String> codes, String country, String name,
                            String code) {
        String previous = codes.putIfAbsent(key(country, name), code);
        if (previous != null && !previous.equals(code)) {
            throw table.error("'" + name.strip() + "' already names " + previous);
        }
    }

    /** The ISO 3166-2 code of the subdivision of {@code countryCode} that is called {@code name}. */
    public Optional<String> code(String countryCode, String name) {
        return Optional.ofNullable(codes.get(key(countryCode, name)));
    }

    /** Every code the table knows, sorted. */
    public Set<String> allCodes() {
        return new TreeSet<>(codes.values());
    }

    private static String key(String country, String name) {
        return country.strip().toUpperCase(Locale.ROOT) + " " + FoldedNames.fold(name);
    }
}
