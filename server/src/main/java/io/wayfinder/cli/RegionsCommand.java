package io.wayfinder.cli;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import java.util.LinkedHashSet;
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
        // The coordinates right-aligned, so their digits line up.
        Table table = new Table("NAME", "DISPLAY NAME", "LOCATION", "LATITUDE", "LONGITUDE", "PROVIDER").alignRight(3, 4);
        for (Region region : catalogue.all()) {
            if (wanted == null || region.provider().equals(wanted)) {
                table.row(region.name(), region.displayName(), region.location(), number(region.latitude()),
                        number(region.longitude()), region.provider());
            }
        }
        System.out.print(table);
        return 0;
    }

    /** As the catalogue gives it (at most four decimals), without a trailing ".0". */
    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
