package io.wayfinder.latency.learn;

/** Time in the learner: whole minutes since the Unix epoch, and the decay of weights over it. */
final class Decay {
    private Decay() {
    }

    /** Minutes since the epoch (fits an int for four thousand years). */
    static int minute(long epochMillis) {
        return (int) Math.floorDiv(epochMillis, 60_000L);
    }

    static long millis(int minute) {
        return minute * 60_000L;
    }

    /** The factor {@code 2^(-elapsed / halfLife)} a weight keeps after {@code elapsed} minutes (1 for none or negative). */
    static double factor(long elapsedMinutes, double halfLifeMinutes) {
        return elapsedMinutes <= 0 ? 1 : Math.pow(2, -elapsedMinutes / halfLifeMinutes);
    }
}
