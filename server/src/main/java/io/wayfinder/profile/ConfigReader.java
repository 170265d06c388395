package io.wayfinder.profile;

import io.wayfinder.geo.Region;
import io.wayfinder.latency.LatencyTableBuilder;
import io.wayfinder.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Wayfinder YAML configuration into a {@link WayfinderConfig}: structure and field values
 * here, cross-references (zones, regions, nesting) in {@link ConfigValidator}. Property names follow
 * Azure Traffic Manager's ARM schema, flattened. All errors are collected and thrown together.
 */
public final class ConfigReader {
    public static final int DEFAULT_TTL = 30;
    public static final int DEFAULT_ZONE_TTL = 3600;

    /**
     * YAML is loaded with snakeyaml-engine (YAML 1.2 core schema, which Jackson's YAML module also
     * uses underneath) rather than Jackson's tree reader, because that resolves anchors and aliases
     * ({@code <<: *defaults}, {@code monitorConfig: *probe}); the alias count is bounded against
     * "billion laughs" documents, and a key written twice is an error.
     */
    private static final LoadSettings YAML_SETTINGS = LoadSettings.builder()
            .setAllowDuplicateKeys(false)
            .setMaxAliasesForCollections(100)
            .setAllowRecursiveKeys(false)
            .build();
    private static final JsonMapper TREE = JsonMapper.builder().build();

    private static final Map<String, RoutingMethodName> METHODS = enumOptions(RoutingMethodName.values());
    private static final Map<String, EndpointType> ENDPOINT_TYPES = new LinkedHashMap<>();

    static {
        ENDPOINT_TYPES.put("external", EndpointType.external);
        ENDPOINT_TYPES.put("nested", EndpointType.nested);
        // The spellings of Azure exports, so that they convert without editing.
        ENDPOINT_TYPES.put("externalEndpoints", EndpointType.external);
        ENDPOINT_TYPES.put("nestedEndpoints", EndpointType.nested);
        ENDPOINT_TYPES.put("Microsoft.Network/trafficManagerProfiles/externalEndpoints", EndpointType.external);
        ENDPOINT_TYPES.put("Microsoft.Network/trafficManagerProfiles/nestedEndpoints", EndpointType.nested);
    }

    private final ConfigValidator validator;

    public ConfigReader(ConfigValidator validator) {
        this.validator = validator;
    }

    /** Reads with the built-in region catalogue. */
    public static ConfigReader withBuiltInRegions() {
        return new ConfigReader(new ConfigValidator(io.wayfinder.geo.RegionCatalogue.builtIn()));
    }

