package io.wayfinder.cli;

import io.wayfinder.geo.GeoCode;
import io.wayfinder.geo.GeoCodeCatalogue;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "geo-codes", mixinStandardHelpOptions = true,
        description = {"List the codes an endpoint's geoMapping can use, as a tree (code, name).",
            "Azure Traffic Manager's hierarchy: WORLD, regional groupings (GEO-EU, ...), countries (FR),",
            "states and provinces (US-CA). A client matches the most specific code that contains it."})
final class GeoCodesCommand implements Callable<Integer> {
    /** Spaces of indentation per level of the tree. */
    private static final int INDENT = 2;

    @Option(names = "--under", paramLabel = "CODE", description = "List only CODE and what lies below it (e.g. US, GEO-EU).")
    String under;

    @Override
    public Integer call() {
        GeoCodeCatalogue catalogue = GeoCodeCatalogue.builtIn();
        int root = 0;
        if (under != null) {
            root = catalogue.indexOf(under);
            if (root < 0) {
                System.err.println("--under: unknown geographic code '" + under + "'"
                        + catalogue.suggest(under).map(code -> " (did you mean '" + code + "'?)").orElse(""));
                return WayfinderCommand.EXIT_INVALID_CONFIG;
            }
        }
        List<GeoCode> listed = catalogue.subtree(root);
        int top = listed.get(0).kind().ordinal();
        int width = 0;
        for (GeoCode code : listed) {
            width = Math.max(width, indent(code, top).length() + code.code().length());
        }
        for (GeoCode code : listed) {
            String left = indent(code, top) + code.code();
            System.out.println(left + " ".repeat(width - left.length() + 2) + code.name());
        }
        return 0;
    }

    /** Each kind sits one level below the one before it, so the kind gives the depth. */
    private static String indent(GeoCode code, int top) {
        return " ".repeat((code.kind().ordinal() - top) * INDENT);
    }
}
