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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The regions endpoints can be placed in: the public regions of Azure, AWS and Google Cloud
 * (the resource {@code regions.csv}, which cites where its coordinates come from), plus regions an
 * operator adds. Names are case-insensitive and unique across providers.
 */
public final class RegionCatalogue {
    private static final String BUILT_IN = "regions.csv";

    private final Map<String, Region> byName;

    private RegionCatalogue(Map<String, Region> byName) {
        this.byName = Collections.unmodifiableMap(byName);
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
                lines.expectHeader("cloud", "name", "latitude", "longitude", "location");
                Map<String, Region> regions = new LinkedHashMap<>();
                String[] f;
                while ((f = lines.next()) != null) {
                    if (f.length != 5) {
                        throw lines.error("expected 5 fields");
                    }
                    Region region = new Region(f[1].strip(), lines.number(f[2], "latitude", -90, 90),
                            lines.number(f[3], "longitude", -180, 180), f[0].strip(), f[4].strip());
                    if (regions.putIfAbsent(key(region.name()), region) != null) {
                        throw lines.error("region " + region.name() + " appears twice");
                    }
                }
                return new RegionCatalogue(regions);
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
     * @throws IllegalArgumentException naming a region that already exists
     */
    public RegionCatalogue with(Collection<Region> extra) {
        Map<String, Region> merged = new LinkedHashMap<>(byName);
        for (Region region : extra) {
            if (merged.putIfAbsent(key(region.name()), region) != null) {
                throw new IllegalArgumentException("region '" + region.name() + "' already exists in the catalogue");
            }
        }
        return new RegionCatalogue(merged);
    }

    public Optional<Region> find(String name) {
        return Optional.ofNullable(byName.get(key(name)));
    }

    public boolean contains(String name) {
        return byName.containsKey(key(name));
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

    private static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