    public WayfinderConfig read(Path file) throws ConfigException, IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "configuration file " + file + " does not exist");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base);
    }

    /** Parses configuration text; relative paths resolve against {@code baseDirectory}. */
    public WayfinderConfig parse(String yaml, Path baseDirectory) throws ConfigException {
        JsonNode root;
        try {
            root = TREE.valueToTree(new Load(YAML_SETTINGS).loadFromString(yaml));
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    .orElse("");
            throw new ConfigException("", "not valid YAML" + where + ": " + e.getProblem()
                    + e.getContextMark().map(m -> " (" + e.getContext() + " at line " + (m.getLine() + 1) + ")").orElse(""));
        } catch (YamlEngineException | IllegalArgumentException e) {
            throw new ConfigException("", "not valid YAML: " + e.getMessage());
        }
        ConfigErrors errors = new ConfigErrors();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("", "the configuration is empty");
        }
        if (!root.isObject()) {
            throw new ConfigException("", "the configuration must be a mapping of sections (dns, zones, profiles, ...)");
        }
        ConfigObject top = new ConfigObject(root, "", errors);
        WayfinderConfig.DnsSettings dns = dns(top.object("dns"), errors);
        ListenAddress metrics = metrics(top.object("metrics"), errors);
        List<ZoneConfig> zones = zones(top);
        List<Region> regions = regions(top);
        WayfinderConfig.GeolocationSettings geo = geolocation(top.object("geolocation"), baseDirectory);
        WayfinderConfig.LatencySettings latency = latency(top.object("latency"), baseDirectory);
        List<ProfileConfig> profiles = profiles(top, zones);
        top.ignoreKeysStartingWith("x-"); // e.g. x-probe: &probe {...}, reused as monitorConfig: *probe
        top.rejectUnknownKeys();
        WayfinderConfig config = new WayfinderConfig(dns, metrics, zones, regions, geo, latency, profiles);
        validator.validate(config, errors);
        errors.throwIfAny();
        return config;
    }

    private static WayfinderConfig.DnsSettings dns(ConfigObject dns, ConfigErrors errors) {
        if (dns == null) {
            return new WayfinderConfig.DnsSettings(List.of(new ListenAddress("127.0.0.1", 8053)));
        }
        List<ListenAddress> listen = new ArrayList<>();
        List<String> texts = dns.strings("listen");
        for (int i = 0; i < texts.size(); i++) {
            try {
                ListenAddress address = ListenAddress.parse(texts.get(i));
                if (listen.contains(address)) {
                    errors.add(dns.pathOf("listen") + "[" + i + "]", address + " is listed twice");
                }
                listen.add(address);
            } catch (IllegalArgumentException e) {
                errors.add(dns.pathOf("listen") + "[" + i + "]", e.getMessage());
            }
        }
        if (texts.isEmpty() && dns.has("listen")) {
            errors.add(dns.pathOf("listen"), "needs at least one address");
        }
        dns.rejectUnknownKeys();
        if (listen.isEmpty()) {
            listen.add(new ListenAddress("127.0.0.1", 8053));
        }
        return new WayfinderConfig.DnsSettings(listen);
    }

    private static ListenAddress metrics(ConfigObject metrics, ConfigErrors errors) {
        if (metrics == null) {
            return null;
        }
        String text = metrics.string("listen", true);
        metrics.rejectUnknownKeys();
        if (text == null) {
            return null;
        }
        try {
            return ListenAddress.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(metrics.pathOf("listen"), e.getMessage());
            return null;
        }
    }

    private static List<ZoneConfig> zones(ConfigObject top) {
        List<ZoneConfig> zones = new ArrayList<>();
        ConfigErrors errors = top.errors();
        for (ConfigObject z : top.objects("zones")) {
            if (z == null) {
                continue;
            }
            String rawName = z.string("name", true);
            String name = rawName == null ? null : DnsNames.normalise(rawName, z.pathOf("name"), errors);
            List<ZoneConfig.Nameserver> nameservers = nameservers(z);
            String rawHostmaster = z.string("hostmaster", false);
            int at = rawHostmaster == null ? -1 : rawHostmaster.indexOf('@');
            String hostmaster = null;
            if (at >= 0 && (rawHostmaster.substring(0, at).contains(".") || rawHostmaster.indexOf('@', at + 1) >= 0)) {
                // The SOA writes the mailbox as a name: a dot before the @ would read as a label boundary.
                errors.add(z.pathOf("hostmaster"), "must be one mailbox with no dot before its '@', as in hostmaster@example.com");
            } else if (rawHostmaster != null) {
                hostmaster = DnsNames.normalise(rawHostmaster.replace('@', '.'), z.pathOf("hostmaster"), errors);
            }
            int ttl = z.integer("ttl", 0, Integer.MAX_VALUE, DEFAULT_ZONE_TTL);
            long serial = z.longInteger("serial", 0, 0xFFFF_FFFFL, -1);
            ConfigObject soa = z.object("soa");
            int refresh = 3600;
            int retry = 600;
            int expire = 1_209_600;
            int minimum = 30;
            if (soa != null) {
                refresh = soa.integer("refresh", 0, Integer.MAX_VALUE, refresh);
                retry = soa.integer("retry", 0, Integer.MAX_VALUE, retry);
                expire = soa.integer("expire", 0, Integer.MAX_VALUE, expire);
                minimum = soa.integer("minimum", 0, Integer.MAX_VALUE, minimum);
                soa.rejectUnknownKeys();
            }
            z.rejectUnknownKeys();
            if (name == null) {
                continue;
            }
            if (nameservers.isEmpty() && !z.has("nameservers")) {
                errors.add(z.pathOf("nameservers"), "is required: at least one name server");
            }
            if (hostmaster == null) {
                hostmaster = "hostmaster." + name;
            }
            zones.add(new ZoneConfig(name, nameservers, hostmaster, ttl, serial, refresh, retry, expire, minimum));
        }
        return zones;
    }

    private static List<ZoneConfig.Nameserver> nameservers(ConfigObject zone) {
        ConfigErrors errors = zone.errors();
        List<ZoneConfig.Nameserver> out = new ArrayList<>();
        List<JsonNode> items = zone.items("nameservers");
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = zone.pathOf("nameservers") + "[" + i + "]";
            if (item.isValueNode() && !item.isNull()) {
                String name = DnsNames.normalise(item.asString(), path, errors);
                if (name != null) {
                    out.add(new ZoneConfig.Nameserver(name, List.of()));
                }
            } else if (item.isObject()) {
                ConfigObject ns = new ConfigObject(item, path, errors);
                String raw = ns.string("name", true);
                String name = raw == null ? null : DnsNames.normalise(raw, ns.pathOf("name"), errors);
                List<String> addresses = ns.strings("addresses");
                for (int a = 0; a < addresses.size(); a++) {
                    try {
                        IpPrefix.parseAddress(addresses.get(a));
                    } catch (IllegalArgumentException e) {
                        errors.add(ns.pathOf("addresses") + "[" + a + "]", e.getMessage());
                    }
                }
                ns.rejectUnknownKeys();
                if (name != null) {
                    out.add(new ZoneConfig.Nameserver(name, addresses));
                }
            } else {
                errors.add(path, "must be a name or a mapping with name and addresses");
            }
        }
        if (items.isEmpty() && zone.has("nameservers")) {
            errors.add(zone.pathOf("nameservers"), "needs at least one name server");
        }
        return out;
    }

    private static List<Region> regions(ConfigObject top) {
        List<Region> regions = new ArrayList<>();
        for (ConfigObject r : top.objects("regions")) {
            if (r == null) {
                continue;
            }
            String name = r.string("name", true);
            Double latitude = r.number("latitude", -90, 90, true);
            Double longitude = r.number("longitude", -180, 180, true);
            String location = r.string("location", false);
            r.rejectUnknownKeys();
            if (name != null && latitude != null && longitude != null) {
                regions.add(new Region(name.toLowerCase(java.util.Locale.ROOT), latitude, longitude, "custom",
                        location == null ? "" : location));
            }
        }
        return regions;
    }

    private static WayfinderConfig.GeolocationSettings geolocation(ConfigObject geo, Path base) {
        if (geo == null) {
            return WayfinderConfig.GeolocationSettings.NONE;
        }
        List<Path> mmdb = paths(geo.strings("mmdb"), base);
        List<Path> csv = paths(geo.strings("csv"), base);
        geo.rejectUnknownKeys();
        return new WayfinderConfig.GeolocationSettings(mmdb, csv);
    }

    private static WayfinderConfig.LatencySettings latency(ConfigObject latency, Path base) {
        List<Integer> v4 = boxed(LatencyTableBuilder.DEFAULT_IPV4_LEVELS);
        List<Integer> v6 = boxed(LatencyTableBuilder.DEFAULT_IPV6_LEVELS);
        if (latency == null) {
            return new WayfinderConfig.LatencySettings(List.of(), v4, v6, LatencyTableBuilder.DEFAULT_MIN_SAMPLES);
        }
        List<Path> sources = paths(latency.strings("sources"), base);
        int minSamples = LatencyTableBuilder.DEFAULT_MIN_SAMPLES;
        ConfigObject aggregation = latency.object("aggregation");
        if (aggregation != null) {
            if (aggregation.has("ipv4Levels")) {
                v4 = levels(aggregation, "ipv4Levels", 32);
            }
            if (aggregation.has("ipv6Levels")) {
                v6 = levels(aggregation, "ipv6Levels", 128);
            }
            minSamples = aggregation.integer("minSamples", 1, Integer.MAX_VALUE, minSamples);
            aggregation.rejectUnknownKeys();
        }
        latency.rejectUnknownKeys();
        return new WayfinderConfig.LatencySettings(sources, v4, v6, minSamples);
    }

    private static List<Integer> levels(ConfigObject aggregation, String key, int max) {
        List<Integer> out = new ArrayList<>();
        List<String> texts = aggregation.strings(key);
        for (int i = 0; i < texts.size(); i++) {
            String path = aggregation.pathOf(key) + "[" + i + "]";
            try {
                int level = Integer.parseInt(texts.get(i).replace("/", ""));
                if (level < 1 || level > max) {
                    aggregation.errors().add(path, "must be a prefix length between 1 and " + max);
                } else if (out.contains(level)) {
                    aggregation.errors().add(path, "/" + level + " is listed twice");
                } else {
                    out.add(level);
                }
            } catch (NumberFormatException e) {
                aggregation.errors().add(path, "'" + texts.get(i) + "' is not a prefix length");
            }
        }
        if (out.size() > 16) {
            aggregation.errors().add(aggregation.pathOf(key), "at most 16 levels");
        }
        return out;
    }

    private static List<ProfileConfig> profiles(ConfigObject top, List<ZoneConfig> zones) {
        List<ProfileConfig> profiles = new ArrayList<>();
        ConfigErrors errors = top.errors();
        List<ConfigObject> items = top.objects("profiles");
        if (items.isEmpty() && !errors.hasErrorAt("profiles")) {
            errors.add("profiles", "is required: at least one profile");
        }
        for (ConfigObject p : items) {
            if (p == null) {
                continue;
            }
            String name = p.string("name", true);
            String zone = p.string("zone", false);
            if (zone != null) {
                zone = DnsNames.normalise(zone, p.pathOf("zone"), errors);
            } else if (zones.size() == 1) {
                zone = zones.get(0).name();
            } else if (zones.size() > 1) {
                errors.add(p.pathOf("zone"), "is required when more than one zone is served");
            }
            RoutingMethodName method = p.choice("trafficRoutingMethod", METHODS, null);
            if (method == null && !p.has("trafficRoutingMethod")) {
                errors.add(p.pathOf("trafficRoutingMethod"), "is required: one of " + String.join(", ", METHODS.keySet()));
            }
            boolean enabled = p.enabled("profileStatus", true);
            String relativeName = null;
            int ttl = DEFAULT_TTL;
            ConfigObject dnsConfig = p.object("dnsConfig");
            if (dnsConfig != null) {
                String raw = dnsConfig.string("relativeName", false);
                if (raw != null) {
                    relativeName = raw.toLowerCase(java.util.Locale.ROOT);
                    String problem = DnsNames.problem(relativeName);
                    if (problem != null) {
                        errors.add(dnsConfig.pathOf("relativeName"), "'" + raw + "' is not a valid DNS name: " + problem);
                        relativeName = null;
                    }
                }
                ttl = dnsConfig.integer("ttl", 0, Integer.MAX_VALUE, DEFAULT_TTL);
                dnsConfig.rejectUnknownKeys();
            }
            int maxReturn = p.integer("maxReturn", 1, 10, 2);
            MonitorConfig monitor = monitor(p.object("monitorConfig"));
            EndpointConfig fallback = null;
            ConfigObject fallbackObject = p.object("fallback");
            if (fallbackObject != null) {
                fallback = endpoint(fallbackObject, 0);
            }
            List<EndpointConfig> endpoints = new ArrayList<>();
            List<ConfigObject> endpointItems = p.objects("endpoints");
            for (int i = 0; i < endpointItems.size(); i++) {
                ConfigObject e = endpointItems.get(i);
                if (e != null) {
                    EndpointConfig endpoint = endpoint(e, i);
                    if (endpoint != null) {
                        endpoints.add(endpoint);
                    }
                }
            }
            p.rejectUnknownKeys();
            if (name != null) {
                profiles.add(new ProfileConfig(name, zone, method, enabled, relativeName, ttl, maxReturn, endpoints,
                        monitor, fallback));
            }
        }
        return profiles;
    }

    private static EndpointConfig endpoint(ConfigObject e, int position) {
        String name = e.string("name", true);
        EndpointType type = e.choice("type", ENDPOINT_TYPES, EndpointType.external);
        String target = e.string("target", true);
        boolean enabled = e.enabled("endpointStatus", true);
        String location = e.string("endpointLocation", false);
        int priority = e.integer("priority", 1, 1000, position + 1);
        int weight = e.integer("weight", 1, 1000, 1);
        int minChild = e.integer("minChildEndpoints", 1, 1000, 1);
        int minChildV4 = e.integer("minChildEndpointsIPv4", 0, 1000, 0);
        int minChildV6 = e.integer("minChildEndpointsIPv6", 0, 1000, 0);
        List<String> geoMapping = e.strings("geoMapping");
        List<String> subnets = e.strings("subnets");
        boolean alwaysServe = e.enabled("alwaysServe", false);
        List<MonitorConfig.Header> headers = headers(e);
        e.rejectUnknownKeys();
        if (name == null || target == null) {
            return null;
        }
        return new EndpointConfig(name, type, target, enabled, location == null ? null : location.toLowerCase(java.util.Locale.ROOT),
                priority, weight, minChild, minChildV4, minChildV6, geoMapping, subnets, alwaysServe, headers);
    }

    private static final Map<String, MonitorConfig.Protocol> PROTOCOLS = enumOptions(MonitorConfig.Protocol.values());

    /** {@code monitorConfig}: Azure's fields and ranges, except a wider interval range (1-3600 s). */
    private static MonitorConfig monitor(ConfigObject m) {
        if (m == null) {
            return null;
        }
        ConfigErrors errors = m.errors();
        MonitorConfig.Protocol protocol = m.choice("protocol", PROTOCOLS, MonitorConfig.Protocol.HTTP);
        int defaultPort = protocol == MonitorConfig.Protocol.HTTPS ? 443 : 80;
        Integer port = m.optionalInteger("port", 1, 65535);
        if (port == null && protocol == MonitorConfig.Protocol.TCP && !m.has("port")) {
            errors.add(m.pathOf("port"), "is required for TCP probes");
        }
        String path = m.string("path", false);
        if (protocol == MonitorConfig.Protocol.TCP) {
            if (path != null) {
                errors.add(m.pathOf("path"), "applies only to HTTP and HTTPS probes; remove it for TCP");
            }
        } else if (path == null) {
            if (!m.has("path")) {
                errors.add(m.pathOf("path"), "is required for " + protocol + " probes (e.g. /health)");
            }
        } else if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            errors.add(m.pathOf("path"), "must start with '/' and contain no spaces or control characters");
        }
        int interval = m.integer("intervalInSeconds", 1, 3600, 30);
        // Seconds, decimals allowed (Azure takes whole seconds): an interval of 1 s needs a
        // timeout below a second. Default: 10 s, or what fits inside the interval.
        int timeoutMillis = interval >= 2 ? Math.min(10, interval - 1) * 1000 : 500;
        Double timeout = m.number("timeoutInSeconds", 0.1, 3600, false);
        if (timeout != null) {
            if (timeout >= interval) {
                errors.add(m.pathOf("timeoutInSeconds"), "must be less than intervalInSeconds (" + interval + ")");
            }
            timeoutMillis = (int) Math.min(Math.round(timeout * 1000), interval * 1000L - 1);
        }
        int tolerated = m.integer("toleratedNumberOfFailures", 0, 9, 3);
        List<MonitorConfig.Header> headers = headers(m);
        List<MonitorConfig.StatusCodeRange> ranges = new ArrayList<>();
        List<ConfigObject> rangeItems = m.objects("expectedStatusCodeRanges");
        if (rangeItems.size() > 8) {
            errors.add(m.pathOf("expectedStatusCodeRanges"), "at most 8 ranges, not " + rangeItems.size());
        }
        for (ConfigObject r : rangeItems) {
            if (r == null) {
                continue;
            }
            Integer min = r.optionalInteger("min", 100, 999);
            Integer max = r.optionalInteger("max", 100, 999);
            if (!r.has("min")) {
                errors.add(r.pathOf("min"), "is required");
            }
            if (!r.has("max")) {
                errors.add(r.pathOf("max"), "is required");
            }
            r.rejectUnknownKeys();
            if (min != null && max != null) {
                if (min > max) {
                    errors.add(r.pathOf("min"), "must not be greater than max (" + max + ")");
                } else {
                    ranges.add(new MonitorConfig.StatusCodeRange(min, max));
                }
            }
        }
        int required = m.integer("requiredConsecutiveSuccesses", 1, 100, 1);
        boolean verify = m.bool("verifyCertificate", false);
        // Settings a probe of this protocol would silently ignore are mistakes: say so.
        if (protocol == MonitorConfig.Protocol.TCP) {
            for (String httpOnly : List.of("customHeaders", "expectedStatusCodeRanges")) {
                if (m.has(httpOnly)) {
                    errors.add(m.pathOf(httpOnly), "applies only to HTTP and HTTPS probes; remove it for TCP");
                }
            }
        }
        if (protocol != MonitorConfig.Protocol.HTTPS && m.has("verifyCertificate")) {
            errors.add(m.pathOf("verifyCertificate"), "applies only to HTTPS probes");
        }
        m.rejectUnknownKeys();
        return new MonitorConfig(protocol, port == null ? defaultPort : port, protocol == MonitorConfig.Protocol.TCP ? null : path,
                interval, timeoutMillis, tolerated, headers, ranges, required, verify);
    }

    /** {@code customHeaders}: at most 8 {name, value}; names are HTTP tokens, values have no line breaks. */
    private static List<MonitorConfig.Header> headers(ConfigObject owner) {
        List<MonitorConfig.Header> out = new ArrayList<>();
        List<ConfigObject> items = owner.objects("customHeaders");
        if (items.size() > 8) {
            owner.errors().add(owner.pathOf("customHeaders"), "at most 8 headers, not " + items.size());
        }
        for (ConfigObject h : items) {
            if (h == null) {
                continue;
            }
            String name = h.string("name", true);
            String value = h.string("value", true);
            h.rejectUnknownKeys();
            if (name != null && !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                owner.errors().add(h.pathOf("name"), "'" + name + "' is not a valid HTTP header name");
            } else if (value != null && (value.contains("\r") || value.contains("\n"))) {
                owner.errors().add(h.pathOf("value"), "must not contain line breaks");
            } else if (name != null && value != null) {
                out.add(new MonitorConfig.Header(name, value));
            }
        }
        return out;
    }

    private static List<Path> paths(List<String> texts, Path base) {
        List<Path> out = new ArrayList<>();
        for (String text : texts) {
            Path p = Path.of(text);
            out.add(base == null || p.isAbsolute() ? p : base.resolve(p).normalize());
        }
        return out;
    }

    private static List<Integer> boxed(int[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static <E extends Enum<E>> Map<String, E> enumOptions(E[] values) {
        Map<String, E> options = new LinkedHashMap<>();
        for (E value : values) {
            options.put(value.name(), value);
        }
        return options;
    }
}
