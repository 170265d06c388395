package io.wayfinder.imports.azure;

import io.wayfinder.profile.DnsNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code wayfinder import azure}: Azure Traffic Manager profiles (an ARM template export, or what
 * {@code az network traffic-manager profile show|list} prints) to a Wayfinder configuration file.
 * Wayfinder's property names are Azure's, flattened, so most of it is a copy; what differs is said
 * in the notes: what Azure has and Wayfinder cannot take (an Azure endpoint known only by its
 * resource id, a region outside the catalogue, a monitor setting outside Wayfinder's ranges), and
 * what the file needs that Azure does not have (the zone the profiles' names live in: Azure's is
 * trafficmanager.net).
 *
 * <p>The file is meant to pass {@code check-config} as written; the command checks it does.
 */
public final class AzureImport {
    /** A zone name nobody owns (RFC 2606), for the operator to replace. */
    public static final String PLACEHOLDER_ZONE = "example.invalid";

    private AzureImport() {
    }

    /**
     * What to put around the profiles.
     *
     * @param zone        the zone the profiles' names are in, or null for {@link #PLACEHOLDER_ZONE}
     * @param nameservers the zone's name servers; empty for {@code ns1.<zone>}
     * @param source      where the export came from, for the file's header
     */
    public record Options(String zone, List<String> nameservers, String source) {
        public Options {
            nameservers = List.copyOf(nameservers);
        }
    }

    /**
     * The converted file and what it does not carry.
     *
     * @param yaml      the configuration
     * @param profiles  the profiles converted
     * @param endpoints the endpoints converted, over all profiles
     * @param notes     what was left out or changed, and why
     */
    public record Result(String yaml, int profiles, int endpoints, List<ImportNote> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /** The input could not be read as an Azure export at all. */
    public static final class InvalidExport extends Exception {
        InvalidExport(String message) {
            super(message);
        }
    }

    /**
     * @throws InvalidExport when the text is not JSON, holds no Traffic Manager profile, or the
     *                       options name an invalid zone or name server
     */
    public static Result convert(String json, Options options) throws InvalidExport {
        String zone = options.zone() == null ? PLACEHOLDER_ZONE : options.zone().strip().toLowerCase(Locale.ROOT);
        if (zone.endsWith(".")) {
            zone = zone.substring(0, zone.length() - 1);
        }
        String zoneProblem = DnsNames.problem(zone);
        if (zoneProblem != null) {
            throw new InvalidExport("--zone '" + options.zone() + "' is not a valid DNS name: " + zoneProblem);
        }
        List<String> nameservers = new ArrayList<>();
        for (String ns : options.nameservers().isEmpty() ? List.of("ns1." + zone) : options.nameservers()) {
            String name = ns.strip().toLowerCase(Locale.ROOT);
            name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
            String problem = DnsNames.problem(name);
            if (problem != null) {
                throw new InvalidExport("--nameserver '" + ns + "' is not a valid DNS name: " + problem);
            }
            nameservers.add(name);
        }
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(json);
        } catch (JacksonException e) {
            throw new InvalidExport("not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidExport("the file is empty");
        }
        AzureExport export;
        try {
            export = AzureExport.of(root);
        } catch (IllegalArgumentException e) {
            throw new InvalidExport(e.getMessage());
        }
        ProfileConverter converter = new ProfileConverter(export);
        List<Object> profiles = converter.convertAll();
        List<ImportNote> notes = new ArrayList<>(export.notes());
        notes.addAll(converter.notes());
        Map<String, Object> document = document(zone, options, nameservers, profiles, converter);
        return new Result(YamlText.write(document), converter.profileCount(), converter.endpointCount(), notes);
    }

    private static Map<String, Object> document(String zone, Options options, List<String> nameservers,
                                                List<Object> profiles, ProfileConverter converter) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("#1", "Converted from Azure Traffic Manager (" + options.source() + ") by `wayfinder import azure`: "
                + converter.profileCount() + " profile(s), " + converter.endpointCount() + " endpoint(s). Check it with"
                + " `wayfinder check-config FILE`.");
        doc.put("#2", "Azure answered each profile at RELATIVENAME.trafficmanager.net; Wayfinder answers it at"
                + " RELATIVENAME." + zone + ", in a zone it is authoritative for (README: Putting a real domain behind"
                + " Wayfinder): where your own names are CNAMEs to the trafficmanager.net ones, point them at these.");
        if (options.zone() == null) {
            doc.put("#3", "EDIT BEFORE SERVING: " + PLACEHOLDER_ZONE + " is a placeholder for your zone"
                    + " (or run the import again with --zone NAME --nameserver NAME).");
        }
        Map<String, Object> zoneEntry = new LinkedHashMap<>();
        zoneEntry.put("name", zone);
        zoneEntry.put("nameservers", new ArrayList<Object>(nameservers));
        doc.put("zones", List.of(zoneEntry));
        if (converter.usesPerformance()) {
            doc.put("#4", "Performance routing estimates each client's RTT to each region from a latency table and"
                    + " geolocation: add latency.sources and geolocation (README: Data files); without them it"
                    + " cannot tell which region is nearest.");
        }
        doc.put("profiles", profiles);
        return doc;
    }
}
