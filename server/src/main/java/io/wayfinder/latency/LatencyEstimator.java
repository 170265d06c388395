package io.wayfinder.latency;

import io.wayfinder.geo.GeoLocation;
import io.wayfinder.geo.GeoLocator;
import io.wayfinder.geo.GreatCircle;
import io.wayfinder.latency.LatencyTable.AggregateLevel;
import io.wayfinder.net.IpPrefix;
import io.wayfinder.net.PrefixMap;

/**
 * Estimates the RTT from a client network to a region from the most specific evidence there is.
 *
 * <p>The candidates, for one region: the table's figure for the client's network (its own entry,
 * or inherited from a covering prefix), the aggregates of the blocks around it, and the distance
 * model. Among the table figures and aggregates, the one for the longest prefix wins, because it
 * describes the networks most like the client's; a tie goes to the table figure, which is a
 * measurement rather than a mean. Only evidence about a network that contains the whole client
 * network counts: a /28 measurement says nothing certain about a client that an ECS /24 describes.
 * The distance model is the last resort.
 *
 * <h2>How far an estimate holds</h2>
 * Besides the estimate, the lookup keeps the <em>holding length</em>: the shortest prefix around
 * the client inside which every network of the client's length would have found exactly what this
 * client found, in every table, aggregate level and geolocation source consulted so far. Since
 * the estimates are a function of those findings alone, any decision made from them holds for that
 * whole network, which is what the ECS scope of the answer must say. (The length of the evidence's
 * own prefix is not enough: a more specific prefix inside it would answer differently.)
 *
 * <p>Immutable and shared; per-query state lives in the caller's {@link Lookup}, so the query path
 * allocates nothing here (on the distance path, nothing as long as the geolocator does not: see
 * {@link GeoLocator#locate(IpPrefix, GeoLocator.Found)}).
 */
public final class LatencyEstimator {
    private final LatencyTable table;
    private final GeoLocator geo;
    private final DistanceModel model;

    public LatencyEstimator(LatencyTable table, GeoLocator geo, DistanceModel model) {
        this.table = table;
        this.geo = geo;
        this.model = model;
    }

    public LatencyTable table() {
        return table;
    }

    public DistanceModel model() {
        return model;
    }

    public GeoLocator geo() {
        return geo;
    }

    /**
     * Per-thread state for estimating one client's RTT to several regions: each lookup (table
     * entry, aggregate block per level, geolocation) is done at most once per client.
     */
    public static final class Lookup {
        /** More levels than this are refused by {@link LatencyTableBuilder}. */
        static final int MAX_LEVELS = 16;
        private static final int UNKNOWN = -2;

        private IpPrefix client;
        private int entry;
        /**
         * The longest aggregate level of the client's family that is not longer than the client's
         * network (-1 when none is); set with {@link #entry}. A table figure at least this long
         * cannot be beaten by an aggregate: see {@link LatencyEstimator#rowTenths}.
         */
        private int longestLevel;
        /**
         * The direct index found {@link #entry} with the table's mark: its row settles every column
         * for this client, with no check of the figures' source lengths (see {@link LatencyTable}).
         */
        private boolean rowSettled;
        /** The client's row in the table's settled /24s, {@link SettledSlash24Rows#NO_ROW}, or {@link #UNKNOWN}. */
        private int settledRow;
        private final int[] blocks = new int[MAX_LEVELS];
        /** The geolocation, as the source keeps it (valid once {@link #located}); no object per query. */
        private final GeoLocator.Found found = new GeoLocator.Found();
        private boolean located;
        private int holding;

        // Result of the last estimate().
        private double rttMs;
        private Evidence evidence;
        private int evidenceLength;
        private int samples;

        /** Starts a new client; the previous client's lookups are forgotten. */
        public void reset(IpPrefix clientNetwork) {
            client = clientNetwork;
            entry = UNKNOWN;
            rowSettled = false;
            settledRow = UNKNOWN;
            java.util.Arrays.fill(blocks, UNKNOWN);
            located = false;
            holding = 0;
        }

        public IpPrefix client() {
            return client;
        }

        public double rttMs() {
            return rttMs;
        }

        public Evidence evidence() {
            return evidence;
        }

        /** The prefix length of the network the evidence is about (0 when there is none). */
        public int evidenceLength() {
            return evidenceLength;
        }

        /**
         * The prefix length for which everything looked up so far for this client holds (see the
         * class comment): a decision made from these estimates may be reused over this network.
         */
        public int holdingLength() {
            return holding;
        }

