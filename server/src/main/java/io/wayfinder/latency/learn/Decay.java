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

    /**
     * {@link #factor} memoised per whole minute of age for one half-life: a rebuild decays every
     * cell to the same instant, and ages repeat (ten million networks, a few thousand distinct
     * minutes), so a lookup replaces a {@code pow} per cell. The same values as {@link #factor}.
     */
    static final class Factors {
        private static final int SPAN = 1 << 16; // 45 days of minutes
        private final double halfLifeMinutes;
        private final double[] memo;

        Factors(double halfLifeMinutes) {
            this(halfLifeMinutes, SPAN);
        }

        /** With a memo of {@code span} minutes: 0 for a caller that decays a handful of cells (explain). */
        Factors(double halfLifeMinutes, int span) {
            this.halfLifeMinutes = halfLifeMinutes;
            this.memo = new double[span];
        }

        double of(long elapsedMinutes) {
            if (elapsedMinutes <= 0) {
                return 1;
            }
            if (elapsedMinutes >= memo.length) {
                return factor(elapsedMinutes, halfLifeMinutes);
            }
            int i = (int) elapsedMinutes;
            double f = memo[i];
            if (f == 0) {
                f = factor(elapsedMinutes, halfLifeMinutes);
                memo[i] = f;
            }
            return f;
        }
    }
}
