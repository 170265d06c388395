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

    /**
     * A seed for a name (endpoint or region), case-insensitive: FNV-1a over all 64 bits of every
     * UTF-8 byte, then mixed. (String.hashCode is stable too, but 32 bits: short names like "c0"
     * and "an" collide, and two colliding endpoints would split no traffic between them.)
     */
    public static long ofName(String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return mix(h);
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
