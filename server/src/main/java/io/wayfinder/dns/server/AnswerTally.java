package io.wayfinder.dns.server;

/**
 * A receive batch's answers counted by rcode in plain ints, then added to {@link ServerStats} once
 * per rcode when the batch is answered: a batch of 15 answers (dnsperf's on loopback) costs one
 * atomic add instead of 15. Only the transport's thread uses it.
 */
final class AnswerTally {
    /** Rcodes above this are counted with it, as {@link ServerStats#recordAnswer} does. */
    private static final int MAX_RCODE = 23;

    private final ServerStats stats;
    /** {@code counts[r]}: answers with rcode {@code r} not yet added to the stats. */
    private final int[] counts = new int[MAX_RCODE + 1];
    /** Bit {@code r} set: {@code counts[r]} is not 0. */
    private int pending;

    AnswerTally(ServerStats stats) {
        this.stats = stats;
    }

    void count(int rcode) {
        int r = Math.min(rcode, MAX_RCODE);
        counts[r]++;
        pending |= 1 << r;
    }

    /** Adds what was counted since the last flush to the stats. */
    void flush() {
        int p = pending;
        while (p != 0) {
            int r = Integer.numberOfTrailingZeros(p);
            stats.recordAnswers(r, counts[r]);
            counts[r] = 0;
            p &= p - 1;
        }
        pending = 0;
    }
}