        /** Samples behind an aggregate estimate (0 otherwise). */
        public int samples() {
            return samples;
        }

        /**
         * The client's geolocation, if an estimate needed it (null otherwise), holding for the
         * network it does. Built on each call, for explanations: the query path reads the source's
         * own location and the holding length instead, so that it allocates nothing.
         */
        public GeoLocation location() {
            return located ? found.location().holdingFor(client.truncate(found.holdingLength())) : null;
        }

        private void hold(int length) {
            if (length > holding) {
                holding = length;
            }
        }

        private void set(double ms, Evidence kind, int length, int sampleCount) {
            rttMs = ms;
            evidence = kind;
            evidenceLength = length;
            samples = sampleCount;
        }
    }

    /** What {@link #rowTenths} returns when the client's table row alone does not settle the estimate. */
    public static final int UNSETTLED = -2;

    /**
     * The estimate {@link #estimate} would give for a column, in tenths of a millisecond, when the
     * client's table row settles it alone; else {@link #UNSETTLED}. The query path's shortcut for
     * the common case (a client inside a measured network): one longest-prefix match, then one cell
     * per region, with no aggregate or geolocation lookup and no evidence recorded.
     *
     * <p>The row settles a column when its figure (own or inherited) is about a network that
     * contains the whole client network, so that estimate() does not climb to an ancestor, and no
     * aggregate level lies strictly between that figure's length and the client's, so that no
     * aggregate could be more specific. Then estimate() returns exactly this figure: the same
     * tenths, and the same lookups, so the same holding length. Anything else (no entry, a missing
     * figure, an aggregate that might win, a region the table never measured) is left to
     * estimate(), which reuses the entry looked up here. When the direct index found the entry
     * marked as settling its whole row, the figure is returned without reading its source length.
     */
    public int rowTenths(Lookup lookup, int column) {
        if (column < 0) {
            return UNSETTLED;
        }
        int row = lookup.settledRow == Lookup.UNKNOWN ? lookUpSettledRow(lookup) : lookup.settledRow;
        if (row != SettledSlash24Rows.NO_ROW) {
            return table.settledTenths(row, column);
        }
        int entry = lookup.entry == Lookup.UNKNOWN ? lookUpEntry(lookup) : lookup.entry;
        if (lookup.rowSettled) {
            return table.tenths(entry, column);
        }
        if (entry == PrefixMap.NO_ENTRY) {
            return UNSETTLED;
        }
        int tenths = table.tenths(entry, column);
        int length = table.sourceLength(entry, column);
        if (tenths == LatencyTable.MISSING || length > lookup.client.length() || length < lookup.longestLevel) {
            return UNSETTLED;
        }
        return tenths;
    }

    /**
     * The figure of a settled /24's row ({@link LatencyTable#settledWinners} names such /24s), in
     * tenths of a millisecond, for an IPv4 client of length 24 to 32 inside it: what
     * {@link #rowTenths} gives for it. Read only when someone asks for the figure (Traffic View),
     * since the decision from the winner index does not need it.
     */
    public int settledTenths(IpPrefix client, int column) {
        return table.settledTenths(table.settledRow(client.ipv4()), column);
    }

    /**
     * Finds an IPv4 client of /24 or longer among the table's settled /24s, once per client. Such
     * a /24 is a table prefix with nothing inside it, so what was found holds for the /24: the
     * same as {@link #lookUpEntry} would hold, without reading the direct index.
     */
    private int lookUpSettledRow(Lookup lookup) {
        IpPrefix client = lookup.client;
        int row = client.ipv6() || client.length() < 24 ? SettledSlash24Rows.NO_ROW : table.settledRow(client.ipv4());
        lookup.settledRow = row;
        if (row != SettledSlash24Rows.NO_ROW) {
            lookup.hold(24);
        }
        return row;
    }

    /**
     * Reads what the query path will read first for an IPv4 client of /24 or longer (its settled
     * row, or its direct index slot), and nothing else: for a pass over a batch of queries before
     * they are answered, so that their cache misses overlap instead of following one another.
     * The result means nothing; a caller adds it up so that the reads are not optimised away.
     */
    public int touch(int ipv4Address) {
        int row = table.settledRow(ipv4Address);
        return row != SettledSlash24Rows.NO_ROW ? table.settledTenths(row, 0)
                : table.prefixes().directIpv4(ipv4Address);
    }

