package io.wayfinder.latency.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.latency.learn.LatencyLearning.Evidence;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Explain reads the cell store while the learning thread folds into it (and grows its arrays and
 * hash table): under the store's read lock it never sees a store half changed, so it never fails
 * and never finds fewer samples than it found before. (Without the lock it read the network as
 * absent, "borrowed", while a rehash refilled the table: this test failed twice out of two.)
 */
class ExplainWhileFoldingTest {
    @Test
    void explainNeverFailsWhileFoldsGrowTheStore() throws Exception {
        Samples s = new Samples(9);
        // The explained network comes last of many, so that a rehash of the store's table (which
        // refills it in network order) reaches it last.
        List<Measurement> first = new ArrayList<>();
        for (int n = 0; n < 200_000; n++) {
            first.add(new Measurement(io.wayfinder.net.IpPrefix.ofIpv4((0x0C_0000 + n) << 8, 24), "westeurope", 25,
                    s.now.toEpochMilli(), "test"));
        }
        s.learner.add(first);
        s.learner.fold(s.now);
        s.add("10.0.0.0/24", "westeurope", 30, 2, 20);
        s.rebuild();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[] explained = {0};
        Thread reader = new Thread(() -> {
            double last = 0;
            try {
                while (!done.get()) {
                    Evidence e = s.learner.explain(Samples.net("10.0.0.0/24"), "westeurope");
                    assertThat(e.kind()).isEqualTo("own");
                    assertThat(e.effectiveSamples()).isGreaterThanOrEqualTo(last - 1e-9);
                    last = e.effectiveSamples();
                    explained[0]++;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        try {
            for (int round = 0; round < 14; round++) {
                List<Measurement> batch = new ArrayList<>();
                for (int n = 0; n < 60_000; n++) {
                    // New networks every round: the store's arrays and hash table grow (and are
                    // rehashed at 327,000 and 655,000 networks) under the reader.
                    int address = 0x0B_0000 + round * 60_000 + n; // the /24s from 11.0.0.0 on
                    batch.add(new Measurement(io.wayfinder.net.IpPrefix.ofIpv4(address << 8, 24), "westeurope", 20 + n % 7,
                            s.now.toEpochMilli(), "test"));
                }
                batch.add(new Measurement(Samples.net("10.0.0.9/32"), "westeurope", 30, s.now.toEpochMilli(), "test"));
                s.learner.add(batch);
                s.learner.fold(s.now);
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(explained[0]).isPositive();
    }
}
