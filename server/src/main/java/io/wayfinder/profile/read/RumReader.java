package io.wayfinder.profile.read;

import io.wayfinder.geo.Region;
import io.wayfinder.geo.RegionCatalogue;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.profile.WayfinderConfig.RumSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code latency.rum} section: the real-user beacon's probe targets, its rate limit, and whom
 * to believe about a client's address. It needs {@code latency.learn}: what browsers measure is
 * learned like any other sample.
 */
final class RumReader {
    /** Targets a page view fetches at most: each costs the visitor a few small requests. */
    static final int MAX_TARGETS = 64;
    /** An HTTP header name (RFC 9110 token). */
    private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    private RumReader() {
    }

    /**
     * @param learn whether {@code latency.learn} is on: the beacon needs it
     * @return the settings, or null when the section is absent
     */
    static RumSettings rum(ConfigObject rum, RegionCatalogue catalogue, boolean learn) {
        if (rum == null) {
            return null;
        }
        if (!learn) {
            rum.errors().add(rum.path(), "needs learn: true: the beacon's samples go into the learned latency table");
        }
        Map<String, String> targets = targets(rum, catalogue);
        int fetches = rum.integer("fetches", 2, 20, RumSettings.DEFAULT_FETCHES);
        Double rate = rum.number("sampleRate", 0, 1, false);
        if (rate != null && rate == 0) {
            rum.errors().add(rum.pathOf("sampleRate"), "must be greater than 0 (to stop measuring, remove latency.rum"
                    + " or the script tag)");
        }
        ConfigObject limit = rum.object("rateLimit");
        int perMinute = RumSettings.DEFAULT_POSTS_PER_MINUTE;
        int burst = RumSettings.DEFAULT_BURST;
        int tracked = RumSettings.DEFAULT_TRACKED_ADDRESSES;
        if (limit != null) {
            perMinute = limit.integer("postsPerMinute", 1, 1_000_000, perMinute);
            burst = limit.integer("burst", 1, 1_000_000, burst);
            tracked = limit.integer("trackedAddresses", 100, 10_000_000, tracked);
            limit.rejectUnknownKeys();
        }
        List<IpPrefix> proxies = new ArrayList<>();
        List<String> texts = rum.strings("trustedProxies");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            try {
                proxies.add(IpPrefix.parse(text));
            } catch (IllegalArgumentException e) {
                rum.errors().add(rum.pathOf("trustedProxies") + "[" + i + "]", "'" + text
                        + "' is not an address or a network (10.0.0.0/8, 2001:db8::/32): " + e.getMessage());
            }
        }
        String header = rum.string("clientAddressHeader", false);
        if (header == null) {
            header = RumSettings.DEFAULT_CLIENT_ADDRESS_HEADER;
        } else if (!HEADER.matcher(header).matches()) {
            rum.errors().add(rum.pathOf("clientAddressHeader"), "'" + header + "' is not an HTTP header name");
        } else if (proxies.isEmpty()) {
            rum.errors().add(rum.pathOf("clientAddressHeader"), "applies only with trustedProxies: the header is"
                    + " believed only when the peer is one of them (anyone can send it)");
        }
        rum.rejectUnknownKeys();
        return new RumSettings(targets, fetches, rate == null || rate == 0 ? 1 : rate, perMinute, burst, tracked, proxies,
                header);
    }

    /** {@code targets}: region (a name of the catalogue, or its display name) to an http(s) URL. */
    private static Map<String, String> targets(ConfigObject rum, RegionCatalogue catalogue) {
        Map<String, String> out = new LinkedHashMap<>();
        ConfigObject targets = rum.object("targets");
        if (targets == null) {
            if (!rum.hasErrorAt("targets")) {
                rum.errors().add(rum.pathOf("targets"), "is required: {region: probe URL}, e.g. westeurope:"
                        + " https://we.example.com/rum/probe (any server in that region; Wayfinder serves /rum/probe)");
            }
            return out;
        }
        List<String> regions = targets.keys();
        if (regions.isEmpty()) {
            rum.errors().add(rum.pathOf("targets"), "is empty: give at least one {region: probe URL}");
        }
        if (regions.size() > MAX_TARGETS) {
            rum.errors().add(rum.pathOf("targets"), "has " + regions.size() + " targets; at most " + MAX_TARGETS
                    + " (each one costs every measured visitor a few requests)");
        }
        for (String key : regions) {
            String path = targets.pathOf(key);
            Region region = catalogue.find(key).orElse(null);
            if (region == null) {
                rum.errors().add(path, "unknown region '" + key + "'" + catalogue.suggest(key)
                        .map(s -> " (did you mean '" + s + "'?)").orElse("") + "; the regions are listed by wayfinder regions");
                continue;
            }
            String url = targets.string(key, true);
            if (url == null) {
                continue;
            }
            String problem = urlProblem(url);
            if (problem != null) {
                rum.errors().add(path, problem);
            } else if (out.putIfAbsent(region.name(), url) != null) {
                rum.errors().add(path, "region " + region.name() + " is given twice");
            }
        }
        return out;
    }

    /** Why a probe URL cannot be fetched by a browser as the beacon does; null when it can. */
    static String urlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "'" + url + "' is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "'" + url + "' must be an http or https URL (https on a site served over https: browsers block"
                    + " plain http from it)";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "'" + url + "' has no host";
        }
        if (uri.getRawFragment() != null) {
            return "'" + url + "' has a fragment (#...): give the URL alone";
        }
        if (uri.getRawUserInfo() != null) {
            return "'" + url + "' carries a user name: probe URLs are public";
        }
        return null;
    }
}
