package io.wayfinder.geo;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Place names compared the way people and databases write them: case, accents and runs of spaces
 * do not matter ("Québec", "QUEBEC" and "Quebec" are one name).
 */
final class FoldedNames {
    private FoldedNames() {
    }

    static String fold(String name) {
        String decomposed = Normalizer.normalize(name.strip(), Normalizer.Form.NFD);
        return decomposed.replaceAll("\\p{M}+", "").replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
