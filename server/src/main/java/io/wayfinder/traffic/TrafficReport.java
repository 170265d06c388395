package io.wayfinder.traffic;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.traffic.TrafficView.NetworkTraffic;
import io.wayfinder.traffic.TrafficView.ProfileTraffic;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code GET /api/v1/traffic} and {@code wayfinder traffic} show of a profile: its networks
 * and the places they are in, ranked by queries or by latency, each located with the geolocation
 * being served (looked up here, off the query path, for the networks shown).
 *
 * <p>A place is the most specific thing geolocation says that is not a point: the subdivision
 * ({@code US-WA}), else the country, else the coordinates rounded to a tenth of a degree (about
 * 11 km: a city, never a street), else "unknown". Coordinates shown are rounded alike.
 */
public final class TrafficReport {
    /** How the rows are ranked: most queries first, or highest estimated RTT first. */
    public enum Order { queries, latency }

    /** A network with where it is (the location may be unknown). */
    public record Located(NetworkTraffic traffic, GeoLocation location) {
    }

    /**
     * A place and its traffic.
     *
     * @param name      the subdivision, country, rounded coordinates or "unknown"
     * @param latitude  the queries-weighted mean of its networks' coordinates, rounded; NaN when none is known
     * @param rttMs     the queries-weighted mean of its networks' estimated RTTs, NaN when none has one
     */
    public record Place(String name, String country, String subdivision, double latitude, double longitude,
                        double queries, int networks, double rttMs) {
    }

    private TrafficReport() {
    }

    /**
     * The profile's networks in this order, at most {@code limit}. By latency, only networks with an
     * estimate and at least one query surely their own (Space-Saving's count less its error) are
     * ranked, so that a network that just took a slot with an inherited count does not top the list.
     */
    public static List<Located> networks(ProfileTraffic traffic, Order by, int limit, GeoLocator geo) {
        List<NetworkTraffic> rows = new ArrayList<>();
        for (NetworkTraffic n : traffic.networks()) {
            if (by == Order.queries || (!Double.isNaN(n.rttMs()) && n.guaranteed() >= 1)) {
                rows.add(n);
            }
        }
        if (by == Order.latency) {
            rows.sort(Comparator.comparingDouble((NetworkTraffic n) -> -n.rttMs())
                    .thenComparingDouble(n -> -n.queries()));
        }
        List<Located> out = new ArrayList<>();
        for (NetworkTraffic n : rows.subList(0, Math.min(limit, rows.size()))) {
            out.add(new Located(n, locate(geo, n)));
        }
        return out;
    }

    /** The places of every network of the profile, in this order, at most {@code limit}. */
    public static List<Place> places(ProfileTraffic traffic, Order by, int limit, GeoLocator geo) {
        Map<String, double[]> sums = new LinkedHashMap<>(); // queries, networks, lat*q, lon*q, located q, rtt*q, rtt q
        Map<String, String[]> names = new LinkedHashMap<>();
        for (NetworkTraffic n : traffic.networks()) {
            GeoLocation at = locate(geo, n);
            String key = placeOf(at);
            double[] s = sums.computeIfAbsent(key, k -> new double[7]);
            names.computeIfAbsent(key, k -> new String[] {at.countryCode(), at.subdivision()});
            double q = n.queries();
            s[0] += q;
            s[1]++;
            if (at.known()) {
                s[2] += at.latitude() * q;
                s[3] += at.longitude() * q;
                s[4] += q;
            }
            if (!Double.isNaN(n.rttMs())) {
                s[5] += n.rttMs() * q;
                s[6] += q;
            }
        }
        List<Place> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] s = e.getValue();
            String[] cs = names.get(e.getKey());
            out.add(new Place(e.getKey(), cs[0], cs[1], s[4] > 0 ? round(s[2] / s[4]) : Double.NaN,
                    s[4] > 0 ? round(s[3] / s[4]) : Double.NaN, s[0], (int) s[1], s[6] > 0 ? s[5] / s[6] : Double.NaN));
        }
        if (by == Order.latency) {
            out.removeIf(p -> Double.isNaN(p.rttMs()));
            out.sort(Comparator.comparingDouble((Place p) -> -p.rttMs()).thenComparingDouble(p -> -p.queries()));
        } else {
            out.sort(Comparator.comparingDouble((Place p) -> -p.queries()).thenComparing(Place::name));
        }
        return out.subList(0, Math.min(limit, out.size()));
    }

    /** The place a location names (see the class comment). */
    static String placeOf(GeoLocation at) {
        if (!at.subdivision().isEmpty()) {
            return at.subdivision();
        }
        if (!at.countryCode().isEmpty()) {
            return at.countryCode();
        }
        if (at.known()) {
            return String.format(Locale.ROOT, "%.1f,%.1f", round(at.latitude()), round(at.longitude()));
        }
        return "unknown";
    }

    /** To a tenth of a degree: a city, not a street. */
    public static double round(double degrees) {
        return Math.round(degrees * 10) / 10.0;
    }

    private static GeoLocation locate(GeoLocator geo, NetworkTraffic n) {
        GeoLocation at = geo == null ? null : geo.locate(n.network());
        return at == null ? GeoLocation.unknown(n.network()) : at;
    }
}
