package io.wayfinder.imports.azure;

import io.wayfinder.geo.GeoCode;
import io.wayfinder.geo.GeoCodeCatalogue;
import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.DnsNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One Azure profile at a time to the mapping Wayfinder's YAML reader takes. Every field is copied
 * under its own name, checked against what Wayfinder accepts on the way; what cannot be copied is
 * left out with a note (and, for a whole endpoint, a comment where it would have been), so that the
 * file passes {@code check-config} and the operator knows what to finish by hand.
 */
final class ProfileConverter {
    private static final List<String> METHODS = List.of("Performance", "Priority", "Weighted", "Geographic",
            "MultiValue", "Subnet");
    private static final Pattern PROFILE_ID = Pattern.compile("(?i)/trafficManagerProfiles/([^/]+)/?$");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Wayfinder's and Azure's limit on custom headers and on status code ranges. */
    private static final int MAX_LISTED = 8;

    private final AzureExport export;
    private final RegionCatalogue regions = RegionCatalogue.builtIn();
    private final GeoCodeCatalogue codes = GeoCodeCatalogue.builtIn();
    private final List<ImportNote> notes = new ArrayList<>();
    /** The profiles that will be in the file, by lower-case name. */
    private final Map<String, AzureExport.Profile> kept = new LinkedHashMap<>();
    private int endpointCount;
    private boolean performance;

    ProfileConverter(AzureExport export) {
        this.export = export;
    }

    List<ImportNote> notes() {
        return notes;
    }

    int profileCount() {
        return kept.size();
    }

    int endpointCount() {
        return endpointCount;
    }

    /** Whether a converted Performance profile has endpoints (and so needs latency data). */
    boolean usesPerformance() {
        return performance;
    }

    /** Every profile that can be converted, in the export's order; first decides which can, so that nested references know. */
    List<Object> convertAll() {
        for (AzureExport.Profile p : export.profiles()) {
            String name = p.name().strip();
            if (name.isEmpty()) {
                notes.add(ImportNote.profile("(unnamed)", "not imported: the profile has no name"));
            } else if (method(p.properties()) == null) {
                String written = p.properties().path("trafficRoutingMethod").asString("");
                notes.add(ImportNote.profile(name, "not imported: trafficRoutingMethod '" + written + "' is not one of "
                        + String.join(", ", METHODS)));
            } else if (kept.putIfAbsent(name.toLowerCase(Locale.ROOT), p) != null) {
                notes.add(ImportNote.profile(name, "not imported: a second profile of that name (Wayfinder profile"
                        + " names are unique, case ignored); rename it and import it on its own"));
            }
        }
        List<Object> out = new ArrayList<>();
        for (AzureExport.Profile p : kept.values()) {
            out.add(profile(p));
        }
        return out;
    }

    private static String method(ObjectNode properties) {
        String written = properties.path("trafficRoutingMethod").asString("").strip();
        return METHODS.stream().filter(m -> m.equalsIgnoreCase(written)).findFirst().orElse(null);
    }

    private Map<String, Object> profile(AzureExport.Profile p) {
        Fields f = new Fields(p.properties(), p.name().strip(), null);
        String method = method(p.properties());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", f.profile);
        out.put("trafficRoutingMethod", method);
        if ("Disabled".equalsIgnoreCase(f.text("profileStatus"))) {
            out.put("profileStatus", "Disabled");
        }
        Map<String, Object> dns = new LinkedHashMap<>();
        Fields dnsConfig = f.object("dnsConfig");
        if (dnsConfig != null) {
            String relative = dnsConfig.text("relativeName");
            if (relative != null) {
                relative = relative.toLowerCase(Locale.ROOT);
                String problem = DnsNames.problem(relative);
                if (problem == null) {
                    dns.put("relativeName", relative);
                } else {
                    f.note("dnsConfig.relativeName '" + relative + "' left out: " + problem
                            + "; without a name the profile is reachable only as a nested endpoint");
                }
            }
            Long ttl = dnsConfig.whole("ttl", 0, Integer.MAX_VALUE);
            if (ttl != null) {
                dns.put("ttl", ttl);
            }
        }
        if (!dns.isEmpty()) {
            out.put("dnsConfig", dns);
        }
        if (method.equals("MultiValue")) {
            Long maxReturn = f.whole("maxReturn", 1, 10);
            if (maxReturn != null) {
                out.put("maxReturn", maxReturn);
            }
        }
        Fields monitorFields = f.object("monitorConfig");
        Map<String, Object> monitor = monitorFields == null ? null : monitor(monitorFields);
        if (monitor != null) {
            out.put("monitorConfig", monitor);
        }
        notCarried(f);
        out.put("endpoints", endpoints(p, f, method, monitor));
        return out;
    }

