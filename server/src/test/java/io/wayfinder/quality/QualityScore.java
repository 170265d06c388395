package io.wayfinder.quality;

import java.util.Arrays;
import java.util.Locale;

/**
 * How well one router did over a group of client networks: the share sent to the truly fastest
 * region, and the extra round trip the others pay (mean over the whole group, and the 95th
 * percentile, nearest rank).
 */
record QualityScore(int count, double toFastest, double meanExtraMs, double p95ExtraMs) {

    static QualityScore of(double[] extras, int count) {
        if (count == 0) {
            return new QualityScore(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = Arrays.copyOf(extras, count);
        Arrays.sort(sorted);
        int exact = 0;
        double sum = 0;
        for (double e : sorted) {
            sum += e;
            if (e <= 0) {
                exact++;
            }
        }
        double p95 = sorted[Math.max(0, (int) Math.ceil(0.95 * count) - 1)];
        return new QualityScore(count, (double) exact / count, sum / count, p95);
    }

    /** "97.3% / 0.21 ms / 1.4 ms". */
    String cell() {
        if (count == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f%% / %.2f ms / %.1f ms", 100 * toFastest, meanExtraMs, p95ExtraMs);
    }
}
