package io.wayfinder.routing;

/**
 * Rendezvous (highest-random-weight) hashing: each candidate scores {@code hash(client, candidate)}
 * and the highest wins. Removing a candidate moves only the clients it had.
 */
final class Rendezvous {
    private Rendezvous() {
    }

    /** The index into {@code candidates} of the one this client goes to. */
    static int pick(Endpoint[] candidates, int count, long clientHash) {
        int best = 0;
        long bestScore = StableHash.score(clientHash, candidates[0].seed());
        for (int i = 1; i < count; i++) {
            long score = StableHash.score(clientHash, candidates[i].seed());
            if (Long.compareUnsigned(score, bestScore) > 0) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Weighted rendezvous hashing: the lowest {@code -ln(u) / weight} wins, which gives each
     * candidate a share of clients proportional to its weight and keeps the minimal-disruption
     * property. Returns an index into {@code candidates}.
     */
    static int pickWeighted(Endpoint[] candidates, int count, long clientHash) {
        int best = 0;
        double bestKey = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            Endpoint e = candidates[i];
            double key = -Math.log(StableHash.unit(StableHash.score(clientHash, e.seed()))) / e.weight();
            if (key < bestKey) {
                best = i;
                bestKey = key;
            }
        }
        return best;
    }
}
