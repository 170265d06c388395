package io.wayfinder.latency.learn;

import java.util.Arrays;

/**
 * Samples accepted and not yet folded into the {@link CellStore}: four parallel arrays that only
 * grow, up to a cap. Request threads append under the learner's journal lock; the learning thread
 * swaps the whole journal for an empty one at a fold and works on the old one without a lock.
 */
final class Journal {
    long[] key;
    byte[] region;
    float[] rttMs;
    int[] minute;
    int size;

    Journal(int capacity) {
        int c = Math.max(16, capacity);
        key = new long[c];
        region = new byte[c];
        rttMs = new float[c];
        minute = new int[c];
    }

    /** Appends a sample; false when the journal holds {@code max} already. */
    boolean append(long networkKey, int regionIndex, float rtt, int sampleMinute, int max) {
        if (size >= max) {
            return false;
        }
        if (size == key.length) {
            int n = (int) Math.min(max, (long) size * 2);
            key = Arrays.copyOf(key, n);
            region = Arrays.copyOf(region, n);
            rttMs = Arrays.copyOf(rttMs, n);
            minute = Arrays.copyOf(minute, n);
        }
        key[size] = networkKey;
        region[size] = (byte) regionIndex;
        rttMs[size] = rtt;
        minute[size] = sampleMinute;
        size++;
        return true;
    }

    int regionIndex(int i) {
        return region[i] & 0xFF;
    }
}
