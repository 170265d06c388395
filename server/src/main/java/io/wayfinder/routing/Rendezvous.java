package io.wayfinder.routing;

/**
 * Rendezvous (highest-random-weight) hashing: each candidate scores {@code hash(client, candidate)}
 * and the highest wins. Removing a candidate moves only the clients it had.
 */
final class Rendezvous {
    private Rendezvous() {
    }

    static int pick(Endpoint[] endpoints, int[] candidates, int count, long clientHash) {
        int best = candidates[0];
        long bestScore = StableHash.score(clientHash, endpoints[best].seed());
        for (int i = 1; i < count; i++) {
            long score = StableHash.score(clientHash, endpoints[candidates[i]].seed());
            if (Long.compareUnsigned(score, bestScore) > 0) {
                best = candidates[i];
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Weighted rendezvous hashing: the lowest {@code -ln(u) / weight} wins, which gives each
     * candidate a share of clients proportional to its weight and keeps the minimal-disruption
     * property.
     */
    static int pickWeighted(Endpoint[] endpoints, int[] candidates, int count, long clientHash) {
        int best = candidates[0];
        double bestKey = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            Endpoint e = endpoints[candidates[i]];
            double key = -Math.log(StableHash.unit(StableHash.score(clientHash, e.seed()))) / e.weight();
            if (key < bestKey) {
                best = candidates[i];
                bestKey = key;
            }
        }
        return best;
    }
}
