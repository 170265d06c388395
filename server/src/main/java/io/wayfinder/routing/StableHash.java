package io.wayfinder.routing;

/**
 * The hashes that make answers stable: the same client network and the same endpoints always give
 * the same choice, on every node and after every restart (nothing here depends on the JVM).
 */
public final class StableHash {
    private StableHash() {
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for a name (endpoint or region): String.hashCode is specified, so this is stable. */
    public static long ofName(String name) {
        return mix(name.toLowerCase(java.util.Locale.ROOT).hashCode() * 0x9E3779B97F4A7C15L + name.length());
    }

    /** The rendezvous score of a candidate for a client: the highest score wins. */
    public static long score(long clientHash, long candidateSeed) {
        return mix(clientHash ^ candidateSeed);
    }

    /** A uniform number in (0, 1] from a score, for weighted rendezvous hashing. */
    public static double unit(long score) {
        return ((score >>> 11) + 1) * 0x1.0p-53;
    }
}
