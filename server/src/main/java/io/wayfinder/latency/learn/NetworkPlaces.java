package io.wayfinder.latency.learn;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.time.CpuYield;
import java.util.Arrays;

/**
 * Where each learned network is by its own geolocation row, looked up once, when a rebuild first
 * sees the network, and carried from rebuild to rebuild.
 *
 * <p>Why a cache: a network out of town is fitted and predicted with the distance model at its
 * own place ({@link Anchors#muRowOf}), and a geolocation lookup per measured network at every
 * rebuild cost 10 s of a 10 M rebuild (the table phase 25.6 s instead of 15.3 s): the lookup is a
 * binary search over millions of rows, a cache miss at each level. Networks and their rows change
 * slowly, so each is looked up once. The places are matched to the new observations by key in one
 * merge (both in table order); a locator that is not the one they came from (a reload with another
 * geolocation source) drops them all.
 *
 * <p><b>At most {@link #LOOKUPS_PER_REBUILD} lookups a rebuild</b>, the first networks without a
 * place in table order: the first rebuild after a start (or after the locator changed) would
 * otherwise pay for every network at once. Until its turn a network has no place of its own and
 * is evaluated at its anchor, as before places were kept.
 *
 * <p>8 bytes a network (two floats: a float's 24 bits place a point to a metre), 80 MB at 10 M;
 * the keys are the observations' own array, which the published state keeps anyway. A rebuild
 * with the same networks as the last, all looked up, shares the last one's arrays instead of
 * making its own.
 */
final class NetworkPlaces {
    /**
     * Lookups a rebuild makes at most: about a quarter of a second of one core on a geolocation
     * table of millions of rows (a microsecond a lookup), so that a start at 10 M networks places
     * them over its first forty rebuilds instead of adding seven seconds to the first (LearnedScale,
     * all 7.2 M measured networks at once: the learn phase 13.3 s against 5.0-7.5 s; 2^20 a
     * rebuild: 5.9-8.1 s, on a machine too busy to tell that from nothing).
     */
    static final int LOOKUPS_PER_REBUILD = 1 << 18;
    /** Below this many lookups the caller makes them alone: handing off would cost more than it saves. */
    static final int MIN_PARALLEL_LOOKUPS = 10_000;

    /** The networks' keys, in table order (the observations' array, not a copy). */
    private final long[] keys;
    /** Per network, its place; NaN when not looked up yet or when the locator has no row for it. */
    final float[] lat;
    final float[] lon;
    /** Per network, whether it was looked up (a network the locator cannot place is not asked again). */
    private final boolean[] looked;
    private final GeoLocator geo;
    /** Networks looked up by the rebuild that made this (for the log and tests). */
    final int lookups;
    /** Whether every network was looked up (none waits for its turn): then the next rebuild with the same networks shares these. */
    private final boolean complete;

    private NetworkPlaces(long[] keys, float[] lat, float[] lon, boolean[] looked, GeoLocator geo, int lookups,
                          boolean complete) {
        this.complete = complete;
        this.keys = keys;
        this.lat = lat;
        this.lon = lon;
        this.looked = looked;
        this.geo = geo;
        this.lookups = lookups;
    }

    /** The places of {@code obs}'s networks: {@code previous}'s where it had them (same locator), at most {@code budget} looked up. */
    static NetworkPlaces of(Observations obs, GeoLocator geo, NetworkPlaces previous, int budget) {
        int networks = obs.networks;
        if (previous != null && previous.geo == geo && previous.complete && Arrays.equals(previous.keys, obs.netKey)) {
            // The same networks, all looked up: the same places. Shared, not copied (nothing
            // writes them once made): 80 MB allocated and filled at 10 M networks for nothing.
            return new NetworkPlaces(obs.netKey, previous.lat, previous.lon, previous.looked, geo, 0, true);
        }
        float[] lat = new float[networks];
        float[] lon = new float[networks];
        boolean[] looked = new boolean[networks];
        Arrays.fill(lat, Float.NaN);
        Arrays.fill(lon, Float.NaN);
        if (previous != null && previous.geo == geo) {
            Observations.matchKeys(previous.keys, previous.keys.length, obs.netKey, networks, (i, n) -> {
                if (previous.looked[i]) {
                    lat[n] = previous.lat[i];
                    lon[n] = previous.lon[i];
                    looked[n] = true;
                }
            });
        }
        // The first `budget` networks without a place end before `end`; they are looked up on the
        // lanes (a locator is safe to share between threads), each part its own range.
        int lookups = 0;
        int end = 0;
        while (end < networks && lookups < budget) {
            CpuYield.every(end);
            if (!looked[end++]) {
                lookups++;
            }
        }
        int parts = lookups < MIN_PARALLEL_LOOKUPS ? 1 : Lanes.count();
        int last = end;
        Lanes.run(parts, part -> {
            GeoLocator.Found found = new GeoLocator.Found();
            for (int n = (int) ((long) last * part / parts); n < (int) ((long) last * (part + 1) / parts); n++) {
                CpuYield.every(n);
                if (looked[n]) {
                    continue;
                }
                geo.locate(NetworkKeys.prefix(obs.netKey[n]), found);
                GeoLocation where = found.location();
                if (where != null && where.known()) {
                    lat[n] = (float) where.latitude();
                    lon[n] = (float) where.longitude();
                }
                looked[n] = true;
            }
        });
        boolean complete = true;
        for (int n = end; n < networks && complete; n++) {
            CpuYield.every(n);
            complete = looked[n];
        }
        return new NetworkPlaces(obs.netKey, lat, lon, looked, geo, lookups, complete);
    }

    /** Whether network n was looked up (placed or not): false while it waits for its turn. */
    boolean looked(int n) {
        return looked[n];
    }

    /** Whether network n has a place of its own (looked up, and the locator had a row for it). */
    boolean placed(int n) {
        return !Float.isNaN(lat[n]);
    }
}
