package io.wayfinder.cli;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "regions", mixinStandardHelpOptions = true,
        description = {"List the built-in cloud regions that an endpointLocation can name.",
            "Columns: name, display name (Azure's, also accepted wherever a region is named),",
            "location, latitude, longitude, provider."})
final class RegionsCommand implements Callable<Integer> {

    @Option(names = "--provider", paramLabel = "azure|aws|gcp", description = "List only this provider's regions.")
    String provider;

    @Override
    public Integer call() {
        RegionCatalogue catalogue = RegionCatalogue.builtIn();
        Set<String> providers = new LinkedHashSet<>();
        catalogue.all().forEach(region -> providers.add(region.provider()));
        String wanted = provider == null ? null : provider.strip().toLowerCase(Locale.ROOT);
        if (wanted != null && !providers.contains(wanted)) {
            System.err.println("--provider: unknown provider '" + provider + "'; providers: " + String.join(", ", providers));
            return WayfinderCommand.EXIT_INVALID_CONFIG;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "DISPLAY NAME", "LOCATION", "LATITUDE", "LONGITUDE", "PROVIDER"});
        for (Region region : catalogue.all()) {
            if (wanted == null || region.provider().equals(wanted)) {
                rows.add(new String[] {region.name(), region.displayName().isEmpty() ? "-" : region.displayName(),
                    region.location(), number(region.latitude()),
                    number(region.longitude()), region.provider()});
            }
        }
        print(rows);
        return 0;
    }

    /** Columns padded to their widest cell; the coordinates right-aligned so their digits line up. */
    private static void print(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i == 3 || i == 4;
                String pad = " ".repeat(widths[i] - row[i].length());
                line.append(numeric ? pad + row[i] : i == row.length - 1 ? row[i] : row[i] + pad);
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            System.out.println(line);
        }
    }

    /** As the catalogue gives it (at most four decimals), without a trailing ".0". */
    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