    /** Profile settings Wayfinder has no place for, said once each when they do something. */
    private void notCarried(Fields f) {
        if ("Enabled".equalsIgnoreCase(f.text("trafficViewEnrollmentStatus"))) {
            f.note("Traffic View is not carried over: Wayfinder has no equivalent (explain, status and the"
                    + " metrics show how clients are routed)");
        }
        List<String> types = new ArrayList<>();
        for (JsonNode t : f.node.path("allowedEndpointRecordTypes").values()) {
            if (t.isString() && !t.asString().equalsIgnoreCase("Any")) {
                types.add(t.asString());
            }
        }
        if (!types.isEmpty()) {
            f.note("allowedEndpointRecordTypes " + types + " is not carried over: Wayfinder takes any endpoint"
                    + " type and answers a record type an endpoint cannot answer with NODATA");
        }
        String recordType = f.text("recordType");
        if (recordType != null) {
            f.note("recordType " + recordType + " is not carried over (Wayfinder answers A, AAAA or CNAME by the"
                    + " endpoint's target)");
        }
    }

    // ------------------------------------------------------------------ monitorConfig

    private Map<String, Object> monitor(Fields m) {
        Map<String, Object> out = new LinkedHashMap<>();
        String protocol = m.text("protocol");
        protocol = protocol == null ? "HTTP" : protocol.toUpperCase(Locale.ROOT);
        if (!List.of("HTTP", "HTTPS", "TCP").contains(protocol)) {
            m.note("monitorConfig left out: protocol '" + protocol + "' is not HTTP, HTTPS or TCP; the endpoints"
                    + " are served without health checks until one is added");
            return null;
        }
        boolean tcp = protocol.equals("TCP");
        out.put("protocol", protocol);
        Long port = m.whole("port", 1, 65535);
        if (port != null) {
            out.put("port", port);
        } else if (tcp) {
            m.note("monitorConfig left out: TCP probes need a port and the export has none; the endpoints are served"
                    + " without health checks until one is added");
            return null;
        }
        String path = m.text("path");
        if (tcp) {
            if (path != null) {
                m.note("monitorConfig.path '" + path + "' left out: TCP probes have no path");
            }
        } else if (path == null) {
            m.note("monitorConfig.path: the export has none; probes ask for / (Wayfinder needs a path for " + protocol + ")");
            out.put("path", "/");
        } else if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            m.note("monitorConfig.path '" + path + "' is not a path Wayfinder accepts (it starts with / and has no"
                    + " spaces or control characters); probes ask for / instead");
            out.put("path", "/");
        } else {
            out.put("path", path);
        }
        Long interval = m.whole("intervalInSeconds", 1, 3600);
        if (interval != null) {
            out.put("intervalInSeconds", interval);
        }
        Double timeout = m.decimal("timeoutInSeconds");
        long effectiveInterval = interval == null ? 30 : interval;
        if (timeout != null) {
            if (timeout < 0.1 || timeout >= effectiveInterval) {
                m.note("monitorConfig.timeoutInSeconds " + number(timeout) + " left out: Wayfinder needs 0.1 s or more and"
                        + " less than intervalInSeconds (" + effectiveInterval + "); its default applies");
            } else {
                out.put("timeoutInSeconds", timeout == Math.rint(timeout) ? (Object) (long) (double) timeout : timeout);
            }
        }
        Long tolerated = m.whole("toleratedNumberOfFailures", 0, Long.MAX_VALUE);
        if (tolerated != null) {
            if (tolerated > 9) {
                m.note("monitorConfig.toleratedNumberOfFailures " + tolerated + " is more than Wayfinder's 9: 9 instead");
                tolerated = 9L;
            }
            out.put("toleratedNumberOfFailures", tolerated);
        }
        List<Object> headers = headers(m, "monitorConfig.customHeaders", !tcp);
        if (!headers.isEmpty()) {
            out.put("customHeaders", headers);
        }
        List<Object> ranges = new ArrayList<>();
        List<JsonNode> rangeItems = m.list("expectedStatusCodeRanges");
        if (tcp && !rangeItems.isEmpty()) {
            m.note("monitorConfig.expectedStatusCodeRanges left out: TCP probes have no status code");
        } else {
            for (JsonNode r : rangeItems) {
                Fields range = new Fields(r, m.profile, m.endpoint);
                Long min = range.whole("min", 100, 999);
                Long max = range.whole("max", 100, 999);
                if (min == null || max == null || min > max) {
                    m.note("monitorConfig.expectedStatusCodeRanges: " + r + " left out: Wayfinder needs min and max"
                            + " from 100 to 999, min not above max");
                } else if (ranges.size() == MAX_LISTED) {
                    m.note("monitorConfig.expectedStatusCodeRanges: " + r + " left out: at most " + MAX_LISTED + " ranges");
                } else {
                    Map<String, Object> range1 = new LinkedHashMap<>();
                    range1.put("min", min);
                    range1.put("max", max);
                    ranges.add(range1);
                }
            }
        }
        if (!ranges.isEmpty()) {
            out.put("expectedStatusCodeRanges", ranges);
        }
        return out;
    }

    /** {@code customHeaders} as Wayfinder takes them (a token name, a value without line breaks, at most 8). */
    private List<Object> headers(Fields owner, String what, boolean probesSendHeaders) {
        List<Object> out = new ArrayList<>();
        List<JsonNode> items = owner.list("customHeaders");
        if (items.isEmpty()) {
            return out;
        }
        if (!probesSendHeaders) {
            owner.note(what + " left out: only HTTP and HTTPS probes send headers, and this profile's "
                    + (owner.endpoint == null ? "are TCP" : "monitorConfig is TCP or absent"));
            return out;
        }
        for (JsonNode h : items) {
            Fields header = new Fields(h, owner.profile, owner.endpoint);
            String name = header.text("name");
            String value = header.text("value");
            if (name == null || value == null || !HEADER_NAME.matcher(name).matches()
                    || value.contains("\r") || value.contains("\n")) {
                owner.note(what + ": " + h + " left out: not a header Wayfinder can send (a name that is an HTTP"
                        + " token and a value without line breaks)");
            } else if (out.size() == MAX_LISTED) {
                owner.note(what + ": " + name + " left out: at most " + MAX_LISTED + " headers");
            } else {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("name", name);
                one.put("value", value);
                out.add(one);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ endpoints

    /** An endpoint that cannot be carried over; the reason goes into the notes and the file. */
    private static final class Skip extends Exception {
        Skip(String reason) {
            super(reason, null, false, false);
        }
    }

    private List<Object> endpoints(AzureExport.Profile p, Fields profile, String method, Map<String, Object> monitor) {
        boolean probesSendHeaders = monitor != null && !"TCP".equals(monitor.get("protocol"));
        List<Object> out = new ArrayList<>();
        List<Map<String, Object>> converted = new ArrayList<>();
        Set<String> mappedCodes = new HashSet<>();
        boolean catchAll = false;
        for (ObjectNode node : p.endpoints()) {
            String name = node.path("name").asString("").strip();
            Fields e = new Fields(node, profile.profile, name.isEmpty() ? "(unnamed)" : name);
            try {
                if (name.isEmpty()) {
                    throw new Skip("the endpoint has no name");
                }
                Map<String, Object> endpoint = endpoint(e, method, probesSendHeaders, mappedCodes);
                if (method.equals("Subnet") && !endpoint.containsKey("subnets")) {
                    if (catchAll) {
                        throw new Skip("a second endpoint without subnets: Wayfinder takes one catch-all per Subnet profile");
                    }
                    catchAll = true;
                }
                out.add(endpoint);
                converted.add(endpoint);
                endpointCount++;
                performance |= method.equals("Performance");
            } catch (Skip skip) {
                e.note("not imported: " + skip.getMessage());
                out.add(new YamlText.Comment("endpoint " + e.endpoint + " not imported: " + skip.getMessage()));
            }
        }
        if (method.equals("Priority")) {
            uniquePriorities(converted, profile);
        }
        return out;
    }

    private Map<String, Object> endpoint(Fields e, String method, boolean probesSendHeaders, Set<String> mappedCodes)
            throws Skip {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", e.endpoint);
        String type = e.text("type");
        String kind = type == null ? "externalendpoints" : type.substring(type.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        switch (kind) {
            case "nestedendpoints" -> {
                if (method.equals("MultiValue")) {
                    throw new Skip("a MultiValue profile answers with addresses; it cannot nest another profile");
                }
                out.put("type", "nested");
                out.put("target", child(e));
            }
            case "azureendpoints" -> {
                String target = e.text("target");
                String resource = e.text("targetResourceId");
                if (target == null) {
                    throw new Skip("an Azure endpoint names its Azure resource" + (resource == null ? "" : " (" + resource + ")")
                            + " and the export holds no target (its DNS name); add it by hand as an external endpoint"
                            + " whose target is the resource's DNS name or address");
                }
                if (resource != null) {
                    out.put("#azure", "from the Azure endpoint of " + resource);
                }
                out.put("target", externalTarget(target, method));
            }
            case "externalendpoints" -> {
                String target = e.text("target");
                if (target == null) {
                    throw new Skip("an external endpoint without a target");
                }
                out.put("target", externalTarget(target, method));
            }
            default -> throw new Skip("type '" + type + "' is not an external, Azure or nested endpoint");
        }
        if ("Disabled".equalsIgnoreCase(e.text("endpointStatus"))) {
            out.put("endpointStatus", "Disabled");
        }
        location(e, method, out);
        if (method.equals("Priority")) {
            Long priority = e.whole("priority", 1, 1000);
            if (priority != null) {
                out.put("priority", priority);
            }
        }
        if (method.equals("Weighted")) {
            Long weight = e.whole("weight", 1, 1000);
            if (weight != null) {
                out.put("weight", weight);
            }
        }
        if (kind.equals("nestedendpoints")) {
            minChildEndpoints(e, out);
        }
        geoMapping(e, method, out, mappedCodes);
        subnets(e, method, out);
        if ("Enabled".equalsIgnoreCase(e.text("alwaysServe"))) {
            out.put("alwaysServe", "Enabled");
        }
        List<Object> headers = headers(e, "customHeaders", probesSendHeaders);
        if (!headers.isEmpty()) {
            out.put("customHeaders", headers);
        }
        return out;
    }

    /** The child profile a nested endpoint points at: by {@code targetResourceId}, else by its DNS name ({@code target}). */
    private String child(Fields e) throws Skip {
        String resource = e.text("targetResourceId");
        String target = e.text("target");
        String childName = null;
        if (resource != null) {
            Matcher m = PROFILE_ID.matcher(resource);
            if (!m.find()) {
                throw new Skip("targetResourceId " + resource + " is not a Traffic Manager profile");
            }
            childName = m.group(1);
        } else if (target != null) {
            childName = profileAnswering(target.toLowerCase(Locale.ROOT));
            if (childName == null) {
                throw new Skip("no profile in the export answers its target " + target + "; export the child profile too");
            }
        } else {
            throw new Skip("a nested endpoint with neither targetResourceId nor target");
        }
        AzureExport.Profile child = kept.get(childName.toLowerCase(Locale.ROOT));
        if (child == null) {
            String wanted = childName;
            boolean inExport = export.profiles().stream().anyMatch(p -> p.name().strip().equalsIgnoreCase(wanted));
            throw new Skip("its child profile " + childName + (inExport ? " was not imported (see its note)"
                    : " is not in the export; export it too (or add it by hand) and import again"));
        }
        if (child.name().strip().equalsIgnoreCase(e.profile)) {
            throw new Skip("a profile cannot nest itself");
        }
        return child.name().strip();
    }

    /** The profile whose Azure DNS name ({@code dnsConfig.fqdn}, or its relative name as the first label) is {@code fqdn}. */
    private String profileAnswering(String fqdn) {
        String name = fqdn.endsWith(".") ? fqdn.substring(0, fqdn.length() - 1) : fqdn;
        for (AzureExport.Profile p : kept.values()) {
            JsonNode dns = p.properties().path("dnsConfig");
            if (dns.path("fqdn").asString("").equalsIgnoreCase(name)) {
                return p.name().strip();
            }
        }
        String label = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        for (AzureExport.Profile p : kept.values()) {
            if (p.properties().path("dnsConfig").path("relativeName").asString("").equalsIgnoreCase(label)) {
                return p.name().strip();
            }
        }
        return null;
    }

    private static String externalTarget(String target, String method) throws Skip {
        String t = target.strip();
        if (IpPrefix.looksLikeAddress(t)) {
            try {
                IpPrefix.parseAddress(t);
            } catch (IllegalArgumentException ex) {
                throw new Skip("target " + t + ": " + ex.getMessage());
            }
            return t;
        }
        if (method.equals("MultiValue")) {
            throw new Skip("a MultiValue profile answers with addresses, and the target " + t + " is a name");
        }
        String name = t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
        String problem = DnsNames.problem(name.toLowerCase(Locale.ROOT));
        if (problem != null) {
            throw new Skip("target '" + t + "' is neither an address nor a valid DNS name: " + problem);
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** {@code endpointLocation} as the catalogue names the region; Performance needs it, the others only keep it. */
    private void location(Fields e, String method, Map<String, Object> out) throws Skip {
        String written = e.text("endpointLocation");
        boolean needed = method.equals("Performance");
        if (written == null) {
            if (needed) {
                throw new Skip("Performance routing needs its endpointLocation and the export has none");
            }
            return;
        }
        Optional<Region> region = regions.find(written);
        if (region.isPresent()) {
            out.put("endpointLocation", region.get().name());
            return;
        }
        String suggestion = regions.suggest(written).map(s -> " (the closest Wayfinder knows is " + s + ")").orElse("");
        if (needed) {
            throw new Skip("region '" + written + "' is not in Wayfinder's catalogue" + suggestion + "; add the region"
                    + " under regions: (name, latitude, longitude) and this endpoint by hand");
        }
        e.note("endpointLocation '" + written + "' left out: not in Wayfinder's catalogue" + suggestion
                + " (only Performance routing reads it)");
    }

    private static void minChildEndpoints(Fields e, Map<String, Object> out) {
        Long min = e.whole("minChildEndpoints", 1, 1000);
        Long v4 = e.whole("minChildEndpointsIPv4", 0, 1000);
        Long v6 = e.whole("minChildEndpointsIPv6", 0, 1000);
        long families = (v4 == null ? 0 : v4) + (v6 == null ? 0 : v6);
        long effective = min == null ? 1 : min;
        if (effective < families) {
            e.note("minChildEndpoints " + effective + " is below minChildEndpointsIPv4 + minChildEndpointsIPv6 = "
                    + families + ", which Wayfinder requires: " + families + " instead");
            min = families;
        }
        if (min != null && min != 1) {
            out.put("minChildEndpoints", min);
        }
        if (v4 != null && v4 != 0) {
            out.put("minChildEndpointsIPv4", v4);
        }
        if (v6 != null && v6 != 0) {
            out.put("minChildEndpointsIPv6", v6);
        }
    }

    private void geoMapping(Fields e, String method, Map<String, Object> out, Set<String> mappedCodes) throws Skip {
        List<JsonNode> items = e.list("geoMapping");
        boolean geographic = method.equals("Geographic");
        if (!geographic) {
            if (!items.isEmpty()) {
                e.note("geoMapping left out: only Geographic routing reads it");
            }
            return;
        }
        List<Object> mapped = new ArrayList<>();
        for (JsonNode item : items) {
            String written = item.asString("").strip();
            Optional<GeoCode> code = codes.find(written);
            if (code.isEmpty()) {
                e.note("geoMapping code '" + written + "' left out: not a code of Wayfinder's hierarchy"
                        + codes.suggest(written).map(s -> " (did you mean " + s + "?)").orElse("")
                        + "; `wayfinder geo-codes` lists them");
            } else if (!mappedCodes.add(code.get().code())) {
                e.note("geoMapping code " + code.get().code() + " left out: another endpoint maps it already");
            } else {
                mapped.add(code.get().code());
            }
        }
        if (mapped.isEmpty()) {
            throw new Skip("a Geographic endpoint needs at least one geoMapping code Wayfinder knows");
        }
        out.put("geoMapping", mapped);
    }

    private void subnets(Fields e, String method, Map<String, Object> out) {
        List<JsonNode> items = e.list("subnets");
        if (items.isEmpty()) {
            return;
        }
        if (!List.of("Subnet", "Performance", "Geographic").contains(method)) {
            e.note("subnets left out: " + method + " routing does not read them (Subnet routing and the subnet"
                    + " overrides of Performance and Geographic do)");
            return;
        }
        List<Object> ranges = new ArrayList<>();
        for (JsonNode item : items) {
            Map<String, Object> subnet = subnet(new Fields(item, e.profile, e.endpoint));
            if (subnet == null) {
                e.note("subnets: " + item + " left out: not a range Wayfinder can read ({first, last}, {first, scope}"
                        + " with first the network's first address, or {first})");
            } else {
                ranges.add(subnet);
            }
        }
        if (!ranges.isEmpty()) {
            out.put("subnets", ranges);
        }
    }

    /** {@code {first, scope}} (scope wins over a last of the same network), {@code {first, last}} or {@code {first}}; null when unreadable. */
    private static Map<String, Object> subnet(Fields s) {
        String first = s.text("first");
        if (first == null || !IpPrefix.looksLikeAddress(first)) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            byte[] firstBytes = IpPrefix.parseAddress(first);
            out.put("first", first);
            Long scope = s.whole("scope", 0, firstBytes.length * 8L);
            String last = s.text("last");
            if (scope != null) {
                IpPrefix.parse(first + "/" + scope); // rejects host bits below the scope
                out.put("scope", scope);
            } else if (last != null) {
                byte[] lastBytes = IpPrefix.parseAddress(last);
                IpPrefix a = IpPrefix.fromBytes(firstBytes, firstBytes.length * 8);
                IpPrefix b = IpPrefix.fromBytes(lastBytes, lastBytes.length * 8);
                if (a.ipv6() != b.ipv6() || a.compareTo(b) > 0) {
                    return null;
                }
                out.put("last", last);
            }
            return out;
        } catch (IllegalArgumentException ex) {
            return null;
        }
    }

    /**
     * Wayfinder needs each priority once (Azure asks the same, but its responses show repeats). When
     * they repeat, or some are missing, every endpoint is renumbered 1, 2, ... in the order Azure
     * would try them: by priority, then by place in the list.
     */
    private static void uniquePriorities(List<Map<String, Object>> endpoints, Fields profile) {
        Set<Object> seen = new HashSet<>();
        boolean clash = false;
        boolean missing = false;
        for (Map<String, Object> e : endpoints) {
            Object priority = e.get("priority");
            missing |= priority == null;
            clash |= priority != null && !seen.add(priority);
        }
        if (!clash && !(missing && !seen.isEmpty())) {
            return;
        }
        List<Map<String, Object>> order = new ArrayList<>(endpoints);
        Map<Map<String, Object>, Integer> position = new HashMap<>();
        for (int i = 0; i < endpoints.size(); i++) {
            position.put(endpoints.get(i), i);
        }
        order.sort(Comparator.comparingLong((Map<String, Object> e) -> e.get("priority") == null ? Long.MAX_VALUE
                : (Long) e.get("priority")).thenComparing(position::get));
        StringBuilder renumbered = new StringBuilder();
        for (int i = 0; i < order.size(); i++) {
            Map<String, Object> e = order.get(i);
            renumbered.append(i == 0 ? "" : ", ").append(e.get("name")).append(' ')
                    .append(e.get("priority") == null ? "-" : e.get("priority")).append("->").append(i + 1);
            e.put("priority", (long) (i + 1));
        }
        profile.note("priorities " + (clash ? "repeat" : "are missing on some endpoints") + "; Wayfinder needs each once:"
                + " renumbered in the order Azure tries them (by priority, then list order): " + renumbered);
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    // ------------------------------------------------------------------ reading fields

    /** Typed reads of one Azure object, each problem noted against its profile and endpoint. */
    private final class Fields {
        final JsonNode node;
        final String profile;
        final String endpoint;

        Fields(JsonNode node, String profile, String endpoint) {
            this.node = node;
            this.profile = profile;
            this.endpoint = endpoint;
        }

        void note(String message) {
            notes.add(new ImportNote(profile, endpoint, message));
        }

        Fields object(String key) {
            JsonNode value = node.get(key);
            return value != null && value.isObject() ? new Fields(value, profile, endpoint) : null;
        }

        List<JsonNode> list(String key) {
            List<JsonNode> out = new ArrayList<>();
            JsonNode value = node.get(key);
            if (value != null && value.isArray()) {
                value.values().forEach(out::add);
            }
            return out;
        }

        /** A text value, stripped; null when absent, empty or an expression that could not be evaluated (noted). */
        String text(String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull() || !value.isValueNode()) {
                return null;
            }
            String s = value.asString().strip();
            if (s.isEmpty()) {
                return null;
            }
            if (value.isString() && export.expressions() != null && ArmExpressions.isExpression(s)) {
                note(key + " left out: the ARM expression " + s + " cannot be evaluated ("
                        + AzureExport.reason(export.expressions(), s) + ")");
                return null;
            }
            return s;
        }

        /** A whole number in [min, max] (a string of digits too, as template parameters often are); else null, noted. */
        Long whole(String key, long min, long max) {
            String s = text(key);
            if (s == null) {
                return null;
            }
            try {
                long n = Long.parseLong(s);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ex) {
                // noted below
            }
            note(key + " " + s + " left out: Wayfinder takes a whole number from " + min + " to " + max);
            return null;
        }

        Double decimal(String key) {
            String s = text(key);
            if (s == null) {
                return null;
            }
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException ex) {
                note(key + " '" + s + "' left out: not a number");
                return null;
            }
        }
    }
}
