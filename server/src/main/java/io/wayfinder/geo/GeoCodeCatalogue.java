package io.wayfinder.geo;

import io.wayfinder.geo.GeoCode.Kind;
import io.wayfinder.text.Suggestions;
import java.io.BufferedReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The geographic codes Geographic routing understands, as a tree rooted at {@code WORLD}: Azure
 * Traffic Manager's regional groupings, the countries in each, and the states/provinces of the few
 * countries Azure subdivides (the resource {@code geo-codes.tsv}, which cites its sources).
 *
 * <p>Design note. Configuration resolves each {@code geoMapping} code to an int once
 * ({@link #indexOf}); a query then needs only {@link #mostSpecific} (two {@code HashMap} lookups
 * with the location's own strings, no allocation) and {@link #parent} (an array read) to walk from
 * the client's most specific entry up to {@code WORLD}, at most four steps. Entries are numbered in
 * hierarchy order (each entry directly followed by everything below it), so an entry's subtree is
 * the index range {@code [index, subtreeEnd)} and listings need no sorting.
 */
public final class GeoCodeCatalogue {
    static final String BUILT_IN = "geo-codes.tsv";
    static final String[] HEADER = {"code", "parent", "name", "alpha3", "iso"};

    private static final Pattern REGION_CODE = Pattern.compile("GEO-[A-Z]{2}");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");
    private static final Pattern ALPHA3 = Pattern.compile("[A-Z]{3}");

    /**
     * ISO 3166 reserves UK for the United Kingdom but it is not an assigned code; it is the likeliest
     * wrong code of all, and two letters from a dozen real ones, so it gets its answer here.
     */
    private static final Map<String, String> KNOWN_MISTAKES = Map.of("uk", "GB");

    /** Every entry, in hierarchy order: {@code codes.get(i).index() == i}. */
    private final List<GeoCode> codes;
    /** {@code parents[i]}: index of entry i's parent, -1 for WORLD. */
    private final int[] parents;
    /** Entry i and everything below it are the indices {@code i .. subtreeEnds[i] - 1}. */
    private final int[] subtreeEnds;
    /** Upper-case code to index. */
    private final Map<String, Integer> byCode;
    /**
     * Country codes and ISO 3166-2 subdivision codes, as geolocation sources write them, to the
     * entry that covers them; keys of the two kinds cannot clash (only subdivisions hold a '-').
     */
    private final Map<String, Integer> byLocationCode;
    /** Folded names and ISO alpha-3 codes to a code, for "did you mean". */
    private final Map<String, String> byAlias;

    private GeoCodeCatalogue(List<GeoCode> codes, int[] parents, int[] subtreeEnds,
                             Map<String, Integer> byLocationCode, Map<String, String> byAlias) {
        this.codes = Collections.unmodifiableList(codes);
        this.parents = parents;
        this.subtreeEnds = subtreeEnds;
        this.byLocationCode = byLocationCode;
        this.byAlias = byAlias;
        this.byCode = new HashMap<>();
        for (GeoCode code : codes) {
            byCode.put(code.code(), code.index());
        }
    }

    /** The hierarchy shipped with Wayfinder, read once. */
    public static GeoCodeCatalogue builtIn() {
        return BuiltIn.INSTANCE;
    }

    private static final class BuiltIn {
        static final GeoCodeCatalogue INSTANCE =
                read(TabSeparatedResource.open(GeoCodeCatalogue.class, BUILT_IN, HEADER));
    }

    /** A catalogue read from another table in the built-in format; for tests of its checks. */
    static GeoCodeCatalogue read(String name, BufferedReader in) {
        return read(new TabSeparatedResource(name, in, HEADER));
    }

    /**
     * Reads the table and numbers its entries in hierarchy order.
     *
     * @throws IllegalStateException naming the line of the first entry that breaks the tree
     */
    private static GeoCodeCatalogue read(TabSeparatedResource table) {
        Map<String, Row> rows = new LinkedHashMap<>();
        String[] f;
        while ((f = table.next()) != null) {
            Row row = Row.check(table, f, rows);
            rows.put(row.code, row);
        }
        Row world = rows.get("WORLD");
        if (world == null) {
            throw table.error("the table has no WORLD entry");
        }
        List<GeoCode> codes = new ArrayList<>(rows.size());
        int[] parents = new int[rows.size()];
        int[] subtreeEnds = new int[rows.size()];
        number(world, -1, codes, parents, subtreeEnds);

        Map<String, Integer> byLocationCode = new HashMap<>();
        Map<String, String> byAlias = new HashMap<>();
        for (GeoCode code : codes) {
            Row row = rows.get(code.code());
            if (code.kind() == Kind.COUNTRY) {
                byLocationCode.put(code.code(), code.index());
            } else if (code.kind() == Kind.SUBDIVISION) {
                for (String iso : row.iso.isEmpty() ? List.of(code.code()) : row.iso) {
                    byLocationCode.put(iso, code.index());
                }
            }
            if (!row.alpha3.isEmpty()) {
                byAlias.put(row.alpha3.toLowerCase(Locale.ROOT), code.code());
            }
        }
        // Broadest kinds first, so that a name shared by a country and a state (Georgia) means the country.
        for (Kind kind : Kind.values()) {
            for (GeoCode code : codes) {
                if (code.kind() == kind) {
                    byAlias.putIfAbsent(FoldedNames.fold(code.name()), code.code());
                }
            }
        }
        return new GeoCodeCatalogue(codes, parents, subtreeEnds, byLocationCode, byAlias);
    }

    /** Numbers {@code row} and, depth first, everything below it. */
    private static void number(Row row, int parent, List<GeoCode> codes, int[] parents, int[] subtreeEnds) {
        int index = codes.size();
        codes.add(new GeoCode(row.code, row.name, row.kind, row.parent, index));
        parents[index] = parent;
        for (Row child : row.children) {
            number(child, index, codes, parents, subtreeEnds);
        }
        subtreeEnds[index] = codes.size();
    }

    /** One line of the table, checked against the lines before it. */
    private static final class Row {
        final String code;
        final String parent;
        final String name;
        final Kind kind;
        final String alpha3;
        final List<String> iso;
        final List<Row> children = new ArrayList<>();

        private Row(String code, String parent, String name, Kind kind, String alpha3, List<String> iso) {
            this.code = code;
            this.parent = parent;
            this.name = name;
            this.kind = kind;
            this.alpha3 = alpha3;
            this.iso = iso;
        }

        /**
         * A parent must come before its children, which makes the table a tree by construction:
         * every parent exists and no entry can be its own ancestor.
         */
        static Row check(TabSeparatedResource table, String[] f, Map<String, Row> before) {
            String code = f[0];
            String parentCode = f[1];
            if (code.isEmpty() || f[2].isEmpty()) {
                throw table.error("an entry needs a code and a name");
            }
            if (before.containsKey(code.toUpperCase(Locale.ROOT))) {
                throw table.error("code " + code + " appears twice");
            }
            Row parent = null;
            Kind kind;
            if (parentCode.isEmpty()) {
                if (!code.equals("WORLD")) {
                    throw table.error(code + " has no parent; only WORLD is the root");
                }
                kind = Kind.WORLD;
            } else {
                parent = before.get(parentCode);
                if (parent == null) {
                    throw table.error(code + ": parent " + parentCode + " is not listed above it");
                }
                if (parent.kind == Kind.SUBDIVISION) {
                    throw table.error(code + ": " + parentCode + " is a subdivision, which has nothing below it");
                }
                kind = Kind.values()[parent.kind.ordinal() + 1];
            }
            boolean shaped = switch (kind) {
                case WORLD -> true;
                case REGION -> REGION_CODE.matcher(code).matches();
                case COUNTRY -> COUNTRY_CODE.matcher(code).matches();
                case SUBDIVISION -> GeoLocation.isSubdivisionOf(code, parentCode);
            };
            if (!shaped) {
                throw table.error(code + " is not shaped like a " + kind.name().toLowerCase(Locale.ROOT) + " code"
                        + (kind == Kind.SUBDIVISION ? " of " + parentCode : ""));
            }
            String alpha3 = f[3];
            if (!alpha3.isEmpty() && (kind != Kind.COUNTRY || !ALPHA3.matcher(alpha3).matches())) {
                throw table.error(code + ": alpha3 '" + alpha3 + "' must be empty or a country's three letters");
            }
            List<String> iso = f[4].isEmpty() ? List.of() : Arrays.asList(f[4].split("\\s+"));
            if (!iso.isEmpty() && kind != Kind.SUBDIVISION) {
                throw table.error(code + ": iso codes are for subdivisions only");
            }
            for (String each : iso) {
                if (!GeoLocation.isSubdivisionOf(each, parentCode)) {
                    throw table.error(code + ": iso '" + each + "' must be an ISO 3166-2 code of " + parentCode);
                }
            }
            Row row = new Row(code, parent == null ? null : parent.code, f[2], kind, alpha3, iso);
            if (parent != null) {
                parent.children.add(row);
            }
            return row;
        }
    }

    /** The entry with this code, ignoring case and surrounding spaces. */
    public Optional<GeoCode> find(String code) {
        int index = indexOf(code);
        return index < 0 ? Optional.empty() : Optional.of(codes.get(index));
    }

    /** The index of the entry with this code (ignoring case and surrounding spaces), or -1. */
    public int indexOf(String code) {
        Integer index = byCode.get(code.strip().toUpperCase(Locale.ROOT));
        return index == null ? -1 : index;
    }

    public GeoCode at(int index) {
        return codes.get(index);
    }

    /** The index of the entry that contains entry {@code index}; -1 for WORLD. */
    public int parent(int index) {
        return parents[index];
    }

    /**
     * The most specific entry that contains the location: its subdivision where the catalogue has
     * it, else its country; -1 for an unknown location or a country the catalogue lacks. Allocates
     * nothing.
     */
    public int mostSpecific(GeoLocation location) {
        // "" is never a key, so a location without a subdivision falls through to its country.
        Integer index = byLocationCode.get(location.subdivision());
        if (index == null) {
            index = byLocationCode.get(location.countryCode());
        }
        return index == null ? -1 : index;
    }

    /** Every entry in hierarchy order: each entry directly followed by everything below it. */
    public List<GeoCode> all() {
        return codes;
    }

    /** Entry {@code index} followed by everything below it, in hierarchy order. */
    public List<GeoCode> subtree(int index) {
        return codes.subList(index, subtreeEnds[index]);
    }

    public int size() {
        return codes.size();
    }

    /**
     * The code someone who typed {@code unknown} most likely meant, for "did you mean" messages:
     * the code of a name ("France", "Europe") or of an ISO alpha-3 code ("FRA"), else the nearest
     * code, else the code of the nearest name; empty when nothing is close.
     */
    public Optional<String> suggest(String unknown) {
        String wanted = unknown.strip();
        String folded = FoldedNames.fold(wanted);
        String alias = byAlias.getOrDefault(folded, KNOWN_MISTAKES.get(folded));
        if (alias != null) {
            return Optional.of(alias);
        }
        Optional<String> code = nearestCode(wanted.toUpperCase(Locale.ROOT));
        if (code.isPresent()) {
            return code;
        }
        List<String> names = codes.stream().map(GeoCode::name).toList();
        return Suggestions.closest(wanted, names).map(name -> byAlias.get(FoldedNames.fold(name)));
    }

    /**
     * The code at the fewest edits from {@code wanted}, as {@link Suggestions#closest} measures, with
     * two differences that codes need: among equally near codes the one sharing the longest start
     * wins ({@code US-CAL} is {@code US-CA}, not {@code US-AL}), and input of three characters or
     * fewer may be one edit away only, since every two-letter code is two edits from every other.
     */
    private Optional<String> nearestCode(String wanted) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestShared = -1;
        for (GeoCode code : codes) {
            int distance = Suggestions.editDistance(wanted, code.code());
            int shared = sharedStart(wanted, code.code());
            if (distance < bestDistance || distance == bestDistance && shared > bestShared) {
                best = code.code();
                bestDistance = distance;
                bestShared = shared;
            }
        }
        int allowed = wanted.length() <= 3 ? 1 : Math.max(2, wanted.length() / 4);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int sharedStart(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }
}
