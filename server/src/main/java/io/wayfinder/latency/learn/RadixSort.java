package io.wayfinder.latency.learn;

import io.wayfinder.time.CpuYield;

/**
 * Sorts {@code long} keys (signed order) carrying an {@code int} payload each: a least-significant-
 * digit radix sort, 16 bits a pass, that skips the passes whose digit is the same in every key.
 *
 * <p>Why not {@code Arrays.sort}: a rebuild lays out ten million networks in table order and needs
 * each one's number in the {@link CellStore}, not only its key; sorting keys alone and finding each
 * network again by hash costs a cache miss per network, which was most of a rebuild's "observe".
 * Network keys differ in about 24 of their 64 bits, so this takes two or three linear passes.
 * Stable, so equal keys keep their payloads' order.
 */
final class RadixSort {
    private static final int BITS = 16;
    private static final int BUCKETS = 1 << BITS;

    private RadixSort() {
    }

    /** Sorts {@code keys[0, n)} ascending (signed), moving {@code payload[0, n)} with them. */
    static void sort(long[] keys, int[] payload, int n) {
        if (n < 2) {
            return;
        }
        long[] keyBuffer = new long[n];
        int[] payloadBuffer = new int[n];
        int[] count = new int[BUCKETS];
        long[] fromKeys = keys;
        int[] fromPayload = payload;
        long[] toKeys = keyBuffer;
        int[] toPayload = payloadBuffer;
        for (int shift = 0; shift < 64; shift += BITS) {
            // The top digit's sign bit is flipped, so that negative keys come first.
            long flip = shift == 64 - BITS ? 1L << (BITS - 1) : 0;
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                CpuYield.every(i);
                count[(int) (((fromKeys[i] >>> shift) ^ flip) & (BUCKETS - 1))]++;
            }
            if (count[(int) (((fromKeys[0] >>> shift) ^ flip) & (BUCKETS - 1))] == n) {
                continue; // every key has this digit
            }
            int sum = 0;
            for (int d = 0; d < BUCKETS; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                CpuYield.every(i);
                int d = (int) (((fromKeys[i] >>> shift) ^ flip) & (BUCKETS - 1));
                int at = count[d]++;
                toKeys[at] = fromKeys[i];
                toPayload[at] = fromPayload[i];
            }
            long[] k = fromKeys;
            fromKeys = toKeys;
            toKeys = k;
            int[] p = fromPayload;
            fromPayload = toPayload;
            toPayload = p;
        }
        if (fromKeys != keys) {
            System.arraycopy(fromKeys, 0, keys, 0, n);
            System.arraycopy(fromPayload, 0, payload, 0, n);
        }
    }
}
