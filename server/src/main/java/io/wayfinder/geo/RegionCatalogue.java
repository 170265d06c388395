package io.wayfinder.geo;

import io.wayfinder.source.CsvLines;
import io.wayfinder.source.SourceFormatException;
import io.wayfinder.text.Suggestions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The regions endpoints can be placed in: the public regions of Azure, AWS and Google Cloud
 * (the resource {@code regions.csv}, which cites where its coordinates come from), plus regions an
 * operator adds. A region is found by its name or its display name (Azure's "East US" for
 * eastus), with case and white space ignored; no two regions answer to the same spelling.
 */
public final class RegionCatalogue {
    private static final String BUILT_IN = "regions.csv";
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    /** Every region once, by its folded name, in catalogue order. */
    private final Map<String, Region> byName;
    /** Every region by its folded name and by its folded display name. */
    private final Map<String, Region> bySpelling;

    private RegionCatalogue(Map<String, Region> byName, Map<String, Region> bySpelling) {
        this.byName = Collections.unmodifiableMap(byName);
        this.bySpelling = Collections.unmodifiableMap(bySpelling);
    }

    /** The regions shipped with Wayfinder. */
    public static RegionCatalogue builtIn() {
        return BuiltIn.INSTANCE;
    }

    private static final class BuiltIn {
        static final RegionCatalogue INSTANCE = load();

        private static RegionCatalogue load() {
            try (InputStream in = RegionCatalogue.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + BUILT_IN + " is missing from the build");
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                CsvLines lines = new CsvLines(Path.of(BUILT_IN), reader);
                lines.expectHeader("cloud", "name", "latitude", "longitude", "location", "display");
                RegionCatalogue catalogue = new RegionCatalogue(Map.of(), Map.of());
                String[] f;
                while ((f = lines.next()) != null) {
                    if (f.length != 6) {
                        throw lines.error("expected 6 fields");
                    }
                    Region region = new Region(f[1].strip(), lines.number(f[2], "latitude", -90, 90),
                            lines.number(f[3], "longitude", -180, 180), f[0].strip(), f[4].strip(), f[5]);
                    try {
                        catalogue = catalogue.with(List.of(region));
                    } catch (IllegalArgumentException e) {
                        throw lines.error(e.getMessage());
                    }
                }
                return catalogue;
            } catch (SourceFormatException e) {
                throw new IllegalStateException("the built-in region catalogue is broken: " + e.getMessage(), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * This catalogue with more regions.
     *
     * @throws IllegalArgumentException naming a region whose name or display name another region
     *                                  already answers to (case and white space ignored)
     */
    public RegionCatalogue with(Collection<Region> extra) {
        Map<String, Region> names = new LinkedHashMap<>(byName);
        Map<String, Region> spellings = new HashMap<>(bySpelling);
        for (Region region : extra) {
            for (String spelling : region.displayName().isEmpty() ? List.of(region.name())
                    : List.of(region.name(), region.displayName())) {
                Region other = spellings.get(key(spelling));
                if (other != null && other != region) {
                    throw new IllegalArgumentException("region '" + spelling + "' already exists in the catalogue: "
                            + describe(other));
                }
                spellings.put(key(spelling), region);
            }
            names.put(key(region.name()), region);
        }
        return new RegionCatalogue(names, spellings);
    }

    private static String describe(Region region) {
        return region.provider() + " region " + region.name()
                + (region.displayName().isEmpty() ? "" : " (\"" + region.displayName() + "\")");
    }

    /** The region named {@code name} or displayed as {@code name} ("East US"), case and white space ignored. */
    public Optional<Region> find(String name) {
        return Optional.ofNullable(lookup(name));
    }

    public boolean contains(String name) {
        return lookup(name) != null;
    }

    /**
     * A spelling that is a key already (a region's name as tables keep it: "westeurope") is found
     * as it is, since {@link #key} leaves a key unchanged; any other is normalized first. A reload's
     * distance fit looks up 200,000 measurements' regions, and the regular expression's matcher and
     * strings for each were 80-100 MB of garbage per reload (JFR allocation samples), about two
     * young collections while queries were answered.
     */
    private Region lookup(String name) {
        Region exact = bySpelling.get(name);
        return exact != null ? exact : bySpelling.get(key(name));
    }

    public Collection<Region> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }

    /** The closest known name, for "did you mean" messages; empty when nothing is close. */
    public Optional<String> suggest(String unknown) {
        return Suggestions.closest(unknown, names());
    }

    /** Names of every region, for messages and listings. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Region region : byName.values()) {
            names.add(region.name());
        }
        return names;
    }

    /**
     * Two catalogues are equal when they hold the same regions in the same order: a configuration
     * read again from an unchanged file then equals the one served, whose routing plan a reload
     * keeps ({@code ConfigLoader}).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof RegionCatalogue other && List.copyOf(byName.values()).equals(List.copyOf(other.byName.values()));
    }

    @Override
    public int hashCode() {
        return List.copyOf(byName.values()).hashCode();
    }

    /** How names are compared: "East US", "eastus" and "EAST  US" are one spelling. */
    private static String key(String name) {
        return WHITE_SPACE.matcher(name).replaceAll("").toLowerCase(Locale.ROOT);
    }

}
