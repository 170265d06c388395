package io.wayfinder.bench;

import io.netty.buffer.ByteBuf;
import io.wayfinder.answer.AnswerCounts;
import io.wayfinder.answer.QueryAnswerer;
import io.wayfinder.answer.Snapshot;

/**
 * What the query-path benchmarks answer with, built in their set-up: a {@link QueryAnswerer} over
 * {@link FourRegionProfile}'s snapshot of a synthetic latency table, counting its answers in
 * {@link AnswerCounts} as the server's do, and the clients to send it ({@link RoutingDecisionBenchmark}'s
 * mix). The synthetic data itself is not kept: once the table is built, only the snapshot uses memory.
 */
public final class SyntheticAnswerer {
    public final QueryAnswerer answerer;
    /** The first clients of the mix, as /24 network addresses (host bits zero), shuffled. */
    public final int[] clients;

    /**
     * @param prefixes how many prefixes the latency table measures
     * @param clients  how many clients of the mix to take (1: every query from the same /24)
     */
    public SyntheticAnswerer(int prefixes, int clients) {
        SyntheticLatencyData data = SyntheticLatencyData.generate(prefixes, SyntheticLatencyData.SEED);
        Snapshot snapshot = FourRegionProfile.snapshot(data.estimator());
        this.answerer = new QueryAnswerer(() -> snapshot, new AnswerCounts());
        this.clients = data.clientAddresses(clients, SyntheticLatencyData.SEED + 1);
    }

    /**
     * The set-up's check that the benchmark measures real answers: throws unless the response is a
     * NOERROR with one answer record (the profile's A record).
     */
    public static void requireOneAnswer(ByteBuf response) {
        int rcode = response.getUnsignedByte(3) & 0xF;
        int answers = response.getUnsignedShort(6);
        if (rcode != 0 || answers != 1) {
            throw new IllegalStateException("unexpected response: rcode " + rcode + " answers " + answers);
        }
    }
}
