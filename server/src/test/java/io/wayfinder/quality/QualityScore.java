package io.wayfinder.quality;

import java.util.Arrays;
import java.util.Locale;

/**
 * How well one router did over a group of client networks: the share sent to the truly fastest
 * region, and the extra round trip the others pay (mean over the whole group, and the 95th
 * percentile, nearest rank); and, apart, the share sent to a region within 0.5 ms of the fastest
 * (near-ties counted as hits: not the headline, which is the plain share).
 */
record QualityScore(int count, double toFastest, double meanExtraMs, double p95ExtraMs, double withinHalfMs) {

    /** What a near-tie is: a region this close to the truly fastest one. */
    static final double NEAR_TIE_MS = 0.5;

    static QualityScore of(double[] extras, int count) {
        if (count == 0) {
            return new QualityScore(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(extras, count);
        Arrays.sort(sorted);
        int exact = 0;
        int near = 0;
        double sum = 0;
        for (double e : sorted) {
            sum += e;
            if (e <= 0) {
                exact++;
            }
            if (e <= NEAR_TIE_MS) {
                near++;
            }
        }
        double p95 = sorted[Math.max(0, (int) Math.ceil(0.95 * count) - 1)];
        return new QualityScore(count, (double) exact / count, sum / count, p95, (double) near / count);
    }

    /** "98.9%": the share within {@link #NEAR_TIE_MS} of the fastest. */
    String nearCell() {
        return count == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * withinHalfMs);
    }

    /** "97.3% / 0.21 ms / 1.4 ms". */
    String cell() {
        if (count == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%% / %.2f ms / %.1f ms", 100 * toFastest, meanExtraMs, p95ExtraMs);
    }
}
