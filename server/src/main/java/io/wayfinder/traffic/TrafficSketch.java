package io.wayfinder.traffic;

/**
 * One event loop's queries per client network and profile over one merge interval: a
 * set-associative Space-Saving table, written by the query path with no lock and no allocation.
 *
 * <h2>Design note</h2>
 * Space-Saving (Metwally, Agrawal and El Abbadi, "Efficient computation of frequent and top-k
 * elements in data streams", ICDT 2005) keeps {@code k} counters; an item not counted takes the
 * counter of the smallest count {@code m}, starting at {@code m + 1} with error {@code m}. Every
 * item more frequent than {@code N/k} is kept, and each count overestimates by at most its error.
 * Finding the global minimum needs a heap or the paper's linked buckets, which cost pointer chasing
 * and several writes per query. Here the slots are grouped in sets of {@value #WAYS}: a key hashes
 * to one set, and a key not in its set takes the set's smallest slot. That bounds a query to
 * {@value #WAYS} key compares in one or two cache lines, and keeps Space-Saving's guarantee per set
 * (an item's count overestimates it by at most the minimum of its set when it came in). Why not a
 * count-min sketch with a top-k heap: the sketch would need {@code d} counter writes per query and
 * still a heap with a hash index for the top-k, and it could not carry what Traffic View keeps
 * beside the count (the endpoint, the RTT, a representative address), which needs a slot per key.
 *
 * <p><b>Layout.</b> Parallel arrays, one slot per index, slot {@code s} of set {@code t} at
 * {@code t * WAYS + s}. A slot is free while its {@link #profiles} entry is null; slots of a set fill
 * in order and are freed only by {@link #clear}, so the first free slot ends a lookup. Profile,
 * endpoint and region names are references to the strings of the routing table being served
 * (storing one allocates nothing); a key matches on the network and the profile's name.
 *
 * <p><b>Ownership.</b> One thread writes a sketch while it is its event loop's active one; the loop
 * hands it off (between two queries) for the merge, which reads it alone, clears it and gives it
 * back as the next spare. No field needs to be volatile: the hand-off is a task on the loop, and
 * the future that carries the sketch back orders the writes before the reads.
 */
final class TrafficSketch {
    /** Slots per set: eight keys are one 64-byte line of {@link #networks} (two when unaligned). */
    static final int WAYS = 8;
    /** Address kinds: no address seen, only ECS networks (their first host stands in), a resolver's. */
    static final byte NO_ADDRESS = 0;
    static final byte ECS_NETWORK = 1;
    static final byte RESOLVER = 2;

    private final int setMask;
    final long[] networks;
    /** The profile's name; null while the slot is free. */
    final String[] profiles;
    final int[] counts;
    /** Space-Saving's error: the count the slot had when this key took it over. */
    final int[] errors;
    /** The endpoint the profile answered with last (null: none yet), and that endpoint's region. */
    final String[] endpoints;
    final String[] regions;
    /** Tenths of a millisecond, summed over the queries that had an estimate. */
    final long[] rttTenths;
    final int[] rttCounts;
    /** A resolver's address (IPv4 in the low 32 bits of {@link #addressLo}), when {@link #addressKinds} says so. */
    final long[] addressHi;
    final long[] addressLo;
    final byte[] addressKinds;
    /** Queries recorded, and keys that took a slot from another (the sketch was full where they landed). */
    long queries;
    long replacements;

    /** @param sets a power of two; the sketch holds {@code sets * WAYS} keys */
    TrafficSketch(int sets) {
        if (sets < 1 || Integer.bitCount(sets) != 1) {
            throw new IllegalArgumentException("sets must be a power of two, not " + sets);
        }
        setMask = sets - 1;
        int slots = sets * WAYS;
        networks = new long[slots];
        profiles = new String[slots];
        counts = new int[slots];
        errors = new int[slots];
        endpoints = new String[slots];
        regions = new String[slots];
        rttTenths = new long[slots];
        rttCounts = new int[slots];
        addressHi = new long[slots];
        addressLo = new long[slots];
        addressKinds = new byte[slots];
    }

    int slots() {
        return profiles.length;
    }

    /**
     * Counts one query of a profile from a client network.
     *
     * @param network    {@link NetworkKey#of} the client
     * @param resolver   whether {@code hi}/{@code lo} is the resolver's address (else the query had ECS)
     * @param endpoint   the endpoint the profile chose, or null when it answered without one
     * @param region     that endpoint's region, or null
     * @param rttTenths  the estimated RTT of the routing decision in tenths of a millisecond, or -1
     */
    void record(long network, String profile, boolean resolver, long hi, long lo, String endpoint, String region,
                int rttTenths) {
        queries++;
        int base = set(network, profile) * WAYS;
        int victim = base;
        int least = Integer.MAX_VALUE;
        for (int i = base; i < base + WAYS; i++) {
            String p = profiles[i];
            if (p == null) {
                take(i, network, profile, 0);
                update(i, resolver, hi, lo, endpoint, region, rttTenths);
                return;
            }
            if (networks[i] == network && (p == profile || p.equals(profile))) {
                counts[i]++;
                update(i, resolver, hi, lo, endpoint, region, rttTenths);
                return;
            }
            if (counts[i] < least) {
                least = counts[i];
                victim = i;
            }
        }
        replacements++;
        take(victim, network, profile, least);
        update(victim, resolver, hi, lo, endpoint, region, rttTenths);
    }

    private void take(int i, long network, String profile, int inherited) {
        networks[i] = network;
        profiles[i] = profile;
        counts[i] = inherited + 1;
        errors[i] = inherited;
        endpoints[i] = null;
        regions[i] = null;
        rttTenths[i] = 0;
        rttCounts[i] = 0;
        addressKinds[i] = NO_ADDRESS;
    }

    private void update(int i, boolean resolver, long hi, long lo, String endpoint, String region, int rtt) {
        if (endpoint != null) {
            endpoints[i] = endpoint;
            regions[i] = region;
        }
        if (rtt >= 0) {
            rttTenths[i] += rtt;
            rttCounts[i]++;
        }
        if (resolver) { // a real host beats an ECS network's stand-in; the last one seen is kept
            addressKinds[i] = RESOLVER;
            addressHi[i] = hi;
            addressLo[i] = lo;
        } else if (addressKinds[i] == NO_ADDRESS) {
            addressKinds[i] = ECS_NETWORK;
        }
    }

    /**
     * How many queries of a key this sketch may have counted and since dropped: -1 when it holds the
     * key (its count says), else the smallest count of the key's set when the set is full (a key
     * replaced there had at most that many), else 0 (a set with a free slot never dropped anything).
     */
    int floor(long network, String profile) {
        int base = set(network, profile) * WAYS;
        int least = Integer.MAX_VALUE;
        for (int i = base; i < base + WAYS; i++) {
            String p = profiles[i];
            if (p == null) {
                return 0;
            }
            if (networks[i] == network && (p == profile || p.equals(profile))) {
                return -1;
            }
            least = Math.min(least, counts[i]);
        }
        return least;
    }

    private int set(long network, String profile) {
        return (int) (NetworkKey.mix(network ^ ((long) profile.hashCode() << 17)) >>> 32) & setMask;
    }

    /** Empties every slot (the merge, before handing the sketch back as a spare). */
    void clear() {
        java.util.Arrays.fill(profiles, null);
        java.util.Arrays.fill(endpoints, null);
        java.util.Arrays.fill(regions, null);
        queries = 0;
        replacements = 0;
    }
}
