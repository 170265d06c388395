package io.wayfinder.latency.learn;

import java.time.Duration;
import java.util.List;

/**
 * How the learner weighs, keeps and publishes what it learns. The configuration's
 * {@code latency.halfLife} and {@code latency.learning} map onto it (the control path does the
 * mapping, so that this package stays free of the configuration model); {@link #DEFAULTS} are the
 * documented defaults, and a test keeps the configuration's equal to them.
 *
 * @param halfLife          a sample's weight halves every half-life (default 7 days): old evidence
 *                          fades without being thrown away, so quiet networks keep an estimate
 * @param ipv4Levels        the block lengths networks borrow from, most specific first (the
 *                          configuration's {@code latency.aggregation.ipv4Levels}, default /20, /16)
 * @param ipv6Levels        the same for IPv6 (default /40, /32)
 * @param changeMinSamples  the fewest recent samples of a cell that may declare its RTT changed
 *                          (default 5); sparser evidence is held back until there is this much
 * @param changeSigmas      how many standard errors recent and long-term means must differ by
 *                          for the long-term state to be replaced (default 4)
 * @param changeMinMs       and by at least this much, in milliseconds (default 5)
 * @param holdBack          the longest time samples are held back waiting for
 *                          {@code changeMinSamples} (default 1 hour); then they are merged
 * @param hysteresisMs      a published figure moves only when the new estimate differs from it by
 *                          more than this (default 1 ms) ...
 * @param hysteresisSigmas  ... and by more than this many standard deviations of the estimate
 *                          (default 3)
 * @param staticSamples     how many samples one figure of the configured CSV sources counts as
 *                          (default 5; the CSV keeps no per-prefix sample count)
 * @param maxPendingSamples new samples accepted but not yet folded in, at most (default 8,000,000,
 *                          17 bytes each: about 140 MB); beyond it {@code add} drops and counts.
 *                          Samples a fold holds back are bounded by as many again, on their own
 */
public record LearningParameters(Duration halfLife, List<Integer> ipv4Levels, List<Integer> ipv6Levels,
                                 int changeMinSamples, double changeSigmas, double changeMinMs, Duration holdBack,
                                 double hysteresisMs, double hysteresisSigmas, int staticSamples,
                                 int maxPendingSamples) {

    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);
    public static final int DEFAULT_CHANGE_MIN_SAMPLES = 5;
    public static final double DEFAULT_CHANGE_SIGMAS = 4;
    public static final double DEFAULT_CHANGE_MIN_MS = 5;
    public static final Duration DEFAULT_HOLD_BACK = Duration.ofHours(1);
    public static final double DEFAULT_HYSTERESIS_MS = 1;
    public static final double DEFAULT_HYSTERESIS_SIGMAS = 3;
    public static final int DEFAULT_STATIC_SAMPLES = 5;
    public static final int DEFAULT_MAX_PENDING_SAMPLES = 8_000_000;

    public static final LearningParameters DEFAULTS = new LearningParameters(DEFAULT_HALF_LIFE, List.of(20, 16),
            List.of(40, 32), DEFAULT_CHANGE_MIN_SAMPLES, DEFAULT_CHANGE_SIGMAS, DEFAULT_CHANGE_MIN_MS, DEFAULT_HOLD_BACK,
            DEFAULT_HYSTERESIS_MS, DEFAULT_HYSTERESIS_SIGMAS, DEFAULT_STATIC_SAMPLES, DEFAULT_MAX_PENDING_SAMPLES);

    public LearningParameters {
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("halfLife must be positive, not " + halfLife);
        }
        ipv4Levels = levels(ipv4Levels, 24, "ipv4Levels");
        ipv6Levels = levels(ipv6Levels, 48, "ipv6Levels");
        if (changeMinSamples < 2) {
            throw new IllegalArgumentException("changeMinSamples must be at least 2, not " + changeMinSamples);
        }
        if (!(changeSigmas > 0) || !(changeMinMs >= 0) || !(hysteresisMs >= 0) || !(hysteresisSigmas >= 0)) {
            throw new IllegalArgumentException("change and hysteresis thresholds must be non-negative");
        }
        if (staticSamples < 1 || maxPendingSamples < 1) {
            throw new IllegalArgumentException("staticSamples and maxPendingSamples must be at least 1");
        }
    }

    /** The same with other block levels (most specific first after sorting). */
    public LearningParameters withLevels(List<Integer> ipv4, List<Integer> ipv6) {
        return new LearningParameters(halfLife, ipv4, ipv6, changeMinSamples, changeSigmas, changeMinMs, holdBack,
                hysteresisMs, hysteresisSigmas, staticSamples, maxPendingSamples);
    }

    public LearningParameters withHalfLife(Duration d) {
        return new LearningParameters(d, ipv4Levels, ipv6Levels, changeMinSamples, changeSigmas, changeMinMs, holdBack,
                hysteresisMs, hysteresisSigmas, staticSamples, maxPendingSamples);
    }

    /** Block lengths, longest first; only those shorter than a client network (a /24 or /48) can borrow. */
    private static List<Integer> levels(List<Integer> levels, int networkLength, String name) {
        List<Integer> out = levels.stream().filter(l -> l > 0 && l < networkLength).distinct()
                .sorted(java.util.Comparator.reverseOrder()).toList();
        if (out.size() > 4) {
            throw new IllegalArgumentException(name + ": at most 4 block levels are learned, not " + out.size());
        }
        return out;
    }
}