    /** Looks the client's table entry up once per client, with how far it holds. */
    private int lookUpEntry(Lookup lookup) {
        IpPrefix client = lookup.client;
        PrefixMap prefixes = table.prefixes();
        // An IPv4 client of /24 or longer: one read of the direct index, when the table has one
        // and the client's /24 holds no interval boundary (see PrefixMap's design note).
        int slot = client.ipv6() || client.length() < 24 ? PrefixMap.NOT_DIRECT : prefixes.directIpv4(client.ipv4());
        if (slot != PrefixMap.NOT_DIRECT) {
            lookup.entry = PrefixMap.directEntry(slot);
            lookup.rowSettled = PrefixMap.directMarked(slot);
            lookup.hold(PrefixMap.directHolding(slot));
        } else {
            int interval = prefixes.interval(client);
            lookup.entry = prefixes.entryAt(interval);
            lookup.hold(prefixes.holdingLength(interval, client));
        }
        int longest = -1;
        for (AggregateLevel level : table.levelArray(client.ipv6())) {
            if (level.length() <= client.length()) {
                longest = level.length(); // most specific first: the first that fits is the longest
                break;
            }
        }
        lookup.longestLevel = longest;
        return lookup.entry;
    }

    /**
     * Estimates the RTT from the lookup's client to a region, leaving the answer in the lookup.
     *
     * @param column the region's column in the table, or -1 when the table never measured it
     */
    public void estimate(Lookup lookup, int column, double regionLatitude, double regionLongitude) {
        IpPrefix client = lookup.client;
        int clientLength = client.length();
        int bestLength = -1;
        double bestMs = 0;
        Evidence bestKind = Evidence.NONE;
        int bestSamples = 0;

        if (column >= 0) {
            int entry = lookup.entry == Lookup.UNKNOWN ? lookUpEntry(lookup) : lookup.entry;
            // The entry can be longer than an ECS client network; its ancestors that contain the
            // whole client network still are evidence for it.
            while (entry != PrefixMap.NO_ENTRY && table.tenths(entry, column) != LatencyTable.MISSING
                    && table.sourceLength(entry, column) > clientLength) {
                entry = table.entryParent(entry);
            }
            if (entry != PrefixMap.NO_ENTRY) {
                int tenths = table.tenths(entry, column);
                int length = table.sourceLength(entry, column);
                if (tenths != LatencyTable.MISSING && length <= clientLength) {
                    bestLength = length;
                    bestMs = tenths / 10.0;
                    bestKind = entry == lookup.entry && length == table.entryLength(entry)
                            ? Evidence.MEASURED : Evidence.COVERING;
                }
            }
            AggregateLevel[] levels = table.levelArray(client.ipv6());
            for (int i = 0; i < levels.length; i++) {
                AggregateLevel level = levels[i];
                if (level.length() <= bestLength) {
                    break; // levels are most specific first: nothing further can beat what we have
                }
                if (level.length() > clientLength) {
                    continue;
                }
                int block = lookup.blocks[i];
                if (block == Lookup.UNKNOWN) {
                    int interval = level.blocks().interval(client);
                    block = level.blocks().entryAt(interval);
                    lookup.blocks[i] = block;
                    lookup.hold(level.blocks().holdingLength(interval, client));
                }
                if (block != PrefixMap.NO_ENTRY) {
                    int tenths = level.tenths(block, column);
                    if (tenths != LatencyTable.MISSING) {
                        bestLength = level.length();
                        bestMs = tenths / 10.0;
                        bestKind = Evidence.AGGREGATE;
                        bestSamples = level.samples(block, column);
                        break;
                    }
                }
            }
        }
        if (bestKind != Evidence.NONE) {
            lookup.set(bestMs, bestKind, bestLength, bestSamples);
            return;
        }
        if (!lookup.located) {
            geo.locate(client, lookup.found);
            lookup.located = true;
            lookup.hold(lookup.found.holdingLength());
        }
        GeoLocation where = lookup.found.location();
        if (!where.known()) {
            lookup.set(Double.POSITIVE_INFINITY, Evidence.NONE, 0, 0);
            return;
        }
        double km = GreatCircle.kilometres(where.latitude(), where.longitude(), regionLatitude, regionLongitude);
        lookup.set(model.estimateMs(km), Evidence.DISTANCE, Math.min(where.sourceLength(), clientLength), 0);
    }
}
